/**
 * What core asks of the model, wherever llama.cpp runs: the answer service, chat, the tutor, notes and
 * flashcards see only this. Two implementations: LocalEngine runs node-llama-cpp in the calling process
 * (inside the engine process, and in engine tests and benchmarks); EngineClient runs a LocalEngine in a
 * child process and keeps the app up when it crashes (engine/process/). Everything that crosses is plain
 * data, so every call that needs the model is asynchronous.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import type {
  ChatTurn,
  ContextUsage,
  EngineState,
  GenerationDone,
  GenerationStarted,
  LoadedModel,
  LoadModelOptions,
  Sampling,
} from '../../../src-shared/types';

export interface GenerateRequest {
  /** Keeps this conversation's evaluated prefix between turns; one-off requests share a scratch slot. */
  conversationId?: string | undefined;
  system?: string | undefined;
  messages: readonly ChatTurn[];
  sampling?: Partial<Sampling> | undefined;
  maxTokens?: number | undefined;
  /** Constrains the output to JSON of this schema (structured output; see json-generation.ts). */
  json?: GbnfJsonSchema | undefined;
  /** Constrains the output to this GBNF grammar. */
  gbnf?: string | undefined;
  /** Text that ends the answer; Phi-2's triggers by default, the grammar's own with a grammar. */
  stopTriggers?: readonly string[] | undefined;
}

export interface GenerationHooks {
  /** Its place in the queue when accepted, then each time it changes (0: the model is on it). */
  onQueued?(position: number): void;
  onStarted?(started: GenerationStarted): void;
  /** How much of the prompt has been read, after each chunk of a long one. */
  onReading?(reading: { evaluated: number; total: number }): void;
  /** Streamed text, coalesced (see DeltaBuffer), with the figures measured since the model began on it. */
  onDelta?(delta: GenerationProgress): void;
}

export interface GenerationProgress {
  text: string;
  outputTokens: number;
  elapsedMs: number;
  firstTokenMs: number | null;
}

export interface GenerationHandle {
  requestId: string;
  /** How many requests are ahead of this one (0: it starts now). */
  queuePosition: number;
  done: Promise<GenerationDone>;
}

export interface Engine {
  readonly state: EngineState;
  /** Loads a model in place of the current one (which stays if the new file fails its checks). */
  load(options: LoadModelOptions): Promise<LoadedModel>;
  cancelLoad(): boolean;
  unload(): Promise<boolean>;
  /**
   * Queues a request; resolves once accepted, with its place in the queue and its end to come. Rejects at
   * once what cannot run: no model, a last message too long for the context (TEST-CATALOG I1), a full queue.
   */
  generate(request: GenerateRequest, hooks?: GenerationHooks): Promise<GenerationHandle>;
  /** Stops a running answer (keeping its text) or drops a waiting one. False if it is neither. */
  stop(requestId: string): boolean;
  /**
   * How the request would fit the context if sent now (older turns left out as the conversation's
   * sequence last did); null without a model.
   */
  measure(request: GenerateRequest): Promise<ContextUsage | null>;
  /** Token counts with the loaded model's tokenizer, one per text. */
  countTokens(texts: readonly string[]): Promise<number[]>;
  dispose(): Promise<void>;
}
