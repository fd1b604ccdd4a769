/**
 * The desktop app's engine process: Electron's utility process (a Node child the app owns, as LM Studio and
 * Jan keep inference out of their main process). Electron reports only its exit code, no signal.
 */
import { utilityProcess } from 'electron';
import type { EngineExit, LaunchEngine } from '../core/engine/process/launch';

export function utilityEngine(entry: string): LaunchEngine {
  return () => {
    const child = utilityProcess.fork(entry, [], { serviceName: 'Phidesk engine', stdio: 'inherit' });
    let exited = false;
    return {
      get pid() {
        return child.pid ?? null;
      },
      post: (message) => {
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) =>
        child.once('exit', (code) => {
          exited = true;
          listener({ code, signal: null } satisfies EngineExit);
        }),
      kill: () => {
        child.kill();
      },
    };
  };
}
