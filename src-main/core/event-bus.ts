import type { EventName, Events } from '../../src-shared/rpc';

export type EventListener = <E extends EventName>(name: E, payload: Events[E]) => void;

/** Core services announce events here; every connected renderer receives them. */
export class EventBus {
  #listeners = new Set<EventListener>();

  emit<E extends EventName>(name: E, payload: Events[E]): void {
    for (const listener of this.#listeners) listener(name, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
