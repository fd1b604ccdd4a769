import {
  appSettingsSchema,
  defaultSettings,
  type AppSettings,
  type SettingsPatch,
} from '../../../src-shared/settings';
import type { ConversationSettings } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';
import type { Store } from '../store/store';

const key = 'app';

/** The app's settings, kept in the store; defaults fill whatever was never set (or no longer reads). */
export class SettingsService {
  #store: Store;
  #bus: EventBus;

  constructor(store: Store, bus: EventBus) {
    this.#store = store;
    this.#bus = bus;
  }

  get(): AppSettings {
    return this.#store.settings.get(key, appSettingsSchema) ?? defaultSettings;
  }

  update(patch: SettingsPatch): AppSettings {
    const current = this.get();
    const next = appSettingsSchema.parse({
      ...current,
      ...patch,
      sampling: { ...current.sampling, ...patch.sampling },
    });
    this.#store.settings.set(key, next);
    this.#bus.emit('settings.changed', next);
    return next;
  }

  /** What a new chat request uses: the chosen system prompt and the sampling settings. */
  chatDefaults(): ConversationSettings {
    const settings = this.get();
    const preset = settings.presets.find((candidate) => candidate.id === settings.presetId);
    const { seed, ...sampling } = settings.sampling;
    return {
      system: preset?.system || undefined,
      sampling: seed === null ? sampling : { ...sampling, seed },
      maxTokens: settings.maxTokens,
    };
  }
}
