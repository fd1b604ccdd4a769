import { resolveUserPath } from '../files/user-paths';
import type { Handlers } from '../rpc/rpc-server';
import type { Engine } from './engine';

export function engineHandlers(
  engine: Engine,
): Pick<
  Handlers,
  | 'engine.status'
  | 'engine.load'
  | 'engine.cancelLoad'
  | 'engine.unload'
  | 'engine.generate'
  | 'engine.countTokens'
> {
  return {
    'engine.status': () => engine.state,
    // The same path rules as models.load: a .gguf file, through its links.
    'engine.load': (options) =>
      engine.load({
        ...options,
        path: resolveUserPath(options.path, { roots: 'anywhere', mode: 'file', extensions: ['.gguf'] }),
      }),
    'engine.cancelLoad': () => ({ cancelled: engine.cancelLoad() }),
    'engine.unload': async () => ({ unloaded: await engine.unload() }),
    'engine.generate': (request) => engine.generate(request).done,
    'engine.countTokens': ({ text }) => ({ tokens: engine.state.model ? engine.countTokens(text) : null }),
  };
}
