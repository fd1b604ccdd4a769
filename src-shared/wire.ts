/** The messages both transports carry, and the transport interface the client runs over. */
import type { WireError } from './errors';

/** The Electron IPC channel the contract travels on (the preload exposes nothing else). */
export const contractChannel = 'phidesk:contract';

export interface RequestMessage {
  type: 'request';
  id: number;
  method: string;
  params: unknown;
}

/** How a request ended: its result, or a typed error. */
export type Outcome = { ok: true; result: unknown } | { ok: false; error: WireError };

export type ResponseMessage = { type: 'response'; id: number } & Outcome;

export interface EventMessage {
  type: 'event';
  name: string;
  payload: unknown;
}

export type ClientMessage = RequestMessage;
export type ServerMessage = ResponseMessage | EventMessage;

/** Connection state as the renderer sees it. IPC is always open; a WebSocket can drop and reconnect. */
export type ConnectionStatus = 'connecting' | 'open' | 'closed';

/** A duplex message channel to the backend. */
export interface Transport {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
}

/** What the Electron preload exposes to the page as `window.phidesk`: the contract's message port. */
export interface ContractPort {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
}
