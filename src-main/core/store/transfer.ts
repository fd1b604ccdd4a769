/**
 * Export a conversation (Markdown to read, JSON to keep or move) and import the JSON back. The JSON holds
 * every branch, so an imported conversation is the same tree; ids are renumbered on import.
 *
 * An imported file is untrusted: it is held to the schemas live data uses (settings, each kind's saved
 * state), its tree must be whole, and it is written in small steps that leave the event loop free between
 * them (TEST-CATALOG I13, I15). A long conversation is exported in steps too.
 */
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import { conversationSettingsSchema } from '../../../src-shared/rpc';
import type { NotesAnswerState } from '../../../src-shared/notes';
import { conversationKinds, type ConversationKind, type MessageView } from '../../../src-shared/types';
import { notesAnswerStateSchema, renumberNotesAnswerState } from '../notes/answer-state';
import { mistakeStateSchema, tutorStateSchema, type TutorState } from '../tutor/saved-state';
import { parseExport } from './parse-export';
import type { MessageRow } from './rows';
import type { Store } from './store';

export const exportFormat = 'phidesk-conversation';
/** Messages read, checked or handed over per step. */
const stepMessages = 50;
/**
 * How long one import transaction may insert before it commits and lets other work run. By time, not by
 * count: an insert costs more as the search index grows, and the commit's own sync comes on top.
 */
const insertBudgetMs = 5;
/** Deeper JSON than this is not a conversation export, whatever else it is. */
const maxNesting = 64;

const exportedMessage = z.strictObject({
  id: z.int().positive().max(Number.MAX_SAFE_INTEGER),
  parentId: z.int().positive().max(Number.MAX_SAFE_INTEGER).nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(limits.messageChars * 4),
  status: z.enum(['streaming', 'complete', 'stopped', 'interrupted', 'error']),
  createdAt: z.int().nonnegative(),
});
type ExportedMessage = z.infer<typeof exportedMessage>;

const exportedConversation = z.strictObject({
  format: z.literal(exportFormat),
  version: z.literal(1),
  conversation: z.strictObject({
    kind: z.enum(conversationKinds),
    title: z.string().max(1000),
    pinned: z.boolean(),
    createdAt: z.int().nonnegative(),
    updatedAt: z.int().nonnegative(),
    model: z.string().max(1000).nullable(),
    settings: conversationSettingsSchema,
    state: z.unknown(),
  }),
  // Handed over apart from the envelope and checked one step at a time (see readExport).
  messages: z.array(z.never()).max(0),
  leafId: z.int().nullable(),
});

export type ExportedConversation = Omit<z.infer<typeof exportedConversation>, 'messages'> & {
  messages: ExportedMessage[];
};

/** The whole conversation as JSON text, read in steps. */
export async function exportJson(store: Store, id: number): Promise<string> {
  const conversation = store.conversations.get(id);
  const head: Omit<ExportedConversation, 'messages' | 'leafId'> = {
    format: exportFormat,
    version: 1,
    conversation: {
      kind: conversation.kind,
      title: conversation.title,
      pinned: conversation.pinned,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      model: conversation.model,
      settings: conversation.settings,
      state: conversation.state,
    },
  };
  // The head as JSON.stringify indents it, then one message per line: still easy to read and diff. Each
  // step's lines are joined into one flat piece, and the pieces are concatenated, which V8 keeps as a rope
  // of a few thousand pieces: no step copies what came before, and the bytes are copied once, when sent.
  let text = `${JSON.stringify(head, null, 2).replace(/\n}$/, '')},\n  "messages": [`;
  let separator = '\n';
  for (let after = 0; ; await nextTurn()) {
    const page = store.messages.page(id, after, stepMessages);
    if (page.length > 0) {
      text += separator + page.map((row) => `    ${JSON.stringify(exportedRow(row))}`).join(',\n');
      separator = ',\n';
    }
    if (page.length < stepMessages) break;
    after = page.at(-1)!.id;
  }
  const close = separator === '\n' ? '' : '\n  ';
  return `${text}${close}],\n  "leafId": ${JSON.stringify(conversation.leafMessageId)}\n}`;
}

function exportedRow(message: MessageRow): ExportedMessage {
  return {
    id: message.id,
    parentId: message.parent_id,
    role: message.role,
    content: message.content,
    status: message.status === 'streaming' ? 'interrupted' : message.status,
    createdAt: message.created_at,
  };
}

/** The active branch as a Markdown document. */
export function exportMarkdown(store: Store, id: number): string {
  const conversation = store.conversations.get(id);
  const branch = store.messages.branch(id, conversation.leafMessageId);
  const lines = [`# ${conversation.title || 'Untitled conversation'}`, ''];
  const meta = [`Exported from Phidesk on ${new Date().toISOString().slice(0, 10)}`];
  if (conversation.model) meta.push(`model: ${conversation.model}`);
  if (conversation.settings.system) meta.push(`system: "${conversation.settings.system}"`);
  lines.push(`_${meta.join(' · ')}_`, '');
  for (const message of branch) lines.push(...markdownBlock(message));
  return lines.join('\n');
}

function markdownBlock(message: MessageView): string[] {
  const who = message.role === 'user' ? 'You' : message.role === 'assistant' ? 'Phidesk' : 'System';
  const note = message.status === 'complete' ? '' : ` _(${message.status})_`;
  return [`## ${who}${note}`, '', message.content, ''];
}

/**
 * Imports an exported conversation as a new one; returns its id. Nothing is visible until every message
 * is written; a failure removes what was written, and a crash leaves it to be purged at the next start.
 */
export async function importJson(store: Store, text: string): Promise<number> {
  const data = await readExport(text);
  const id = store.conversations.create({
    kind: data.conversation.kind,
    title: data.conversation.title,
    settings: data.conversation.settings,
    model: data.conversation.model,
    hidden: true,
  });
  try {
    const renumbered = new Map<number, number>();
    // Parents come before children (checked in readExport), so each parent's new id is known in time.
    for (let next = 0; next < data.messages.length; await nextTurn()) {
      const stepStarted = performance.now();
      next = store.stagingTransaction(() => {
        let index = next;
        for (; index < data.messages.length && performance.now() - stepStarted < insertBudgetMs; index++) {
          const message = data.messages[index]!;
          renumbered.set(
            message.id,
            store.messages.insert({
              conversationId: id,
              parentId: message.parentId === null ? null : renumbered.get(message.parentId)!,
              role: message.role,
              content: message.content,
              status: message.status === 'streaming' ? 'interrupted' : message.status,
            }),
          );
        }
        return index;
      });
    }
    const state = renumberState(data.conversation.kind, data.state, renumbered);
    // An ordinary commit: it syncs the log, and with it every step above, before the import shows.
    store.transaction(() => {
      const leaf = data.leafId === null ? undefined : renumbered.get(data.leafId);
      if (leaf !== undefined) store.conversations.setLeaf(id, leaf);
      store.conversations.restore([id]);
      if (data.conversation.pinned) store.conversations.setPinned(id, true);
      if (state !== null) store.conversations.setState(id, state);
    });
    return id;
  } catch (error) {
    store.conversations.remove(id);
    throw error;
  }
}

interface CheckedExport extends ExportedConversation {
  state: unknown;
}

/** Parses and checks an export completely before anything is written. */
async function readExport(text: string): Promise<CheckedExport> {
  const parsed = await parseExport(text, maxNesting, stepMessages);
  const envelope = exportedConversation.safeParse(parsed.envelope);
  if (!envelope.success) throw refusal(envelope.error);
  if (parsed.messages.length > limits.importedMessages)
    throw new AppError(
      'invalid_input',
      `The conversation has ${parsed.messages.length} messages; at most ${limits.importedMessages} can be imported.`,
    );
  const messages: ExportedMessage[] = [];
  const tree = new TreeCheck();
  for (let from = 0; from < parsed.messages.length; from += stepMessages) {
    const page = z.array(exportedMessage).safeParse(parsed.messages.slice(from, from + stepMessages));
    if (!page.success) throw refusal(page.error, ['messages'], from);
    for (const message of page.data) tree.add(message);
    messages.push(...page.data);
    await nextTurn();
  }
  tree.end(envelope.data.leafId);
  const kind = envelope.data.conversation.kind;
  return {
    ...envelope.data,
    messages,
    state: readImportedState(kind, envelope.data.conversation.state, messages),
  };
}

/** Ids unique, every parent an earlier message of the file, the leaf one of its messages. */
class TreeCheck {
  #seen = new Set<number>();
  #previous = 0;

  add(message: ExportedMessage): void {
    if (this.#seen.has(message.id))
      throw new AppError('invalid_input', `Message id ${message.id} appears twice in the file.`);
    if (message.id < this.#previous)
      throw new AppError(
        'invalid_input',
        `Messages must be in the order they were written (id ${message.id}).`,
      );
    if (message.parentId !== null && !this.#seen.has(message.parentId))
      throw new AppError(
        'invalid_input',
        `Message ${message.id} refers to message ${message.parentId}, which is not earlier in the file.`,
      );
    this.#seen.add(message.id);
    this.#previous = message.id;
  }

  end(leafId: number | null): void {
    if (leafId !== null && !this.#seen.has(leafId))
      throw new AppError(
        'invalid_input',
        `The conversation ends at message ${leafId}, which is not in the file.`,
      );
  }
}

/** Each kind's state through the schema its service reads it with; tutor replies must name real answers. */
function readImportedState(kind: ConversationKind, state: unknown, messages: ExportedMessage[]): unknown {
  if (kind === 'chat') {
    if (state !== null && state !== undefined)
      throw new AppError('invalid_input', `A ${kind} conversation has no saved state, but the file has one.`);
    return null;
  }
  const schema =
    kind === 'tutor' ? tutorStateSchema : kind === 'mistake' ? mistakeStateSchema : notesAnswerStateSchema;
  const parsed = schema.safeParse(state);
  if (!parsed.success) throw refusal(parsed.error, ['conversation', 'state']);
  const answers = new Set(messages.filter((m) => m.role === 'assistant').map((m) => m.id));
  const named =
    kind === 'tutor'
      ? (parsed.data as TutorState).replies.map((reply) => reply.messageId)
      : kind === 'note-assistant'
        ? (parsed.data as NotesAnswerState).answers.map((answer) => answer.messageId)
        : [];
  const missing = named.find((messageId) => !answers.has(messageId));
  if (missing !== undefined)
    throw new AppError(
      'invalid_input',
      `The ${kind} state refers to answer ${missing}, which is not in the file.`,
    );
  // Cards are not part of an export: the imported conversation made none here.
  return kind === 'note-assistant' ? { ...(parsed.data as NotesAnswerState), flashcards: [] } : parsed.data;
}

/** Tutor sessions and notes answers name their answers by message id: the ids they have now. */
function renumberState(kind: ConversationKind, state: unknown, renumbered: Map<number, number>): unknown {
  if (kind === 'note-assistant') return renumberNotesAnswerState(state as NotesAnswerState, renumbered);
  if (kind !== 'tutor') return state;
  const tutor = state as TutorState;
  return {
    ...tutor,
    replies: tutor.replies.map((reply) => ({ ...reply, messageId: renumbered.get(reply.messageId)! })),
  };
}

/** A schema's complaint as a readable refusal; `offset` renumbers a page's items as the file's. */
function refusal(error: z.ZodError, prefix: (string | number)[] = [], offset = 0): AppError {
  const where = (issue: z.core.$ZodIssue) =>
    [...prefix, ...issue.path.map((part, i) => (i === 0 && typeof part === 'number' ? part + offset : part))]
      .map(String)
      .join('.');
  const first = error.issues[0];
  return new AppError(
    'invalid_input',
    first
      ? `Not a Phidesk conversation export: ${where(first) || 'the file'}: ${first.message.replace(/^Invalid input: /, '')}.`
      : 'Not a Phidesk conversation export.',
    { issues: error.issues.slice(0, 10).map((issue) => ({ path: where(issue), message: issue.message })) },
  );
}

/** Lets whatever else is waiting (other requests, a streaming answer) run before the next step. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
