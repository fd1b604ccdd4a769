/**
 * Runs a small, self-contained JavaScript program on a worker thread: work that would hold the main loop
 * for long (reading a whole file, parsing a large JSON text, copying the database) happens there while
 * requests keep being answered. The program shares no module state with the main thread; it reads
 * `workerData`, talks over `parentPort`, and ends by itself.
 */
import { Worker } from 'node:worker_threads';

export interface ScriptWorker<In> {
  /** Sends the program a message (structured clone: keep each one small, it is copied on this thread). */
  post(message: In): void;
  /** Resolves when the program ends normally; rejects if it throws or exits with another code. */
  finished: Promise<void>;
}

export function startScript<In, Out>(
  source: string,
  workerData: unknown,
  onMessage: (message: Out) => void,
): ScriptWorker<In> {
  const worker = new Worker(source, { eval: true, workerData });
  worker.on('message', onMessage);
  const finished = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`the worker stopped unexpectedly (exit code ${code})`)),
    );
  });
  return { post: (message) => worker.postMessage(message), finished };
}
