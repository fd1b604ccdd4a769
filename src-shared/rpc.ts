/**
 * The contract between the renderer and the backend: every request with its parameter schema and result
 * type, and every event the backend pushes. Both transports (Electron IPC, WebSocket) carry exactly this.
 *
 * Parameters are validated in main against these schemas; the renderer is never trusted.
 */
import { z } from 'zod';
import { limits } from './limits';
import type { AppCommand, AppInfo, LlamaRuntimeStatus, PingEvent, PingStarted } from './types';

const noParams = z.strictObject({});

export const requestSchemas = {
  'app.info': noParams,
  'diagnostics.ping': z.strictObject({
    count: z.int().min(1).max(limits.pingMaxCount),
    intervalMs: z.int().min(0).max(limits.pingMaxIntervalMs).default(100),
  }),
};

/** What each request resolves to. */
export interface Results {
  'app.info': AppInfo;
  'diagnostics.ping': PingStarted;
}

/** Events pushed by the backend to every connected renderer. */
export interface Events {
  'app.command': AppCommand;
  'diagnostics.ping': PingEvent;
  'llama.runtime': LlamaRuntimeStatus;
}

export type Method = keyof typeof requestSchemas;
export type EventName = keyof Events;
/** Parameters as the caller writes them (defaults may be omitted). */
export type Params<M extends Method> = z.input<(typeof requestSchemas)[M]>;
/** Parameters as a handler receives them: validated, defaults filled in. */
export type ValidParams<M extends Method> = z.output<(typeof requestSchemas)[M]>;
export type Result<M extends Method> = Results[M];

// Compile-time check: every request has a result type and every result type has a request.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : never;
const contractIsComplete: SameKeys<typeof requestSchemas, Results> = true;
void contractIsComplete;
