/**
 * The contract between the renderer and the backend: every request with its parameter schema and result
 * type, and every event the backend pushes. Both transports (Electron IPC, WebSocket) carry exactly this.
 *
 * Parameters are validated in main against these schemas; the renderer is never trusted.
 */
import { z } from 'zod';
import { limits } from './limits';
import { samplingSchema, settingsPatchSchema, type AppSettings } from './settings';
import {
  conversationKinds,
  type AnswerEnded,
  type AppCommand,
  type AppInfo,
  type ChatStarted,
  type ConversationDetail,
  type CatalogItem,
  type ContextUsage,
  type DownloadState,
  type FitEstimate,
  type InstalledModel,
  type ConversationSummary,
  type EngineState,
  type GenerationDelta,
  type GenerationDone,
  type GenerationStarted,
  type LlamaRuntimeStatus,
  type LoadedModel,
  type Note,
  type PingEvent,
  type PingStarted,
  type RunningAnswer,
  type SearchHit,
  type StoreStatus,
} from './types';
import type {
  AnalysisProgress,
  CheckReport,
  MistakeCheck,
  Problem,
  ProblemSummary,
  TutorAnswerCheck,
  TutorSession,
} from './tutor';

const noParams = z.strictObject({});
const id = z.int().positive().max(Number.MAX_SAFE_INTEGER);

/** Text a person wrote: not empty, not only whitespace, and within the limit (TEST-CATALOG I3). */
export const messageText = (maxChars: number) =>
  z
    .string()
    .max(maxChars, `Too long: at most ${maxChars} characters`)
    .refine((text) => text.trim().length > 0, 'Empty: write something first');

const gpuSetting = z.enum(['auto', 'cpu', 'metal', 'cuda', 'vulkan']);

export const chatTurnSchema = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: messageText(limits.messageChars),
});

export const conversationSettingsSchema = z.strictObject({
  system: z.string().max(limits.systemChars).optional(),
  sampling: samplingSchema.partial().optional(),
  maxTokens: z.int().min(1).max(limits.maxTokens).optional(),
});

const conversationRef = z.strictObject({ conversationId: id, messageId: id });
const filePath = z
  .string()
  .min(1)
  .max(limits.pathChars)
  .refine((path) => !path.includes('\0'), 'A path cannot contain a NUL character');
const problemId = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9-]+(~\d+)?$/, 'Not a problem id');
const noteInput = z.strictObject({
  title: z.string().max(500),
  body: z.string().max(limits.messageChars * 10),
  tags: z.array(z.string().min(1).max(50)).max(50),
});

export const requestSchemas = {
  'app.info': noParams,
  'diagnostics.ping': z.strictObject({
    count: z.int().min(1).max(limits.pingMaxCount),
    intervalMs: z.int().min(0).max(limits.pingMaxIntervalMs).default(100),
  }),

  'engine.status': noParams,
  'engine.load': z.strictObject({
    path: filePath,
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
  'engine.countTokens': z.strictObject({ text: z.string().max(limits.messageChars) }),

  'chat.send': z.strictObject({
    conversationId: id.optional(),
    kind: z.enum(conversationKinds).optional(),
    text: messageText(limits.messageChars),
    settings: conversationSettingsSchema.optional(),
  }),
  'chat.edit': z.strictObject({ conversationId: id, messageId: id, text: messageText(limits.messageChars) }),
  'chat.regenerate': conversationRef,
  'chat.continue': conversationRef,
  'chat.stop': z.strictObject({ conversationId: id }),
  'chat.running': noParams,
  'chat.switchBranch': conversationRef,
  'chat.deleteMessage': conversationRef,
  /** How full the context would be if `draft` were sent now in this conversation (a new one without an id). */
  'chat.contextUsage': z.strictObject({
    conversationId: id.optional(),
    draft: z.string().max(limits.messageChars).default(''),
  }),

  'conversations.list': z.strictObject({
    kind: z.enum(conversationKinds).optional(),
    cursor: z.string().max(100).optional(),
    limit: z.int().min(1).max(200).default(50),
  }),
  'conversations.get': z.strictObject({ id }),
  'conversations.rename': z.strictObject({ id, title: z.string().trim().min(1).max(200) }),
  'conversations.pin': z.strictObject({ id, pinned: z.boolean() }),
  'conversations.delete': z.strictObject({ ids: z.array(id).min(1).max(1000) }),
  'conversations.restore': z.strictObject({ ids: z.array(id).min(1).max(1000) }),
  'conversations.export': z.strictObject({ id, format: z.enum(['markdown', 'json']) }),
  'conversations.import': z.strictObject({ content: z.string().min(1).max(limits.messageBytes) }),

  'search.query': z.strictObject({ query: z.string().max(500), limit: z.int().min(1).max(100).default(30) }),

  'notes.list': noParams,
  'notes.create': noteInput,
  'notes.update': noteInput.extend({ id }),
  'notes.delete': z.strictObject({ id }),

  'app.openExternal': z.strictObject({ url: z.url({ protocol: /^(https?|mailto)$/ }).max(4096) }),
  /** Opens the folder holding the log file in the system's file manager (desktop); browser mode shows it. */
  'app.revealLog': noParams,

  'models.catalog': noParams,
  'models.list': noParams,
  'models.import': z.strictObject({ path: filePath, copy: z.boolean().default(false) }),
  'models.remove': z.strictObject({ path: filePath }),
  'models.load': z.strictObject({ path: filePath }),
  'models.setDefault': z.strictObject({ path: filePath.nullable() }),
  'models.fit': z.strictObject({
    path: filePath,
    contextSize: z.int().min(64).max(limits.contextSize).optional(),
    gpuLayers: z.int().min(0).max(limits.gpuLayers).optional(),
  }),
  /** Shows a model (or, without a path, the models folder) in the system's file manager. */
  'models.reveal': z.strictObject({ path: filePath.optional() }),
  /** Asks for a .gguf file with the system's dialog (desktop); browser mode types a path instead. */
  'models.chooseFile': noParams,

  'downloads.list': noParams,
  'downloads.start': z.strictObject({ catalogId: z.string().min(1).max(100) }),
  'downloads.pause': z.strictObject({ id: z.string().min(1).max(100) }),
  'downloads.resume': z.strictObject({ id: z.string().min(1).max(100) }),
  'downloads.cancel': z.strictObject({ id: z.string().min(1).max(100) }),
  /** A Hugging Face token for gated repositories (kept locally, never sent back to the page). */
  'downloads.setToken': z.strictObject({ token: z.string().trim().max(200).nullable() }),

  'problems.list': noParams,
  /** A bank problem, or a practice variant of one (`id~seed`). */
  'problems.get': z.strictObject({ id: problemId }),
  /** A practice variant with new numbers; without a seed, a random one. */
  'problems.variant': z.strictObject({
    id: problemId,
    seed: z
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .optional(),
  }),
  /** The deterministic checker alone, e.g. while a solution is typed. */
  'tutor.checkLines': z.strictObject({
    text: z.string().max(limits.solutionChars),
    problemId: problemId.optional(),
  }),

  /** A new tutor session on a bank problem (or variant), or on a problem the user typed. */
  'tutor.start': z.union([
    z.strictObject({ problemId }),
    z.strictObject({ statement: messageText(limits.problemChars) }),
  ]),
  'tutor.get': z.strictObject({ conversationId: id }),
  'tutor.solve': z.strictObject({ conversationId: id }),
  /** The next hint on the ladder, or `level` again (at most one above the highest shown). */
  'tutor.hint': z.strictObject({ conversationId: id, level: z.int().min(1).max(4).optional() }),
  'tutor.checkAnswer': z.strictObject({ conversationId: id, answer: messageText(limits.answerChars) }),

  'mistakes.check': z.strictObject({
    problem: messageText(limits.problemChars),
    solution: messageText(limits.solutionChars),
    problemId: problemId.optional(),
  }),
  'mistakes.get': z.strictObject({ conversationId: id }),
  /** Runs the model's analysis again (after a failure, a stop or a restart). */
  'mistakes.analyse': z.strictObject({ conversationId: id }),
  'mistakes.stop': z.strictObject({ conversationId: id }),

  'settings.get': noParams,
  'settings.update': settingsPatchSchema.strict(),

  'store.status': noParams,
  'store.backup': z.strictObject({ path: filePath }),
  'store.restore': z.strictObject({ path: filePath }),
};

/**
 * Methods only tests call: they drive the engine beneath the chat service (load a file by path, generate
 * outside any conversation). The server answers them only when its test surface is on (the test suites,
 * and the hosts when PHIDESK_TEST_SURFACE=1 outside a packaged app); to everyone else they do not exist.
 */
export const testSurfaceMethods = [
  'engine.load',
  'engine.cancelLoad',
  'engine.generate',
  'engine.stop',
  'engine.countTokens',
] as const satisfies readonly (keyof typeof requestSchemas)[];

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
  'engine.countTokens': { tokens: number | null };
  'chat.send': ChatStarted;
  'chat.edit': ChatStarted;
  'chat.regenerate': ChatStarted;
  'chat.continue': ChatStarted;
  'chat.stop': { stopped: boolean };
  'chat.running': RunningAnswer[];
  'chat.switchBranch': ConversationDetail;
  'chat.deleteMessage': ConversationDetail;
  'chat.contextUsage': ContextUsage | null;
  'conversations.list': { items: ConversationSummary[]; nextCursor: string | null };
  'conversations.get': ConversationDetail;
  'conversations.rename': ConversationSummary;
  'conversations.pin': ConversationSummary;
  'conversations.delete': { deleted: number };
  'conversations.restore': { restored: number };
  'conversations.export': { fileName: string; mimeType: string; content: string };
  'conversations.import': ConversationSummary;
  'search.query': SearchHit[];
  'notes.list': Note[];
  'notes.create': Note;
  'notes.update': Note;
  'notes.delete': { deleted: boolean };
  'app.openExternal': { handledBy: 'desktop' | 'renderer'; opened: boolean };
  'app.revealLog': { handledBy: 'desktop' | 'renderer'; folder: string; file: string };
  'models.catalog': CatalogItem[];
  'models.list': { models: InstalledModel[]; folder: string };
  'models.import': InstalledModel;
  'models.remove': { removed: boolean; fileDeleted: boolean };
  'models.load': LoadedModel;
  'models.setDefault': { defaultModel: string | null };
  'models.fit': FitEstimate;
  'models.reveal': { handledBy: 'desktop' | 'renderer'; path: string };
  'models.chooseFile': { handledBy: 'desktop'; path: string | null } | { handledBy: 'renderer' };
  'downloads.list': { downloads: DownloadState[]; hasToken: boolean };
  'downloads.start': DownloadState;
  'downloads.pause': { paused: boolean };
  'downloads.resume': DownloadState;
  'downloads.cancel': { cancelled: boolean };
  'downloads.setToken': { hasToken: boolean };
  'problems.list': ProblemSummary[];
  'problems.get': Problem;
  'problems.variant': Problem;
  'tutor.checkLines': CheckReport;
  'tutor.start': TutorSession;
  'tutor.get': TutorSession;
  'tutor.solve': ChatStarted;
  'tutor.hint': ChatStarted;
  'tutor.checkAnswer': TutorAnswerCheck;
  'mistakes.check': MistakeCheck;
  'mistakes.get': MistakeCheck;
  'mistakes.analyse': MistakeCheck;
  'mistakes.stop': { stopped: boolean };
  'settings.get': AppSettings;
  'settings.update': AppSettings;
  'store.status': StoreStatus;
  'store.backup': { path: string; bytes: number };
  'store.restore': { movedTo: string };
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
  /** An answer started (`streaming`) or ended in a conversation. */
  'chat.answer': AnswerEnded;
  /** Conversations were created, renamed, pinned, deleted or answered: lists should refresh. */
  'conversations.changed': { ids: number[] };
  'settings.changed': AppSettings;
  'downloads.changed': DownloadState[];
  /** Installed models were added, removed or changed (default, last used). */
  'models.changed': Record<string, never>;
  /** A mistake check's analysis is being written (tokens so far), or has ended (`mistakes.get` to read it). */
  'mistakes.progress': AnalysisProgress;
  'mistakes.ended': { conversationId: number };
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
