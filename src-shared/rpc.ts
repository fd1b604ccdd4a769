/**
 * The contract between the renderer and the backend: every request with its parameter schema and result
 * type, and every event the backend pushes. Both transports (Electron IPC, WebSocket) carry exactly this.
 *
 * Parameters are validated in main against these schemas; the renderer is never trusted.
 *
 * Layout: each method is declared once, in its namespace's group (`appMethods`, `engineMethods`, …), as
 * `'ns.name': method<Result>()(paramsSchema)`: the schema is the runtime half, the result a type only.
 * `methods` joins the groups; `requestSchemas`, `Results`, `Params` and the rest are derived from it.
 * Events, which have no parameters, are the `Events` interface at the end.
 */
import { z } from 'zod';
import { limits } from './limits';
import { samplingSchema, settingsPatchSchema, type AppSettings } from './settings';
import {
  conversationKinds,
  type AnswerDelta,
  type AnswerEnded,
  type AnswerStarted,
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
  type GenerationDone,
  type LlamaRuntimeStatus,
  type LoadedModel,
  type PingEvent,
  type PingStarted,
  type RunningAnswer,
  type SearchHit,
  type StoreStatus,
} from './types';
import type {
  CheckReport,
  MistakeCheck,
  Problem,
  ProblemSummary,
  TutorAnswerCheck,
  TutorSession,
} from './tutor';
import {
  noteSorts,
  type ImportReport,
  type Note,
  type NoteChunkHit,
  type NoteList,
  type NotesIndexStatus,
} from './notes';
import {
  flashcardLimits,
  type DeckSummary,
  type Flashcard,
  type FlashcardsChanged,
  type ReviewCard,
  type ReviewStep,
} from './flashcards';

// ---------------------------------------------------------------------------------------------------------
// How a method is declared

/** Carries a method's result type; it exists only for the compiler, so no code can read it at runtime. */
declare const resultType: unique symbol;

/** A method of the contract: its parameters' schema, and (as a type only) what it resolves to. */
interface MethodSpec<P extends z.ZodType, R> {
  readonly params: P;
  readonly [resultType]: R;
}

/** `method<Result>()(paramsSchema)`: the result type is given, the schema's type is inferred. */
function method<R>() {
  return <P extends z.ZodType>(params: P) => ({ params }) as MethodSpec<P, R>;
}

/** A group's methods, each named `namespace.name` with one of the group's namespaces. */
type Group<Namespace extends string> = Record<`${Namespace}.${string}`, MethodSpec<z.ZodType, unknown>>;

// ---------------------------------------------------------------------------------------------------------
// Shared schemas

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
const noteTitle = z.string().max(limits.noteTitleChars);
const noteBody = z
  .string()
  .max(limits.noteChars, `Too long: a note holds at most ${limits.noteChars} characters`);
const noteTags = z.array(z.string().trim().min(1).max(50)).max(50);
/** "Physics/Mechanics": slash-separated names, none empty, no leading or trailing slash; '' is the top. */
const noteFolder = z
  .string()
  .max(500)
  .refine(
    (folder) => folder === '' || folder.split('/').every((part) => part.trim() === part && part.length > 0),
    'A folder is names separated by "/", none of them empty',
  );
const noteIds = z.array(id).min(1).max(10_000);
const downloadId = z.strictObject({ id: z.string().min(1).max(100) });

// ---------------------------------------------------------------------------------------------------------
// The methods, by namespace

const appMethods = {
  'app.info': method<AppInfo>()(noParams),
  'app.openExternal': method<{ handledBy: 'desktop' | 'renderer'; opened: boolean }>()(
    z.strictObject({ url: z.url({ protocol: /^(https?|mailto)$/ }).max(4096) }),
  ),
  /** Opens the folder holding the log file in the system's file manager (desktop); browser mode shows it. */
  'app.revealLog': method<{ handledBy: 'desktop' | 'renderer'; folder: string; file: string }>()(noParams),
  'diagnostics.ping': method<PingStarted>()(
    z.strictObject({
      count: z.int().min(1).max(limits.pingMaxCount),
      intervalMs: z.int().min(0).max(limits.pingMaxIntervalMs).default(100),
    }),
  ),
} satisfies Group<'app' | 'diagnostics'>;

const engineMethods = {
  'engine.status': method<EngineState>()(noParams),
  'engine.load': method<LoadedModel>()(
    z.strictObject({
      path: filePath,
      gpu: gpuSetting.default('auto'),
      gpuLayers: z.union([z.literal('auto'), z.int().min(0).max(limits.gpuLayers)]).default('auto'),
      contextSize: z.union([z.literal('auto'), z.int().min(64).max(limits.contextSize)]).default('auto'),
      threads: z.union([z.literal('auto'), z.int().min(1).max(limits.threads)]).default('auto'),
      sequences: z.int().min(1).max(limits.sequences).default(2),
    }),
  ),
  'engine.cancelLoad': method<{ cancelled: boolean }>()(noParams),
  /** Starts the engine process again (after it gave up restarting by itself), with the model it had. */
  'engine.restart': method<EngineState>()(noParams),
  'engine.unload': method<{ unloaded: boolean }>()(noParams),
  /** Runs to the end and resolves with the whole answer (test surface: no conversation, no events). */
  'engine.generate': method<GenerationDone>()(
    z.strictObject({
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
  ),
  'engine.countTokens': method<{ tokens: number | null }>()(
    z.strictObject({ text: z.string().max(limits.messageChars) }),
  ),
} satisfies Group<'engine'>;

const chatMethods = {
  'chat.send': method<ChatStarted>()(
    z.strictObject({
      conversationId: id.optional(),
      kind: z.enum(conversationKinds).optional(),
      text: messageText(limits.messageChars),
      settings: conversationSettingsSchema.optional(),
    }),
  ),
  'chat.edit': method<ChatStarted>()(
    z.strictObject({ conversationId: id, messageId: id, text: messageText(limits.messageChars) }),
  ),
  'chat.regenerate': method<ChatStarted>()(conversationRef),
  'chat.continue': method<ChatStarted>()(conversationRef),
  'chat.switchBranch': method<ConversationDetail>()(conversationRef),
  'chat.deleteMessage': method<ConversationDetail>()(conversationRef),
  /** How full the context would be if `draft` were sent now in this conversation (a new one without an id). */
  'chat.contextUsage': method<ContextUsage | null>()(
    z.strictObject({
      conversationId: id.optional(),
      draft: z.string().max(limits.messageChars).default(''),
    }),
  ),
} satisfies Group<'chat'>;

const answersMethods = {
  /** Answers being written (in one conversation, or all), with their text so far. */
  'answers.running': method<RunningAnswer[]>()(z.strictObject({ conversationId: id.optional() })),
  /** Stops the answer being written in a conversation, or into a message, keeping its text. */
  'answers.stop': method<{ stopped: boolean }>()(
    z.union([z.strictObject({ conversationId: id }), z.strictObject({ messageId: id })]),
  ),
  /**
   * The conversations this connection shows: their answers' events (`answer.*`) come to it, and no others.
   * Starting an answer also follows its conversation.
   */
  'answers.follow': method<{ following: number }>()(
    z.strictObject({ conversationIds: z.array(id).max(limits.followedConversations) }),
  ),
} satisfies Group<'answers'>;

const conversationsMethods = {
  'conversations.list': method<{ items: ConversationSummary[]; nextCursor: string | null }>()(
    z.strictObject({
      kind: z.enum(conversationKinds).optional(),
      cursor: z.string().max(100).optional(),
      limit: z.int().min(1).max(200).default(50),
    }),
  ),
  'conversations.get': method<ConversationDetail>()(z.strictObject({ id })),
  'conversations.rename': method<ConversationSummary>()(
    z.strictObject({ id, title: z.string().trim().min(1).max(200) }),
  ),
  'conversations.pin': method<ConversationSummary>()(z.strictObject({ id, pinned: z.boolean() })),
  'conversations.delete': method<{ deleted: number }>()(
    z.strictObject({ ids: z.array(id).min(1).max(1000) }),
  ),
  'conversations.restore': method<{ restored: number }>()(
    z.strictObject({ ids: z.array(id).min(1).max(1000) }),
  ),
  'conversations.export': method<{ fileName: string; mimeType: string; content: string }>()(
    z.strictObject({ id, format: z.enum(['markdown', 'json']) }),
  ),
  'conversations.import': method<ConversationSummary>()(
    z.strictObject({ content: z.string().min(1).max(limits.messageBytes) }),
  ),
} satisfies Group<'conversations'>;

const searchMethods = {
  'search.query': method<SearchHit[]>()(
    z.strictObject({ query: z.string().max(500), limit: z.int().min(1).max(100).default(30) }),
  ),
} satisfies Group<'search'>;

const notesMethods = {
  'notes.list': method<NoteList>()(
    z.strictObject({
      folder: noteFolder.optional(),
      tag: z.string().max(50).optional(),
      /** Words in the title or body. */
      query: z.string().max(500).optional(),
      sort: z.enum(noteSorts).default('updated'),
      limit: z.int().min(1).max(5000).default(1000),
    }),
  ),
  'notes.get': method<Note>()(z.strictObject({ id })),
  'notes.create': method<Note>()(
    z.strictObject({
      title: noteTitle.default(''),
      body: noteBody.default(''),
      tags: noteTags.default([]),
      folder: noteFolder.default(''),
    }),
  ),
  /** Changes what is given (autosave sends the body alone); the index re-reads the note when it changed. */
  'notes.update': method<Note>()(
    z.strictObject({
      id,
      title: noteTitle.optional(),
      body: noteBody.optional(),
      tags: noteTags.optional(),
      folder: noteFolder.optional(),
    }),
  ),
  'notes.duplicate': method<Note>()(z.strictObject({ id })),
  /** Moves notes to the bin; `notes.restore` brings them back (Undo) until the next start empties it. */
  'notes.delete': method<{ deleted: number }>()(z.strictObject({ ids: noteIds })),
  'notes.restore': method<{ restored: number }>()(z.strictObject({ ids: noteIds })),
  /** One note as a Markdown file's content (the page saves it). */
  'notes.export': method<{ fileName: string; mimeType: string; content: string }>()(z.strictObject({ id })),
  /** Writes notes as `.md` files into a folder (created if missing), mirroring their folders. */
  'notes.exportFolder': method<{ written: number; directory: string }>()(
    z.strictObject({ directory: filePath, folder: noteFolder.optional() }),
  ),
  /** Imports `.md`, `.txt` and `.pdf` files, or every such file under a folder; bad files are reported. */
  'notes.import': method<ImportReport>()(
    z.strictObject({ paths: z.array(filePath).min(1).max(100), folder: noteFolder.default('') }),
  ),
  'notes.cancelImport': method<{ cancelled: boolean }>()(noParams),
  /** Asks for files or a folder with the system's dialog (desktop); browser mode types a path instead. */
  'notes.chooseImport': method<{ handledBy: 'desktop'; paths: string[] } | { handledBy: 'renderer' }>()(
    z.strictObject({ folder: z.boolean().default(false) }),
  ),
  'notes.indexStatus': method<NotesIndexStatus>()(noParams),
  /** Pauses the index (cancel) or lets it go on where it stopped. */
  'notes.setIndexing': method<NotesIndexStatus>()(z.strictObject({ paused: z.boolean() })),
  /** The pieces of notes that best match a question: words and, once embedded, meaning. */
  'notes.search': method<NoteChunkHit[]>()(
    z.strictObject({
      query: z.string().trim().min(1).max(2000),
      limit: z.int().min(1).max(50).default(8),
      noteId: id.optional(),
    }),
  ),
  /** Answers from the notes with numbered sources (a new note-assistant conversation, or a follow-up). */
  'notes.ask': method<ChatStarted>()(
    z.strictObject({
      question: messageText(limits.problemChars),
      /** Only this note ("Ask about this note"). */
      noteId: id.optional(),
      conversationId: id.optional(),
    }),
  ),
  /** A bounded summary of one note, written as an answer; `notes.create` saves it as a note if wanted. */
  'notes.summarise': method<ChatStarted>()(z.strictObject({ id })),
} satisfies Group<'notes'>;

const modelsMethods = {
  'models.catalog': method<CatalogItem[]>()(noParams),
  'models.list': method<{ models: InstalledModel[]; folder: string }>()(noParams),
  'models.import': method<InstalledModel>()(
    z.strictObject({ path: filePath, copy: z.boolean().default(false) }),
  ),
  'models.remove': method<{ removed: boolean; fileDeleted: boolean }>()(z.strictObject({ path: filePath })),
  'models.load': method<LoadedModel>()(z.strictObject({ path: filePath })),
  'models.setDefault': method<{ defaultModel: string | null }>()(
    z.strictObject({ path: filePath.nullable() }),
  ),
  'models.fit': method<FitEstimate>()(
    z.strictObject({
      path: filePath,
      contextSize: z.int().min(64).max(limits.contextSize).optional(),
      gpuLayers: z.int().min(0).max(limits.gpuLayers).optional(),
    }),
  ),
  /** Shows a model (or, without a path, the models folder) in the system's file manager. */
  'models.reveal': method<{ handledBy: 'desktop' | 'renderer'; path: string }>()(
    z.strictObject({ path: filePath.optional() }),
  ),
  /** Asks for a .gguf file with the system's dialog (desktop); browser mode types a path instead. */
  'models.chooseFile': method<{ handledBy: 'desktop'; path: string | null } | { handledBy: 'renderer' }>()(
    noParams,
  ),
} satisfies Group<'models'>;

const downloadsMethods = {
  'downloads.list': method<{ downloads: DownloadState[]; hasToken: boolean }>()(noParams),
  'downloads.start': method<DownloadState>()(z.strictObject({ catalogId: z.string().min(1).max(100) })),
  'downloads.pause': method<{ paused: boolean }>()(downloadId),
  'downloads.resume': method<DownloadState>()(downloadId),
  'downloads.cancel': method<{ cancelled: boolean }>()(downloadId),
  /** A Hugging Face token for gated repositories (kept locally, never sent back to the page). */
  'downloads.setToken': method<{ hasToken: boolean }>()(
    z.strictObject({ token: z.string().trim().max(200).nullable() }),
  ),
} satisfies Group<'downloads'>;

const tutorMethods = {
  'problems.list': method<ProblemSummary[]>()(noParams),
  /** A bank problem, or a practice variant of one (`id~seed`). */
  'problems.get': method<Problem>()(z.strictObject({ id: problemId })),
  /** A practice variant with new numbers; without a seed, a random one. */
  'problems.variant': method<Problem>()(
    z.strictObject({
      id: problemId,
      seed: z
        .int()
        .min(0)
        .max(2 ** 31 - 1)
        .optional(),
    }),
  ),
  /** The deterministic checker alone, e.g. while a solution is typed. */
  'tutor.checkLines': method<CheckReport>()(
    z.strictObject({
      text: z.string().max(limits.solutionChars),
      problemId: problemId.optional(),
    }),
  ),
  /** A new tutor session on a bank problem (or variant), or on a problem the user typed. */
  'tutor.start': method<TutorSession>()(
    z.union([z.strictObject({ problemId }), z.strictObject({ statement: messageText(limits.problemChars) })]),
  ),
  'tutor.get': method<TutorSession>()(z.strictObject({ conversationId: id })),
  'tutor.solve': method<ChatStarted>()(z.strictObject({ conversationId: id })),
  /** The next hint on the ladder, or `level` again (at most one above the highest shown). */
  'tutor.hint': method<ChatStarted>()(
    z.strictObject({ conversationId: id, level: z.int().min(1).max(4).optional() }),
  ),
  'tutor.checkAnswer': method<TutorAnswerCheck>()(
    z.strictObject({ conversationId: id, answer: messageText(limits.answerChars) }),
  ),
} satisfies Group<'problems' | 'tutor'>;

const mistakesMethods = {
  'mistakes.check': method<MistakeCheck>()(
    z.strictObject({
      problem: messageText(limits.problemChars),
      solution: messageText(limits.solutionChars),
      problemId: problemId.optional(),
    }),
  ),
  'mistakes.get': method<MistakeCheck>()(z.strictObject({ conversationId: id })),
  /** Runs the model's analysis again (after a failure, a stop or a restart). */
  'mistakes.analyse': method<MistakeCheck>()(z.strictObject({ conversationId: id })),
} satisfies Group<'mistakes'>;

const settingsMethods = {
  'settings.get': method<AppSettings>()(noParams),
  'settings.update': method<AppSettings>()(settingsPatchSchema.strict()),
} satisfies Group<'settings'>;

const deckName = z.string().trim().min(1, 'A deck needs a name').max(flashcardLimits.deckChars);
const flashcardIds = z.array(id).min(1).max(10_000);

const flashcardsMethods = {
  /** Writes up to `count` flashcards from a note as an answer; they are saved when it ends (`flashcards.changed`). */
  'flashcards.generate': method<ChatStarted>()(
    z.strictObject({ noteId: id, count: z.int().min(1).max(flashcardLimits.perGeneration).default(5) }),
  ),
  /** Cards in a deck, or made from a note, or all of them. */
  'flashcards.list': method<Flashcard[]>()(
    z.strictObject({ deck: deckName.optional(), noteId: id.optional() }),
  ),
  'flashcards.update': method<Flashcard>()(
    z.strictObject({
      id,
      front: messageText(flashcardLimits.frontChars).optional(),
      back: messageText(flashcardLimits.backChars).optional(),
      deck: deckName.optional(),
    }),
  ),
  /** Moves cards to the bin; `flashcards.restore` brings them back (Undo) until the next start empties it. */
  'flashcards.delete': method<{ deleted: number }>()(z.strictObject({ ids: flashcardIds })),
  'flashcards.restore': method<{ restored: number }>()(z.strictObject({ ids: flashcardIds })),
  'flashcards.decks': method<DeckSummary[]>()(noParams),
  /** The card to review next in a deck (or in any), with what each grade would schedule. */
  'flashcards.next': method<ReviewStep>()(z.strictObject({ deck: deckName.optional() })),
  /** Grades a review now (1 Again, 2 Hard, 3 Good, 4 Easy); returns the card with its new due time. */
  'flashcards.review': method<ReviewCard>()(z.strictObject({ id, grade: z.literal([1, 2, 3, 4]) })),
} satisfies Group<'flashcards'>;

const storeMethods = {
  'store.status': method<StoreStatus>()(noParams),
  'store.backup': method<{ path: string; bytes: number }>()(z.strictObject({ path: filePath })),
  'store.restore': method<{ movedTo: string }>()(z.strictObject({ path: filePath })),
} satisfies Group<'store'>;

/**
 * Every method of the contract. A spread would let a later group silently replace an earlier group's
 * method of the same name; that cannot happen because each group is held (`satisfies Group<…>`) to
 * namespaces of its own, and no namespace belongs to two groups.
 */
const methods = {
  ...appMethods,
  ...engineMethods,
  ...chatMethods,
  ...answersMethods,
  ...conversationsMethods,
  ...searchMethods,
  ...notesMethods,
  ...modelsMethods,
  ...downloadsMethods,
  ...tutorMethods,
  ...mistakesMethods,
  ...settingsMethods,
  ...storeMethods,
  ...flashcardsMethods,
};

// ---------------------------------------------------------------------------------------------------------
// Derived from `methods`

export type Method = keyof typeof methods;

/** Each method's parameter schema, the object main validates requests against. */
export const requestSchemas = Object.fromEntries(
  Object.entries(methods).map(([name, spec]) => [name, spec.params]),
) as { [M in keyof typeof methods]: (typeof methods)[M]['params'] };

/** What each request resolves to. */
export type Results = { [M in keyof typeof methods]: (typeof methods)[M][typeof resultType] };

/** Parameters as the caller writes them (defaults may be omitted). */
export type Params<M extends Method> = z.input<(typeof requestSchemas)[M]>;
/** Parameters as a handler receives them: validated, defaults filled in. */
export type ValidParams<M extends Method> = z.output<(typeof requestSchemas)[M]>;
export type Result<M extends Method> = Results[M];

// There is no completeness check between schemas and results any more: each method declares both at once,
// so one cannot exist without the other.

/**
 * Methods only tests call: they drive the engine beneath the chat service (load a file by path, generate
 * outside any conversation). The server answers them only when its test surface is on (the test suites,
 * and the hosts when PHIDESK_TEST_SURFACE=1 outside a packaged app); to everyone else they do not exist.
 */
export const testSurfaceMethods = [
  'engine.load',
  'engine.cancelLoad',
  'engine.generate',
  'engine.countTokens',
] as const satisfies readonly Method[];

/**
 * Methods whose result starts an answer (it carries the conversation's id): the connection that called one
 * follows that conversation's answers from then on.
 */
export const answerStartingMethods = [
  'chat.send',
  'chat.edit',
  'chat.regenerate',
  'chat.continue',
  'tutor.solve',
  'tutor.hint',
  'mistakes.check',
  'mistakes.analyse',
  'notes.ask',
  'notes.summarise',
  'flashcards.generate',
] as const satisfies readonly Method[];

// ---------------------------------------------------------------------------------------------------------
// Events

/** Events about one conversation's answer: sent only to the connections that follow it. */
export const followedEvents = ['answer.started', 'answer.delta', 'answer.ended'] as const;

/** Events pushed by the backend: to every connection, except `followedEvents` (to the followers only). */
export interface Events {
  'app.command': AppCommand;
  'diagnostics.ping': PingEvent;
  'llama.runtime': LlamaRuntimeStatus;
  'engine.state': EngineState;
  /** An answer was accepted or moved up the queue; its text streams as deltas until it ends. */
  'answer.started': AnswerStarted;
  'answer.delta': AnswerDelta;
  'answer.ended': AnswerEnded;
  /** Conversations were created, renamed, pinned, deleted or answered: lists should refresh. */
  'conversations.changed': { ids: number[] };
  'settings.changed': AppSettings;
  /** Notes were created, changed, moved, deleted or restored: lists should refresh. */
  'notes.changed': { ids: number[] };
  /** The notes index moved on (at most a few times a second). */
  'notes.index': NotesIndexStatus;
  'downloads.changed': DownloadState[];
  /** Installed models were added, removed or changed (default, last used). */
  'models.changed': Record<string, never>;
  /** Flashcards were made, edited, deleted, restored or reviewed, or a generation ended: lists should refresh. */
  'flashcards.changed': FlashcardsChanged;
}

export type EventName = keyof Events;
