import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate';
import { history } from './0001-history';

function fresh() {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, [history], ':memory:');
  return db;
}

describe('migration 0001-history', () => {
  it('creates the tables at schema version 1', () => {
    const db = fresh();
    expect(schemaVersion(db)).toBe(1);
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(['conversations', 'messages', 'models', 'notes', 'settings']);
  });

  it('enforces kinds, roles and statuses', () => {
    const db = fresh();
    const conversation = (kind: string) =>
      db.prepare(`INSERT INTO conversations (kind, created_at, updated_at) VALUES (?, 0, 0)`).run(kind);
    expect(() => conversation('chat')).not.toThrow();
    expect(() => conversation('gossip')).toThrow(/CHECK/);
    const message = (role: string, status: string) =>
      db
        .prepare(
          `INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at) VALUES (1, ?, '', ?, 0, 0)`,
        )
        .run(role, status);
    expect(() => message('user', 'complete')).not.toThrow();
    expect(() => message('robot', 'complete')).toThrow(/CHECK/);
    expect(() => message('user', 'finished')).toThrow(/CHECK/);
  });

  it('deletes a conversation’s messages with it, and a message’s later branch with it', () => {
    const db = fresh();
    db.prepare(`INSERT INTO conversations (id, kind, created_at, updated_at) VALUES (1, 'chat', 0, 0)`).run();
    const insert = db.prepare(
      `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, created_at, updated_at)
       VALUES (?, 1, ?, ?, 'x', 'complete', 0, 0)`,
    );
    insert.run(1, null, 'user');
    insert.run(2, 1, 'assistant');
    insert.run(3, 2, 'user');
    db.prepare(`DELETE FROM messages WHERE id = 2`).run();
    expect(db.prepare(`SELECT id FROM messages`).pluck().all()).toEqual([1]);
    db.prepare(`DELETE FROM conversations WHERE id = 1`).run();
    expect(db.prepare(`SELECT count(*) FROM messages`).pluck().get()).toBe(0);
  });

  it('refuses a message in a conversation that does not exist', () => {
    const db = fresh();
    expect(() =>
      db
        .prepare(
          `INSERT INTO messages (conversation_id, role, content, status, created_at, updated_at) VALUES (42, 'user', '', 'complete', 0, 0)`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
