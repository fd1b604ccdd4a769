/**
 * Export a conversation (Markdown to read, JSON to keep or move) and import the JSON back. The JSON holds
 * every branch, so an imported conversation is the same tree; ids are renumbered on import.
 */
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import { conversationKinds, type MessageView } from '../../../src-shared/types';
import type { Store } from './store';

export const exportFormat = 'phidesk-conversation';

const exportedMessage = z.strictObject({
  id: z.int(),
  parentId: z.int().nullable(),
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(limits.messageChars * 4),
  status: z.enum(['streaming', 'complete', 'stopped', 'interrupted', 'error']),
  createdAt: z.int().nonnegative(),
});

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
    settings: z.record(z.string(), z.unknown()),
    state: z.unknown(),
  }),
  messages: z.array(exportedMessage).max(100_000),
  leafId: z.int().nullable(),
});

export type ExportedConversation = z.infer<typeof exportedConversation>;

export function exportJson(store: Store, id: number): ExportedConversation {
  const conversation = store.conversations.get(id);
  return {
    format: exportFormat,
    version: 1,
    conversation: {
      kind: conversation.kind,
      title: conversation.title,
      pinned: conversation.pinned,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      model: conversation.model,
      settings: conversation.settings as Record<string, unknown>,
      state: conversation.state,
    },
    messages: store.messages.all(id).map((message) => ({
      id: message.id,
      parentId: message.parent_id,
      role: message.role,
      content: message.content,
      status: message.status === 'streaming' ? 'interrupted' : message.status,
      createdAt: message.created_at,
    })),
    leafId: conversation.leafMessageId,
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

/** Imports an exported conversation as a new one; returns its id. */
export function importJson(store: Store, text: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('invalid_input', 'The file is not JSON.');
  }
  const result = exportedConversation.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new AppError(
      'invalid_input',
      `Not a Phidesk conversation export: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim(),
    );
  }
  const data = result.data;
  const known = new Set(data.messages.map((message) => message.id));
  return store.transaction(() => {
    const id = store.conversations.create({
      kind: data.conversation.kind,
      title: data.conversation.title,
      settings: data.conversation.settings,
      model: data.conversation.model,
    });
    const renumbered = new Map<number, number>();
    // Parents come before children in an export; anything else is refused rather than guessed.
    for (const message of [...data.messages].sort((a, b) => a.id - b.id)) {
      if (message.parentId !== null && (!known.has(message.parentId) || !renumbered.has(message.parentId))) {
        throw new AppError('invalid_input', `Message ${message.id} refers to a missing earlier message.`);
      }
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
    const leaf = data.leafId === null ? undefined : renumbered.get(data.leafId);
    if (leaf !== undefined) store.conversations.setLeaf(id, leaf);
    if (data.conversation.pinned) store.conversations.setPinned(id, true);
    if (data.conversation.state !== undefined) store.conversations.setState(id, data.conversation.state);
    return id;
  });
}
