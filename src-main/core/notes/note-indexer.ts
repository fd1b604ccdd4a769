/**
 * The notes index as a background job: notes whose revision the index has not read are chunked (keyword
 * search has them at once), then chunks without a vector of the current embedding model are embedded in
 * small batches (semantic search joins as they are written). What is left to do is read from the database
 * each time, so the job resumes after a restart exactly where it stopped, and an edit re-indexes one note.
 * It yields to the event loop between notes and batches; pausing (the user's Cancel) is remembered.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import type { NotesIndexStatus } from '../../../src-shared/notes';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';
import type { ChunkToSave, StoredChunk } from '../store/note-chunks';
import type { NoteToIndex } from '../store/notes';
import type { Store } from '../store/store';
import { chunkNote } from './chunk-note';
import { vectorFromBlob, vectorToBlob, type VectorIndex } from './vector-index';

/** The embedding model as the index needs it (see embedder.ts). */
export interface NoteEmbeddings {
  readonly loaded: { modelId: string; dimensions: number } | null;
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export interface NoteIndexerOptions {
  store: Store;
  bus: EventBus;
  log: Logger;
  embeddings: NoteEmbeddings;
  /** A vector index for the loaded model's dimensions. */
  createVectors: (dimensions: number) => VectorIndex;
}

const pausedKey = 'notes.indexPaused';
/** Chunks embedded per transaction: small enough that a new edit waits little. */
const embedBatch = 16;
/** Progress events at most this often. */
const progressIntervalMs = 250;
/** Notes indexed in one transaction, and how long one may hold the event loop. */
const notesPerBatch = 50;
const batchMs = 20;

export class NoteIndexer {
  #options: NoteIndexerOptions;
  #run: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #controller = new AbortController();
  #current: NotesIndexStatus['current'] = null;
  #importing: NotesIndexStatus['import'] = null;
  #lastEmit = 0;
  /** The loaded model's vectors, read from the database when first needed; null until then. */
  #vectors: { model: string; index: VectorIndex } | null = null;

  constructor(options: NoteIndexerOptions) {
    this.#options = options;
  }

  get paused(): boolean {
    return this.#options.store.settings.get(pausedKey, z.boolean()) ?? false;
  }

  /** Nothing is left to index or embed (so a search reads every note, by words and by meaning). */
  get upToDate(): boolean {
    return this.#run === null && !this.paused && this.#options.store.notes.nextToIndex() === null;
  }

  status(): NotesIndexStatus {
    const { store, embeddings } = this.#options;
    const notes = store.notes.indexCounts();
    const model = embeddings.loaded?.modelId;
    const chunks = store.noteChunks.liveCount();
    const state = this.paused ? 'paused' : this.#run ? 'indexing' : 'idle';
    return {
      state,
      notes,
      chunks,
      embeddings: model ? { model, total: chunks, embedded: store.noteChunks.embeddedCount(model) } : null,
      current: state === 'indexing' ? this.#current : null,
      import: this.#importing,
    };
  }

  /** Something changed (a note saved, imported, deleted; a model loaded): index soon. */
  kick(): void {
    if (this.#stopped || this.paused) return this.#emit(true);
    if (this.#run) {
      this.#again = true;
      return;
    }
    this.#run = this.#work()
      .catch((error: unknown) => this.#options.log.error('The notes index stopped', error))
      .finally(() => {
        this.#run = null;
        this.#current = null;
        this.#emit(true);
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.kick();
        }
      });
    this.#emit(true);
  }

  /** Cancel (pause) or resume; a paused index stays paused across restarts. */
  setPaused(paused: boolean): NotesIndexStatus {
    this.#options.store.settings.set(pausedKey, paused);
    if (paused) this.#interrupt();
    else this.kick();
    this.#emit(true);
    return this.status();
  }

  /** An import reports its progress through the index's status, so the view shows one line. */
  setImportProgress(progress: NotesIndexStatus['import']): void {
    this.#importing = progress;
    this.#emit(progress === null);
  }

  /** Resolves once the index has nothing left to do (or is paused); for tests and the command line. */
  async settled(): Promise<void> {
    while (this.#run) await this.#run;
  }

  /** Stops the job (shutdown, or before a restore swaps the database); `kick` starts it again. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#interrupt();
    await this.settled();
    this.#stopped = false;
  }

  /** The vectors in memory are of the loaded model and of this database: read them again after a change. */
  reloadVectors(): void {
    this.#vectors = null;
  }

  /** The vector index, loaded from the database for the current model if it is not yet. */
  vectorIndex(): VectorIndex | null {
    const loaded = this.#options.embeddings.loaded;
    if (!loaded) return null;
    if (this.#vectors?.model !== loaded.modelId)
      this.#vectors = this.#loadVectors(loaded.modelId, loaded.dimensions);
    return this.#vectors.index;
  }

  #interrupt(): void {
    this.#controller.abort();
    this.#controller = new AbortController();
  }

  async #work(): Promise<void> {
    const signal = this.#controller.signal;
    for (;;) {
      if (signal.aborted || this.paused) return;
      if (this.#indexSome()) {
        this.#emit(false);
        await nextTurn();
        continue;
      }
      if (!(await this.#embedSome(signal))) return;
    }
  }

  /**
   * Chunks a few notes in one transaction; false when none is left. The index can always be rebuilt from
   * the notes, so it is written without waiting for the disk (a power cut may lose the last batches, whose
   * notes are then indexed again), which makes a large import's index many times faster.
   */
  #indexSome(): boolean {
    const { store } = this.#options;
    const started = performance.now();
    let indexed = 0;
    store.stagingTransaction(() => {
      for (;;) {
        const note = store.notes.nextToIndex();
        if (!note) return;
        this.#indexNote(note);
        indexed++;
        if (indexed >= notesPerBatch || performance.now() - started > batchMs) return;
      }
    });
    return indexed > 0;
  }

  #indexNote(note: NoteToIndex): void {
    const { store } = this.#options;
    this.#current = { noteId: note.id, title: note.title };
    const chunks: ChunkToSave[] = chunkNote(note.body).map((chunk) => ({
      ...chunk,
      pageStart: pageOf(chunk.lineStart, note.pageLines),
      pageEnd: pageOf(chunk.lineEnd, note.pageLines),
    }));
    const removed = store.noteChunks.replace(note.id, chunks);
    store.notes.markIndexed(note.id, note.revision);
    for (const id of removed) this.#vectors?.index.delete(id);
  }

  /** Embeds one batch; false when there is nothing (or no model) to embed. */
  async #embedSome(signal: AbortSignal): Promise<boolean> {
    const { store, embeddings } = this.#options;
    const loaded = embeddings.loaded;
    if (!loaded) return false;
    const index = this.vectorIndex();
    const batch = store.noteChunks.unembedded(loaded.modelId, embedBatch);
    if (batch.length === 0 || !index) return false;
    this.#current = { noteId: batch[0]!.noteId, title: batch[0]!.title };
    const vectors = await embeddings.embed(batch.map(embeddingText), signal);
    if (signal.aborted || embeddings.loaded?.modelId !== loaded.modelId) return false;
    const rows = batch.map((chunk, i) => ({ chunkId: chunk.id, vector: vectorToBlob(vectors[i]!) }));
    store.noteChunks.saveVectors(loaded.modelId, rows);
    batch.forEach((chunk, i) => index.set(chunk.id, vectors[i]!));
    this.#emit(false);
    return true;
  }

  #loadVectors(model: string, dimensions: number): { model: string; index: VectorIndex } {
    const { store, log } = this.#options;
    const vectors = this.#options.createVectors(dimensions);
    let damaged = 0;
    for (const { chunkId, vector } of store.noteChunks.vectors(model)) {
      const read = vectorFromBlob(vector, dimensions);
      if (read) vectors.set(chunkId, read);
      else damaged++;
    }
    // A damaged vector is left out of search; its chunk is embedded again when its note next changes.
    if (damaged > 0) log.warn(`${damaged} stored note vectors had the wrong size and were skipped`);
    return { model, index: vectors };
  }

  #emit(force: boolean): void {
    const now = Date.now();
    if (!force && now - this.#lastEmit < progressIntervalMs) return;
    this.#lastEmit = now;
    this.#options.bus.emit('notes.index', this.status());
  }
}

/** What a chunk is embedded as: where it sits, then its text. */
export function embeddingText(chunk: StoredChunk): string {
  const place = [chunk.title, ...chunk.headingPath].filter(Boolean).join(' › ');
  return place ? `${place}\n\n${chunk.text}` : chunk.text;
}

/** The 1-based page a body line is on, from the lines the pages start on; null for a note without pages. */
export function pageOf(line: number, pageLines: readonly number[] | null): number | null {
  if (!pageLines || pageLines.length === 0) return null;
  let page = 1;
  for (let i = 0; i < pageLines.length; i++) if (pageLines[i]! <= line) page = i + 1;
  return page;
}
