import { randomUUID } from 'node:crypto';
import type { PingStarted } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';

/** Proves the event path end to end: a ping answers at once, then streams `count` events. */
export class Diagnostics {
  #bus: EventBus;
  #timers = new Set<NodeJS.Timeout>();

  constructor(bus: EventBus) {
    this.#bus = bus;
  }

  ping(count: number, intervalMs: number): PingStarted {
    const pingId = randomUUID();
    let seq = 0;
    const tick = (): void => {
      seq += 1;
      this.#bus.emit('diagnostics.ping', { pingId, seq, count, sentAt: Date.now() });
      if (seq < count) this.#schedule(tick, intervalMs);
    };
    // The first event goes out after the response, so a caller that subscribes on reply sees them all.
    this.#schedule(tick, intervalMs);
    return { pingId, count };
  }

  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(tick: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      tick();
    }, delayMs);
    this.#timers.add(timer);
  }
}
