import type { ClientMessage, ConnectionStatus, ServerMessage, Transport } from '../../../src-shared/wire';

const firstRetryMs = 250;
const maxRetryMs = 5000;

/**
 * Browser mode's transport. The session cookie authenticates the socket. When it drops (host restarted,
 * laptop slept) it reconnects with backoff; messages sent meanwhile wait and go out once it is open.
 */
export class WebSocketTransport implements Transport {
  #url: string;
  #socket: WebSocket | null = null;
  #status: ConnectionStatus = 'connecting';
  #outbox: string[] = [];
  #retryMs = firstRetryMs;
  #messageListeners = new Set<(message: ServerMessage) => void>();
  #statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(url: string) {
    this.#url = url;
    this.#connect();
  }

  send(message: ClientMessage): void {
    const text = JSON.stringify(message);
    if (this.#status === 'open' && this.#socket) this.#socket.send(text);
    else this.#outbox.push(text);
  }

  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.#statusListeners.add(listener);
    listener(this.#status);
    return () => this.#statusListeners.delete(listener);
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#retryMs = firstRetryMs;
      this.#setStatus('open');
      for (const text of this.#outbox.splice(0)) socket.send(text);
    };
    socket.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ServerMessage;
      for (const listener of this.#messageListeners) listener(message);
    };
    socket.onclose = () => {
      this.#socket = null;
      this.#setStatus('connecting');
      setTimeout(() => this.#connect(), this.#retryMs);
      this.#retryMs = Math.min(this.#retryMs * 2, maxRetryMs);
    };
  }

  #setStatus(status: ConnectionStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
