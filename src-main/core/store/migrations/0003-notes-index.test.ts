import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { registerSearchFunctions } from '../search-text';
import { history } from './0001-history';
import { search } from './0002-search';
import { notesIndex } from './0003-notes-index';

function atVersion2() {
  const db = new Database(':memory:');
  registerSearchFunctions(db);
  migrate(db, [history, search], ':memory:');
  db.prepare(
    `INSERT INTO notes (id, title, body, tags, created_at, updated_at) VALUES (1, 'Waves', 'λ = v/f', '[]', 5, 5)`,
  ).run();
  return db;
}

describe('migration 0003-notes-index', () => {
  it('keeps existing notes, at the top level and waiting to be indexed', () => {
    const db = atVersion2();
    migrate(db, [history, search, notesIndex], ':memory:');
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare(`SELECT folder, revision, indexed_revision, deleted_at FROM notes`).get()).toEqual({
      folder: '',
      revision: 1,
      indexed_revision: 0,
      deleted_at: null,
    });
  });

  it('indexes chunk text and the note title and headings, and drops both with the chunk or note', () => {
    const db = atVersion2();
    migrate(db, [history, search, notesIndex], ':memory:');
    db.prepare(
      `INSERT INTO note_chunks (note_id, ordinal, text, heading_path, line_start, line_end)
       VALUES (1, 0, 'frequency and wavelength', '["Doppler effect"]', 1, 3)`,
    ).run();
    const match = (query: string) =>
      db.prepare(`SELECT rowid FROM note_chunks_fts WHERE note_chunks_fts MATCH ?`).pluck().all(query);
    expect(match('wavelength')).toEqual([1]);
    expect(match('doppler')).toEqual([1]);
    expect(match('waves')).toEqual([1]);
    db.prepare(`INSERT INTO chunk_vectors (chunk_id, model, vector) VALUES (1, 'm', x'00000000')`).run();
    db.pragma('foreign_keys = ON');
    db.prepare(`DELETE FROM notes WHERE id = 1`).run();
    expect(match('wavelength')).toEqual([]);
    expect(db.prepare(`SELECT count(*) FROM chunk_vectors`).pluck().get()).toBe(0);
  });

  it('allows one note per imported file', () => {
    const db = atVersion2();
    migrate(db, [history, search, notesIndex], ':memory:');
    const insert = db.prepare(
      `INSERT INTO notes (title, body, created_at, updated_at, source_path, source_kind, source_sha256)
       VALUES ('a', '', 0, 0, '/notes/a.md', 'md', 'x')`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
  });
});
