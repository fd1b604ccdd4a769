import type { EngineState } from '../../../src-shared/types';
import {
  dismissRecovery,
  initialRecovery,
  nextRecovery,
  settleRecovery,
  type Recovery,
} from './engine-recovery';

/**
 * Follows the engine process through an unexpected stop (see engine-recovery.ts): the app-wide notice and
 * the status bar read `current`. "Back again" is shown for `shownMs`, or until dismissed.
 */
export class EngineRecovery {
  current = $state<Recovery>(initialRecovery);

  #shownMs: number;
  #settleMs: number;
  #last: EngineState | null = null;
  #shownTimer: ReturnType<typeof setTimeout> | null = null;
  #settleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: { shownMs?: number; settleMs?: number } = {}) {
    this.#shownMs = options.shownMs ?? 15_000;
    this.#settleMs = options.settleMs ?? 15_000;
  }

  observe(state: EngineState): void {
    this.#last = state;
    const before = this.current.phase;
    this.#set(nextRecovery(this.current, state), before);
    const idleRunning = state.process?.status === 'running' && !state.loading;
    if (this.current.phase === 'recovering' && idleRunning) {
      this.#settleTimer ??= setTimeout(() => {
        this.#settleTimer = null;
        if (this.#last) this.#set(settleRecovery(this.current, this.#last), this.current.phase);
      }, this.#settleMs);
    } else this.#clearSettle();
  }

  dismiss(): void {
    if (this.#shownTimer) clearTimeout(this.#shownTimer);
    this.#shownTimer = null;
    this.current = dismissRecovery(this.current);
  }

  #set(next: Recovery, before: Recovery['phase']): void {
    this.current = next;
    if (next.phase === 'recovered' && before !== 'recovered') {
      if (this.#shownTimer) clearTimeout(this.#shownTimer);
      this.#shownTimer = setTimeout(() => this.dismiss(), this.#shownMs);
    }
  }

  #clearSettle(): void {
    if (this.#settleTimer) clearTimeout(this.#settleTimer);
    this.#settleTimer = null;
  }
}
