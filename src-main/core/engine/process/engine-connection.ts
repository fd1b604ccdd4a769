/**
 * One engine process, as the app talks to it: calls that resolve with their checked reply, the process's
 * other messages handed on as they arrive, and the time it was last heard from (hang detection). When
 * the process ends, every call still waiting fails with the error the owner gives.
 */
import { AppError } from '../../../../src-shared/errors';
import type { EngineExit, EngineProcessHandle, LaunchEngine } from './launch';
import {
  engineResults,
  fromEngineMessage,
  type EngineMethod,
  type EngineParams,
  type FromEngineMessage,
} from './engine-protocol';
import type { z } from 'zod';

export type EngineResult<M extends EngineMethod> = z.infer<(typeof engineResults)[M]>;

type Pending = { method: EngineMethod; resolve(value: unknown): void; reject(error: Error): void };

export interface EngineConnectionHooks {
  /** Every message but replies, checked. */
  onMessage(message: Exclude<FromEngineMessage, { type: 'reply' }>): void;
  /** A message that did not fit the protocol: logged, never acted on. */
  onMalformed(problem: string): void;
  /** The process ended (after waiting calls were failed). */
  onExit(exit: EngineExit): void;
  /** What calls still waiting fail with when the process ends. */
  failureOnExit(exit: EngineExit): AppError;
}

export class EngineConnection {
  readonly ready: Promise<void>;
  /** When the process last sent anything (performance.now()). */
  lastHeard = performance.now();
  #handle: EngineProcessHandle;
  #pending = new Map<number, Pending>();
  #nextId = 0;
  #exited = false;

  constructor(launch: LaunchEngine, hooks: EngineConnectionHooks) {
    this.#handle = launch();
    let markReady!: () => void;
    let failReady!: (error: Error) => void;
    this.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    // Nobody may be waiting for it yet; the failure still reaches whoever awaits it later.
    this.ready.catch(() => undefined);
    this.#handle.onMessage((raw) => {
      this.lastHeard = performance.now();
      const parsed = fromEngineMessage.safeParse(raw);
      if (!parsed.success) {
        hooks.onMalformed(parsed.error.issues[0]?.message ?? 'unknown shape');
        return;
      }
      const message = parsed.data;
      if (message.type === 'reply') this.#settle(message, hooks);
      else {
        if (message.type === 'ready') markReady();
        hooks.onMessage(message);
      }
    });
    this.#handle.onExit((exit) => {
      this.#exited = true;
      const failure = hooks.failureOnExit(exit);
      failReady(failure);
      for (const pending of this.#pending.values()) pending.reject(failure);
      this.#pending.clear();
      hooks.onExit(exit);
    });
  }

  get pid(): number | null {
    return this.#handle.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** Calls waiting for their reply. */
  get waiting(): number {
    return this.#pending.size;
  }

  /** Calls a method once the process is ready; `signal` cancels it there (the call then rejects). */
  call<M extends EngineMethod>(
    method: M,
    params: EngineParams<M>,
    signal?: AbortSignal,
  ): Promise<EngineResult<M>> {
    return this.start(method, params, signal).result;
  }

  /** A call and its id, known at once: the process tags what it reports about the call with it. */
  start<M extends EngineMethod>(
    method: M,
    params: EngineParams<M>,
    signal?: AbortSignal,
  ): { id: number; result: Promise<EngineResult<M>> } {
    const id = this.#nextId++;
    const result = this.ready.then(
      () =>
        new Promise<EngineResult<M>>((resolve, reject) => {
          if (this.#exited) throw new AppError('engine_restarting', 'The engine process has stopped.');
          const cancel = () => this.#handle.post({ type: 'cancel', id });
          signal?.addEventListener('abort', cancel, { once: true });
          const settled = () => signal?.removeEventListener('abort', cancel);
          this.#pending.set(id, {
            method,
            resolve: (value) => {
              settled();
              resolve(value as EngineResult<M>);
            },
            reject: (error) => {
              settled();
              reject(error);
            },
          });
          this.#handle.post({ type: 'call', id, method, params });
        }),
    );
    return { id, result };
  }

  /** Sends a call whose reply nobody waits for (stop, cancel a load): it is still checked when it comes. */
  tell<M extends EngineMethod>(method: M, params: EngineParams<M>): void {
    this.call(method, params).catch(() => undefined);
  }

  kill(): void {
    this.#handle.kill();
  }

  #settle(message: Extract<FromEngineMessage, { type: 'reply' }>, hooks: EngineConnectionHooks): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (message.error) {
      pending.reject(AppError.fromWire(message.error));
      return;
    }
    const checked = engineResults[pending.method].safeParse(message.value);
    if (checked.success) pending.resolve(checked.data);
    else {
      const problem = `${pending.method} replied ${checked.error.issues[0]?.message ?? 'something else'}`;
      hooks.onMalformed(problem);
      pending.reject(new AppError('internal', `The engine gave an unexpected reply: ${problem}.`));
    }
  }
}
