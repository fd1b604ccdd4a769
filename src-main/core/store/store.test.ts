import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/engine';
import { migrations } from './migrations';
import { openSqlite } from './sqlite';
import { databaseFileName, Store } from './store';

const newStore = () => Store.open(path.join(tempDir('phidesk-store-'), databaseFileName));

function conversationWith(store: Store, turns: [string, string][], title = 'Physics') {
  const id = store.conversations.create({ kind: 'chat', title });
  let parent: number | null = null;
  for (const [question, answer] of turns) {
    const user: number = store.messages.insert({
      conversationId: id,
      parentId: parent,
      role: 'user',
      content: question,
      status: 'complete',
    });
    parent = store.messages.insert({
      conversationId: id,
      parentId: user,
      role: 'assistant',
      content: answer,
      status: 'complete',
    });
  }
  if (parent) store.conversations.touch(id, parent);
  return id;
}

describe('store: opening', () => {
  it('uses WAL, synchronous=FULL, foreign keys, and the latest schema', () => {
    const store = newStore();
    const db = openSqlite(store.file, undefined, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
    db.close();
    expect(store.quickCheck()).toBe('ok');
    expect(store.status).toMatchObject({ state: 'open', interruptedAnswers: 0 });
    store.close();
  });

  it('marks answers left streaming by the last run as interrupted', () => {
    const store = newStore();
    const id = store.conversations.create({ kind: 'chat', title: 't' });
    const user = store.messages.insert({
      conversationId: id,
      parentId: null,
      role: 'user',
      content: 'q',
      status: 'complete',
    });
    const answer = store.messages.insert({
      conversationId: id,
      parentId: user,
      role: 'assistant',
      content: 'par',
      status: 'streaming',
    });
    store.close();
    const reopened = Store.open(store.file);
    expect(reopened.status.interruptedAnswers).toBe(1);
    expect(reopened.messages.get(answer)).toMatchObject({ status: 'interrupted', content: 'par' });
    reopened.close();
  });

  it('refuses a database from a newer Phidesk and leaves it untouched (F5)', () => {
    const store = newStore();
    store.close();
    const db = openSqlite(store.file, undefined);
    db.pragma('journal_mode = DELETE');
    db.pragma('user_version = 999');
    db.close();
    const hash = () => createHash('sha256').update(fs.readFileSync(store.file)).digest('hex');
    const before = hash();
    expect(() => Store.open(store.file)).toThrow(
      expect.objectContaining({ code: 'database_too_new', message: expect.stringMatching(/newer version/) }),
    );
    expect(hash()).toBe(before);
    expect(fs.readdirSync(path.dirname(store.file)).filter((name) => name.includes('corrupt'))).toEqual([]);
  });

  it.each([
    ['a text file', Buffer.from('these are my notes, not a database\n'.repeat(200))],
    ['random bytes', Buffer.from(Array.from({ length: 16384 }, (_, i) => (i * 2654435761) % 251))],
  ])('moves %s aside with its -wal/-shm and starts fresh (F4)', (_name, content) => {
    const dir = tempDir('phidesk-f4-');
    const file = path.join(dir, databaseFileName);
    fs.writeFileSync(file, content);
    fs.writeFileSync(`${file}-wal`, 'wal bytes');
    fs.writeFileSync(`${file}-shm`, 'shm bytes');
    const store = Store.open(file);
    expect(store.status.recovered?.movedTo).toMatch(/phidesk\.db\.corrupt-/);
    expect(fs.readFileSync(store.status.recovered!.movedTo)).toEqual(content);
    expect(fs.readFileSync(`${store.status.recovered!.movedTo}-wal`, 'utf8')).toBe('wal bytes');
    expect(fs.readFileSync(`${store.status.recovered!.movedTo}-shm`, 'utf8')).toBe('shm bytes');
    expect(store.quickCheck()).toBe('ok');
    expect(store.conversations.list({ limit: 10 }).items).toEqual([]);
    store.close();
  });

  it('moves a database with a damaged schema page aside (F4)', () => {
    const store = newStore();
    conversationWith(store, [['q', 'a']]);
    store.close();
    const bytes = fs.readFileSync(store.file);
    // Keep the 100-byte header, wreck the rest of page 1 (the schema).
    for (let i = 100; i < 4096; i++) bytes[i] = (i * 31) % 256;
    fs.writeFileSync(store.file, bytes);
    fs.rmSync(`${store.file}-wal`, { force: true });
    const reopened = Store.open(store.file);
    expect(reopened.status.recovered).toBeDefined();
    expect(reopened.quickCheck()).toBe('ok');
    reopened.close();
  });
});

describe('store: conversations', () => {
  it('lists newest first, pinned on top, in pages, by kind', () => {
    const store = newStore();
    const ids = Array.from({ length: 7 }, (_, i) =>
      store.conversations.create({ kind: i % 2 ? 'tutor' : 'chat', title: `c${i}` }),
    );
    // Distinct update times, oldest first.
    ids.forEach((id, i) => store.conversations.rename(id, `c${i}`));
    store.conversations.setPinned(ids[1]!, true);
    const first = store.conversations.list({ limit: 3 });
    expect(first.items.map((c) => c.title)[0]).toBe('c1');
    const all = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = store.conversations.list({ limit: 3, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(7);
    expect(new Set(all.map((c) => c.id)).size).toBe(7);
    const updated = all.slice(1).map((c) => c.updatedAt);
    expect(updated).toEqual([...updated].sort((a, b) => b - a));
    expect(
      store.conversations.list({ kind: 'tutor', limit: 10 }).items.every((c) => c.kind === 'tutor'),
    ).toBe(true);
    expect(() => store.conversations.list({ limit: 3, cursor: 'garbage' })).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    store.close();
  });

  it('deletes softly (undoable) and purges at the next start', () => {
    const store = newStore();
    const keep = conversationWith(store, [['keep', 'me']]);
    const gone = conversationWith(store, [['drop', 'me']]);
    expect(store.conversations.delete([gone, 12345])).toBe(1);
    expect(store.conversations.list({ limit: 10 }).items.map((c) => c.id)).toEqual([keep]);
    expect(() => store.conversations.get(gone)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(store.conversations.restore([gone])).toBe(1);
    expect(store.conversations.get(gone).title).toBe('Physics');
    store.conversations.delete([gone]);
    store.close();
    const reopened = Store.open(store.file);
    expect(reopened.conversations.restore([gone])).toBe(0);
    expect(reopened.search.search('drop', 10)).toEqual([]);
    reopened.close();
  });

  it('keeps edits and regenerations as branches and shows the active one', () => {
    const store = newStore();
    const id = store.conversations.create({ kind: 'chat', title: 'b' });
    const q1 = store.messages.insert({
      conversationId: id,
      parentId: null,
      role: 'user',
      content: 'q1',
      status: 'complete',
    });
    const a1 = store.messages.insert({
      conversationId: id,
      parentId: q1,
      role: 'assistant',
      content: 'a1',
      status: 'complete',
    });
    const a1b = store.messages.insert({
      conversationId: id,
      parentId: q1,
      role: 'assistant',
      content: 'a1 again',
      status: 'complete',
    });
    const q2 = store.messages.insert({
      conversationId: id,
      parentId: a1,
      role: 'user',
      content: 'q2',
      status: 'complete',
    });
    store.conversations.touch(id, q2);
    const branch = store.messages.branch(id, store.conversations.get(id).leafMessageId);
    expect(branch.map((m) => m.content)).toEqual(['q1', 'a1', 'q2']);
    expect(branch[1]!.branch).toEqual({ index: 1, count: 2, siblingIds: [a1, a1b] });
    expect(store.messages.newestLeafUnder(a1b)).toBe(a1b);
    expect(store.messages.newestLeafUnder(a1)).toBe(q2);
    store.close();
  });
});

describe('store: text round trips', () => {
  it('stores tricky text byte-exact (I4) and SQL-looking text literally (I12)', () => {
    const store = newStore();
    const samples = [
      '👩‍👩‍👧‍👦 🇫🇷 🏳️‍🌈 family and flags',
      '日本語の文章と中文句子',
      'مرحبا بالعالم — שלום עולם',
      'e\u0301 combining and \u202Eright-to-left override',
      'zero\u200Bwidth\u200Cjoiners\u200D',
      'nul \u0000 inside',
      '𝔸𝕤𝕥𝕣𝕒𝕝 𝟙𝟚𝟛 \u{10FFFF}',
      "'); DROP TABLE messages;--",
      'Robert"); DELETE FROM conversations; --',
    ];
    const id = store.conversations.create({ kind: 'chat', title: samples[7]! });
    const ids = samples.map((content) =>
      store.messages.insert({
        conversationId: id,
        parentId: null,
        role: 'user',
        content,
        status: 'complete',
      }),
    );
    store.close();
    const reopened = Store.open(store.file);
    expect(ids.map((messageId) => reopened.messages.get(messageId).content)).toEqual(samples);
    expect(reopened.conversations.get(id).title).toBe(samples[7]);
    expect(reopened.quickCheck()).toBe('ok');
    reopened.close();
  });
});

describe('store: search', () => {
  it('finds messages, titles and notes with highlighted snippets', () => {
    const store = newStore();
    const id = conversationWith(
      store,
      [['What is momentum?', 'Momentum is mass times velocity.']],
      'Momentum basics',
    );
    store.notes.create({
      title: 'Exam prep',
      body: 'Remember: momentum is conserved.',
      tags: ['physics'],
      folder: '',
    });
    const hits = store.search.search('momentum', 10);
    expect(hits[0]).toMatchObject({
      kind: 'title',
      conversationId: id,
      snippet: '\uE000Momentum\uE001 basics',
    });
    expect(hits.filter((hit) => hit.kind === 'message')).toHaveLength(2);
    expect(hits.some((hit) => hit.kind === 'note' && hit.snippet.includes('\uE000momentum\uE001'))).toBe(
      true,
    );
    store.close();
  });

  it('finds accented and CJK words (I4) and matches the last word as a prefix', () => {
    const store = newStore();
    conversationWith(store, [['Le café est chaud', '速度は距離を時間で割ったものです']]);
    expect(store.search.search('cafe', 5)).toHaveLength(1);
    expect(store.search.search('CAFÉ', 5)).toHaveLength(1);
    expect(store.search.search('距離', 5)).toHaveLength(1);
    expect(store.search.search('時間で', 5)).toHaveLength(1);
    expect(store.search.search('cha', 5)).toHaveLength(1);
    expect(store.search.search('距離 chaud', 5)).toHaveLength(0);
    store.close();
  });

  it.each(['"', '*', 'NEAR(', 'AND OR', '(', "who's", '20.04', 'a"b', ')*^:', '-momentum', 'NOT', '   ', ''])(
    'treats search syntax as plain text without errors (I11): %j',
    (query) => {
      const store = newStore();
      conversationWith(store, [["who's there at 20.04? NEAR the end (AND OR)", 'momentum']]);
      expect(() => store.search.search(query, 5)).not.toThrow();
      store.close();
    },
  );

  it('finds "who\'s" and "20.04" as written', () => {
    const store = newStore();
    conversationWith(store, [["who's there at 20.04?", 'fine']]);
    expect(store.search.search("who's", 5)).toHaveLength(1);
    expect(store.search.search('20.04', 5)).toHaveLength(1);
    store.close();
  });

  it('does not index an answer until it stops streaming', () => {
    const store = newStore();
    const id = store.conversations.create({ kind: 'chat', title: 't' });
    const answer = store.messages.insert({
      conversationId: id,
      parentId: null,
      role: 'assistant',
      content: 'partial',
      status: 'streaming',
    });
    store.messages.updateStreaming(answer, 'partial velocity');
    expect(store.search.search('velocity', 5)).toEqual([]);
    store.messages.finish(answer, { content: 'partial velocity done', status: 'complete' });
    expect(store.search.search('velocity', 5)).toHaveLength(1);
    store.close();
  });
});

describe('store: disk full (F3)', () => {
  it('refuses with disk_full, keeps earlier history readable, and saves again once there is room', () => {
    const store = newStore();
    const id = conversationWith(store, [['before', 'the disk filled']]);
    store.limitPages(store.pageCount() + 2);
    const big = 'x'.repeat(64 * 1024);
    expect(() => {
      for (let i = 0; i < 100; i++)
        store.messages.insert({
          conversationId: id,
          parentId: null,
          role: 'user',
          content: big,
          status: 'complete',
        });
    }).toThrow(
      expect.objectContaining({ code: 'disk_full', message: expect.stringMatching(/disk is full/) }),
    );
    expect(
      store.messages.branch(id, store.conversations.get(id).leafMessageId).map((m) => m.content),
    ).toEqual(['before', 'the disk filled']);
    store.limitPages(1_000_000);
    expect(() =>
      store.messages.insert({
        conversationId: id,
        parentId: null,
        role: 'user',
        content: 'after',
        status: 'complete',
      }),
    ).not.toThrow();
    expect(store.quickCheck()).toBe('ok');
    store.close();
  });
});

describe('store: backup and restore', () => {
  it('backs up a consistent copy and restores it, keeping the replaced files', async () => {
    const store = newStore();
    const id = conversationWith(store, [['saved', 'in the backup']]);
    const backup = path.join(tempDir('phidesk-backup-'), 'backup.db');
    expect((await store.backup(backup)).bytes).toBeGreaterThan(0);
    conversationWith(store, [['after', 'the backup']]);
    const { movedTo } = await store.restore(backup, { settle: async () => {} });
    expect(fs.existsSync(movedTo)).toBe(true);
    expect(store.conversations.list({ limit: 10 }).items.map((c) => c.id)).toEqual([id]);
    expect(store.search.search('backup', 5)).toHaveLength(1);
    await expect(store.backup(store.file)).rejects.toMatchObject({ code: 'invalid_input' });
    store.close();
  });

  it('refuses to restore a file that is not a Phidesk backup', async () => {
    const store = newStore();
    const bogus = path.join(tempDir('phidesk-bogus-'), 'x.db');
    fs.writeFileSync(bogus, 'not sqlite');
    const settle = async () => {};
    await expect(store.restore(bogus, { settle })).rejects.toMatchObject({ code: 'invalid_input' });
    const empty = path.join(path.dirname(bogus), 'empty.db');
    openSqlite(empty, undefined).close();
    await expect(store.restore(empty, { settle })).rejects.toMatchObject({ code: 'invalid_input' });
    // The live history is untouched.
    expect(store.quickCheck()).toBe('ok');
    store.close();
  });
});
