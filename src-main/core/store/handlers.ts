import type { ConversationDetail, ConversationSummary } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';
import { fileNameFor } from '../files/file-name';
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
  | 'store.backup'
  | 'store.restore';

const backupExtensions = ['.db', '.sqlite', '.sqlite3', '.backup'];

/**
 * The history store over the contract. `store()` throws `unavailable` when the database could not open;
 * `restoring.before` stops every answer being written (and the notes index) and resolves once each is
 * saved; `restoring.after` lets what reads the database start again on the restored one.
 */
export function storeHandlers(
  store: () => Store,
  bus: EventBus,
  dataDir: string,
  restoring: { before: () => Promise<void>; after: () => void },
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
      const base = fileNameFor(conversation.title, 'conversation');
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
      try {
        return await store().restore(source, { settle: restoring.before });
      } finally {
        restoring.after();
        changed([]);
      }
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
