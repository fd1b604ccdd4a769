/**
 * Saving one note's edits so that none is lost: the changes not yet in the store wait here (only the
 * fields that changed), go out a moment after the last keystroke — and at least every `maxWaitMs` while
 * typing goes on — and at once when asked (blur, switching note, the page hidden). One save at a time per
 * note: what is typed while one is in flight is sent after it, merged into one. A failed save keeps its
 * changes (newer edits win over them) and is retried with a growing delay; nothing is dropped.
 *
 * Plain TypeScript, so its timing is tested with fake timers; `NoteDraft` makes its state reactive.
 */

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'failed';

export interface AutosaveTiming {
  /** Quiet time after the last edit before saving. */
  debounceMs: number;
  /** Longest an edit waits while typing continues. */
  maxWaitMs: number;
  /** Delays between retries of a failed save; the last repeats. */
  retryMs: readonly number[];
}

export const defaultTiming: AutosaveTiming = {
  debounceMs: 600,
  maxWaitMs: 1000,
  retryMs: [1000, 2000, 5000, 10_000],
};

export interface AutosaveOptions<C extends object, R> {
  save: (changes: C) => Promise<R>;
  /** A save went through; `changes` is what it carried. */
  saved?: (result: R, changes: C) => void;
  /**
   * A save failed. Return false for a failure that retrying cannot mend (the note is gone, the text is
   * refused): the changes are kept and wait for the next edit or flush.
   */
  failed?: (error: unknown, attempt: number) => boolean;
  /** The state changed (for the reactive wrapper). */
  changed?: (state: SaveState, error: unknown) => void;
  timing?: Partial<AutosaveTiming>;
}

export class Autosave<C extends object, R = unknown> {
  #options: AutosaveOptions<C, R>;
  #timing: AutosaveTiming;
  #pending: Partial<C> = {};
  #sending: Partial<C> | null = null;
  #inFlight: Promise<void> | null = null;
  /** A flush was asked for while a save was in flight: send what waits as soon as it ends. */
  #again = false;
  #debounce: ReturnType<typeof setTimeout> | null = null;
  #maxWait: ReturnType<typeof setTimeout> | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #failures = 0;
  #error: unknown = null;
  #state: SaveState = 'saved';

  constructor(options: AutosaveOptions<C, R>) {
    this.#options = options;
    this.#timing = { ...defaultTiming, ...options.timing };
  }

  get state(): SaveState {
    return this.#state;
  }

  /** Why the last save failed, while the changes are still not saved. */
  get error(): unknown {
    return this.#error;
  }

  /** True while anything typed is not yet confirmed by the store. */
  get dirty(): boolean {
    return hasKeys(this.#pending) || this.#sending !== null;
  }

  /** Every change not yet confirmed (the newest value of each field), to lay over a note read back. */
  get unsaved(): Partial<C> {
    return { ...this.#sending, ...this.#pending };
  }

  /** Records changed fields; saves soon, or at once with `immediate` (a tag, a folder: one-off edits). */
  edit(changes: Partial<C>, options: { immediate?: boolean } = {}): void {
    Object.assign(this.#pending, changes);
    this.#clear('retry');
    if (options.immediate) {
      void this.flush();
      return;
    }
    this.#clear('debounce');
    this.#debounce = setTimeout(() => void this.flush(), this.#timing.debounceMs);
    this.#maxWait ??= setTimeout(() => void this.flush(), this.#timing.maxWaitMs);
    if (!this.#inFlight) this.#setState(this.#error === null ? 'unsaved' : 'failed');
  }

  /** Saves what waits now (after the save in flight, if one is); resolves once nothing more is in flight. */
  flush(): Promise<void> {
    this.#clear('debounce');
    this.#clear('maxWait');
    this.#clear('retry');
    if (this.#inFlight) {
      this.#again = true;
      return this.#inFlight;
    }
    if (!hasKeys(this.#pending)) return Promise.resolve();
    const run = this.#run().finally(() => {
      if (this.#inFlight === run) this.#inFlight = null;
    });
    this.#inFlight = run;
    return run;
  }

  /**
   * The page is going away: no later turn of the event loop may come, so what waits is sent now even
   * beside a save in flight (the store applies them in order of arrival). It stays pending here, in case
   * the page is kept after all (back-forward cache): the next save sends it again, harmlessly.
   */
  flushFinal(): void {
    if (!this.#inFlight) {
      void this.flush();
      return;
    }
    if (hasKeys(this.#pending)) this.#options.save({ ...this.#pending } as C).catch(() => {});
  }

  /** Stops its timers (the note was deleted); whatever waits is dropped. */
  discard(): void {
    this.#clear('debounce');
    this.#clear('maxWait');
    this.#clear('retry');
    this.#pending = {};
  }

  async #run(): Promise<void> {
    while (hasKeys(this.#pending)) {
      this.#again = false;
      const changes = this.#pending;
      this.#pending = {};
      this.#sending = changes;
      this.#setState('saving');
      let result: R;
      try {
        result = await this.#options.save(changes as C);
      } catch (error) {
        // Kept, under anything typed since.
        this.#pending = { ...changes, ...this.#pending };
        this.#sending = null;
        this.#fail(error);
        return;
      }
      this.#sending = null;
      this.#failures = 0;
      this.#error = null;
      this.#options.saved?.(result, changes as C);
      // Edits made meanwhile go at once when a flush was asked for; else their own timers send them.
      if (!this.#again) break;
    }
    this.#setState(hasKeys(this.#pending) ? 'unsaved' : 'saved');
  }

  #fail(error: unknown): void {
    this.#failures += 1;
    this.#error = error;
    this.#clear('debounce');
    this.#clear('maxWait');
    const retry = this.#options.failed?.(error, this.#failures) ?? true;
    this.#setState('failed');
    if (!retry) return;
    const delays = this.#timing.retryMs;
    const delay = delays[Math.min(this.#failures, delays.length) - 1] ?? 1000;
    this.#retry = setTimeout(() => void this.flush(), delay);
  }

  #clear(timer: 'debounce' | 'maxWait' | 'retry'): void {
    const field = timer === 'debounce' ? this.#debounce : timer === 'maxWait' ? this.#maxWait : this.#retry;
    if (field) clearTimeout(field);
    if (timer === 'debounce') this.#debounce = null;
    else if (timer === 'maxWait') this.#maxWait = null;
    else this.#retry = null;
  }

  #setState(state: SaveState): void {
    if (state === this.#state && state !== 'failed') return;
    this.#state = state;
    this.#options.changed?.(state, this.#error);
  }
}

function hasKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
