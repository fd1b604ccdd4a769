import { resolveUserPath } from '../files/user-paths';
import type { Handlers } from '../rpc/rpc-server';
import type { EngineClient } from './process/engine-client';

export function engineHandlers(
  engine: EngineClient,
): Pick<
  Handlers,
  | 'engine.status'
  | 'engine.load'
  | 'engine.cancelLoad'
  | 'engine.restart'
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
    'engine.restart': () => {
      engine.restart();
      return engine.state;
    },
    'engine.unload': async () => ({ unloaded: await engine.unload() }),
    'engine.generate': async (request) => (await engine.generate(request)).done,
    'engine.countTokens': async ({ text }) => ({
      tokens: engine.state.model ? ((await engine.countTokens([text]))[0] ?? null) : null,
    }),
  };
}
