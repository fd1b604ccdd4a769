/**
 * The core composition root: builds every service from plain options. Electron's main process and the
 * browser-mode web host both call this; neither adds behaviour of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, isAppError } from '../../src-shared/errors';
import type { Result } from '../../src-shared/rpc';
import type { AppInfo, HostKind, StoreStatus } from '../../src-shared/types';
import { AnswerService } from './answers/answer-service';
import { answerHandlers } from './answers/handlers';
import { ChatService } from './chat/chat-service';
import { chatHandlers } from './chat/handlers';
import { diagnosticsHandlers } from './diagnostics/handlers';
import { Diagnostics } from './diagnostics/diagnostics';
import { engineHandlers } from './engine/handlers';
import { EngineClient, type EngineClientOptions } from './engine/process/engine-client';
import type { LaunchEngine } from './engine/process/launch';
import { FlashcardService } from './flashcards/flashcard-service';
import { flashcardHandlers } from './flashcards/handlers';
import { huggingFaceEndpoint, loadCatalog } from './models/catalog';
import { modelHandlers } from './models/handlers';
import { notesHandlers } from './notes/handlers';
import { NotesFeature } from './notes/notes-feature';
import { defaultRoots } from './files/user-paths';
import { ModelsService, type DesktopActions, type ModelsServiceOptions } from './models/models-service';
import { EventBus } from './event-bus';
import type { Logger } from './log';
import { RpcServer, type Handlers } from './rpc/rpc-server';
import { SettingsService } from './settings/settings-service';
import { storeHandlers } from './store/handlers';
import { sqliteVersion } from './store/sqlite';
import { translateSqliteError } from './store/sqlite-errors';
import { databaseFileName, Store } from './store/store';
import { tutorHandlers } from './tutor/handlers';
import { MistakeService } from './tutor/mistake-service';
import { loadProblemBank } from './tutor/problem-bank';
import { PromptLibrary } from './tutor/prompts';
import { TutorService } from './tutor/tutor-service';

export interface CoreOptions {
  host: HostKind;
  appVersion: string;
  dataDir: string;
  /** better-sqlite3 binary for this runtime; undefined uses the one npm built for Node. */
  sqliteBinding?: string | undefined;
  log: Logger;
  /** The file `log` writes to (see configureLogFile); null or undefined when it logs to stderr only. */
  logFile?: string | null | undefined;
  /** Starts the engine process, where llama.cpp runs (see engine/process/launch.ts). */
  launchEngine: LaunchEngine;
  /** Test seams for the engine's crash recovery (hang timeout, restart pauses). */
  engineRecovery?:
    Pick<EngineClientOptions, 'hangTimeoutMs' | 'restartDelaysMs' | 'crashWindowMs'> | undefined;
  /** Runtime assets: prompts, the problem bank, the model catalog. */
  resourcesDir: string;
  /** Serves the methods only tests call (see testSurfaceMethods); never on in a packaged app. */
  testSurface?: boolean | undefined;
  /** Native dialogs and the file manager (the desktop app only). */
  desktop?: DesktopActions | undefined;
  /** Test seams for downloads (see ModelsServiceOptions). */
  downloads?: Pick<ModelsServiceOptions, 'freeSpace' | 'dispatcher' | 'retryDelaysMs'> | undefined;
  /**
   * Opens a link in the system browser after the person confirms it, in a dialog the page cannot fake
   * (the desktop app). Without it (browser mode), the page opens links itself.
   */
  openExternal?: ((url: string) => Promise<boolean>) | undefined;
}

export interface Core {
  bus: EventBus;
  rpc: RpcServer;
  engine: EngineClient;
  /** Null when the history database could not be opened; storeStatus says why. */
  store: Store | null;
  storeStatus: StoreStatus;
  answers: AnswerService | null;
  chat: ChatService | null;
  models: ModelsService | null;
  tutor: TutorService | null;
  mistakes: MistakeService | null;
  notes: NotesFeature | null;
  flashcards: FlashcardService | null;
  /** Resolves once startup work (downloads to resume, the models folder, the default model) has begun. */
  ready: Promise<void>;
  /** Saves what is streaming (marked interrupted) and releases everything. */
  dispose(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const bus = new EventBus();
  const diagnostics = new Diagnostics(bus);
  const sqlite = sqliteVersion(options.sqliteBinding);
  const { store, status: storeStatus } = openStore(path.join(options.dataDir, databaseFileName), options);
  const settings = store ? new SettingsService(store, bus) : null;
  const engine = new EngineClient({
    bus,
    log: options.log,
    launch: options.launchEngine,
    // The backend the default model will load with, so llama.cpp starts once.
    gpu: settings?.get().gpu,
    ...options.engineRecovery,
  });
  const answers = store ? new AnswerService({ store, engine, bus, log: options.log }) : null;
  const chat =
    store && settings && answers
      ? new ChatService({ store, engine, answers, defaults: () => settings.chatDefaults() })
      : null;

  const bank = loadProblemBank(path.join(options.resourcesDir, 'problems'));
  const prompts = PromptLibrary.load(options.resourcesDir);
  const tutor = store && chat ? new TutorService({ store, chat, bank, prompts }) : null;
  const mistakes =
    store && answers ? new MistakeService({ store, engine, answers, bank, prompts, bus }) : null;
  const notes =
    store && chat
      ? new NotesFeature({
          store,
          bus,
          log: options.log,
          embeddings: engine.embeddings,
          engine,
          chat,
          roots: defaultRoots(options.dataDir),
          desktop: options.desktop,
        })
      : null;
  const flashcards = store && answers ? new FlashcardService({ store, engine, answers, bus }) : null;

  const unavailable = () =>
    new AppError(
      'unavailable',
      `History is unavailable: ${storeStatus.error?.message ?? 'the database did not open'}`,
    );
  /** A service that exists only with the history database: its getter throws `unavailable` without it. */
  const required =
    <T>(service: T | null) =>
    (): T => {
      if (!service) throw unavailable();
      return service;
    };
  const requireStore = required(store);
  const models =
    store && settings
      ? new ModelsService({
          store,
          engine,
          estimateFit: (file, fit) => engine.estimateFit(file, fit),
          settings,
          bus,
          log: options.log,
          dataDir: options.dataDir,
          catalog: loadCatalog(options.resourcesDir),
          endpoint: huggingFaceEndpoint(),
          desktop: options.desktop,
          ...options.downloads,
        })
      : null;
  const requireModels = required(models);
  const requireSettings = required(settings);
  const requireAnswers = required(answers);
  const requireChat = required(chat);
  const requireTutor = required(tutor);
  const requireMistakes = required(mistakes);
  const requireNotes = required(notes);
  const requireFlashcards = required(flashcards);

  const appInfo = (): AppInfo => ({
    name: 'Phidesk',
    version: options.appVersion,
    host: options.host,
    platform: process.platform,
    arch: os.arch(),
    dataDir: options.dataDir,
    logFile: options.logFile ?? null,
    versions: { node: process.versions.node, electron: process.versions.electron ?? null, sqlite },
    llama: engine.runtime,
  });

  const handlers: Handlers = {
    'app.info': appInfo,
    'store.status': () => storeStatus,
    'settings.get': () => requireSettings().get(),
    'settings.update': (patch) => requireSettings().update(patch),
    'app.openExternal': async ({ url }) =>
      options.openExternal
        ? { handledBy: 'desktop', opened: await options.openExternal(url) }
        : { handledBy: 'renderer', opened: false },
    'app.revealLog': () => revealLog(options),
    ...diagnosticsHandlers(diagnostics),
    ...engineHandlers(engine),
    ...answerHandlers(requireAnswers),
    ...chatHandlers(requireChat, requireStore),
    ...storeHandlers(requireStore, bus, options.dataDir, {
      before: async () => {
        await answers?.settle();
        await notes?.pause();
      },
      after: () => notes?.start(),
    }),
    ...modelHandlers(requireModels),
    ...tutorHandlers(bank, requireTutor, requireMistakes),
    ...notesHandlers(requireNotes),
    ...flashcardHandlers(requireFlashcards),
  };
  const rpc = new RpcServer(handlers, bus, {
    onInternalError: (error, method) => options.log.error(`${method} failed`, error),
    translate: translateSqliteError,
    logFile: options.logFile ?? null,
    testSurface: options.testSurface ?? false,
  });

  notes?.start();
  // A restarted engine process has the embedding model back: the index goes on where it stopped.
  engine.onEmbeddingsLoaded(() => notes?.indexer.kick());
  // The notes index embeds with the catalog's embedding model once it is in the models folder.
  const useEmbeddings = () => {
    const file = models?.installedEmbeddingModel();
    if (file && notes) {
      notes
        .useEmbeddings(file)
        .catch((error: unknown) => options.log.warn('No embedding model for notes', error));
    }
  };
  bus.subscribe((name) => {
    if (name === 'downloads.changed') useEmbeddings();
  });
  const ready = (
    models?.start().catch((error: unknown) => options.log.error('Could not prepare the models', error)) ??
    Promise.resolve()
  ).then(useEmbeddings);

  return {
    bus,
    rpc,
    engine,
    store,
    storeStatus,
    answers,
    chat,
    models,
    tutor,
    mistakes,
    notes,
    flashcards,
    ready,
    async dispose() {
      answers?.shutdown();
      await notes?.dispose();
      models?.downloads.dispose();
      diagnostics.dispose();
      await engine.dispose();
      store?.close();
    },
  };
}

/** Opens the log's folder in the file manager (desktop); browser mode has none, so the page shows the path. */
function revealLog(options: CoreOptions): Result<'app.revealLog'> {
  const file = options.logFile;
  if (!file) throw new AppError('unavailable', 'This run writes its log to stderr only, not to a file.');
  const folder = path.dirname(file);
  if (!options.desktop) return { handledBy: 'renderer', folder, file };
  options.desktop.openFolder(folder);
  return { handledBy: 'desktop', folder, file };
}

function openStore(file: string, options: CoreOptions): { store: Store | null; status: StoreStatus } {
  try {
    const store = Store.open(file, options.sqliteBinding);
    if (store.status.recovered) {
      options.log.warn(`The history database was damaged and moved to ${store.status.recovered.movedTo}`);
    }
    return { store, status: store.status };
  } catch (error) {
    options.log.error('Could not open the history database', error);
    const wire = isAppError(error)
      ? error.toWire()
      : { code: 'internal' as const, message: error instanceof Error ? error.message : String(error) };
    return { store: null, status: { path: file, state: 'failed', error: wire, interruptedAnswers: 0 } };
  }
}
