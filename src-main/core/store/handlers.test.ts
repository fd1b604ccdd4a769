import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testCoreOptions } from '../../test-support/core';
import { createCore } from '../create-core';
import { tempDir } from '../../test-support/engine';
import type { ConversationDetail, ConversationSummary } from '../../../src-shared/types';

const dataDir = tempDir('phidesk-handlers-');
const core = createCore(testCoreOptions(dataDir));
afterAll(() => core.dispose());

const call = async <T>(method: string, params: unknown): Promise<T> => {
  const outcome = await core.rpc.handle(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
};

function seed(title: string): number {
  const store = core.store!;
  const id = store.conversations.create({ kind: 'chat', title });
  const user = store.messages.insert({
    conversationId: id,
    parentId: null,
    role: 'user',
    content: 'How fast is the skier?',
    status: 'complete',
  });
  const answer = store.messages.insert({
    conversationId: id,
    parentId: user,
    role: 'assistant',
    content: 'About **28 m/s**: $v = \\sqrt{2gH}$.',
    status: 'complete',
  });
  store.messages.insert({
    conversationId: id,
    parentId: user,
    role: 'assistant',
    content: 'Another version.',
    status: 'complete',
  });
  store.conversations.touch(id, answer);
  return id;
}

describe('store over the contract', () => {
  it('reports the store status', async () => {
    expect(await call('store.status', {})).toMatchObject({
      state: 'open',
      path: path.join(dataDir, 'phidesk.db'),
    });
  });

  it('lists, renames, pins and deletes conversations, announcing changes', async () => {
    const id = seed('Skier');
    const changes: unknown[] = [];
    const off = core.bus.subscribe(
      (name, payload) => name === 'conversations.changed' && changes.push(payload),
    );
    expect(
      (await call<{ items: ConversationSummary[] }>('conversations.list', {})).items.some((c) => c.id === id),
    ).toBe(true);
    expect(await call('conversations.rename', { id, title: '  Skier on a slope ' })).toMatchObject({
      title: 'Skier on a slope',
    });
    expect(await call('conversations.pin', { id, pinned: true })).toMatchObject({ pinned: true });
    expect(await call('conversations.delete', { ids: [id] })).toEqual({ deleted: 1 });
    expect(await call('conversations.restore', { ids: [id] })).toEqual({ restored: 1 });
    off();
    expect(changes).toHaveLength(4);
    await expect(call('conversations.rename', { id, title: '   ' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('exports Markdown and JSON, and imports the JSON back with every branch', async () => {
    const id = seed('Export me');
    const markdown = await call<{ fileName: string; content: string }>('conversations.export', {
      id,
      format: 'markdown',
    });
    expect(markdown.fileName).toBe('Export me.md');
    expect(markdown.content).toContain('# Export me');
    expect(markdown.content).toContain('## You\n\nHow fast is the skier?');
    expect(markdown.content).toContain('About **28 m/s**: $v = \\sqrt{2gH}$.');
    const json = await call<{ content: string }>('conversations.export', { id, format: 'json' });
    const imported = await call<ConversationSummary>('conversations.import', { content: json.content });
    const detail = await call<ConversationDetail>('conversations.get', { id: imported.id });
    expect(detail.title).toBe('Export me');
    expect(detail.messages.map((m) => m.content)).toEqual([
      'How fast is the skier?',
      'About **28 m/s**: $v = \\sqrt{2gH}$.',
    ]);
    expect(detail.messages[1]!.branch.count).toBe(2);
  });

  it.each([
    ['not JSON', 'nope'],
    ['another format', JSON.stringify({ format: 'chatgpt', version: 1 })],
    [
      'a message pointing at a missing parent',
      JSON.stringify({
        format: 'phidesk-conversation',
        version: 1,
        conversation: {
          kind: 'chat',
          title: 'x',
          pinned: false,
          createdAt: 0,
          updatedAt: 0,
          model: null,
          settings: {},
          state: null,
        },
        messages: [{ id: 2, parentId: 1, role: 'user', content: 'orphan', status: 'complete', createdAt: 0 }],
        leafId: 2,
      }),
    ],
  ])('refuses to import %s, writing nothing', async (_name, content) => {
    const before = core.store!.conversations.list({ limit: 200 }).items.length;
    await expect(call('conversations.import', { content })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(core.store!.conversations.list({ limit: 200 }).items.length).toBe(before);
  });

  it('backs up into an allowed folder and refuses paths outside them or through symlinks (S4)', async () => {
    const target = path.join(tempDir('phidesk-backups-'), 'history.db');
    expect(await call('store.backup', { path: target })).toMatchObject({
      path: fs.realpathSync(path.dirname(target)) + '/history.db',
    });
    await expect(call('store.backup', { path: '/etc/phidesk.db' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call('store.backup', { path: 'relative/x.db' })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      call('store.backup', { path: path.join(os.tmpdir(), '..', '..', 'etc', 'x.db') }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(call('store.backup', { path: path.join(os.tmpdir(), 'x.sh') })).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const link = path.join(tempDir('phidesk-link-'), 'escape');
    fs.symlinkSync('/etc', link);
    await expect(call('store.backup', { path: path.join(link, 'x.db') })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('searches with highlights and survives search syntax (I11)', async () => {
    seed('Search target');
    const hits = await call<{ snippet: string }[]>('search.query', { query: 'skier' });
    expect(hits.some((hit) => hit.snippet.includes('\uE000skier\uE001'))).toBe(true);
    for (const query of ['"', 'NEAR(', '(', '*'])
      await expect(call('search.query', { query })).resolves.toBeDefined();
  });
});

describe('a database from a newer Phidesk (F5)', () => {
  it('starts the app anyway and says why history is unavailable', async () => {
    const dir = tempDir('phidesk-newer-');
    const first = createCore(testCoreOptions(dir));
    await first.dispose();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(dir, 'phidesk.db'));
    db.pragma('user_version = 99');
    db.close();
    const core2 = createCore(testCoreOptions(dir));
    expect(core2.storeStatus).toMatchObject({ state: 'failed', error: { code: 'database_too_new' } });
    const outcome = await core2.rpc.handle('conversations.list', {});
    expect(outcome).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/newer version/) },
    });
    await core2.dispose();
  });
});
