import type { Migration } from '../migrate';

/**
 * Flashcards made from notes, reviewed with spaced repetition. A card keeps the lines of the note it was
 * made from; deleting the note keeps the card (it loses its source, not its review history). Its schedule
 * is the FSRS card state as JSON, with the due time copied into a column so "what is due in this deck" is
 * one index range. Deleted cards wait in a bin (Undo) until the next start, like notes.
 */
export const flashcards: Migration = {
  version: 4,
  name: 'flashcards',
  up(db) {
    db.exec(`
      CREATE TABLE flashcards (
        id INTEGER PRIMARY KEY,
        note_id INTEGER REFERENCES notes (id) ON DELETE SET NULL,
        -- 1-based, inclusive lines of the note's body the card was made from.
        line_start INTEGER,
        line_end INTEGER,
        -- The headings above those lines when the card was made, outermost first, as a JSON array.
        heading_path TEXT NOT NULL DEFAULT '[]',
        deck TEXT NOT NULL,
        front TEXT NOT NULL,
        back TEXT NOT NULL,
        -- The FSRS card (ts-fsrs Card) as JSON; due_at and reps mirror it for queries.
        schedule TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        reps INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        deleted_at INTEGER,
        -- Both lines or neither (NULL would pass a plain comparison).
        CHECK (
          (line_start IS NULL AND line_end IS NULL) OR
          (line_start IS NOT NULL AND line_end IS NOT NULL AND line_start >= 1 AND line_end >= line_start)
        )
      );
      CREATE INDEX flashcards_due ON flashcards (deck, due_at);
      -- For a note's cards, and so that deleting a note finds them without a scan.
      CREATE INDEX flashcards_by_note ON flashcards (note_id);
    `);
  },
};
