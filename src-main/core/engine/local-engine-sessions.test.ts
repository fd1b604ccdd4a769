import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import type { ChatTurn, GenerationDone } from '../../../src-shared/types';
import {
  ask,
  generateAll,
  recordingHooks,
  startTestEngine,
  tempDir,
  type HookCall,
  type TestEngine,
} from '../../test-support/engine';
import { generateJson } from './json-generation';

const endless = { endOfTextBias: -30 };

describe('engine: queue (C1)', () => {
  let t: TestEngine;
  beforeAll(async () => (t = await startTestEngine(endless, { maxQueued: 3 })));
  afterAll(() => t.dispose());

  it('serves simultaneous requests one at a time, in order, never interleaving', async () => {
    const calls: HookCall[] = [];
    const tags = ['q0', 'q1', 'q2', 'q3'];
    const handles = await Promise.all(
      tags.map((tag, i) =>
        t.engine.generate(
          { ...ask(`Question ${i}`), maxTokens: 20, sampling: { seed: i } },
          recordingHooks(calls, tag),
        ),
      ),
    );
    expect(handles.map((handle) => handle.queuePosition)).toEqual([0, 1, 2, 3]);
    const dones = await Promise.all(handles.map((handle) => handle.done));
    expect(dones.every((done) => done.stopReason === 'max_tokens')).toBe(true);

    // Each request is told its place as the queue moves: the last one 3, 2, 1, then 0 when it runs.
    const places = (tag: string) =>
      calls.flatMap((call) => (call.tag === tag && call.hook === 'queued' ? [call.position] : []));
    expect(tags.map(places)).toEqual([[0], [1, 0], [2, 1, 0], [3, 2, 1, 0]]);
    // Each request's text forms one block: started, then its deltas — never mixed with another's.
    const written = calls.filter((call) => call.hook !== 'queued').map((call) => call.tag);
    const blocks = written.filter((tag, index) => index === 0 || written[index - 1] !== tag);
    expect(blocks).toEqual(tags);
    // And each answer holds only its own text.
    for (const [index, done] of dones.entries()) {
      const own = calls.flatMap((call) =>
        call.tag === tags[index] && call.hook === 'delta' ? [call.text] : [],
      );
      expect(own.join('').trimEnd()).toBe(done.text);
    }
  });

  it('answers busy when the queue is full, and cancels a waiting request', async () => {
    const calls: HookCall[] = [];
    const running = await t.engine.generate({ ...ask('long'), maxTokens: 2000 });
    const waiting = await Promise.all(
      [1, 2, 3].map((i) =>
        t.engine.generate({ ...ask(`w${i}`), maxTokens: 5 }, recordingHooks(calls, `w${i}`)),
      ),
    );
    await expect(t.engine.generate(ask('one too many'))).rejects.toMatchObject({ code: 'busy' });

    expect(t.engine.stop(waiting[1]!.requestId)).toBe(true);
    const cancelled = await waiting[1]!.done;
    expect(cancelled).toMatchObject({ stopReason: 'user_stop', text: '', stats: { outputTokens: 0 } });
    expect(t.engine.stop(running.requestId)).toBe(true);
    await Promise.all([running.done, waiting[0]!.done, waiting[2]!.done]);
    expect(calls.some((call) => call.tag === 'w2' && call.hook === 'started')).toBe(false);
    // The one behind the cancelled request moved up a place.
    expect(calls.filter((call) => call.tag === 'w3' && call.hook === 'queued')).toEqual([
      { tag: 'w3', hook: 'queued', position: 3 },
      { tag: 'w3', hook: 'queued', position: 2 },
      { tag: 'w3', hook: 'queued', position: 1 },
      { tag: 'w3', hook: 'queued', position: 0 },
    ]);
  });

  it('says false when stopping something unknown or finished', async () => {
    const done = await generateAll(t.engine, { ...ask('x'), maxTokens: 2 });
    expect(t.engine.stop(done.done.requestId)).toBe(false);
    expect(t.engine.stop('no-such-request')).toBe(false);
  });
});

describe('engine: KV cache reuse', () => {
  let t: TestEngine;
  beforeAll(async () => (t = await startTestEngine(endless, { sequences: 2 })));
  afterAll(() => t.dispose());

  async function turn(conversationId: string, history: ChatTurn[], question: string) {
    const messages: ChatTurn[] = [...history, { role: 'user', content: question }];
    const { done, started } = await generateAll(t.engine, {
      conversationId,
      system: 'You are a helpful physics tutor who answers briefly.',
      messages,
      maxTokens: 24,
      sampling: { seed: 1 },
    });
    return {
      history: [...messages, { role: 'assistant' as const, content: done.text }],
      done,
      started: started!,
    };
  }

  it('evaluates only the new tokens of a follow-up turn', async () => {
    const first = await turn('a', [], 'What is kinetic energy?');
    expect(first.started.reusedTokens).toBe(0);
    const second = await turn('a', first.history, 'And potential energy?');
    const evaluated = second.started.promptTokens - second.started.reusedTokens;
    // Everything up to the first answer was already in the context.
    expect(second.started.reusedTokens).toBeGreaterThanOrEqual(first.started.promptTokens);
    expect(evaluated).toBeLessThan(second.started.promptTokens / 2);
  });

  it('keeps each conversation’s prefix when switching between them', async () => {
    const a1 = await turn('x', [], 'Tell me about momentum.');
    const b1 = await turn('y', [], 'Tell me about circuits.');
    const a2 = await turn('x', a1.history, 'Why is it conserved?');
    const b2 = await turn('y', b1.history, 'What is Ohm’s law?');
    expect(a2.started.reusedTokens).toBeGreaterThanOrEqual(a1.started.promptTokens);
    expect(b2.started.reusedTokens).toBeGreaterThanOrEqual(b1.started.promptTokens);
  });

  it('reuses a shared system preamble even in a new conversation', async () => {
    const fresh = await turn('brand-new', [], 'Define power.');
    expect(fresh.started.reusedTokens).toBeGreaterThan(5);
  });
});

describe('engine: structured output', () => {
  let t: TestEngine;
  beforeAll(async () => (t = await startTestEngine()));
  afterAll(() => t.dispose());

  const schema = {
    type: 'object',
    properties: {
      verdict: { enum: ['correct', 'incorrect', 'incomplete'] },
      firstWrongStep: { enum: [0, 1, 2, 3] },
      explanation: { type: 'string', maxLength: 40 },
    },
  } as const;

  it('always returns an object that parses and matches the schema', async () => {
    for (let seed = 0; seed < 8; seed++) {
      const value = await generateJson(
        t.engine,
        { ...ask('Check this solution.'), maxTokens: 400, sampling: { seed, temperature: 1 } },
        schema,
        { validate: (v) => v as { verdict: string; firstWrongStep: number; explanation: string } },
      );
      expect(['correct', 'incorrect', 'incomplete']).toContain(value.verdict);
      expect([0, 1, 2, 3]).toContain(value.firstWrongStep);
      expect(typeof value.explanation).toBe('string');
      expect(value.explanation.length).toBeLessThanOrEqual(40);
    }
  });

  it('retries, then refuses with invalid_output, when the answer cannot be completed', async () => {
    const error = await generateJson(t.engine, { ...ask('Check.'), maxTokens: 3 }, schema, {
      validate: (v) => v,
      attempts: 2,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'invalid_output',
      message: expect.stringMatching(/ran out of tokens/),
    });
  });

  it('applies the caller’s own check and retries when it rejects', async () => {
    let calls = 0;
    const error = await generateJson(
      t.engine,
      { ...ask('Check.'), maxTokens: 400, sampling: { temperature: 1 } },
      schema,
      {
        attempts: 3,
        validate: () => {
          calls += 1;
          throw new Error('never good enough');
        },
      },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(error).toMatchObject({ code: 'invalid_output' });
  });
});

describe('engine: model file lifecycle', () => {
  it('keeps working when the loaded file is deleted, then says so on the next load (M9)', async () => {
    const copy = path.join(tempDir('phidesk-m9-'), 'model.gguf');
    fs.copyFileSync(ensureTestModel(endless), copy);
    const t = await startTestEngine(endless);
    await t.engine.load({
      path: copy,
      gpu: 'cpu',
      gpuLayers: 'auto',
      contextSize: 'auto',
      threads: 'auto',
      sequences: 1,
    });
    fs.rmSync(copy);
    const { done } = await generateAll(t.engine, { ...ask('Still there?'), maxTokens: 10 });
    expect(done.stopReason).toBe('max_tokens');
    await expect(
      t.engine.load({
        path: copy,
        gpu: 'cpu',
        gpuLayers: 'auto',
        contextSize: 'auto',
        threads: 'auto',
        sequences: 1,
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await t.dispose();
  });

  it('refuses bad files with typed errors and stays usable (M2, M3)', async () => {
    const t = await startTestEngine(endless);
    const dir = tempDir('phidesk-bad-');
    const html = path.join(dir, 'page.gguf');
    fs.writeFileSync(html, '<html><body>Rate limited</body></html>');
    const truncated = path.join(dir, 'cut.gguf');
    const whole = fs.readFileSync(ensureTestModel());
    fs.writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    const options = {
      gpu: 'cpu',
      gpuLayers: 'auto',
      contextSize: 'auto',
      threads: 'auto',
      sequences: 1,
    } as const;
    await expect(t.engine.load({ ...options, path: html })).rejects.toMatchObject({ code: 'model_invalid' });
    await expect(t.engine.load({ ...options, path: truncated })).rejects.toMatchObject({
      code: 'model_invalid',
    });
    // The bad file was refused before the loaded model was touched.
    expect(t.engine.state.model).not.toBeNull();
    const { done } = await generateAll(t.engine, { ...ask('ok?'), maxTokens: 4 });
    expect(done.stopReason).toBe('max_tokens');
    await t.dispose();
  });

  it('cancels a load', async () => {
    const t = await startTestEngine(endless);
    const loading = t.engine.load({
      path: ensureTestModel({ ...endless, seed: 2 }),
      gpu: 'cpu',
      gpuLayers: 'auto',
      contextSize: 'auto',
      threads: 'auto',
      sequences: 1,
    });
    expect(t.engine.cancelLoad()).toBe(true);
    await expect(loading).rejects.toMatchObject({ code: 'cancelled' });
    expect(t.engine.state.loading).toBeNull();
    expect(t.engine.cancelLoad()).toBe(false);
    await t.dispose();
  });

  it('stops running and waiting answers when another model is loaded', async () => {
    const t = await startTestEngine(endless);
    const running = await t.engine.generate({ ...ask('long'), maxTokens: 3000 });
    const waiting = await t.engine.generate({ ...ask('next'), maxTokens: 3000 });
    await t.engine.load({
      path: ensureTestModel(endless),
      gpu: 'cpu',
      gpuLayers: 'auto',
      contextSize: 'auto',
      threads: 'auto',
      sequences: 1,
    });
    const dones: GenerationDone[] = await Promise.all([running.done, waiting.done]);
    expect(dones.map((done) => done.stopReason)).toEqual(['user_stop', 'user_stop']);
    await t.dispose();
  });
});
