/**
 * The one answer pipeline, through the contract of a real core (real engine on the generated model, real
 * SQLite file) and real connections: who is sent an answer's events, the queue as followers see it, stop,
 * the snapshot a re-attaching window reads, and the analysis of a mistake check as an answer like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import type { EventName } from '../../../src-shared/rpc';
import type {
  AnswerDelta,
  AnswerEnded,
  AnswerStarted,
  ChatStarted,
  RunningAnswer,
} from '../../../src-shared/types';
import type { MistakeCheck } from '../../../src-shared/tutor';
import type { ServerMessage } from '../../../src-shared/wire';
import { answerEnded } from '../../test-support/chat';
import { testCoreOptions } from '../../test-support/core';
import { tempDir } from '../../test-support/engine';
import { createCore, type Core } from '../create-core';

let core: Core;

/** A window: a connection to the core that records every event it is sent. */
function connect() {
  const events: { name: EventName; payload: unknown }[] = [];
  const waiting = new Map<number, (message: ServerMessage) => void>();
  let nextId = 1;
  const connection = core.rpc.connect((message) => {
    if (message.type === 'event') events.push({ name: message.name as EventName, payload: message.payload });
    else waiting.get(message.id)?.(message);
  });
  return {
    events,
    of: <T>(name: EventName, conversationId?: number) =>
      events
        .filter((event) => event.name === name)
        .map((event) => event.payload as T & { conversationId: number })
        .filter((payload) => conversationId === undefined || payload.conversationId === conversationId),
    call: <T>(method: string, params: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (message) => {
          if (message.type !== 'response') return;
          if (message.ok) resolve(message.result as T);
          else reject(Object.assign(new Error(message.error.message), message.error));
        });
        connection.receive({ type: 'request', id, method, params });
      }),
    close: () => connection.close(),
  };
}

const ended = (messageId: number) => answerEnded(core.bus, (answer) => answer.messageId === messageId);
const long = { maxTokens: 4000, sampling: { seed: 7 } };

beforeAll(async () => {
  core = createCore(testCoreOptions(tempDir('phidesk-answers-')));
  const outcome = await core.rpc.handle('engine.load', {
    path: ensureTestModel({ endOfTextBias: -30 }),
    gpu: 'cpu',
    threads: 1,
    sequences: 2,
  });
  expect(outcome.ok).toBe(true);
});
afterAll(() => core.dispose());

describe('answer events go only to the connections that follow the conversation', () => {
  it('a window that follows another conversation gets none of this one, and the starter gets all', async () => {
    const starter = connect();
    const other = connect();
    const elsewhere = await starter.call<ChatStarted>('chat.send', {
      text: 'Elsewhere',
      settings: { maxTokens: 5 },
    });
    await ended(elsewhere.messageId);
    await other.call('answers.follow', { conversationIds: [elsewhere.conversationId] });

    const started = await starter.call<ChatStarted>('chat.send', {
      text: 'What is a joule?',
      settings: { maxTokens: 40 },
    });
    const end = await ended(started.messageId);
    expect(end.status).toBe('complete');

    const deltas = starter.of<AnswerDelta>('answer.delta', started.conversationId);
    expect(deltas.length).toBeGreaterThan(0);
    expect(starter.of<AnswerEnded>('answer.ended', started.conversationId)).toHaveLength(1);
    const saved = core.store!.messages.get(started.messageId).content;
    expect(
      deltas
        .map((delta) => delta.text)
        .join('')
        .trimEnd(),
    ).toBe(saved);
    // Not a single answer event of that conversation reached the other window; the rest still does.
    expect(other.events.filter((event) => event.name.startsWith('answer.'))).toEqual([]);
    expect(other.events.some((event) => event.name === 'conversations.changed')).toBe(true);
    starter.close();
    other.close();
  });

  it('follows what the window says it shows, replacing what it said before, and nothing after it closes', async () => {
    const starter = connect();
    const viewer = connect();
    const first = await starter.call<ChatStarted>('chat.send', { text: 'One', settings: { maxTokens: 5 } });
    await ended(first.messageId);
    await viewer.call('answers.follow', { conversationIds: [first.conversationId] });
    const askAgain = async (text: string) => {
      const started = await starter.call<ChatStarted>('chat.send', {
        conversationId: first.conversationId,
        text,
        settings: { maxTokens: 10 },
      });
      await ended(started.messageId);
    };
    await askAgain('Two');
    expect(viewer.of('answer.ended', first.conversationId)).toHaveLength(1);

    await viewer.call('answers.follow', { conversationIds: [] });
    await askAgain('Three');
    expect(viewer.of('answer.ended', first.conversationId)).toHaveLength(1);
    await expect(
      viewer.call('answers.follow', { conversationIds: Array.from({ length: 51 }, (_, i) => i + 1) }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    starter.close();
    viewer.close();
  });
  it('a window that started an answer follows it to its end, whatever set it declares meanwhile', async () => {
    const window = connect();
    const started = await window.call<ChatStarted>('chat.send', {
      text: 'Mine',
      settings: { maxTokens: 30 },
    });
    // As a renderer does while it has not yet learnt the new conversation's id.
    await window.call('answers.follow', { conversationIds: [] });
    const end = await ended(started.messageId);
    expect(window.of<AnswerEnded>('answer.ended', started.conversationId)).toEqual([end]);
    // Once ended, it is followed only if the window says so: another window's answer there does not come.
    const other = connect();
    const next = await other.call<ChatStarted>('chat.send', {
      conversationId: started.conversationId,
      text: 'Again',
      settings: { maxTokens: 5 },
    });
    await ended(next.messageId);
    expect(other.of<AnswerEnded>('answer.ended', started.conversationId)).toHaveLength(1);
    expect(window.of<AnswerEnded>('answer.ended', started.conversationId)).toEqual([end]);
    other.close();
    window.close();
  });
});

describe('one answer service for every answer', () => {
  it('queues a second answer: its followers see its place, then 0 when the model is on it; Stop cancels it', async () => {
    const window = connect();
    const running = await window.call<ChatStarted>('chat.send', { text: 'Go on and on.', settings: long });
    const queued = await window.call<ChatStarted>('chat.send', {
      text: 'Me next.',
      settings: { maxTokens: 5 },
    });
    expect([running.queuePosition, queued.queuePosition]).toEqual([0, 1]);
    const third = await window.call<ChatStarted>('chat.send', {
      text: 'And me.',
      settings: { maxTokens: 5 },
    });
    expect(third.queuePosition).toBe(2);

    const ends = [running, queued, third].map((answer) => ended(answer.messageId));

    // Cancelled while waiting, by its message: it ends stopped with no text, and the one behind moves up.
    expect(await window.call('answers.stop', { messageId: queued.messageId })).toEqual({ stopped: true });
    expect((await ends[1])!.status).toBe('stopped');
    expect(core.store!.messages.get(queued.messageId)).toMatchObject({ status: 'stopped', content: '' });
    const places = () =>
      window.of<AnswerStarted>('answer.started', third.conversationId).map((s) => s.queuePosition);
    expect(places()).toEqual([1]);
    expect(await window.call('answers.stop', { conversationId: running.conversationId })).toEqual({
      stopped: true,
    });
    expect((await ends[0])!.status).toBe('stopped');
    await ends[2];
    expect(places()).toEqual([1, 0]);
    expect(await window.call('answers.stop', { messageId: third.messageId })).toEqual({ stopped: false });
    window.close();
  });

  it('gives a re-attaching window the text so far and the engine’s own figures, continued by the deltas', async () => {
    const window = connect();
    const started = await window.call<ChatStarted>('chat.send', {
      text: 'Talk for a while.',
      settings: long,
    });
    await expect.poll(() => window.of('answer.delta', started.conversationId).length).toBeGreaterThan(3);
    const reader = connect();
    await reader.call('answers.follow', { conversationIds: [started.conversationId] });
    const [snapshot] = await reader.call<RunningAnswer[]>('answers.running', {
      conversationId: started.conversationId,
    });
    expect(snapshot).toMatchObject({ messageId: started.messageId, queuePosition: 0 });
    expect(snapshot!.content.length).toBeGreaterThan(0);
    expect(snapshot!.outputTokens).toBeGreaterThan(0);
    expect(snapshot!.elapsedMs).toBeGreaterThanOrEqual(snapshot!.firstTokenMs!);
    await expect.poll(() => reader.of('answer.delta', started.conversationId).length).toBeGreaterThan(2);
    const end = ended(started.messageId);
    await window.call('answers.stop', { conversationId: started.conversationId });
    await end;
    // Snapshot plus the deltas after it is exactly what was saved; the figures only grow.
    const after = reader.of<AnswerDelta>('answer.delta', started.conversationId);
    const saved = core.store!.messages.get(started.messageId);
    expect((snapshot!.content + after.map((delta) => delta.text).join('')).trimEnd()).toBe(saved.content);
    const tokens = [snapshot!.outputTokens, ...after.map((delta) => delta.outputTokens)];
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
    expect(after.every((delta) => delta.firstTokenMs === snapshot!.firstTokenMs)).toBe(true);
    expect(await reader.call('answers.running', {})).toEqual([]);
    window.close();
    reader.close();
  });

  it('writes a mistake analysis as an answer: its JSON streams to the follower, then the row holds it as prose', async () => {
    const window = connect();
    const check = await window.call<MistakeCheck>('mistakes.check', {
      problem: 'A cart moves at 2 m/s for 3 s. How far does it go?',
      solution: 'd = v t\nd = 2 m/s * 3 s = 5 m',
    });
    expect(check.analysis.status).toBe('running');
    const [running] = await window.call<RunningAnswer[]>('answers.running', {
      conversationId: check.conversationId,
    });
    const end = await ended(running!.messageId);
    expect(end.status).toBe('complete');
    const text = window
      .of<AnswerDelta>('answer.delta', check.conversationId)
      .reduce((shown, delta) => (delta.restart ? delta.text : shown + delta.text), '');
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    const done = await window.call<MistakeCheck>('mistakes.get', { conversationId: check.conversationId });
    expect(done.analysis.status).toBe('done');
    const row = core.store!.messages.get(running!.messageId);
    expect(row).toMatchObject({ role: 'assistant', status: 'complete' });
    expect(row.content).toMatch(/^\*\*Verdict:\*\*/);

    // Stopped: the cut-off JSON is not kept as the check's answer; the first analysis stays.
    const again = await window.call<MistakeCheck>('mistakes.analyse', {
      conversationId: check.conversationId,
    });
    expect(again.analysis.status).toBe('running');
    const [second] = await window.call<RunningAnswer[]>('answers.running', {
      conversationId: check.conversationId,
    });
    const secondEnded = ended(second!.messageId);
    await window.call('answers.stop', { conversationId: check.conversationId });
    expect((await secondEnded).status).toBe('stopped');
    expect(
      (await window.call<MistakeCheck>('mistakes.get', { conversationId: check.conversationId })).analysis
        .status,
    ).toBe('stopped');
    const answers = core.store!.messages.all(check.conversationId).filter((m) => m.role === 'assistant');
    expect(answers.map((m) => m.id)).toEqual([running!.messageId]);
    window.close();
  });
});
