import type { ConversationDetail, ConversationSummary } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';
import { defaultRoots, resolveUserPath } from '../files/user-paths';
import type { Handlers } from '../rpc/rpc-server';
import type { StoredConversation } from './conversations';
import type { Store } from './store';
import { exportJson, exportMarkdown, importJson } from './transfer';

type StoreMethods =
  | 'conversations.list'
  | 'conversations.get'
  | 'conversations.rename'
  | 'conversations.pin'
  | 'conversations.delete'
  | 'conversations.restore'
  | 'conversations.export'
  | 'conversations.import'
  | 'search.query'
  | 'notes.list'
  | 'notes.create'
  | 'notes.update'
  | 'notes.delete'
  | 'store.backup'
  | 'store.restore';

const backupExtensions = ['.db', '.sqlite', '.sqlite3', '.backup'];

/**
 * The history store over the contract. `store()` throws `unavailable` when the database could not open;
 * `settleAnswers` stops every answer being written and resolves once each is saved (before a restore).
 */
export function storeHandlers(
  store: () => Store,
  bus: EventBus,
  dataDir: string,
  settleAnswers: () => Promise<void>,
): Pick<Handlers, StoreMethods> {
  const changed = (ids: number[]) => bus.emit('conversations.changed', { ids });
  return {
    'conversations.list': ({ kind, cursor, limit }) => store().conversations.list({ kind, cursor, limit }),
    'conversations.get': ({ id }) => conversationDetail(store(), id),
    'conversations.rename': ({ id, title }) => {
      store().conversations.rename(id, title);
      changed([id]);
      return summary(store().conversations.get(id));
    },
    'conversations.pin': ({ id, pinned }) => {
      store().conversations.setPinned(id, pinned);
      changed([id]);
      return summary(store().conversations.get(id));
    },
    'conversations.delete': ({ ids }) => {
      const deleted = store().conversations.delete(ids);
      changed(ids);
      return { deleted };
    },
    'conversations.restore': ({ ids }) => {
      const restored = store().conversations.restore(ids);
      changed(ids);
      return { restored };
    },
    'conversations.export': async ({ id, format }) => {
      const conversation = store().conversations.get(id);
      const base = fileNameFor(conversation.title);
      return format === 'markdown'
        ? { fileName: `${base}.md`, mimeType: 'text/markdown', content: exportMarkdown(store(), id) }
        : { fileName: `${base}.json`, mimeType: 'application/json', content: await exportJson(store(), id) };
    },
    'conversations.import': async ({ content }) => {
      const id = await importJson(store(), content);
      changed([id]);
      return summary(store().conversations.get(id));
    },
    'search.query': ({ query, limit }) => store().search.search(query, limit),
    'notes.list': () => store().notes.list(1000),
    'notes.create': (note) => store().notes.create(note),
    'notes.update': ({ id, ...note }) => store().notes.update(id, note),
    'notes.delete': ({ id }) => ({ deleted: store().notes.delete(id) }),
    'store.backup': async ({ path }) => {
      const target = resolveUserPath(path, {
        roots: defaultRoots(dataDir),
        mode: 'new',
        extensions: backupExtensions,
      });
      return { path: target, ...(await store().backup(target)) };
    },
    'store.restore': async ({ path }) => {
      const source = resolveUserPath(path, {
        roots: defaultRoots(dataDir),
        mode: 'file',
        extensions: backupExtensions,
      });
      const result = await store().restore(source, { settle: settleAnswers });
      changed([]);
      return result;
    },
  };
}

export function summary(conversation: StoredConversation): ConversationSummary {
  const { id, kind, title, pinned, createdAt, updatedAt, model } = conversation;
  return { id, kind, title, pinned, createdAt, updatedAt, model };
}

export function conversationDetail(store: Store, id: number): ConversationDetail {
  const conversation = store.conversations.get(id);
  return {
    ...summary(conversation),
    settings: conversation.settings,
    state: conversation.state,
    messages: store.messages.branch(id, conversation.leafMessageId),
  };
}

/** A file name from a title: no path characters, not empty, not too long. */
function fileNameFor(title: string): string {
  const cleaned = title
    // Path separators, characters Windows refuses, and control characters.
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 80);
  return cleaned || 'conversation';
}
