/**
 * Parses an export's JSON text on a worker thread, since a large one takes longer than the main loop may
 * be held. Both ways, the data crosses in small pieces, each copied in a moment: the text in slices, then
 * the envelope, then the messages a batch at a time, the next batch only once the last one is taken in.
 * Nothing is checked here but the nesting; the schemas run on the main thread, one step at a time.
 */
import { AppError } from '../../../src-shared/errors';
import { startScript } from '../workers/script-worker';

export interface ParsedExport {
  /** The parsed value with an empty message list (or the whole value, when it has no message list). */
  envelope: unknown;
  messages: unknown[];
}

type ToWorker = { kind: 'text'; text: string } | { kind: 'parse' } | { kind: 'more' };
type FromWorker =
  | { kind: 'envelope'; envelope: unknown }
  | { kind: 'messages'; messages: unknown[] }
  | { kind: 'failed'; reason: 'not_json' | 'too_deep' };

// Plain JavaScript, evaluated in the worker.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const slices = [];
let messages = [];
let next = 0;
parentPort.on('message', (message) => {
  if (message.kind === 'text') slices.push(message.text);
  else if (message.kind === 'parse') parse(slices.join(''));
  else sendBatch();
});
function sendBatch() {
  if (next >= messages.length) return process.exit(0);
  parentPort.postMessage({ kind: 'messages', messages: messages.slice(next, next + workerData.batch) });
  next += workerData.batch;
}
function parse(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    parentPort.postMessage({ kind: 'failed', reason: 'not_json' });
    return process.exit(0);
  }
  // A hostile file may nest a million levels: measured without recursion, refused before it is copied.
  const pending = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop();
    if (current === null || typeof current !== 'object') continue;
    if (depth >= workerData.maxNesting) {
      parentPort.postMessage({ kind: 'failed', reason: 'too_deep' });
      return process.exit(0);
    }
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  const hasList = value !== null && typeof value === 'object' && Array.isArray(value.messages);
  messages = hasList ? value.messages : [];
  parentPort.postMessage({ kind: 'envelope', envelope: hasList ? { ...value, messages: [] } : value });
  sendBatch();
}
`;

/** Characters of the text sent to the worker at a time. */
const sliceChars = 256 * 1024;

export async function parseExport(text: string, maxNesting: number, batch: number): Promise<ParsedExport> {
  const parsed: ParsedExport = { envelope: undefined, messages: [] };
  let failed: 'not_json' | 'too_deep' | null = null;
  const worker = startScript<ToWorker, FromWorker>(workerSource, { maxNesting, batch }, (message) => {
    if (message.kind === 'failed') failed = message.reason;
    else if (message.kind === 'envelope') parsed.envelope = message.envelope;
    else {
      parsed.messages.push(...message.messages);
      setImmediate(() => worker.post({ kind: 'more' }));
    }
  });
  for (let from = 0; from < text.length; from += sliceChars) {
    worker.post({ kind: 'text', text: text.slice(from, from + sliceChars) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  worker.post({ kind: 'parse' });
  await worker.finished;
  if (failed !== null) {
    throw new AppError(
      'invalid_input',
      failed === 'not_json'
        ? 'The file is not JSON.'
        : 'Not a Phidesk conversation export: it is nested far too deeply.',
    );
  }
  return parsed;
}
