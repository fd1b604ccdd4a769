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
  /** The log file (`<dataDir>/logs/phidesk.log`); null when this run logs to stderr only. */
  logFile: string | null;
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
export type AppCommand =
  { command: 'navigate'; view: ViewId } | { command: 'new-chat' } | { command: 'search' };

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
  /** The process llama.cpp runs in; null for an engine inside the calling process (tests, benchmarks). */
  process: EngineProcess | null;
}

/**
 * Memory honesty: what the engine process really holds beside what the fit estimate said the model would
 * need, so Settings can show both and a test can hold the estimate to the measure.
 */
export interface EngineMemory {
  /** Resident memory of the engine process now, bytes. */
  rssBytes: number;
  /** Resident memory when it had started and loaded nothing: the runtime's own share. */
  baselineBytes: number;
  /** The fit estimate's RAM for the loaded model at its settings; null without a model. */
  modelEstimateBytes: number | null;
}

/** The engine's own process (engine isolation): a native crash there never takes the app down. */
export interface EngineProcess {
  /**
   * `starting`: being started (the first time, or again after a stop); `running`: serving; `restarting`: it
   * stopped unexpectedly and is started again after a pause; `failed`: it stopped too often, see `failure`.
   */
  status: 'starting' | 'running' | 'restarting' | 'failed';
  pid: number | null;
  /** Its memory as it last reported it (null before the first report); see EngineMemory. */
  memory: EngineMemory | null;
  /** The last unexpected stop: what happened (exit code or signal) and when (ms since the epoch). */
  lastCrash: { message: string; at: number } | null;
  /** Why it stopped restarting and what to try instead (set with `failed`). */
  failure: string | null;
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

/** Why an answer ended; `crashed`: the engine process stopped under it (its text so far is kept). */
export type StopReason = 'end_token' | 'stop_trigger' | 'max_tokens' | 'user_stop' | 'error' | 'crashed';

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

export const conversationKinds = ['chat', 'tutor', 'mistake', 'note-assistant'] as const;
export type ConversationKind = (typeof conversationKinds)[number];

export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'interrupted' | 'error';

/** The settings a conversation was answered with, kept so it can be continued the same way. */
export interface ConversationSettings {
  system?: string | undefined;
  sampling?: Partial<Sampling> | undefined;
  maxTokens?: number | undefined;
}

export interface ConversationSummary {
  id: number;
  kind: ConversationKind;
  title: string;
  pinned: boolean;
  createdAt: number;
  updatedAt: number;
  model: string | null;
}

export interface MessageStats {
  promptTokens: number | null;
  outputTokens: number | null;
  timeToFirstTokenMs: number | null;
  tokensPerSecond: number | null;
  stopReason: StopReason | null;
}

export interface MessageView {
  id: number;
  parentId: number | null;
  role: 'system' | 'user' | 'assistant';
  content: string;
  status: MessageStatus;
  createdAt: number;
  updatedAt: number;
  stats: MessageStats;
  error: string | null;
  /** Its place among the versions of this turn (edits, regenerations): 1-based, and how many there are. */
  branch: { index: number; count: number; siblingIds: number[] };
}

export interface ConversationDetail extends ConversationSummary {
  settings: ConversationSettings;
  /** Kind-specific state (a tutor's hint level, a check's findings). */
  state: unknown;
  /** The active branch, oldest first. */
  messages: MessageView[];
}

export interface SearchHit {
  kind: 'message' | 'title' | 'note';
  conversationId: number | null;
  conversationKind: ConversationKind | null;
  messageId: number | null;
  noteId: number | null;
  title: string;
  /** Matched words are wrapped in U+E000 … U+E001; the renderer turns them into highlights. */
  snippet: string;
  updatedAt: number;
}

/** How a history database was recovered at startup, to tell the user. */
export interface StoreStatus {
  path: string;
  state: 'open' | 'failed';
  error?: { code: string; message: string } | undefined;
  /** Set when a damaged file was moved aside and a fresh one created (TEST-CATALOG F4). */
  recovered?: { movedTo: string; reason: string } | undefined;
  /** Answers that were streaming when the app last stopped, now marked interrupted. */
  interruptedAnswers: number;
}

export interface RegisteredModel {
  id: number;
  path: string;
  name: string;
  quantization: string | null;
  sizeBytes: number;
  sha256: string | null;
  source: 'download' | 'import' | 'folder';
  architecture: string | null;
  contextLength: number | null;
  addedAt: number;
  lastUsedAt: number | null;
}

/** An answer being written into a conversation. */
/** An answer a conversation is being given: the assistant message it is written into. */
export interface AnswerRef {
  conversationId: number;
  messageId: number;
}

/**
 * An answer was accepted, or its place in the engine's queue changed: `queuePosition` requests are ahead of
 * it (0: the model is on it, reading the prompt or writing).
 */
export interface AnswerStarted extends AnswerRef {
  queuePosition: number;
}

/** New text of an answer being written, with live figures measured by the engine since it began. */
export interface AnswerDelta extends AnswerRef {
  text: string;
  /** The text so far is replaced by `text` (a structured answer that failed its check is written again). */
  restart: boolean;
  /** Tokens written so far, milliseconds since the model began on it, and to its first token. */
  outputTokens: number;
  elapsedMs: number;
  firstTokenMs: number | null;
}

/** An answer ended; what was saved is read back from the store. */
export interface AnswerEnded extends AnswerRef {
  status: Exclude<MessageStatus, 'streaming'>;
  stats: MessageStats | null;
  error: string | null;
}

/** An answer being written, with its text and figures so far (to follow it after a reload: TEST-CATALOG C4). */
export interface RunningAnswer extends AnswerRef {
  content: string;
  queuePosition: number;
  outputTokens: number;
  elapsedMs: number;
  firstTokenMs: number | null;
}

/** What starting an answer created. */
export interface ChatStarted extends AnswerRef {
  /** The user message it answers (new for send and edit; the existing one for regenerate and continue). */
  userMessageId: number;
  /** The text the answer starts with: what is continued, or the start a prompt template primes. */
  answerStart: string;
  queuePosition: number;
}

/** How much of the model's context a conversation takes, to warn before older turns drop out. */
export interface ContextUsage {
  /** Tokens of the prompt that would be sent, after any older turns are left out. */
  promptTokens: number;
  /** Tokens kept free for the answer. */
  answerTokens: number;
  contextSize: number;
  /** Earlier messages left out of the model's view. */
  droppedTurns: number;
  /** The last message alone is too long to send. */
  tooLong: boolean;
}

/** A model Phidesk offers to download (resources/models/catalog.json). */
export interface CatalogEntry {
  id: string;
  name: string;
  quantization: string;
  file: string;
  /** Exact when `sizeExact`; otherwise approximate until read from Hugging Face before downloading. */
  sizeBytes: number;
  sizeExact: boolean;
  /** Known in advance, or read from Hugging Face (the file's LFS oid) before downloading. */
  sha256: string | null;
  /** Memory needed at the trained context with no GPU offload. */
  ramBytes: number;
  recommended?: boolean | undefined;
  summary: string;
}

export interface CatalogItem extends CatalogEntry {
  /** A chat model answers; an embedding model only makes the notes index's vectors, and is never loaded to chat. */
  purpose: 'chat' | 'embedding';
  url: string;
  /** Where it is installed, if it is. */
  installedPath: string | null;
  fit: { verdict: FitEstimate['verdict']; reason: string };
}

export type DownloadStatus = 'starting' | 'downloading' | 'paused' | 'verifying' | 'failed' | 'complete';

export interface DownloadState {
  id: string;
  name: string;
  url: string;
  /** Where the finished file goes (it is written as `<path>.part` until verified). */
  path: string;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  secondsLeft: number | null;
  status: DownloadStatus;
  error: string | null;
}

export interface InstalledModel extends RegisteredModel {
  /** False when the file has gone (moved or deleted outside Phidesk). */
  exists: boolean;
  isDefault: boolean;
  loaded: boolean;
  /** Phidesk's own copy, in its models folder (deleting removes the file too). */
  inModelsFolder: boolean;
}
