import type { Migration } from '../migrate';

/**
 * The notes assistant: notes gain folders, a bin (Undo), where an imported note came from, and a revision
 * the index compares with the one it has read. The index itself is data, not a job record: a note whose
 * `indexed_revision` is behind its `revision` is still to be chunked, and a chunk without a vector for the
 * current embedding model is still to be embedded, so after a restart the work goes on exactly where it
 * stopped and an edit re-indexes that note alone.
 */
export const notesIndex: Migration = {
  version: 3,
  name: 'notes-index',
  up(db) {
    db.exec(`
      ALTER TABLE notes ADD COLUMN folder TEXT NOT NULL DEFAULT '';
      ALTER TABLE notes ADD COLUMN deleted_at INTEGER;
      -- An imported note: the file's real path, its kind and the SHA-256 of its bytes.
      ALTER TABLE notes ADD COLUMN source_path TEXT;
      ALTER TABLE notes ADD COLUMN source_kind TEXT CHECK (source_kind IN ('md', 'txt', 'pdf'));
      ALTER TABLE notes ADD COLUMN source_sha256 TEXT;
      -- A PDF's page starts as a JSON array of 1-based body lines.
      ALTER TABLE notes ADD COLUMN page_lines TEXT;
      ALTER TABLE notes ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE notes ADD COLUMN indexed_revision INTEGER NOT NULL DEFAULT 0;

      CREATE UNIQUE INDEX notes_by_source ON notes (source_path) WHERE source_path IS NOT NULL;
      CREATE INDEX notes_to_index ON notes (id) WHERE indexed_revision != revision AND deleted_at IS NULL;
      CREATE INDEX notes_by_folder ON notes (folder) WHERE deleted_at IS NULL;

      CREATE TABLE note_chunks (
        id INTEGER PRIMARY KEY,
        note_id INTEGER NOT NULL REFERENCES notes (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        text TEXT NOT NULL,
        -- The headings above the chunk, outermost first, as a JSON array.
        heading_path TEXT NOT NULL DEFAULT '[]',
        -- 1-based, inclusive lines of the note's body; pages for an imported PDF.
        line_start INTEGER NOT NULL,
        line_end INTEGER NOT NULL,
        page_start INTEGER,
        page_end INTEGER,
        UNIQUE (note_id, ordinal)
      );

      CREATE VIRTUAL TABLE note_chunks_fts USING fts5 (text, headings, tokenize = 'unicode61 remove_diacritics 2');
      -- How many chunks hold each word: retrieval leaves out words too common to tell passages apart.
      CREATE VIRTUAL TABLE note_chunks_terms USING fts5vocab (note_chunks_fts, row);
      -- Chunks are replaced, never updated: an insert and a delete trigger keep the index in step. The note's
      -- title is searched with the headings (a new title is a new revision, so its chunks are written again).
      CREATE TRIGGER note_chunks_fts_insert AFTER INSERT ON note_chunks
        BEGIN
          INSERT INTO note_chunks_fts (rowid, text, headings)
            VALUES (new.id, phidesk_search_text(new.text),
                    phidesk_search_text((SELECT title FROM notes WHERE id = new.note_id) || ' ' || new.heading_path));
        END;
      CREATE TRIGGER note_chunks_fts_delete AFTER DELETE ON note_chunks
        BEGIN
          DELETE FROM note_chunks_fts WHERE rowid = old.id;
        END;

      -- One vector per chunk and embedding model; a vector of another model is stale and is replaced.
      CREATE TABLE chunk_vectors (
        chunk_id INTEGER PRIMARY KEY REFERENCES note_chunks (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
      );
      CREATE INDEX chunk_vectors_by_model ON chunk_vectors (model);
    `);
  },
};
