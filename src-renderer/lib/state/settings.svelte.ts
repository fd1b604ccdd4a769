import type { RpcClient } from '../../../src-shared/rpc-client';
import { defaultSettings, type AppSettings, type SettingsPatch } from '../../../src-shared/settings';

/** The app's settings, kept in the backend's store; theme and font size apply to the page at once. */
export class SettingsState {
  value = $state<AppSettings>(defaultSettings);
  loaded = $state(false);
  #api: RpcClient;

  constructor(api: RpcClient) {
    this.#api = api;
    api.on('settings.changed', (settings) => this.#apply(settings));
    api.onStatus((status) => {
      if (status === 'open') void this.load();
    });
    if (api.status === 'open') void this.load();
  }

  async load(): Promise<void> {
    try {
      this.#apply(await this.#api.call('settings.get', {}));
    } catch {
      // History unavailable (see the banner): keep the defaults.
    }
  }

  async update(patch: SettingsPatch): Promise<void> {
    this.#apply(await this.#api.call('settings.update', patch));
  }

  #apply(settings: AppSettings): void {
    this.value = settings;
    this.loaded = true;
    const root = document.documentElement;
    if (settings.theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = settings.theme;
    root.style.setProperty('--font-size', `${settings.fontSize}px`);
  }
}
