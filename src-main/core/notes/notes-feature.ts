/**
 * The notes assistant's parts, built once and wired together: the store's notes, the index job, the
 * embedding model and its vectors, retrieval, and the answers drawn from notes.
 */
import type { ChatService } from '../chat/chat-service';
import type { Embeddings } from '../engine/embeddings';
import type { Engine } from '../engine/engine';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';
import type { DesktopActions } from '../models/models-service';
import type { Store } from '../store/store';
import { NoteIndexer } from './note-indexer';
import { NoteSearch } from './note-search';
import { NotesAnswers } from './notes-answers';
import { NotesService } from './notes-service';
import { BruteForceVectorIndex } from './vector-index';

export interface NotesFeatureOptions {
  store: Store;
  bus: EventBus;
  log: Logger;
  /** The embedding model (in the engine process in the app). */
  embeddings: Embeddings;
  engine: Engine;
  chat: ChatService;
  roots: readonly string[];
  desktop?: Pick<DesktopActions, 'chooseNoteFiles'> | undefined;
}

export class NotesFeature {
  readonly store: Store;
  readonly embedder: Embeddings;
  readonly indexer: NoteIndexer;
  readonly search: NoteSearch;
  readonly service: NotesService;
  readonly answers: NotesAnswers;
  readonly desktop: Pick<DesktopActions, 'chooseNoteFiles'> | undefined;
  #loadingEmbeddings: string | null = null;

  constructor(options: NotesFeatureOptions) {
    const { store, bus, log } = options;
    this.store = store;
    this.desktop = options.desktop;
    this.embedder = options.embeddings;
    this.indexer = new NoteIndexer({
      store,
      bus,
      log,
      embeddings: this.embedder,
      createVectors: (dimensions) => new BruteForceVectorIndex(dimensions),
    });
    this.search = new NoteSearch({ store, indexer: this.indexer, embeddings: this.embedder });
    this.service = new NotesService({ store, bus, indexer: this.indexer, roots: options.roots });
    this.answers = new NotesAnswers({
      store,
      engine: options.engine,
      chat: options.chat,
      search: this.search,
    });
  }

  /** Picks up what the last run left unindexed. */
  start(): void {
    this.indexer.kick();
  }

  /** Loads the embedding model at `modelPath` unless it is the one loaded already. */
  async useEmbeddings(modelPath: string): Promise<void> {
    if (this.embedder.loaded?.path === modelPath || this.#loadingEmbeddings === modelPath) return;
    this.#loadingEmbeddings = modelPath;
    try {
      await this.loadEmbeddings(modelPath);
    } finally {
      this.#loadingEmbeddings = null;
    }
  }

  /** Loads an embedding model; the index then embeds every chunk that has no vector of it. */
  async loadEmbeddings(modelPath: string): Promise<void> {
    await this.indexer.stop();
    await this.embedder.load(modelPath);
    this.indexer.reloadVectors();
    this.indexer.kick();
  }

  /** Before a restore swaps the database: the job stops, and the vectors in memory are of the old one. */
  async pause(): Promise<void> {
    await this.indexer.stop();
    this.indexer.reloadVectors();
  }

  async dispose(): Promise<void> {
    await this.indexer.stop();
    await this.embedder.dispose();
  }
}
