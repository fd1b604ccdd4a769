import type { RpcClient } from '../../../src-shared/rpc-client';
import type { CatalogItem, DownloadState, InstalledModel } from '../../../src-shared/types';
import type { ToastState } from '../../lib/state/toasts.svelte';

/** The Models view's data: installed models, the catalog, downloads in progress. Kept live by events. */
export class ModelsState {
  installed = $state<InstalledModel[]>([]);
  folder = $state('');
  catalog = $state<CatalogItem[]>([]);
  downloads = $state<DownloadState[]>([]);
  hasToken = $state(false);
  loaded = $state(false);
  busyPath = $state<string | null>(null);

  #api: RpcClient;
  #toasts: ToastState;

  constructor(api: RpcClient, toasts: ToastState) {
    this.#api = api;
    this.#toasts = toasts;
    api.on('models.changed', () => void this.refresh());
    api.on('downloads.changed', (downloads) => {
      const finished = downloads.some(
        (d) =>
          d.status === 'complete' && this.downloads.find((old) => old.id === d.id)?.status !== 'complete',
      );
      this.downloads = downloads;
      if (finished) void this.refresh();
    });
    api.onStatus((status) => status === 'open' && void this.refresh());
    if (api.status === 'open') void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      const [list, catalog, downloads] = await Promise.all([
        this.#api.call('models.list', {}),
        this.#api.call('models.catalog', {}),
        this.#api.call('downloads.list', {}),
      ]);
      this.installed = list.models;
      this.folder = list.folder;
      this.catalog = catalog;
      this.downloads = downloads.downloads;
      this.hasToken = downloads.hasToken;
      this.loaded = true;
    } catch {
      // History unavailable: the banner explains.
    }
  }

  async load(path: string): Promise<void> {
    await this.#busy(path, () => this.#api.call('models.load', { path }));
  }

  async unload(): Promise<void> {
    await this.#guard(() => this.#api.call('engine.unload', {}));
    await this.refresh();
  }

  async setDefault(path: string | null): Promise<void> {
    await this.#guard(() => this.#api.call('models.setDefault', { path }));
  }

  async remove(path: string): Promise<void> {
    await this.#busy(path, async () => {
      const { fileDeleted } = await this.#api.call('models.remove', { path });
      this.#toasts.show(
        fileDeleted ? 'Model deleted.' : 'Model removed from the list; the file was left where it is.',
      );
    });
  }

  /** Adds a model file; returns true when it worked. */
  async import(path: string, copy: boolean): Promise<boolean> {
    try {
      const model = await this.#api.call('models.import', { path, copy });
      this.#toasts.show(`Added ${model.name}.`);
      await this.refresh();
      return true;
    } catch (error) {
      this.#toasts.error(error, 'model');
      return false;
    }
  }

  async download(catalogId: string): Promise<void> {
    await this.#guard(() => this.#api.call('downloads.start', { catalogId }));
  }

  async pause(id: string): Promise<void> {
    await this.#guard(() => this.#api.call('downloads.pause', { id }));
  }

  async resume(id: string): Promise<void> {
    await this.#guard(() => this.#api.call('downloads.resume', { id }));
  }

  async cancel(id: string): Promise<void> {
    await this.#guard(() => this.#api.call('downloads.cancel', { id }));
  }

  async setToken(token: string | null): Promise<void> {
    await this.#guard(async () => {
      this.hasToken = (await this.#api.call('downloads.setToken', { token })).hasToken;
      this.#toasts.show(this.hasToken ? 'Hugging Face token saved on this computer.' : 'Token removed.');
    });
  }

  async #busy(path: string, run: () => Promise<unknown>): Promise<void> {
    this.busyPath = path;
    try {
      await this.#guard(run);
      await this.refresh();
    } finally {
      this.busyPath = null;
    }
  }

  async #guard(run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.#toasts.error(error, 'model');
    }
  }
}
