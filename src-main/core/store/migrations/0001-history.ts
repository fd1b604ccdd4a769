import type { Migration } from '../migrate';

/** Conversations, their messages as a tree (edits and regenerations are branches), notes, settings, models. */
export const history: Migration = {
  version: 1,
  name: 'history',
  up(db) {
    db.exec(`
      CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('chat', 'tutor', 'mistake', 'note-assistant')),
        title TEXT NOT NULL DEFAULT '',
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        -- Soft delete, so a deletion can be undone; rows are purged at the next start.
        deleted_at INTEGER,
        -- The model file and the settings (system text, sampling) last used to answer.
        model TEXT,
        settings TEXT NOT NULL DEFAULT '{}',
        -- Kind-specific state as JSON (a tutor's hint level, a check's findings).
        state TEXT NOT NULL DEFAULT 'null',
        -- The last message of the branch being shown.
        leaf_message_id INTEGER REFERENCES messages (id) ON DELETE SET NULL
      );
      CREATE INDEX conversations_by_kind ON conversations (kind, pinned DESC, updated_at DESC, id DESC)
        WHERE deleted_at IS NULL;
      CREATE INDEX conversations_by_recency ON conversations (pinned DESC, updated_at DESC, id DESC)
        WHERE deleted_at IS NULL;

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'stopped', 'interrupted', 'error')),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        prompt_tokens INTEGER,
        output_tokens INTEGER,
        time_to_first_token_ms INTEGER,
        tokens_per_second REAL,
        stop_reason TEXT,
        error TEXT
      );
      CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
      CREATE INDEX messages_by_parent ON messages (parent_id);
      CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';

      CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX notes_by_updated ON notes (updated_at DESC);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        quantization TEXT,
        size_bytes INTEGER NOT NULL,
        sha256 TEXT,
        source TEXT NOT NULL CHECK (source IN ('download', 'import', 'folder')),
        architecture TEXT,
        context_length INTEGER,
        added_at INTEGER NOT NULL,
        last_used_at INTEGER
      );
    `);
  },
};
