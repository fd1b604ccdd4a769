import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { registerSearchFunctions } from '../search-text';
import { history } from './0001-history';
import { search } from './0002-search';

function atVersion1() {
  const db = new Database(':memory:');
  registerSearchFunctions(db);
  migrate(db, [history], ':memory:');
  db.prepare(
    `INSERT INTO conversations (id, kind, title, created_at, updated_at) VALUES (1, 'chat', 'Café physics', 0, 0)`,
  ).run();
  const insert = db.prepare(
    `INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at) VALUES (1, ?, ?, ?, 0, 0)`,
  );
  insert.run('user', 'momentum of a skier', 'complete');
  insert.run('assistant', 'still being written', 'streaming');
  return db;
}

const matches = (db: Database.Database, table: string, query: string) =>
  db.prepare(`SELECT rowid FROM ${table} WHERE ${table} MATCH ?`).pluck().all(query);

describe('migration 0002-search', () => {
  it('indexes what was written before it, except answers still streaming', () => {
    const db = atVersion1();
    migrate(db, [history, search], ':memory:');
    expect(schemaVersion(db)).toBe(2);
    expect(matches(db, 'messages_fts', 'momentum')).toEqual([1]);
    expect(matches(db, 'messages_fts', 'written')).toEqual([]);
    expect(matches(db, 'titles_fts', 'cafe')).toEqual([1]);
  });

  it('keeps the index in sync through triggers', () => {
    const db = atVersion1();
    migrate(db, [history, search], ':memory:');
    db.prepare(`UPDATE messages SET content = 'finished answer', status = 'complete' WHERE id = 2`).run();
    expect(matches(db, 'messages_fts', 'finished')).toEqual([2]);
    db.prepare(`UPDATE messages SET content = 'edited answer' WHERE id = 2`).run();
    expect(matches(db, 'messages_fts', 'finished')).toEqual([]);
    expect(matches(db, 'messages_fts', 'edited')).toEqual([2]);
    db.prepare(`DELETE FROM messages WHERE id = 2`).run();
    expect(matches(db, 'messages_fts', 'edited')).toEqual([]);

    db.prepare(`UPDATE conversations SET title = 'Ohm''s law' WHERE id = 1`).run();
    expect(matches(db, 'titles_fts', 'ohm')).toEqual([1]);
    expect(matches(db, 'titles_fts', 'cafe')).toEqual([]);

    db.prepare(
      `INSERT INTO notes (id, title, body, tags, created_at, updated_at) VALUES (7, 'Waves', 'λ = v/f', '["exam"]', 0, 0)`,
    ).run();
    expect(matches(db, 'notes_fts', 'exam')).toEqual([7]);
    db.prepare(`DELETE FROM notes WHERE id = 7`).run();
    expect(matches(db, 'notes_fts', 'exam')).toEqual([]);
  });

  it('finds accented words without accents and CJK words inside unspaced text (I4)', () => {
    const db = atVersion1();
    migrate(db, [history, search], ':memory:');
    db.prepare(
      `INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at)
       VALUES (1, 'user', 'Über die Geschwindigkeit: 速度は距離を時間で割ったものです', 'complete', 0, 0)`,
    ).run();
    expect(matches(db, 'messages_fts', 'uber')).toEqual([3]);
    expect(matches(db, 'messages_fts', '"距\u200B離"')).toEqual([3]);
  });
});
