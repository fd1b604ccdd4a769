/**
 * The defects an attack run on browser mode found, each reached as a user or an attacker would: through the
 * contract of a real core on a real SQLite file, with the generated model loaded where an answer is needed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AnswerEnded,
  ChatStarted,
  ConversationDetail,
  ConversationSummary,
} from '../../src-shared/types';
import type { MistakeCheck } from '../../src-shared/tutor';
import { ensureTestModel } from '../../scripts/test-model/ensure-test-model';
import { answerEnded } from '../test-support/chat';
import { testCoreOptions } from '../test-support/core';
import { tempDir } from '../test-support/engine';
import { createCore, type Core } from './create-core';
import { exportFormat } from './store/transfer';
import type { RestoreStep } from './store/store';

let core: Core;
let dataDir: string;

async function call<T>(method: string, params: unknown): Promise<T> {
  const outcome = await core.rpc.handle(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

function answered(messageId: number): Promise<AnswerEnded> {
  return answerEnded(core.bus, (answer) => answer.messageId === messageId);
}

function exported(overrides: {
  kind?: string;
  settings?: unknown;
  state?: unknown;
  messages?: unknown[];
  leafId?: number | null;
}) {
  return JSON.stringify({
    format: exportFormat,
    version: 1,
    conversation: {
      kind: overrides.kind ?? 'chat',
      title: 'Imported',
      pinned: false,
      createdAt: 1,
      updatedAt: 1,
      model: null,
      settings: overrides.settings ?? {},
      state: overrides.state ?? null,
    },
    messages: overrides.messages ?? [
      { id: 1, parentId: null, role: 'user', content: 'Go on.', status: 'complete', createdAt: 1 },
      { id: 2, parentId: 1, role: 'assistant', content: 'Once', status: 'stopped', createdAt: 1 },
    ],
    leafId: overrides.leafId === undefined ? 2 : overrides.leafId,
  });
}

const conversationCount = async () =>
  (await call<{ items: ConversationSummary[] }>('conversations.list', { limit: 200 })).items.length;

beforeAll(async () => {
  dataDir = tempDir('phidesk-hardening-');
  core = createCore(testCoreOptions(dataDir));
  await call('engine.load', {
    path: ensureTestModel({ endOfTextBias: -30 }),
    gpu: 'cpu',
    threads: 1,
    sequences: 2,
  });
});
afterAll(() => core.dispose());

describe('imported data reaches native code unchecked (TEST-CATALOG I13)', () => {
  it.each([
    ['a temperature that is a word', { sampling: { temperature: 'hot' } }],
    ['a top-k that is an object', { sampling: { topK: {} } }],
    ['an unknown setting', { stopTriggers: ['x'] }],
    ['max tokens out of range', { maxTokens: 1e9 }],
  ])('refuses settings with %s, writing nothing', async (_name, settings) => {
    const before = await conversationCount();
    await expect(call('conversations.import', { content: exported({ settings }) })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('conversation.settings'),
    });
    expect(await conversationCount()).toBe(before);
  });

  it('continues an answer whose saved settings are hostile: they read as none, and the host stays up', async () => {
    const store = core.store!;
    const id = store.conversations.create({
      kind: 'chat',
      title: 'Damaged',
      settings: { sampling: { temperature: 'hot' as never, topK: {} as never } },
    });
    const user = store.messages.insert({
      conversationId: id,
      parentId: null,
      role: 'user',
      content: 'Hi',
      status: 'complete',
    });
    const answer = store.messages.insert({
      conversationId: id,
      parentId: user,
      role: 'assistant',
      content: 'He',
      status: 'stopped',
    });
    store.conversations.touch(id, answer);
    const ended = answered(answer);
    await call<ChatStarted>('chat.continue', { conversationId: id, messageId: answer });
    expect((await ended).status).toBe('complete');
    expect(store.messages.get(answer).content.startsWith('He')).toBe(true);
  });

  it('the engine refuses sampling that is not a number in range at its own boundary', async () => {
    for (const sampling of [{ temperature: 'hot' }, { topK: {} }, { topP: Number.NaN }, { seed: -1 }]) {
      await expect(
        core.engine.generate({ messages: [{ role: 'user', content: 'Hi' }], sampling: sampling as never }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    }
    await expect(
      core.engine.generate({ messages: [{ role: 'user', content: 'Hi' }], maxTokens: 0 }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it.each([
    [
      'duplicate message ids',
      {
        messages: [
          { id: 1, parentId: null, role: 'user', content: 'a', status: 'complete', createdAt: 1 },
          { id: 1, parentId: null, role: 'user', content: 'b', status: 'complete', createdAt: 1 },
        ],
        leafId: 1,
      },
      'appears twice',
    ],
    [
      'a parent that is not in the file',
      {
        messages: [{ id: 2, parentId: 7, role: 'user', content: 'a', status: 'complete', createdAt: 1 }],
        leafId: 2,
      },
      'not earlier in the file',
    ],
    ['a leaf that is not in the file', { leafId: 99 }, 'not in the file'],
    ['state on a chat', { state: { anything: true } }, 'no saved state'],
    [
      'a tutor session whose state is not a tutor state',
      { kind: 'tutor', state: { version: 1, hintLevel: 'high' } },
      'conversation.state',
    ],
    [
      'a tutor session naming an answer that is not in the file',
      {
        kind: 'tutor',
        state: {
          version: 1,
          problem: { id: 'energy-skier-slope' },
          hintLevel: 1,
          replies: [{ messageId: 5, mode: 'hint', level: 1, prompt: 'tutor-hint-nudge.v1' }],
          answerChecks: [],
        },
      },
      'answer 5',
    ],
    [
      'a mistake check whose analysis is done without a result',
      {
        kind: 'mistake',
        state: {
          version: 1,
          problem: 'p',
          problemId: null,
          steps: ['v = 3'],
          findings: { lines: [], symbols: {}, errors: 0, warnings: 0 },
          analysis: { status: 'done' },
        },
      },
      'conversation.state.analysis',
    ],
  ])('refuses %s with a readable message, writing nothing', async (_name, overrides, message) => {
    const before = await conversationCount();
    await expect(
      call('conversations.import', { content: exported(overrides as Parameters<typeof exported>[0]) }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining(message) });
    expect(await conversationCount()).toBe(before);
  });

  it('refuses absurdly deep nesting with a typed error', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const content = exported({ state: 'DEEP' }).replace('"DEEP"', deep);
    await expect(call('conversations.import', { content })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('nested far too deeply'),
    });
  });

  it('imports a tutor session with its replies pointing at the renumbered answers', async () => {
    // Occupy the low ids, so the imported messages cannot keep theirs.
    const imported = await call<ConversationSummary>('conversations.import', { content: exported({}) });
    const state = {
      version: 1,
      problem: { id: 'energy-skier-slope' },
      hintLevel: 1,
      replies: [{ messageId: 2, mode: 'hint', level: 1, prompt: 'tutor-hint-nudge.v1' }],
      answerChecks: [],
    };
    const tutor = await call<ConversationSummary>('conversations.import', {
      content: exported({ kind: 'tutor', state }),
    });
    expect(tutor.id).not.toBe(imported.id);
    const detail = await call<ConversationDetail>('conversations.get', { id: tutor.id });
    const answerId = detail.messages.find((m) => m.role === 'assistant')!.id;
    expect(answerId).not.toBe(2);
    expect(detail.state).toMatchObject({ replies: [{ messageId: answerId }] });
    const session = await call<{ replies: { message: { id: number } }[] }>('tutor.get', {
      conversationId: tutor.id,
    });
    expect(session.replies.map((reply) => reply.message.id)).toEqual([answerId]);
  });

  it('a saved mistake check whose analysis is done without a result opens, keeping its steps', async () => {
    const store = core.store!;
    const id = store.conversations.create({ kind: 'mistake', title: 'Check: damaged' });
    store.conversations.setState(id, {
      version: 1,
      problem: 'A skier…',
      problemId: null,
      steps: ['v = 2 * 3 = 6 m/s'],
      findings: { lines: [], symbols: {}, errors: 0, warnings: 0 },
      analysis: { status: 'done', result: null },
    });
    const check = await call<MistakeCheck>('mistakes.get', { conversationId: id });
    expect(check.steps).toEqual(['v = 2 * 3 = 6 m/s']);
    expect(check.analysis).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('could not be read'),
    });
  });
});

describe('restore while an answer streams rewrites a restored message (TEST-CATALOG F7)', () => {
  it('settles the running answer in the old database first; the restored message with its id is untouched', async () => {
    const store = core.store!;
    const backup = path.join(tempDir('phidesk-restore-stream-'), 'backup.db');
    await call('store.backup', { path: backup });
    // The next answer gets an id the backup already holds: empty the live history.
    const backupMax = maxMessageId();
    for (const summary of (await call<{ items: ConversationSummary[] }>('conversations.list', { limit: 200 }))
      .items)
      store.conversations.remove(summary.id);
    const started = await call<ChatStarted>('chat.send', {
      text: 'Tell me everything about energy.',
      settings: { maxTokens: 4000, sampling: { seed: 1 } },
    });
    expect(started.messageId).toBeLessThanOrEqual(backupMax);
    const ended = answered(started.messageId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const restoredBefore = rowInFile(backup, started.messageId);
    const { movedTo } = await call<{ movedTo: string }>('store.restore', { path: backup });
    expect((await ended).status).toBe('stopped');
    // Time for any writer that outlived the swap to write (it must not).
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(rowInFile(core.store!.file, started.messageId)).toEqual(restoredBefore);
    const old = rowInFile(movedTo, started.messageId);
    expect(old?.status).toBe('stopped');
    expect(old?.content.length).toBeGreaterThan(0);
  });
});

describe('restoring the live database onto itself looks like total loss (TEST-CATALOG F7)', () => {
  it('refuses the live file, and a link to it, leaving the history as it was', async () => {
    const before = await conversationCount();
    const asideBefore = restoredAsideCount();
    const live = core.store!.file;
    const link = path.join(tempDir('phidesk-self-link-'), 'live.db');
    fs.symlinkSync(live, link);
    for (const source of [live, link]) {
      await expect(call('store.restore', { path: source })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(await conversationCount()).toBe(before);
    expect(restoredAsideCount()).toBe(asideBefore);
  });

  it.each<RestoreStep>(['check', 'stage', 'settle', 'close', 'move-aside', 'put-in-place', 'open'])(
    'a failure at step "%s" leaves the live history in place and working',
    async (failing) => {
      const store = core.store!;
      const id = store.conversations.create({ kind: 'chat', title: `kept through ${failing}` });
      const backup = path.join(tempDir('phidesk-restore-fail-'), 'backup.db');
      await store.backup(backup);
      const asideBefore = restoredAsideCount();
      await expect(
        store.restore(backup, {
          settle: async () => {},
          onStep: (step) => {
            if (step === failing) throw new Error(`injected failure at ${step}`);
          },
        }),
      ).rejects.toThrow();
      expect(store.conversations.get(id).title).toBe(`kept through ${failing}`);
      expect(store.quickCheck()).toBe('ok');
      store.conversations.rename(id, 'still writable');
      expect(restoredAsideCount()).toBe(asideBefore);
      expect(fs.readdirSync(dataDir).filter((name) => name.includes('.restoring-'))).toEqual([]);
    },
  );
});

describe('backup follows a symlink out of the allowed folders (TEST-CATALOG S8)', () => {
  it('refuses a link as the backup target, wherever it leads, and writes nothing through it', async () => {
    const outside = fs.mkdtempSync('/var/tmp/phidesk-outside-');
    const target = path.join(outside, 'overwritten.db');
    fs.writeFileSync(target, 'precious');
    const folder = tempDir('phidesk-links-');
    const toOutside = path.join(folder, 'out.db');
    const dangling = path.join(folder, 'dangling.db');
    const inside = path.join(folder, 'inside.db');
    fs.symlinkSync(target, toOutside);
    fs.symlinkSync(path.join(outside, 'created.db'), dangling);
    fs.writeFileSync(path.join(folder, 'real.db'), 'mine');
    fs.symlinkSync(path.join(folder, 'real.db'), inside);
    for (const link of [toOutside, dangling, inside]) {
      await expect(call('store.backup', { path: link })).rejects.toMatchObject({ code: 'invalid_input' });
    }
    expect(fs.readFileSync(target, 'utf8')).toBe('precious');
    expect(fs.existsSync(path.join(outside, 'created.db'))).toBe(false);
    expect(fs.readFileSync(path.join(folder, 'real.db'), 'utf8')).toBe('mine');
  });

  it('refuses a restore through a link that leads out of the allowed folders', async () => {
    const outside = fs.mkdtempSync('/var/tmp/phidesk-outside-');
    await core.store!.backup(path.join(tempDir('phidesk-b-'), 'ok.db'));
    fs.copyFileSync(core.store!.file, path.join(outside, 'x.db'));
    const link = path.join(tempDir('phidesk-links-'), 'x.db');
    fs.symlinkSync(path.join(outside, 'x.db'), link);
    await expect(call('store.restore', { path: link })).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it.each([
    ['store.backup', { path: `${dataDir}/a\0.db` }],
    ['store.restore', { path: `${dataDir}/a\0.db` }],
    ['models.import', { path: `${dataDir}/a\0.gguf` }],
    ['models.load', { path: `${dataDir}/a\0.gguf` }],
    ['engine.load', { path: `${dataDir}/a\0.gguf` }],
  ])('a NUL byte in a path is invalid_input, not internal (%s)', async (method, params) => {
    await expect(call(method, params)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('models.load applies the rules of models.import: extension and where a link leads', async () => {
    const folder = tempDir('phidesk-load-');
    const text = path.join(folder, 'notes.txt');
    fs.writeFileSync(text, 'not a model');
    const disguised = path.join(folder, 'model.gguf');
    fs.symlinkSync(text, disguised);
    for (const file of [text, disguised]) {
      await expect(call('models.load', { path: file })).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });
});

describe('a database locked by another process freezes the host (TEST-CATALOG F8)', () => {
  let locker: ChildProcess | null = null;
  afterAll(() => locker?.kill('SIGKILL'));

  it('writes fail at once as busy, and app.info keeps answering in under 100 ms', async () => {
    const id = core.store!.conversations.create({ kind: 'chat', title: 'locked out' });
    locker = await holdExclusiveLock(core.store!.file);
    const latencies: number[] = [];
    const failures: string[] = [];
    const writes = Array.from({ length: 20 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 30));
      const outcome = await core.rpc.handle('conversations.rename', { id, title: `try ${i}` });
      failures.push(outcome.ok ? 'ok' : outcome.error.code);
    });
    const probes = Array.from({ length: 60 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 10));
      const started = performance.now();
      await call('app.info', {});
      latencies.push(performance.now() - started);
    });
    await Promise.all([...writes, ...probes]);
    expect(new Set(failures)).toEqual(new Set(['busy']));
    expect(Math.max(...latencies)).toBeLessThan(100);
    // Reads still work in WAL mode while another process holds the write lock.
    expect((await call<ConversationSummary>('conversations.get', { id })).title).toBe('locked out');
    locker.kill('SIGKILL');
    await new Promise((resolve) => locker!.once('exit', resolve));
    locker = null;
    expect((await call<ConversationSummary>('conversations.rename', { id, title: 'free again' })).title).toBe(
      'free again',
    );
  });
});

describe('long store operations do not stall other requests (TEST-CATALOG I15)', () => {
  it('app.info answers in under 100 ms while 50,000 messages are imported, exported and backed up', async () => {
    const messages = Array.from({ length: 50_000 }, (_, i) => ({
      id: i + 1,
      parentId: i === 0 ? null : i,
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: `Message ${i}: the skier slides down a frictionless slope of height 40 m.`,
      status: 'complete',
      createdAt: 1,
    }));
    const content = exported({ messages, leafId: 50_000 });
    const latencies: number[] = [];
    let running = true;
    const probe = (async () => {
      while (running) {
        const started = performance.now();
        await call('app.info', {});
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const imported = await call<ConversationSummary>('conversations.import', { content });
    const json = await call<{ content: string }>('conversations.export', { id: imported.id, format: 'json' });
    await call('store.backup', { path: path.join(tempDir('phidesk-big-backup-'), 'big.db') });
    running = false;
    await probe;
    expect((JSON.parse(json.content) as { messages: unknown[] }).messages).toHaveLength(50_000);
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(100);
  }, 180_000);
});

function maxMessageId(): number {
  const store = core.store!;
  const ids = store.conversations
    .list({ limit: 200 })
    .items.flatMap((summary) => store.messages.all(summary.id).map((message) => message.id));
  return Math.max(0, ...ids);
}

/** Live files moved aside by restores (main files only). */
function restoredAsideCount(): number {
  return fs
    .readdirSync(dataDir)
    .filter((name) => name.includes('.before-restore-') && !/-(wal|shm)$/.test(name)).length;
}

function rowInFile(file: string, id: number): { content: string; status: string } | undefined {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1], { readonly: true });
    console.log(JSON.stringify(db.prepare('SELECT content, status FROM messages WHERE id = ?').get(Number(process.argv[2])) ?? null));
  `;
  const out = execFileSync(process.execPath, ['-e', script, file, String(id)], { encoding: 'utf8' });
  return (JSON.parse(out) as { content: string; status: string } | null) ?? undefined;
}

/** Another process that opens the database and holds its write lock until killed. */
function holdExclusiveLock(file: string): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    console.log('locked');
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['-e', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
}
