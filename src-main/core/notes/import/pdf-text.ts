/**
 * The text of each page of a PDF, read by pdf.js (through unpdf) on a worker thread: a long PDF takes
 * seconds to parse, and the main loop must keep answering meanwhile (TEST-CATALOG F8).
 */
import { createRequire } from 'node:module';
import { startScript } from '../../workers/script-worker';

type Outcome = { ok: true; pages: string[] } | { ok: false; name: string; message: string };

const script = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { extractText, getDocumentProxy } = require(workerData.unpdf);
  let document;
  try {
    document = await getDocumentProxy(workerData.bytes, { verbosity: 0 });
    const { text } = await extractText(document, { mergePages: false });
    parentPort.postMessage({ ok: true, pages: text });
  } catch (error) {
    parentPort.postMessage({ ok: false, name: String((error && error.name) || ''), message: String((error && error.message) || error) });
  } finally {
    if (document) await document.destroy().catch(() => {});
  }
})();
`;

/** Each page's text; rejects with an Error named as pdf.js named it (PasswordException, InvalidPDFException). */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  const unpdf = createRequire(import.meta.url).resolve('unpdf');
  let outcome: Outcome = { ok: false, name: '', message: 'the PDF reader gave no answer' };
  // A copy: pdf.js wants a plain Uint8Array, not a Buffer, and the worker gets its own.
  await startScript<never, Outcome>(script, { unpdf, bytes: new Uint8Array(bytes) }, (message) => {
    outcome = message;
  }).finished;
  const settled = outcome as Outcome;
  if (settled.ok) return settled.pages;
  throw Object.assign(new Error(settled.message), { name: settled.name });
}
