/** Data shapes that cross the contract. Plain data only: no classes, no functions. */
import type { WireError } from './errors';

/** Where the backend runs: inside Electron's main process, or the browser-mode web host under Node. */
export type HostKind = 'electron' | 'browser';

export type GpuBackend = 'cpu' | 'metal' | 'cuda' | 'vulkan';

/** The llama.cpp runtime: loaded in the background at startup; the backend is known once it is ready. */
export type LlamaRuntimeStatus =
  | { state: 'starting' }
  | { state: 'ready'; backend: GpuBackend; gpuNames: string[]; llamaCppRelease: string }
  | { state: 'failed'; error: string };

export interface AppInfo {
  name: string;
  version: string;
  host: HostKind;
  platform: string;
  arch: string;
  dataDir: string;
  versions: { node: string; electron: string | null; sqlite: string };
  llama: LlamaRuntimeStatus;
}

export interface PingStarted {
  pingId: string;
  count: number;
}

export interface PingEvent {
  pingId: string;
  /** 1-based position of this event; the last one has `seq === count`. */
  seq: number;
  count: number;
  sentAt: number;
}

/** The app's views; the menu and shortcuts navigate between them. */
export const viewIds = ['chat', 'tutor', 'mistakes', 'notes', 'models', 'settings'] as const;
export type ViewId = (typeof viewIds)[number];

/** Commands the desktop shell (menu, accelerators) asks the renderer to carry out. */
export type AppCommand = { command: 'navigate'; view: ViewId } | { command: 'new-chat' };

/** What Phidesk read from a model file's header before loading it. */
export interface ModelFileInfo {
  path: string;
  sizeBytes: number;
  architecture: string;
  name: string | null;
  /** e.g. Q4_K_M, F16. */
  quantization: string | null;
  /** The context length the model was trained with. */
  contextLength: number | null;
  parameters: number;
  /** Reasons to be careful that are not reasons to refuse (another architecture with a chat template). */
  warnings: string[];
}

/** Which llama.cpp backend to use: `auto` picks the best usable GPU, else the CPU. */
export type GpuSetting = 'auto' | GpuBackend;

/** How to load a model. Everything but the path has a sensible default. */
export interface LoadModelOptions {
  path: string;
  gpu: GpuSetting;
  /** `auto` offloads as many layers as fit in VRAM. */
  gpuLayers: 'auto' | number;
  /** `auto`: the model's trained context (2048 for Phi-2). */
  contextSize: 'auto' | number;
  /** `auto`: the measured default for this machine. */
  threads: 'auto' | number;
  /** Conversations whose evaluated prefix stays in memory at once (each holds a full context). */
  sequences: number;
}

export interface LoadedModel {
  file: ModelFileInfo;
  backend: GpuBackend;
  gpuNames: string[];
  gpuLayers: number;
  totalLayers: number;
  contextSize: number;
  threads: number;
  sequences: number;
  /** VRAM in bytes when a GPU is in use. */
  vram: { total: number; used: number } | null;
  /** Fallbacks taken while loading (fewer GPU layers, a smaller context) and other cautions. */
  warnings: string[];
}

export interface EngineState {
  model: LoadedModel | null;
  loading: { path: string; progress: number } | null;
  /** The answer being generated, and how many wait behind it. */
  running: string | null;
  queued: number;
}

export interface Sampling {
  temperature: number;
  topP: number;
  topK: number;
  minP: number;
  repeatPenalty: number;
  /** Fixed seed for reproducible answers; random when absent. */
  seed?: number | undefined;
}

export type ChatRole = 'user' | 'assistant';

export interface ChatTurn {
  role: ChatRole;
  content: string;
}

/** Why an answer ended. */
export type StopReason = 'end_token' | 'stop_trigger' | 'max_tokens' | 'user_stop' | 'error';

export interface GenerationStats {
  /** Tokens in the prompt the model saw. */
  promptTokens: number;
  /** Of those, how many were already evaluated in the context and reused. */
  reusedTokens: number;
  outputTokens: number;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number | null;
  durationMs: number;
  /** Tokens in the context after the answer, and its size. */
  contextUsed: number;
  contextSize: number;
  /** Earlier turns left out so the conversation fits the context. */
  droppedTurns: number;
}

export interface GenerationStarted {
  requestId: string;
  promptTokens: number;
  reusedTokens: number;
  contextSize: number;
  droppedTurns: number;
}

export interface GenerationDelta {
  requestId: string;
  text: string;
}

export interface GenerationDone {
  requestId: string;
  /** The whole answer (streamed deltas concatenate to it, up to trailing whitespace). */
  text: string;
  stopReason: StopReason;
  stats: GenerationStats;
  error?: WireError | undefined;
}

/** Whether a model will run well on this machine at given settings, estimated before loading it. */
export interface FitEstimate {
  verdict: 'fits' | 'may_be_slow' | 'wont_fit';
  /** One sentence a person can act on. */
  reason: string;
  contextSize: number;
  gpuLayers: number;
  totalLayers: number;
  ramNeeded: number;
  vramNeeded: number;
  ramTotal: number;
  ramFree: number;
  vramTotal: number;
  vramFree: number;
}
