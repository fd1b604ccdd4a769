/**
 * Starting the engine process. Core asks a LaunchEngine for a process and does not know which kind it got:
 * the desktop app passes Electron's utility process (app/utility-engine.ts), browser mode and the command
 * line a forked Node process (forkEngine).
 */
import { fork } from 'node:child_process';
import path from 'node:path';

export interface EngineExit {
  code: number | null;
  /** The signal that ended it, where the platform says (Node: yes; Electron's utility process: no). */
  signal: string | null;
}

/** The app's end of one engine process. */
export interface EngineProcessHandle {
  readonly pid: number | null;
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, however it ended. */
  onExit(listener: (exit: EngineExit) => void): void;
  /** Ends it at once (SIGKILL): for a hung process, or one that would not quit. */
  kill(): void;
}

export type LaunchEngine = () => EngineProcessHandle;

/**
 * The entry script beside the running one: out/main/engine-process.js in a build, or
 * src-main/engine-process.ts when run from the sources (tsx, the tests).
 */
export function engineEntryBeside(moduleFile: string): string {
  return path.join(path.dirname(moduleFile), `engine-process${path.extname(moduleFile)}`);
}

/** A forked Node process running `entry` (TypeScript sources through tsx). */
export function forkEngine(entry: string): LaunchEngine {
  return () => {
    const child = fork(entry, [], {
      // Float32Array vectors and the like cross as they are.
      serialization: 'advanced',
      // Only what this entry needs: never the test runner's or the app's own flags.
      execArgv: entry.endsWith('.ts') ? ['--import', 'tsx'] : [],
      // llama.cpp's own messages go to this process's stderr; stdout stays the CLI's.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let exited = false;
    return {
      get pid() {
        return child.pid ?? null;
      },
      post: (message) => {
        if (child.connected) child.send(message as never);
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => {
        const once = (exit: EngineExit) => {
          if (exited) return;
          exited = true;
          listener(exit);
        };
        child.once('exit', (code, signal) => once({ code, signal }));
        child.once('error', () => once({ code: null, signal: null }));
      },
      kill: () => child.kill('SIGKILL'),
    };
  };
}
