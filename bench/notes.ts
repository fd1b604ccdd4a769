/**
 * npm run bench:notes — the notes index at scale, on a real SQLite file and the real node-llama-cpp:
 *   1. 2,000 generated notes (about 5 MB of Markdown) indexed for keyword search only, then embedded with
 *      the generated test model at one thread: chunks per second for each.
 *   2. Retrieval at 50,000 chunks (keyword FTS5 + 384-dimension vector search + fusion + reading the
 *      chunks), p50 / p95 over 20 questions, target p95 < 50 ms; the query's own embedding is timed apart,
 *      as bge-small's cost differs from the test model's. Vectors here are random unit vectors of
 *      bge-small's size (the test model has 64 dimensions), so the search does bge-small's work.
 *   3. The memory of the vector store at 50,000 × 384.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureTestModel } from '../scripts/test-model/ensure-test-model';
import { LlamaRuntime } from '../src-main/core/engine/llama-runtime';
import { EventBus } from '../src-main/core/event-bus';
import { createLogger } from '../src-main/core/log';
import { Embedder } from '../src-main/core/engine/embedder';
import { NoteIndexer, type NoteEmbeddings } from '../src-main/core/notes/note-indexer';
import { NoteSearch } from '../src-main/core/notes/note-search';
import { BruteForceVectorIndex } from '../src-main/core/notes/vector-index';
import { seededRandom } from '../src-main/core/seeded-random';
import { databaseFileName, Store } from '../src-main/core/store/store';
import { sentence } from './physics-text';
import { median, percentile, verdict } from './support';

const log = createLogger('bench', 'error');
const next = seededRandom(7);

/** A note of about 2.5 KB: a title, three sections of a few paragraphs. */
function generatedNote(i: number): { title: string; body: string } {
  const sections = Array.from({ length: 3 }, (_, s) => {
    const paragraphs = Array.from({ length: 2 }, () =>
      Array.from({ length: 4 }, () => sentence(next, 12 + Math.floor(next() * 10))).join(' '),
    );
    return `## Section ${s + 1}\n\n${paragraphs.join('\n\n')}`;
  });
  return { title: `Lecture ${i}`, body: `# Lecture ${i}\n\n${sections.join('\n\n')}\n` };
}

function openStore(): Store {
  return Store.open(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-bench-notes-')), databaseFileName),
  );
}

function addNotes(store: Store, count: number): number {
  let bytes = 0;
  store.stagingTransaction(() => {
    for (let i = 0; i < count; i++) {
      const note = generatedNote(i);
      bytes += Buffer.byteLength(note.body);
      store.notes.create({ ...note, tags: [], folder: `Course ${i % 10}` });
    }
  });
  return bytes;
}

const noEmbeddings: NoteEmbeddings = { loaded: null, embed: () => Promise.resolve([]) };

function indexer(store: Store, embeddings: NoteEmbeddings, dimensions?: number): NoteIndexer {
  return new NoteIndexer({
    store,
    bus: new EventBus(),
    log,
    embeddings,
    createVectors: (d) => new BruteForceVectorIndex(dimensions ?? d),
  });
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function indexingThroughput(): Promise<void> {
  const store = openStore();
  const bytes = addNotes(store, 2000);
  const keywordOnly = indexer(store, noEmbeddings);
  const keywordMs = await timed(async () => {
    keywordOnly.kick();
    await keywordOnly.settled();
  });
  const chunks = store.noteChunks.count();
  console.log(
    `Indexing 2,000 notes (${(bytes / 1024 / 1024).toFixed(1)} MB, ${chunks.toLocaleString('en')} chunks):`,
  );
  console.log(`  keyword only      ${(chunks / (keywordMs / 1000)).toFixed(0).padStart(7)} chunks/s`);

  const runtime = new LlamaRuntime(new EventBus(), 'cpu');
  const embedder = new Embedder({ runtime, log, threads: 1 });
  await embedder.load(ensureTestModel({}));
  const embedding = indexer(store, embedder);
  const embedMs = await timed(async () => {
    embedding.kick();
    await embedding.settled();
  });
  const embedded = store.noteChunks.embeddedCount(embedder.loaded!.modelId);
  console.log(
    `  embeddings        ${(embedded / (embedMs / 1000)).toFixed(0).padStart(7)} chunks/s ` +
      `(test model, ${embedder.loaded!.dimensions} dimensions, 1 thread)`,
  );
  const queryTimes: number[] = [];
  for (let i = 0; i < 20; i++)
    queryTimes.push(await timed(async () => void (await embedder.embed([sentence(next, 8)]))));
  const queryMs = median(queryTimes);
  console.log(`  one query's embedding: ${queryMs.toFixed(1)} ms (median, test model)`);
  await embedder.dispose();
  await runtime.dispose();
  store.close();
}

function randomUnitVector(dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    vector[i] = next() * 2 - 1;
    norm += vector[i]! * vector[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
  return vector;
}

async function retrievalAtScale(): Promise<void> {
  const dimensions = 384;
  const store = openStore();
  // About three chunks per note: 16,700 notes give 50,000 chunks.
  addNotes(store, 16_700);
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
  const queryVectors = Array.from({ length: 20 }, () => randomUnitVector(dimensions));
  let asked = 0;
  const embeddings: NoteEmbeddings = {
    loaded: { modelId: 'bench-384', dimensions },
    embed: (texts) => Promise.resolve(texts.map(() => queryVectors[asked++ % queryVectors.length]!)),
  };
  const keywordOnly = indexer(store, noEmbeddings);
  keywordOnly.kick();
  await keywordOnly.settled();
  const chunks = store.noteChunks.count();
  const withVectors = indexer(store, embeddings);
  const index = withVectors.vectorIndex()!;
  for (const chunk of store.noteChunks.unembedded('bench-384', chunks))
    index.set(chunk.id, randomUnitVector(dimensions));
  const vectorBytes = process.memoryUsage().arrayBuffers - arrayBuffersBefore;

  const search = new NoteSearch({ store, indexer: withVectors, embeddings });
  const questions = Array.from({ length: 20 }, () => sentence(next, 6 + Math.floor(next() * 8)));
  for (const question of questions.slice(0, 3)) await search.search(question, { limit: 8 });
  const times: number[] = [];
  for (const question of questions)
    times.push(await timed(async () => void (await search.search(question, { limit: 8 }))));
  const p95 = percentile(times, 95);
  console.log(
    `\nRetrieval at ${chunks.toLocaleString('en')} chunks (keyword + ${dimensions}-dimension vectors, fused):`,
  );
  console.log(
    `  p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms — target p95 < 50 ms: ${verdict(p95 < 50)}`,
  );
  console.log(
    `  vector store: ${(vectorBytes / 1024 / 1024).toFixed(1)} MB for ${index.size.toLocaleString('en')} vectors ` +
      `(${((index.size * dimensions * 4) / 1024 / 1024).toFixed(1)} MB of floats)`,
  );
  store.close();
}

await indexingThroughput();
await retrievalAtScale();
