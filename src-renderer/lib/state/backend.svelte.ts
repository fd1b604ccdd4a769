import type { RpcClient } from '../../../src-shared/rpc-client';
import type { AppInfo, EngineState, LlamaRuntimeStatus, StoreStatus } from '../../../src-shared/types';
import type { ConnectionStatus } from '../../../src-shared/wire';
import { EngineRecovery } from './engine-recovery.svelte';

/** What the renderer knows about the backend: the connection, app info, the runtime and the model. */
export class BackendState {
  connection = $state<ConnectionStatus>('connecting');
  /** False until the first connection: tells "Connecting…" apart from "Reconnecting…". */
  everConnected = $state(false);
  info = $state<AppInfo | null>(null);
  llama = $state<LlamaRuntimeStatus>({ state: 'starting' });
  engine = $state<EngineState>({ model: null, loading: null, running: null, queued: 0, process: null });
  /** The engine process through an unexpected stop: restarting, given up, or back again (told for a while). */
  recovery = new EngineRecovery();
  /** The model is away because its process stopped: being restarted (and given the model back), or given up. */
  engineDown = $derived(
    this.recovery.current.phase === 'recovering'
      ? 'restarting'
      : this.recovery.current.phase === 'failed'
        ? 'failed'
        : null,
  );
  /** The history database: open, recovered from damage (told once), or unavailable. */
  store = $state<StoreStatus | null>(null);
  error = $state<string | null>(null);
  connected = $derived(this.connection === 'open');
  /** The connection was up and is gone (the backend stopped or restarted): it is being retried. */
  lost = $derived(this.everConnected && this.connection !== 'open');
  /** Why nothing can be sent or stopped now (shown beside what is disabled); null while connected. */
  offline = $derived(
    this.connected ? null : this.lost ? 'Not connected to Phidesk — reconnecting…' : 'Connecting to Phidesk…',
  );

  #api: RpcClient;

  constructor(api: RpcClient) {
    this.#api = api;
    api.on('llama.runtime', (status) => (this.llama = status));
    api.on('engine.state', (state) => this.#onEngine(state));
    api.onStatus((status) => this.#onStatus(status));
    this.#onStatus(api.status);
  }

  async refresh(): Promise<void> {
    try {
      const [info, engine] = await Promise.all([
        this.#api.call('app.info', {}),
        this.#api.call('engine.status', {}),
      ]);
      this.info = info;
      this.llama = info.llama;
      this.#onEngine(engine);
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  #onEngine(state: EngineState): void {
    this.engine = state;
    this.recovery.observe(state);
  }

  #onStatus(status: ConnectionStatus): void {
    this.connection = status;
    if (status !== 'open') return;
    this.everConnected = true;
    // (Re)connected: whatever happened meanwhile, re-read the backend's state.
    void this.refresh();
  }
}
