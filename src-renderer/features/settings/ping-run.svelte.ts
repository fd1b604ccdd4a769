import type { RpcClient } from '../../../src-shared/rpc-client';
import type { PingEvent } from '../../../src-shared/types';

export interface ReceivedPing {
  seq: number;
  count: number;
  /** Milliseconds from the backend sending the event to the renderer receiving it. */
  transitMs: number;
}

/** One diagnostics ping: a request that answers at once, then a stream of events tagged with its id. */
export class PingRun {
  received = $state<ReceivedPing[]>([]);
  running = $state(false);
  error = $state<string | null>(null);

  #api: RpcClient;

  constructor(api: RpcClient) {
    this.#api = api;
  }

  async start(count: number, intervalMs: number): Promise<void> {
    this.received = [];
    this.error = null;
    this.running = true;
    // Events can arrive before the reply is handled, so listen first and keep those of any ping until the
    // reply names ours.
    const early: PingEvent[] = [];
    let pingId: string | null = null;
    const accept = (event: PingEvent): void => {
      this.received.push({
        seq: event.seq,
        count: event.count,
        transitMs: Math.max(0, Date.now() - event.sentAt),
      });
      if (event.seq === event.count) {
        this.running = false;
        unsubscribe();
      }
    };
    const unsubscribe = this.#api.on('diagnostics.ping', (event) => {
      if (pingId === null) early.push(event);
      else if (event.pingId === pingId) accept(event);
    });
    try {
      pingId = (await this.#api.call('diagnostics.ping', { count, intervalMs })).pingId;
      for (const event of early) if (event.pingId === pingId) accept(event);
    } catch (error) {
      unsubscribe();
      this.running = false;
      this.error = error instanceof Error ? error.message : String(error);
    }
  }
}
