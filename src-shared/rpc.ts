/**
 * The contract between the renderer and the backend: every request with its parameter schema and result
 * type, and every event the backend pushes. Both transports (Electron IPC, WebSocket) carry exactly this.
 *
 * Parameters are validated in main against these schemas; the renderer is never trusted.
 */
import { z } from 'zod';
import { limits } from './limits';
import type {
  AppCommand,
  AppInfo,
  EngineState,
  GenerationDelta,
  GenerationDone,
  GenerationStarted,
  LlamaRuntimeStatus,
  LoadedModel,
  PingEvent,
  PingStarted,
} from './types';

const noParams = z.strictObject({});

/** Text a person wrote: not empty, not only whitespace, and within the limit (TEST-CATALOG I3). */
export const messageText = (maxChars: number) =>
  z
    .string()
    .max(maxChars, `Too long: at most ${maxChars} characters`)
    .refine((text) => text.trim().length > 0, 'Empty: write something first');

const gpuSetting = z.enum(['auto', 'cpu', 'metal', 'cuda', 'vulkan']);

export const samplingSchema = z.strictObject({
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1),
  topK: z.int().min(0).max(1000),
  minP: z.number().min(0).max(1),
  repeatPenalty: z.number().min(1).max(2),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

export const chatTurnSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: messageText(limits.messageChars),
});

export const requestSchemas = {
  'app.info': noParams,
  'diagnostics.ping': z.strictObject({
    count: z.int().min(1).max(limits.pingMaxCount),
    intervalMs: z.int().min(0).max(limits.pingMaxIntervalMs).default(100),
  }),

  'engine.status': noParams,
  'engine.load': z.strictObject({
    path: z.string().min(1).max(limits.pathChars),
    gpu: gpuSetting.default('auto'),
    gpuLayers: z.union([z.literal('auto'), z.int().min(0).max(limits.gpuLayers)]).default('auto'),
    contextSize: z.union([z.literal('auto'), z.int().min(64).max(limits.contextSize)]).default('auto'),
    threads: z.union([z.literal('auto'), z.int().min(1).max(limits.threads)]).default('auto'),
    sequences: z.int().min(1).max(limits.sequences).default(2),
  }),
  'engine.cancelLoad': noParams,
  'engine.unload': noParams,
  'engine.generate': z.strictObject({
    /** Keeps this conversation's evaluated prefix in the KV cache between turns. */
    conversationId: z.string().min(1).max(100).optional(),
    system: z.string().max(limits.systemChars).optional(),
    messages: z
      .array(chatTurnSchema)
      .min(1)
      .max(limits.turns)
      .refine((turns) => turns.at(-1)?.role === 'user' || turns.length > 1, 'Nothing to answer'),
    sampling: samplingSchema.partial().optional(),
    maxTokens: z.int().min(1).max(limits.maxTokens).optional(),
  }),
  'engine.stop': z.strictObject({ requestId: z.string().min(1).max(100) }),
};

/** What each request resolves to. */
export interface Results {
  'app.info': AppInfo;
  'diagnostics.ping': PingStarted;
  'engine.status': EngineState;
  'engine.load': LoadedModel;
  'engine.cancelLoad': { cancelled: boolean };
  'engine.unload': { unloaded: boolean };
  'engine.generate': { requestId: string; queuePosition: number };
  'engine.stop': { stopped: boolean };
}

/** Events pushed by the backend to every connected renderer. */
export interface Events {
  'app.command': AppCommand;
  'diagnostics.ping': PingEvent;
  'llama.runtime': LlamaRuntimeStatus;
  'engine.state': EngineState;
  'generation.started': GenerationStarted;
  'generation.delta': GenerationDelta;
  'generation.done': GenerationDone;
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
