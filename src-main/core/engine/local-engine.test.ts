import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ask, generateAll, startTestEngine, type TestEngine } from '../../test-support/engine';
import { phi2StopTriggers } from './phi2-format';

/** A model that never ends on its own, so answers run until stopped or capped. */
const endless = { endOfTextBias: -30 };

describe('engine: loading', () => {
  let t: TestEngine;
  beforeAll(async () => (t = await startTestEngine()));
  afterAll(() => t.dispose());

  it('loads the generated Phi-2 model with the trained context and reports what is in use', () => {
    const { model } = t.engine.state;
    expect(model).toMatchObject({
      backend: 'cpu',
      contextSize: 2048,
      sequences: 2,
      file: { architecture: 'phi2', contextLength: 2048, quantization: 'F32' },
    });
    expect(model!.threads).toBeGreaterThanOrEqual(1);
    expect(model!.totalLayers).toBeGreaterThan(0);
  });

  it('announces state changes as events', () => {
    const states = t.events.filter((event) => event.name === 'engine.state');
    expect(states.some((event) => (event.payload as { loading: unknown }).loading !== null)).toBe(true);
    expect((states.at(-1)!.payload as { model: unknown }).model).not.toBeNull();
  });

  it('unloads, and then refuses to generate with model_not_loaded', async () => {
    const other = await startTestEngine();
    expect(await other.engine.unload()).toBe(true);
    expect(other.engine.state.model).toBeNull();
    await expect(other.engine.generate(ask('hi'))).rejects.toMatchObject({ code: 'model_not_loaded' });
    expect(await other.engine.unload()).toBe(false);
    await other.dispose();
  });
});

describe('engine: generation', () => {
  let t: TestEngine;
  beforeAll(async () => (t = await startTestEngine(endless)));
  afterAll(() => t.dispose());

  it('streams deltas that add up to the final answer, then stats', async () => {
    const { done, deltas, started } = await generateAll(t.engine, {
      ...ask('Tell me about energy.'),
      maxTokens: 60,
      sampling: { seed: 3 },
    });
    expect(started).toMatchObject({ promptTokens: expect.any(Number), contextSize: 2048 });
    expect(done.stopReason).toBe('max_tokens');
    expect(done.stats.outputTokens).toBe(60);
    expect(deltas.join('').trimEnd()).toBe(done.text);
    expect(done.stats.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(done.stats.tokensPerSecond).toBeGreaterThan(0);
    expect(done.stats.contextUsed).toBeGreaterThan(done.stats.promptTokens);
    // Answers are the answer service's to announce: the engine announces only its own state.
    expect(t.events.every((event) => ['engine.state', 'llama.runtime'].includes(event.name))).toBe(true);
  });

  it('coalesces deltas: far fewer messages than tokens', async () => {
    const { done, deltas } = await generateAll(t.engine, { ...ask('Count.'), maxTokens: 300 });
    expect(done.stats.outputTokens).toBe(300);
    expect(deltas.length).toBeLessThan(done.stats.outputTokens / 2);
  });

  it('is reproducible with a fixed seed', async () => {
    const request = { ...ask('Same question'), maxTokens: 30, sampling: { seed: 42 } };
    const first = await generateAll(t.engine, request);
    const second = await generateAll(t.engine, request);
    expect(second.done.text).toBe(first.done.text);
  });

  it('stops within 500 ms of Stop and keeps the partial answer (C2)', async () => {
    let firstDelta!: () => void;
    const streaming = new Promise<void>((resolve) => (firstDelta = resolve));
    const handle = await t.engine.generate(
      { ...ask('Go on forever.'), maxTokens: 4000 },
      { onDelta: () => firstDelta() },
    );
    await streaming;
    const stoppedAt = performance.now();
    expect(t.engine.stop(handle.requestId)).toBe(true);
    const done = await handle.done;
    expect(performance.now() - stoppedAt).toBeLessThan(500);
    expect(done.stopReason).toBe('user_stop');
    expect(done.stats.outputTokens).toBeGreaterThan(0);
    expect(done.stats.outputTokens).toBeLessThan(4000);
    // The next prompt works.
    expect((await generateAll(t.engine, { ...ask('Next'), maxTokens: 5 })).done.stopReason).toBe(
      'max_tokens',
    );
  });

  it('stops on each of Phi-2’s stop triggers without leaking them into the answer', async () => {
    for (const trigger of phi2StopTriggers) {
      const forced = `The answer is 42.${trigger} and then more text`;
      const { done, deltas } = await generateAll(t.engine, {
        ...ask('What is the answer?'),
        gbnf: `root ::= ${JSON.stringify(forced)}`,
        stopTriggers: phi2StopTriggers,
        maxTokens: 200,
      });
      expect(done.stopReason, trigger).toBe('stop_trigger');
      expect(done.text, trigger).toBe('The answer is 42.');
      expect(deltas.join(''), trigger).not.toContain(trigger.trim());
    }
  });

  it('never streams U+FFFD for characters split across byte tokens (I5)', async () => {
    const forced = 'é, 日本語, 🙂 and ünïcödé — 👩‍🔬';
    const { done, deltas } = await generateAll(t.engine, {
      ...ask('Say it'),
      gbnf: `root ::= ${JSON.stringify(forced)}`,
      maxTokens: 200,
    });
    expect(done.stats.outputTokens).toBeGreaterThan([...forced].length);
    expect(done.text).toBe(forced);
    expect(deltas.join('')).toBe(forced);
    for (const delta of deltas) expect(delta).not.toContain('\uFFFD');
  });

  it('drops bytes that are not valid UTF-8 rather than showing U+FFFD (random output)', async () => {
    const { done, deltas } = await generateAll(t.engine, {
      ...ask('Noise please'),
      maxTokens: 400,
      sampling: { temperature: 1.5, seed: 9 },
    });
    expect(done.text).not.toContain('\uFFFD');
    expect(deltas.join('')).not.toContain('\uFFFD');
  });

  it('refuses a prompt longer than the context before queueing it (I1)', async () => {
    await expect(t.engine.generate(ask('word '.repeat(3000)))).rejects.toMatchObject({
      code: 'too_long',
      message: expect.stringMatching(/\d+ tokens.*2048/),
    });
  });

  it('keeps a conversation far longer than the context answering, with the system text kept (I2)', async () => {
    const turns = Array.from({ length: 35 }, (_, i) => [
      { role: 'user' as const, content: `Question ${i}: ${'tell me more about waves '.repeat(6)}` },
      { role: 'assistant' as const, content: `Answer ${i}: ${'waves carry energy '.repeat(8)}` },
    ]).flat();
    const { done, started } = await generateAll(t.engine, {
      conversationId: 'long',
      system: 'You are a physics tutor.',
      messages: [...turns, { role: 'user', content: 'And sound?' }],
      maxTokens: 64,
    });
    expect(done.stopReason).toBe('max_tokens');
    expect(started!.droppedTurns).toBeGreaterThan(0);
    expect(started!.promptTokens + 64).toBeLessThanOrEqual(2048);
  });
});

describe('engine: end token', () => {
  it('ends on <|endoftext|> with the end_token reason', async () => {
    const t = await startTestEngine({ endOfTextBias: 30 });
    const { done } = await generateAll(t.engine, ask('Hello'));
    expect(done.stopReason).toBe('end_token');
    expect(done.text).toBe('');
    await t.dispose();
  });
});
