/**
 * The models Phidesk knows: downloaded from the catalog, imported from disk (in place or copied), or found
 * in its models folder. Loads them with the performance settings, remembers the default, and loads that one
 * in the background at startup.
 *
 * The catalog's embedding model (for the notes index) is downloaded like the others but is not a chat
 * model: it is never registered in the list of models, made the default or loaded into the engine; the
 * notes index finds it with `installedEmbeddingModel()`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/format';
import type {
  CatalogItem,
  FitEstimate,
  InstalledModel,
  LoadedModel,
  RegisteredModel,
} from '../../../src-shared/types';
import type { Engine } from '../engine/engine';
import type { EventBus } from '../event-bus';
import { defaultRoots, resolveUserPath } from '../files/user-paths';
import type { Logger } from '../log';
import type { SettingsService } from '../settings/settings-service';
import type { Store } from '../store/store';
import { downloadUrl, fileListingUrl, type Catalog, type CatalogModel } from './catalog';
import { checkModelFile } from '../gguf/check-model-file';
import { Downloader } from './downloader';
import type { FitOptions } from './fit-estimate';

/** What only the desktop app can do: native dialogs and the file manager. */
export interface DesktopActions {
  reveal(file: string): void;
  openFolder(folder: string): void;
  chooseModelFile(): Promise<string | null>;
  /** Files to import as notes, or one folder; empty when cancelled. */
  chooseNoteFiles(folder: boolean): Promise<string[]>;
}

export interface ModelsServiceOptions {
  store: Store;
  engine: Engine;
  /** The fit estimate, made where llama.cpp runs (the engine process). */
  estimateFit(file: string, options: FitOptions): Promise<FitEstimate>;
  settings: SettingsService;
  bus: EventBus;
  log: Logger;
  dataDir: string;
  catalog: Catalog;
  /** The Hugging Face server (see huggingFaceEndpoint). */
  endpoint: string;
  desktop?: DesktopActions | undefined;
  /** Seams for the download tests: disk space, network dispatcher, retry pacing. */
  freeSpace?: (folder: string) => Promise<number>;
  dispatcher?: Dispatcher;
  retryDelaysMs?: readonly number[];
}

const tokenKey = 'huggingface.token';

export class ModelsService {
  readonly folder: string;
  readonly downloads: Downloader;
  #options: ModelsServiceOptions;

  constructor(options: ModelsServiceOptions) {
    this.#options = options;
    this.folder = path.join(options.dataDir, 'models');
    this.downloads = new Downloader({
      modelsDir: this.folder,
      bus: options.bus,
      log: options.log,
      onComplete: async (file, sha256) => {
        if (this.#embeddingEntry(file)) this.#changed();
        else await this.#register(file, 'download', sha256);
      },
      token: () => this.#token(),
      ...(options.freeSpace ? { freeSpace: options.freeSpace } : {}),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.retryDelaysMs ? { retryDelaysMs: options.retryDelaysMs } : {}),
    });
  }

  /** At startup: downloads left paused, models dropped into the folder, and the default model (in the background). */
  async start(): Promise<void> {
    this.downloads.restore();
    await this.scanFolder();
    const preferred = this.#options.settings.get().defaultModel;
    if (preferred && fs.existsSync(preferred) && !this.#embeddingEntry(preferred)) {
      this.load(preferred).catch((error: unknown) =>
        this.#options.log.warn(`Could not load the default model ${preferred}`, error),
      );
    }
  }

  /** Registers valid .gguf files found in the models folder; symlinks leading outside the usual places are skipped (S4). */
  async scanFolder(): Promise<void> {
    for (const name of fs.readdirSync(this.folder)) {
      if (!name.endsWith('.gguf')) continue;
      const file = path.join(this.folder, name);
      if (this.#embeddingEntry(file)) continue;
      if (this.#options.store.models.byPath(file)) continue;
      try {
        const real = resolveUserPath(file, { roots: this.#roots(), mode: 'file', extensions: ['.gguf'] });
        if (real !== file)
          throw new AppError('invalid_input', `${name} is a link to ${real}; import that file instead.`);
        await this.#register(file, 'folder', null);
      } catch (error) {
        this.#options.log.warn(`Skipping ${name} in the models folder: ${(error as Error).message}`);
      }
    }
  }

  catalog(): CatalogItem[] {
    const installed = new Map(
      this.#options.store.models.list().map((model) => [path.basename(model.path), model.path]),
    );
    const ram = { total: os.totalmem(), free: os.freemem() };
    return this.#options.catalog.models.map((model) => {
      // Where it comes from is in its URL; the renderer needs no more of it.
      const { repository: _repository, revision: _revision, ...entry } = model;
      return {
        ...entry,
        url: downloadUrl(model, this.#options.endpoint),
        installedPath:
          model.purpose === 'embedding'
            ? this.installedEmbeddingModel(model.id)
            : (installed.get(model.file) ?? null),
        fit: catalogFit(model.ramBytes, ram),
      };
    });
  }

  /** The catalog's embedding model (the first, or the one with this id) if its file is in the models folder. */
  installedEmbeddingModel(catalogId?: string): string | null {
    const entry = this.#options.catalog.models.find(
      (candidate) =>
        candidate.purpose === 'embedding' && (catalogId === undefined || candidate.id === catalogId),
    );
    const file = entry && path.join(this.folder, entry.file);
    return file && fs.existsSync(file) ? file : null;
  }

  list(): { models: InstalledModel[]; folder: string } {
    const settings = this.#options.settings.get();
    const loaded = this.#options.engine.state.model?.file.path;
    return {
      folder: this.folder,
      models: this.#options.store.models.list().map((model) => ({
        ...model,
        exists: fs.existsSync(model.path),
        isDefault: settings.defaultModel === model.path,
        loaded: loaded === model.path,
        inModelsFolder: path.dirname(model.path) === this.folder,
      })),
    };
  }

  /** Adds a .gguf file from disk: checked first (M2–M4), then registered where it is or copied in. */
  async import(given: string, copy: boolean): Promise<InstalledModel> {
    const source = resolveUserPath(given, { roots: 'anywhere', mode: 'file', extensions: ['.gguf'] });
    await checkModelFile(source);
    let file = source;
    if (copy && path.dirname(source) !== this.folder) {
      file = uniqueName(path.join(this.folder, path.basename(source)));
      const partial = `${file}.part`;
      await fs.promises.copyFile(source, partial);
      await fs.promises.rename(partial, file);
    }
    const model = await this.#register(file, copy ? 'download' : 'import', null);
    return this.list().models.find((candidate) => candidate.path === model.path)!;
  }

  /** Forgets a model; deletes the file only if it is Phidesk's own copy in the models folder. */
  async remove(file: string): Promise<{ removed: boolean; fileDeleted: boolean }> {
    const model = this.#options.store.models.byPath(file);
    if (!model) throw new AppError('not_found', `${file} is not in the list of models.`);
    if (this.#options.engine.state.model?.file.path === file) await this.#options.engine.unload();
    const inFolder = path.dirname(file) === this.folder;
    if (inFolder) fs.rmSync(file, { force: true });
    this.#options.store.models.remove(file);
    if (this.#options.settings.get().defaultModel === file)
      this.#options.settings.update({ defaultModel: null });
    this.#changed();
    return { removed: true, fileDeleted: inFolder };
  }

  /**
   * Loads a model with the performance settings (backend, threads, GPU layers, context). The path is held
   * to the same rules as an import (a .gguf file, through its links); the engine checks the file itself.
   */
  async load(given: string): Promise<LoadedModel> {
    const file = resolveUserPath(given, { roots: 'anywhere', mode: 'file', extensions: ['.gguf'] });
    const embedding = this.#embeddingEntry(file);
    if (embedding)
      throw new AppError(
        'invalid_input',
        `${embedding.name} is the embedding model for searching notes; it cannot answer in the chat.`,
      );
    const { gpu, gpuLayers, threads, contextSize } = this.#options.settings.get();
    const loaded = await this.#options.engine.load({
      path: file,
      gpu,
      gpuLayers,
      threads,
      contextSize,
      sequences: 2,
    });
    if (!this.#options.store.models.byPath(loaded.file.path))
      await this.#register(loaded.file.path, 'import', null);
    this.#options.store.models.markUsed(loaded.file.path);
    this.#changed();
    return loaded;
  }

  setDefault(file: string | null): { defaultModel: string | null } {
    if (file !== null && !this.#options.store.models.byPath(file)) {
      throw new AppError('not_found', `${file} is not in the list of models.`);
    }
    this.#options.settings.update({ defaultModel: file });
    this.#changed();
    return { defaultModel: file };
  }

  async fit(
    file: string,
    options: { contextSize?: number | undefined; gpuLayers?: number | undefined },
  ): Promise<FitEstimate> {
    const model = this.#options.store.models.byPath(file);
    if (!model) throw new AppError('not_found', `${file} is not in the list of models.`);
    return this.#options.estimateFit(file, options);
  }

  reveal(file: string | undefined): { handledBy: 'desktop' | 'renderer'; path: string } {
    const target = file ?? this.folder;
    if (file !== undefined && !this.#options.store.models.byPath(file))
      throw new AppError('not_found', `${file} is not in the list of models.`);
    const desktop = this.#options.desktop;
    if (!desktop) return { handledBy: 'renderer', path: target };
    if (file === undefined) desktop.openFolder(target);
    else desktop.reveal(target);
    return { handledBy: 'desktop', path: target };
  }

  async chooseFile(): Promise<{ handledBy: 'desktop'; path: string | null } | { handledBy: 'renderer' }> {
    const desktop = this.#options.desktop;
    return desktop
      ? { handledBy: 'desktop', path: await desktop.chooseModelFile() }
      : { handledBy: 'renderer' };
  }

  startDownload(catalogId: string) {
    const entry = this.#options.catalog.models.find((candidate) => candidate.id === catalogId);
    if (!entry) throw new AppError('not_found', `No model ${catalogId} in the catalog.`);
    const { endpoint } = this.#options;
    const known = entry.sizeExact && entry.sha256 !== null;
    return this.downloads.start({
      id: entry.id,
      name: entry.name,
      url: downloadUrl(entry, endpoint),
      fileName: entry.file,
      size: known ? entry.sizeBytes : null,
      sha256: known ? entry.sha256 : null,
      lookup: { url: fileListingUrl(entry, endpoint), path: entry.file },
    });
  }

  hasToken(): boolean {
    return this.#token() !== null;
  }

  setToken(token: string | null): { hasToken: boolean } {
    if (token) this.#options.store.settings.set(tokenKey, token);
    else this.#options.store.settings.delete(tokenKey);
    return { hasToken: this.hasToken() };
  }

  #token(): string | null {
    return this.#options.store.settings.get(tokenKey, z.string().min(1)) ?? null;
  }

  /** The catalog's embedding model this file is, if it is one (known by its file name, wherever it is). */
  #embeddingEntry(file: string): CatalogModel | undefined {
    const name = path.basename(file);
    return this.#options.catalog.models.find((entry) => entry.purpose === 'embedding' && entry.file === name);
  }

  #roots(): string[] {
    return [...defaultRoots(this.#options.dataDir), this.folder];
  }

  async #register(
    file: string,
    source: RegisteredModel['source'],
    sha256: string | null,
  ): Promise<RegisteredModel> {
    const info = await checkModelFile(file);
    const model = this.#options.store.models.register({
      path: info.path,
      name: info.name ?? path.basename(info.path, '.gguf'),
      quantization: info.quantization,
      sizeBytes: info.sizeBytes,
      sha256,
      source,
      architecture: info.architecture,
      contextLength: info.contextLength,
    });
    this.#changed();
    return model;
  }

  #changed(): void {
    this.#options.bus.emit('models.changed', {});
  }
}

/** Whether a catalog model fits this computer's memory, before anything is downloaded. */
export function catalogFit(ramBytes: number, ram: { total: number; free: number }): CatalogItem['fit'] {
  if (ramBytes > ram.total) {
    return {
      verdict: 'wont_fit',
      reason: `Needs ${formatBytes(ramBytes)} of memory; this computer has ${formatBytes(ram.total)}.`,
    };
  }
  if (ramBytes > ram.free) {
    return {
      verdict: 'may_be_slow',
      reason: `Needs ${formatBytes(ramBytes)}; ${formatBytes(ram.free)} is free now. Close other programs first.`,
    };
  }
  return {
    verdict: 'fits',
    reason: `Fits: needs about ${formatBytes(ramBytes)} of ${formatBytes(ram.total)}.`,
  };
}

function uniqueName(file: string): string {
  const { dir, name, ext } = path.parse(file);
  let candidate = file;
  for (let index = 2; fs.existsSync(candidate); index++) candidate = path.join(dir, `${name}-${index}${ext}`);
  return candidate;
}
