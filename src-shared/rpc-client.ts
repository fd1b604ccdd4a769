/** The contract client: typed requests and events over any transport. The renderer has exactly one. */
import { AppError } from './errors';
import type { EventName, Events, Method, Params, Result } from './rpc';
import type { ConnectionStatus, ServerMessage, Transport } from './wire';

interface Pending {
  resolve(value: unknown): void;
  reject(error: AppError): void;
}

export class RpcClient {
  #transport: Transport;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #listeners = new Map<string, Set<(payload: never) => void>>();
  #status: ConnectionStatus = 'connecting';
  #statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(transport: Transport) {
    this.#transport = transport;
    transport.onMessage((message) => this.#receive(message));
    transport.onStatus((status) => this.#setStatus(status));
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    return this.callUnchecked(method, params) as Promise<Result<M>>;
  }

  /** A call outside the typed contract, for tests that prove the backend rejects bad input. */
  callUnchecked(method: string, params: unknown): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#transport.send({ type: 'request', id, method, params });
      } catch (error) {
        this.#pending.delete(id);
        reject(new AppError('disconnected', `Could not reach the backend: ${String(error)}`));
      }
    });
  }

  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  #receive(message: ServerMessage): void {
    if (message.type === 'event') {
      for (const listener of this.#listeners.get(message.name) ?? []) listener(message.payload as never);
      return;
    }
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.ok) pending.resolve(message.result);
    else pending.reject(AppError.fromWire(message.error));
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    // Answers to requests sent over a connection that dropped will never arrive.
    if (status !== 'open') {
      for (const pending of this.#pending.values()) {
        pending.reject(new AppError('disconnected', 'The connection to the backend was lost.'));
      }
      this.#pending.clear();
    }
    for (const listener of this.#statusListeners) listener(status);
  }
}
