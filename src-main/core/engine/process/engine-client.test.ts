/**
 * Engine isolation, with the real engine process (src-main/engine-process.ts, forked through tsx) running
 * the generated test model, a real SQLite file and the real answer pipeline: the process is killed at
 * random moments, stopped (a hang), and crashed three times in a row. The app's side (this process) must
 * stay up, save what streamed, and answer again once the engine is back.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerEnded, LoadModelOptions } from '../../../../src-shared/types';
import { ensureTestModel } from '../../../../scripts/test-model/ensure-test-model';
import { AnswerService } from '../../answers/answer-service';
import { ChatService } from '../../chat/chat-service';
import { EventBus } from '../../event-bus';
import { createLogger } from '../../log';
import { databaseFileName, Store } from '../../store/store';
import { engineEntry } from '../../../test-support/core';
import { tempDir } from '../../../test-support/engine';
import { seededRandom } from '../../seeded-random';
import { EngineClient, type EngineClientOptions } from './engine-client';
import { forkEngine } from './launch';

const model = ensureTestModel({ endOfTextBias: -30 });
const loadOptions: LoadModelOptions = {
  path: model,
  gpu: 'cpu',
  gpuLayers: 'auto',
  contextSize: 'auto',
  threads: 1,
  sequences: 2,
};

interface Harness {
  bus: EventBus;
  engine: EngineClient;
  store: Store;
  answers: AnswerService;
  chat: ChatService;
  logged: string[];
  /** What streamed into each answer, as the followers saw it (a restart of an attempt starts it again). */
  streamed: Map<number, string>;
  ended(messageId: number): Promise<AnswerEnded>;
}

let open: Harness[] = [];

afterEach(async () => {
  for (const harness of open) {
    harness.answers.shutdown();
    await harness.engine.dispose();
    harness.store.close();
  }
  open = [];
});

async function start(recovery: Partial<EngineClientOptions> = {}): Promise<Harness> {
  const bus = new EventBus();
  const logged: string[] = [];
  const log = {
    info: () => {},
    warn: (line: string) => logged.push(line),
    error: (line: string) => logged.push(line),
  };
  const engine = new EngineClient({ bus, log, launch: forkEngine(engineEntry), ...recovery });
  const store = Store.open(path.join(tempDir('phidesk-isolation-'), databaseFileName));
  const answers = new AnswerService({ store, engine, bus, log: createLogger('test', 'error') });
  const chat = new ChatService({ store, engine, answers });
  const streamed = new Map<number, string>();
  const endings = new Map<number, AnswerEnded>();
  const waiting = new Map<number, (ended: AnswerEnded) => void>();
  bus.subscribe((name, payload) => {
    if (name === 'answer.delta') {
      const delta = payload as { messageId: number; text: string; restart: boolean };
      streamed.set(
        delta.messageId,
        (delta.restart ? '' : (streamed.get(delta.messageId) ?? '')) + delta.text,
      );
    }
    if (name === 'answer.ended') {
      const ended = payload as AnswerEnded;
      endings.set(ended.messageId, ended);
      waiting.get(ended.messageId)?.(ended);
    }
  });
  const harness: Harness = {
    bus,
    engine,
    store,
    answers,
    chat,
    logged,
    streamed,
    ended: (messageId) =>
      endings.has(messageId)
        ? Promise.resolve(endings.get(messageId)!)
        : new Promise((resolve) => waiting.set(messageId, resolve)),
  };
  open.push(harness);
  await engine.load(loadOptions);
  return harness;
}

/** Resolves once the bus announces an engine state that passes `test` (or at once if it already does). */
function engineState(harness: Harness, test: (state: EngineClient['state']) => boolean): Promise<void> {
  if (test(harness.engine.state)) return Promise.resolve();
  return new Promise((resolve) => {
    const off = harness.bus.subscribe(() => {
      if (!test(harness.engine.state)) return;
      off();
      resolve();
    });
  });
}

const backWithModel = (harness: Harness) =>
  engineState(
    harness,
    (state) => state.process?.status === 'running' && state.model !== null && !state.loading,
  );

/** Resolves at the first `answer.delta` of a message (some text has streamed). */
function firstDelta(harness: Harness, messageId: number): Promise<void> {
  return new Promise((resolve) => {
    const off = harness.bus.subscribe((name, payload) => {
      if (name === 'answer.delta' && (payload as { messageId: number }).messageId === messageId) {
        off();
        resolve();
      }
    });
  });
}

/** Kills the engine process; resolves once the app has noticed (for SIGKILL). */
async function kill(harness: Harness, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const pid = harness.engine.pid!;
  process.kill(pid, signal);
  if (signal === 'SIGKILL') await engineState(harness, (state) => state.process?.pid !== pid);
}

/** A structured answer (the path mistake analyses and flashcards take), into a row of its own. */
async function startJsonAnswer(harness: Harness): Promise<number> {
  const { store, answers } = harness;
  const conversationId = store.conversations.create({ kind: 'chat', title: 'JSON' });
  const messageId = store.messages.insert({
    conversationId,
    parentId: null,
    role: 'assistant',
    content: '',
    status: 'streaming',
  });
  await answers.start({
    conversationId,
    messageId,
    request: { messages: [{ role: 'user', content: 'List the steps.' }], maxTokens: 1500 },
    json: {
      schema: {
        type: 'object',
        properties: { steps: { type: 'array', items: { type: 'string' } } },
      } as never,
      validate: (value) => value,
    },
  });
  return messageId;
}

describe('the engine in its own process', () => {
  it('answers through the process boundary as it does in-process, streaming coalesced deltas', async () => {
    const t = await start();
    const deltas: string[] = [];
    const handle = await t.engine.generate(
      { messages: [{ role: 'user', content: 'Tell me about forces.' }], maxTokens: 200 },
      { onDelta: ({ text }) => deltas.push(text) },
    );
    const done = await handle.done;
    expect(done.stopReason).toBe('max_tokens');
    expect(done.stats.outputTokens).toBe(200);
    expect(deltas.join('').trimEnd()).toBe(done.text);
    // Coalesced: far fewer messages than tokens (one per frame, never one per token).
    expect(deltas.length).toBeLessThan(done.stats.outputTokens / 2);
    expect(await t.engine.countTokens(['one two three', ''])).toEqual([expect.any(Number), 0]);
    const usage = await t.engine.measure({ messages: [{ role: 'user', content: 'hi' }] });
    expect(usage).toMatchObject({ contextSize: 2048, tooLong: false });
    await expect(
      t.engine.generate({ messages: [{ role: 'user', content: 'word '.repeat(3000) }] }),
    ).rejects.toMatchObject({ code: 'too_long' });
  });

  it('reports the engine process’s memory beside the fit estimate, and the estimate holds', async () => {
    const t = await start();
    await engineState(t, (state) => (state.process?.memory?.modelEstimateBytes ?? null) !== null);
    const memory = t.engine.state.process!.memory!;
    expect(memory.baselineBytes).toBeGreaterThan(0);
    expect(memory.rssBytes).toBeGreaterThan(memory.baselineBytes);
    // What loading the model added to the process, against what the estimate said it would need: the
    // estimate may not fall short by more than llama.cpp's fixed buffers, nor overshoot absurdly.
    const grown = memory.rssBytes - memory.baselineBytes;
    const estimate = memory.modelEstimateBytes!;
    const slack = 48 * 1024 * 1024;
    expect(grown).toBeLessThan(estimate + slack);
    expect(estimate).toBeLessThan(grown * 4 + slack);
  });

  it('survives SIGKILL at random moments in 30 rounds: nothing lost, and it answers again each time', async () => {
    const t = await start({ restartDelaysMs: [50, 50], crashWindowMs: 1 });
    const random = seededRandom(13);
    const phases = ['idle', 'loading', 'prefill', 'decode', 'json'] as const;
    const seen = new Map<string, number>();
    for (let round = 0; round < 30; round++) {
      const phase = phases[Math.floor(random() * phases.length)]!;
      seen.set(phase, (seen.get(phase) ?? 0) + 1);
      let messageId: number | null = null;
      if (phase === 'idle') await kill(t);
      if (phase === 'loading') {
        const loading = t.engine.load(loadOptions);
        await engineState(t, (state) => state.loading !== null);
        await kill(t);
        await expect(loading, `round ${round}`).rejects.toMatchObject({ code: 'engine_restarting' });
      }
      if (phase === 'prefill' || phase === 'decode') {
        const started = await t.chat.send({
          text: `Round ${round}: ${'explain the motion of a falling ball in detail. '.repeat(phase === 'prefill' ? 25 : 1)}`,
          settings: { maxTokens: 1500 },
        });
        messageId = started.messageId;
        if (phase === 'decode') await firstDelta(t, messageId);
        else await new Promise((resolve) => setTimeout(resolve, random() * 20));
        await kill(t);
      }
      if (phase === 'json') {
        messageId = await startJsonAnswer(t);
        await firstDelta(t, messageId);
        await kill(t);
      }
      if (messageId !== null) {
        const ended = await t.ended(messageId);
        const saved = t.store.messages.get(messageId);
        expect(['complete', 'interrupted'], `round ${round} (${phase})`).toContain(saved.status);
        expect(ended.status).toBe(saved.status);
        expect((t.streamed.get(messageId) ?? '').startsWith(saved.content), `round ${round}`).toBe(true);
        if (phase === 'decode') expect(saved.status, `round ${round}`).toBe('interrupted');
      }
      expect(t.store.quickCheck(), `round ${round}`).toBe('ok');

      // Back by itself, with the same model and settings: the next message is answered.
      await backWithModel(t);
      expect(t.engine.state.model).toMatchObject({ threads: 1, sequences: 2, contextSize: 2048 });
      const next = await t.chat.send({ text: `After round ${round}`, settings: { maxTokens: 8 } });
      expect((await t.ended(next.messageId)).status, `round ${round}`).toBe('complete');
    }
    expect(seen.size).toBe(phases.length);
    expect(t.logged.filter((line) => /stopped unexpectedly \(killed by SIGKILL\)/.test(line))).toHaveLength(
      30,
    );
    expect(t.logged.some((line) => /Last request: generate/.test(line))).toBe(true);
  }, 300_000);

  it('treats a process that stops making progress (SIGSTOP) as hung: killed, restarted, answering', async () => {
    const t = await start({ hangTimeoutMs: 2000, restartDelaysMs: [50, 50] });
    const started = await t.chat.send({ text: 'A long answer, please.', settings: { maxTokens: 1500 } });
    await firstDelta(t, started.messageId);
    const stopped = t.engine.pid!;
    await kill(t, 'SIGSTOP');
    const ended = await t.ended(started.messageId);
    expect(ended.status).toBe('interrupted');
    const saved = t.store.messages.get(started.messageId);
    expect(saved.status).toBe('interrupted');
    expect(saved.content.length).toBeGreaterThan(0);
    expect(t.streamed.get(started.messageId)!.startsWith(saved.content)).toBe(true);
    expect(t.engine.state.process?.lastCrash?.message).toMatch(/hung/);
    await backWithModel(t);
    expect(t.engine.pid).not.toBe(stopped);
    const next = await t.chat.send({ text: 'Still there?', settings: { maxTokens: 8 } });
    expect((await t.ended(next.messageId)).status).toBe('complete');
  }, 60_000);

  it('fails what was queued with a retryable error, and refuses new answers while it restarts', async () => {
    const t = await start({ restartDelaysMs: [1500, 1500] });
    const running = await t.chat.send({ text: 'First, long.', settings: { maxTokens: 1500 } });
    const queued = await t.chat.send({ text: 'Second, waiting.', settings: { maxTokens: 20 } });
    expect(queued.queuePosition).toBe(1);
    await firstDelta(t, running.messageId);
    await kill(t);
    expect((await t.ended(running.messageId)).status).toBe('interrupted');
    const waited = await t.ended(queued.messageId);
    expect(waited.status).toBe('error');
    expect(waited.error).toMatch(/stopped unexpectedly.*ask again/i);
    expect(t.engine.state.process?.status).toBe('restarting');
    await expect(t.chat.send({ text: 'Now?' })).rejects.toMatchObject({ code: 'engine_restarting' });
    await backWithModel(t);
    const next = await t.chat.send({ text: 'Now.', settings: { maxTokens: 8 } });
    expect((await t.ended(next.messageId)).status).toBe('complete');
  }, 60_000);

  it('stops restarting after three crashes in a minute, says why and what to try, and tries again on request', async () => {
    const t = await start({ restartDelaysMs: [50, 50] });
    for (let crash = 1; crash <= 3; crash++) {
      await backWithModel(t);
      await kill(t);
    }
    await engineState(t, (state) => state.process?.status === 'failed');
    const failed = t.engine.state.process!;
    expect(failed.failure).toMatch(/3 times in a minute/);
    expect(failed.failure).toMatch(/CPU mode|fewer GPU layers/);
    expect(t.logged.some((line) => line.includes(failed.failure!))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.engine.state.process?.status).toBe('failed');
    await expect(t.chat.send({ text: 'Hello?' })).rejects.toMatchObject({ code: 'unavailable' });

    t.engine.restart();
    await backWithModel(t);
    const next = await t.chat.send({ text: 'Back?', settings: { maxTokens: 8 } });
    expect((await t.ended(next.messageId)).status).toBe('complete');
  }, 60_000);
});
