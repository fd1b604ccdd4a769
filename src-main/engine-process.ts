/**
 * The engine process: llama.cpp runs here, apart from the app, so a native crash in it (an abort, a GPU
 * driver fault, memory running out) ends this process only; the app saves what was streaming and starts
 * it again (core/engine/process/engine-client.ts). Started as Electron's utility process by the desktop
 * app, and as a forked Node process by browser mode and the command line.
 */
import type { FromEngineMessage } from './core/engine/process/engine-protocol';
import { serveEngine, type EnginePort } from './core/engine/process/engine-server';

/** Electron's port in a utility process. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

function portOfThisProcess(): EnginePort {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      post: (message: FromEngineMessage) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    };
  }
  if (!process.send)
    throw new Error('The engine process must be started by Phidesk (no channel to the app).');
  // The app is gone (even killed): nothing is left to serve, and an orphan would hold the model's memory.
  process.on('disconnect', () => process.exit(0));
  return {
    post: (message: FromEngineMessage) => {
      if (process.connected) process.send!(message);
    },
    onMessage: (listener) => process.on('message', listener),
  };
}

serveEngine(portOfThisProcess(), (code) => process.exit(code));
