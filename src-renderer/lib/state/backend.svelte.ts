import type { RpcClient } from '../../../src-shared/rpc-client';
import type { AppInfo, EngineState, LlamaRuntimeStatus, StoreStatus } from '../../../src-shared/types';
import type { ConnectionStatus } from '../../../src-shared/wire';

/** What the renderer knows about the backend: the connection, app info, the runtime and the model. */
export class BackendState {
  connection = $state<ConnectionStatus>('connecting');
  /** False until the first connection: tells "Connecting…" apart from "Reconnecting…". */
  everConnected = $state(false);
  info = $state<AppInfo | null>(null);
  llama = $state<LlamaRuntimeStatus>({ state: 'starting' });
  engine = $state<EngineState>({ model: null, loading: null, running: null, queued: 0 });
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
    api.on('engine.state', (state) => (this.engine = state));
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
      this.engine = engine;
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
  }

  #onStatus(status: ConnectionStatus): void {
    this.connection = status;
    if (status !== 'open') return;
    this.everConnected = true;
    // (Re)connected: whatever happened meanwhile, re-read the backend's state.
    void this.refresh();
  }
}
