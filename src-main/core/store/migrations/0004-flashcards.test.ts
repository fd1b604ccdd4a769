import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { registerSearchFunctions } from '../search-text';
import { history } from './0001-history';
import { search } from './0002-search';
import { notesIndex } from './0003-notes-index';
import { flashcards } from './0004-flashcards';

function atVersion3() {
  const db = new Database(':memory:');
  registerSearchFunctions(db);
  db.pragma('foreign_keys = ON');
  migrate(db, [history, search, notesIndex], ':memory:');
  db.prepare(
    `INSERT INTO notes (id, title, body, tags, created_at, updated_at) VALUES (1, 'Waves', 'λ = v/f', '[]', 5, 5)`,
  ).run();
  return db;
}

const insertCard = (
  db: Database.Database,
  noteId: number | null,
  lines: [number, number | null] | null = [1, 1],
) =>
  db
    .prepare(
      `INSERT INTO flashcards (note_id, line_start, line_end, deck, front, back, schedule, due_at, created_at, updated_at)
       VALUES (?, ?, ?, 'Waves', 'What is λ?', 'v/f', '{}', 10, 10, 10)`,
    )
    .run(noteId, lines?.[0] ?? null, lines?.[1] ?? null);

describe('migration 0004-flashcards', () => {
  it('adds the flashcards table beside the notes it keeps', () => {
    const db = atVersion3();
    migrate(db, [history, search, notesIndex, flashcards], ':memory:');
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare(`SELECT title FROM notes`).pluck().get()).toBe('Waves');
    insertCard(db, 1);
    expect(db.prepare(`SELECT deck, reps, heading_path, deleted_at FROM flashcards`).get()).toEqual({
      deck: 'Waves',
      reps: 0,
      heading_path: '[]',
      deleted_at: null,
    });
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'flashcards'`)
      .pluck()
      .all();
    expect(indexes).toEqual(expect.arrayContaining(['flashcards_due', 'flashcards_by_note']));
  });

  it('keeps a card when its note is deleted, without its note', () => {
    const db = atVersion3();
    migrate(db, [history, search, notesIndex, flashcards], ':memory:');
    insertCard(db, 1);
    db.prepare(`DELETE FROM notes WHERE id = 1`).run();
    expect(db.prepare(`SELECT note_id, line_start FROM flashcards`).get()).toEqual({
      note_id: null,
      line_start: 1,
    });
  });

  it('refuses a card of a note that does not exist, or with lines out of order', () => {
    const db = atVersion3();
    migrate(db, [history, search, notesIndex, flashcards], ':memory:');
    expect(() => insertCard(db, 99)).toThrow(/FOREIGN KEY/);
    expect(() => insertCard(db, 1, [5, 2])).toThrow(/CHECK/);
    expect(() => insertCard(db, 1, [5, null])).toThrow(/CHECK/);
    expect(() => insertCard(db, 1, [0, 2])).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO flashcards (note_id, line_end, deck, front, back, schedule, due_at, created_at, updated_at)
           VALUES (1, 4, 'd', 'q', 'a', '{}', 0, 0, 0)`,
        )
        .run(),
    ).toThrow(/CHECK/);
    expect(() => insertCard(db, null, null)).not.toThrow();
  });
});
