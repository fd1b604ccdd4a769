import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import { errorTypes, verdicts } from '../../../src-shared/tutor';
import { startTestTutor, type TestTutor } from '../../test-support/tutor';
import { createLogger } from '../log';
import { AnswerService } from '../answers/answer-service';
import { MistakeService } from './mistake-service';

describe('mistake checks (real engine, store, bank and prompts)', () => {
  let t: TestTutor;
  beforeAll(async () => (t = await startTestTutor()));
  afterAll(() => t.dispose());

  const skier = () => t.bank.get(t.bank.list().find((problem) => /skier/i.test(problem.title))!.id)!;

  it('saves the checker findings at once, then an analysis that always parses and fits the schema', async () => {
    const problem = skier();
    const started = await t.mistakes.check({
      problem: problem.statement,
      solution: problem.wrongSolution.lines.join('\n'),
      problemId: problem.id,
    });
    expect(started.analysis.status).toBe('running');
    expect(started.steps).toEqual(problem.wrongSolution.lines.map((line) => line.trim()));
    expect(started.reference).toMatchObject({ value: expect.closeTo(28.01, 2), unit: 'm/s' });
    // The student's arithmetic is right (√(2·9.81·80) = 39.6): the checker must not flag it.
    expect(started.findings.errors).toBe(0);

    await t.analysed(started.conversationId);
    const check = t.mistakes.get(started.conversationId);
    expect(check.analysis.status).toBe('done');
    if (check.analysis.status !== 'done') return;
    const { result } = check.analysis;
    expect(verdicts).toContain(result.verdict);
    expect(result.firstWrongStep).toBeGreaterThanOrEqual(0);
    expect(result.firstWrongStep).toBeLessThanOrEqual(check.steps.length);
    for (const error of result.errors) {
      expect(errorTypes).toContain(error.type);
      expect(error.step).toBeGreaterThanOrEqual(1);
      expect(error.step).toBeLessThanOrEqual(check.steps.length);
    }
    expect(check.analysis.prompt).toBe('mistake-analysis.v1');
    expect(Array.isArray(check.analysis.disagreements)).toBe(true);

    // Question and answer are messages too, so search and export see the check.
    const messages = t.store.messages.all(started.conversationId);
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    expect(messages[0]!.content).toContain(`**Problem:** ${problem.statement}`);
    expect(messages[0]!.content).toContain(`1. ${problem.wrongSolution.lines[0]!.trim()}`);
    expect(messages[1]!.content).toMatch(/^\*\*Verdict:\*\*/);
  });

  it('parses for every wrong solution in the bank (the grammar and bounds hold)', async () => {
    for (const summary of t.bank.list()) {
      const problem = t.bank.get(summary.id)!;
      const { conversationId } = await t.mistakes.check({
        problem: problem.statement,
        solution: problem.wrongSolution.lines.join('\n'),
        problemId: problem.id,
      });
      await t.analysed(conversationId);
      const { analysis } = t.mistakes.get(conversationId);
      expect(analysis.status === 'failed' ? analysis.error : analysis.status, summary.id).toBe('done');
    }
  });

  it('can be stopped, then analysed again', async () => {
    const { conversationId } = await t.mistakes.check({
      problem: 'A problem.',
      solution: 'v = 2 m/s · 3 s = 6 m',
    });
    const ended = t.analysed(conversationId);
    expect(t.answers.stop({ conversationId })).toBe(true);
    await ended;
    expect(t.mistakes.get(conversationId).analysis.status).toBe('stopped');
    const again = await t.mistakes.analyse(conversationId);
    expect(again.analysis.status).toBe('running');
    await t.analysed(conversationId);
    expect(t.mistakes.get(conversationId).analysis.status).toBe('done');
  });

  it('shows an analysis cut off by a restart as interrupted', async () => {
    const { conversationId } = await t.mistakes.check({
      problem: 'A problem.',
      solution: 'a = 10 N / 2 kg = 5 m/s^2',
    });
    // Another service on the same store (the next start of the app) sees `running` with nothing running.
    const next = new MistakeService({
      store: t.store,
      engine: t.engine,
      answers: new AnswerService({
        store: t.store,
        engine: t.engine,
        bus: t.bus,
        log: createLogger('test', 'error'),
      }),
      bank: t.bank,
      prompts: t.prompts,
      bus: t.bus,
    });
    expect(next.get(conversationId).analysis.status).toBe('interrupted');
    t.answers.stop({ conversationId });
    await t.analysed(conversationId);
  });

  it('refuses an empty solution and one with too many steps, saving nothing', async () => {
    const before = t.store.conversations.list({ limit: 200 }).items.length;
    await expect(t.mistakes.check({ problem: 'P', solution: ' \n \n' })).rejects.toThrow(/empty/);
    await expect(
      t.mistakes.check({
        problem: 'P',
        solution: Array.from({ length: 26 }, (_, i) => `x = ${i}`).join('\n'),
      }),
    ).rejects.toThrow(/26 steps; at most 25/);
    expect(t.store.conversations.list({ limit: 200 }).items.length).toBe(before);
  });

  it('without a model, keeps the checker findings and says the analysis needs one', async () => {
    await t.engine.unload();
    try {
      const check = await t.mistakes.check({ problem: 'P', solution: 'v = 9.81 m/s^2 · 4 s = 39.2 m' });
      expect(check.findings.lines[0]).toMatchObject({ status: 'error', kind: 'units' });
      expect(check.analysis).toEqual({
        status: 'failed',
        error: 'No model is loaded. Load one in Models to get an analysis.',
      });
      await expect(t.mistakes.analyse(check.conversationId)).rejects.toThrow(/No model is loaded/);
    } finally {
      await t.engine.load({
        path: ensureTestModel({ endOfTextBias: -30 }),
        gpu: 'cpu',
        gpuLayers: 'auto',
        contextSize: 'auto',
        threads: 'auto',
        sequences: 2,
      });
    }
  });
});
