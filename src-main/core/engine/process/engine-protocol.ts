/**
 * The messages between the app and its engine process, checked on arrival at both ends: whatever one side
 * sends, the other acts only on messages of these shapes. They are plain data (structured clone), small,
 * and carry no file contents: a model is named by its path; text is a prompt or coalesced answer deltas.
 *
 *   app → engine:  call (a method and its params; the reply carries the same id), cancel (a call's signal)
 *   engine → app:  ready, reply, generation (a request's hooks, tagged with the call that made it),
 *                  state, runtime, embeddings, alive (a heartbeat with memory), log
 */
import { z } from 'zod';
import { errorCodes } from '../../../../src-shared/errors';
import type { FitEstimate, LoadedModel } from '../../../../src-shared/types';

/** Any text that crosses: a prompt's parts (a notes answer's sources included) or an answer. */
const text = z.string().max(2_000_000);
const count = z.int().min(0);
const callId = z.int().min(0);

/** A value of a shared type whose fields that matter are checked by `schema` (the rest pass as they are). */
const checkedAs = <T>(schema: z.ZodType) => z.custom<T>((value) => schema.safeParse(value).success);

const gpuSetting = z.enum(['auto', 'cpu', 'metal', 'cuda', 'vulkan']);
const loadOptions = z.strictObject({
  path: z.string().min(1).max(4096),
  gpu: gpuSetting,
  gpuLayers: z.union([z.literal('auto'), count]),
  contextSize: z.union([z.literal('auto'), z.int().min(1)]),
  threads: z.union([z.literal('auto'), z.int().min(1)]),
  sequences: z.int().min(1),
});

/** Value ranges are the engine's own to check (with its own messages); here only the kinds of values. */
const generateRequest = z.strictObject({
  conversationId: z.string().max(200).optional(),
  system: text.optional(),
  messages: z.array(z.strictObject({ role: z.enum(['user', 'assistant']), content: text })).max(100_000),
  sampling: z.record(z.string(), z.unknown()).optional(),
  maxTokens: z.unknown().optional(),
  json: z.record(z.string(), z.unknown()).optional(),
  gbnf: z.string().max(100_000).optional(),
  stopTriggers: z.array(z.string().max(200)).max(50).optional(),
});

/** Each method's params; the engine process refuses a call whose params do not fit. */
export const engineCalls = {
  /** Starts llama.cpp with this backend in the background (its status follows as `runtime`). */
  prepare: z.strictObject({ gpu: gpuSetting }),
  load: loadOptions,
  cancelLoad: z.strictObject({}),
  unload: z.strictObject({}),
  generate: z.strictObject({ request: generateRequest }),
  stop: z.strictObject({ requestId: z.string().max(100) }),
  measure: z.strictObject({ request: generateRequest }),
  countTokens: z.strictObject({ texts: z.array(text).max(10_000) }),
  estimateFit: z.strictObject({
    file: z.string().min(1).max(4096),
    options: z.strictObject({
      contextSize: z.int().min(1).optional(),
      gpuLayers: z.union([z.literal('auto'), count]).optional(),
      sequences: z.int().min(1).optional(),
    }),
  }),
  'embeddings.load': z.strictObject({ path: z.string().min(1).max(4096) }),
  'embeddings.unload': z.strictObject({}),
  'embeddings.embed': z.strictObject({ texts: z.array(text).max(1000) }),
  /** Releases everything and exits. */
  shutdown: z.strictObject({}),
} as const;

export type EngineMethod = keyof typeof engineCalls;
export type EngineParams<M extends EngineMethod> = z.input<(typeof engineCalls)[M]>;

export const toEngineMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('call'),
    id: callId,
    method: z.enum(Object.keys(engineCalls) as [EngineMethod, ...EngineMethod[]]),
    params: z.unknown(),
  }),
  z.strictObject({ type: z.literal('cancel'), id: callId }),
]);
export type ToEngineMessage = z.infer<typeof toEngineMessage>;

const wireError = z.strictObject({
  code: z.enum(errorCodes),
  message: z.string().max(20_000),
  details: z.unknown().optional(),
});

const generationStats = z.strictObject({
  promptTokens: count,
  reusedTokens: count,
  outputTokens: count,
  timeToFirstTokenMs: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  durationMs: z.number(),
  contextUsed: count,
  contextSize: count,
  droppedTurns: count,
});

const modelFileInfo = z.looseObject({ path: z.string(), name: z.string().nullable().optional() });
export const loadedModel = checkedAs<LoadedModel>(
  z.looseObject({
    file: modelFileInfo,
    backend: z.string(),
    gpuNames: z.array(z.string()),
    gpuLayers: count,
    totalLayers: count,
    contextSize: count,
    threads: count,
    sequences: count,
    warnings: z.array(z.string()),
  }),
);

const innerState = z.strictObject({
  model: loadedModel.nullable(),
  loading: z.strictObject({ path: z.string(), progress: z.number().min(0).max(1) }).nullable(),
  running: z.string().nullable(),
  queued: count,
  process: z.null(),
});

const runtimeStatus = z.discriminatedUnion('state', [
  z.strictObject({ state: z.literal('starting') }),
  z.strictObject({
    state: z.literal('ready'),
    backend: z.enum(['cpu', 'metal', 'cuda', 'vulkan']),
    gpuNames: z.array(z.string()),
    llamaCppRelease: z.string(),
  }),
  z.strictObject({ state: z.literal('failed'), error: z.string() }),
]);

export const loadedEmbeddingModel = z.strictObject({
  modelId: z.string(),
  dimensions: z.int().min(1),
  path: z.string(),
  contextSize: count,
  threads: count,
});

const generationEvent = z.discriminatedUnion('hook', [
  z.strictObject({ hook: z.literal('queued'), position: count }),
  z.strictObject({
    hook: z.literal('started'),
    started: z.strictObject({
      requestId: z.string(),
      promptTokens: count,
      reusedTokens: count,
      contextSize: count,
      droppedTurns: count,
    }),
  }),
  z.strictObject({ hook: z.literal('reading'), reading: z.strictObject({ evaluated: count, total: count }) }),
  z.strictObject({
    hook: z.literal('delta'),
    delta: z.strictObject({
      text,
      outputTokens: count,
      elapsedMs: z.number(),
      firstTokenMs: z.number().nullable(),
    }),
  }),
  z.strictObject({
    hook: z.literal('done'),
    done: z.strictObject({
      requestId: z.string(),
      text,
      stopReason: z.enum(['end_token', 'stop_trigger', 'max_tokens', 'user_stop', 'error', 'crashed']),
      stats: generationStats,
      error: wireError.optional(),
    }),
  }),
]);

export const fromEngineMessage = z.discriminatedUnion('type', [
  /** Listening: calls may come. */
  z.strictObject({ type: z.literal('ready'), pid: z.int() }),
  /** A call's outcome: its value (checked against engineResults), or its error. */
  z.strictObject({
    type: z.literal('reply'),
    id: callId,
    value: z.unknown().optional(),
    error: wireError.optional(),
  }),
  z.strictObject({ type: z.literal('generation'), id: callId, event: generationEvent }),
  z.strictObject({ type: z.literal('state'), state: innerState }),
  z.strictObject({ type: z.literal('runtime'), status: runtimeStatus }),
  z.strictObject({ type: z.literal('embeddings'), loaded: loadedEmbeddingModel.nullable() }),
  z.strictObject({
    type: z.literal('alive'),
    memory: z.strictObject({
      rssBytes: count,
      baselineBytes: count,
      modelEstimateBytes: count.nullable(),
    }),
  }),
  z.strictObject({
    type: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().max(20_000),
  }),
]);
export type FromEngineMessage = z.infer<typeof fromEngineMessage>;
export type GenerationEvent = z.infer<typeof generationEvent>;

/** What each call resolves with, checked before the caller sees it. */
export const engineResults = {
  prepare: z.null(),
  load: loadedModel,
  cancelLoad: z.boolean(),
  unload: z.boolean(),
  generate: z.strictObject({ requestId: z.string(), queuePosition: count }),
  stop: z.boolean(),
  measure: z
    .strictObject({
      promptTokens: count,
      answerTokens: count,
      contextSize: count,
      droppedTurns: count,
      tooLong: z.boolean(),
    })
    .nullable(),
  countTokens: z.array(count),
  estimateFit: checkedAs<FitEstimate>(
    z.looseObject({
      verdict: z.enum(['fits', 'may_be_slow', 'wont_fit']),
      reason: z.string(),
      ramNeeded: z.number(),
      vramNeeded: z.number(),
    }),
  ),
  'embeddings.load': z.strictObject({ modelId: z.string(), dimensions: z.int().min(1) }),
  'embeddings.unload': z.null(),
  'embeddings.embed': z.array(z.instanceof(Float32Array)),
  shutdown: z.null(),
} satisfies Record<EngineMethod, z.ZodType>;
