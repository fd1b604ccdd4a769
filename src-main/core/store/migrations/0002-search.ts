import type { Migration } from '../migrate';

/**
 * Full-text search over message text, conversation titles and notes, kept in sync by triggers.
 * `unicode61 remove_diacritics 2` finds "cafe" in "café"; `phidesk_search_text()` (registered on every
 * connection, see search-text.ts) separates CJK characters so a word inside unspaced text is found too.
 * Streaming answers are indexed once they end, not at every flush.
 */
export const search: Migration = {
  version: 2,
  name: 'search',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE titles_fts USING fts5 (text, tokenize = 'unicode61 remove_diacritics 2');
      CREATE VIRTUAL TABLE notes_fts USING fts5 (title, body, tags, tokenize = 'unicode61 remove_diacritics 2');

      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages
        WHEN new.status != 'streaming' AND new.role != 'system'
        BEGIN
          INSERT INTO messages_fts (rowid, text) VALUES (new.id, phidesk_search_text(new.content));
        END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF content, status ON messages
        WHEN new.role != 'system'
        BEGIN
          DELETE FROM messages_fts WHERE rowid = old.id;
          INSERT INTO messages_fts (rowid, text)
            SELECT new.id, phidesk_search_text(new.content) WHERE new.status != 'streaming';
        END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
        BEGIN
          DELETE FROM messages_fts WHERE rowid = old.id;
        END;

      CREATE TRIGGER titles_fts_insert AFTER INSERT ON conversations
        BEGIN
          INSERT INTO titles_fts (rowid, text) VALUES (new.id, phidesk_search_text(new.title));
        END;
      CREATE TRIGGER titles_fts_update AFTER UPDATE OF title ON conversations
        BEGIN
          DELETE FROM titles_fts WHERE rowid = old.id;
          INSERT INTO titles_fts (rowid, text) VALUES (new.id, phidesk_search_text(new.title));
        END;
      CREATE TRIGGER titles_fts_delete AFTER DELETE ON conversations
        BEGIN
          DELETE FROM titles_fts WHERE rowid = old.id;
        END;

      CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes
        BEGIN
          INSERT INTO notes_fts (rowid, title, body, tags)
            VALUES (new.id, phidesk_search_text(new.title), phidesk_search_text(new.body), phidesk_search_text(new.tags));
        END;
      CREATE TRIGGER notes_fts_update AFTER UPDATE OF title, body, tags ON notes
        BEGIN
          DELETE FROM notes_fts WHERE rowid = old.id;
          INSERT INTO notes_fts (rowid, title, body, tags)
            VALUES (new.id, phidesk_search_text(new.title), phidesk_search_text(new.body), phidesk_search_text(new.tags));
        END;
      CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes
        BEGIN
          DELETE FROM notes_fts WHERE rowid = old.id;
        END;

      -- Anything written before this migration.
      INSERT INTO messages_fts (rowid, text)
        SELECT id, phidesk_search_text(content) FROM messages WHERE status != 'streaming' AND role != 'system';
      INSERT INTO titles_fts (rowid, text) SELECT id, phidesk_search_text(title) FROM conversations;
      INSERT INTO notes_fts (rowid, title, body, tags)
        SELECT id, phidesk_search_text(title), phidesk_search_text(body), phidesk_search_text(tags) FROM notes;
    `);
  },
};
