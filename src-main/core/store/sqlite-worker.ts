/**
 * Runs a short script against its own read-only connection to a database, on a worker thread: reading a
 * whole database (checking a backup, copying the history) takes seconds for a large one, and the main loop
 * must keep answering meanwhile (TEST-CATALOG F8, I15). A separate connection reads one consistent
 * snapshot (WAL) while the main connection goes on writing.
 */
import { createRequire } from 'node:module';
import { startScript } from '../workers/script-worker';

type Outcome = { ok: true; result: unknown } | { ok: false; message: string; code?: string };

/** `body` is the inside of `async (db, input) => { … }`, in plain JavaScript; what it returns comes back. */
function scriptFor(body: string): string {
  return `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  let db;
  try {
    const Database = require(workerData.sqliteModule);
    const options = { readonly: true, fileMustExist: true };
    if (workerData.nativeBinding) options.nativeBinding = workerData.nativeBinding;
    db = new Database(workerData.file, options);
    // Blocking this thread is fine: it has nothing else to do.
    db.pragma('busy_timeout = 5000');
    const result = await (async (db, input) => { ${body} })(db, workerData.input);
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error), code: error && error.code });
  } finally {
    if (db) db.close();
  }
})();
`;
}

/** The script's result; its failure as an Error carrying SQLite's code (for translateSqliteError). */
export async function withReadOnlyDatabase<T>(
  file: string,
  nativeBinding: string | undefined,
  body: string,
  input: unknown = null,
): Promise<T> {
  const sqliteModule = createRequire(import.meta.url).resolve('better-sqlite3');
  let outcome: Outcome = { ok: false, message: 'the worker gave no answer' };
  await startScript<never, Outcome>(
    scriptFor(body),
    { file, nativeBinding, sqliteModule, input },
    (message) => (outcome = message),
  ).finished;
  const settled = outcome as Outcome;
  if (!settled.ok) throw Object.assign(new Error(settled.message), { code: settled.code });
  return settled.result as T;
}
