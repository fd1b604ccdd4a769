import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTutor, type TestTutor } from '../../test-support/tutor';
import { TutorService } from './tutor-service';

describe('tutor sessions (real engine, store, bank and prompts)', () => {
  let t: TestTutor;
  let skier: string;
  beforeAll(async () => {
    t = await startTestTutor();
    skier = t.bank.list().find((problem) => /skier/i.test(problem.title))!.id;
  });
  afterAll(() => t.dispose());

  it('starts a session on a bank problem, saved as a tutor conversation', () => {
    const session = t.tutor.start({ problemId: skier });
    expect(session).toMatchObject({ hintLevel: 0, replies: [], answerChecks: [] });
    expect(session.problem).toMatchObject({
      id: skier,
      answer: { value: expect.closeTo(28.01, 2), unit: 'm/s' },
    });
    expect(t.store.conversations.get(session.conversationId)).toMatchObject({ kind: 'tutor' });
  });

  it('solves step by step with the solve template at low temperature, primed with the first step', async () => {
    const { conversationId } = t.tutor.start({ problemId: skier });
    const started = await t.tutor.solve(conversationId);
    expect(started.answerStart).toBe('Step 1:');
    await t.answered(started.messageId);

    const session = t.tutor.get(conversationId);
    const [reply] = session.replies;
    expect(reply).toMatchObject({ mode: 'solve', level: null, prompt: 'tutor-solve.v1' });
    expect(reply!.message.content.startsWith('Step 1:')).toBe(true);
    expect(reply!.message.status).toBe('complete');
    // Once written, its lines have been through the checker.
    expect(reply!.findings?.lines.length).toBeGreaterThan(0);
    const conversation = t.store.conversations.get(conversationId);
    expect(conversation.settings.sampling?.temperature).toBeLessThanOrEqual(0.3);
    expect(conversation.settings.system).toContain('careful physics tutor');
    expect(t.store.messages.get(started.userMessageId).content).toBe('Solve step by step');
  });

  it('checks every line of a solution and its final answer against the reference', async () => {
    const { conversationId } = t.tutor.start({ problemId: skier });
    const started = await t.tutor.solve(conversationId);
    await t.answered(started.messageId);
    // What a confused model might write: the right method, one wrong number.
    t.store.messages.finish(started.messageId, {
      content:
        'Step 1: Energy is conserved: $mgH = \\frac{1}{2}mv^2$\nStep 2: $v = \\sqrt{2 \\cdot 9.81 \\cdot 40} = 30.2$ m/s\nFinal answer: 30.2 m/s',
      status: 'complete',
    });
    const reply = t.tutor.get(conversationId).replies[0]!;
    const wrong = reply.findings!.lines.find((line) => line.line === 2);
    expect(wrong).toMatchObject({ status: 'error', kind: 'arithmetic' });
    expect(wrong!.expected).toMatch(/^28\.0 m\s*\/\s*s$/);
    expect(reply.finalAnswer).toMatchObject({ value: 30.2 });
    expect(reply.referenceCheck?.verdict).toBe('wrong');
  });

  it('climbs the hint ladder one rung at a time; only the last rung asks for the solution', async () => {
    const { conversationId } = t.tutor.start({ problemId: skier });
    await expect(t.tutor.hint(conversationId, 2)).rejects.toThrow(/one at a time: the next one is hint 1/);
    for (let level = 1; level <= 4; level++) {
      const started = await t.tutor.hint(conversationId);
      await t.answered(started.messageId);
      expect(t.tutor.get(conversationId).hintLevel).toBe(level);
    }
    await expect(t.tutor.hint(conversationId)).rejects.toThrow(/All four hints/);

    const session = t.tutor.get(conversationId);
    expect(session.replies.map((reply) => [reply.level, reply.prompt])).toEqual([
      [1, 'tutor-hint-nudge.v1'],
      [2, 'tutor-hint-principle.v1'],
      [3, 'tutor-hint-next-step.v1'],
      [4, 'tutor-solve.v1'],
    ]);
    // A rung can be asked again; the level stays.
    const again = await t.tutor.hint(conversationId, 2);
    await t.answered(again.messageId);
    expect(t.tutor.get(conversationId)).toMatchObject({ hintLevel: 4 });
    expect(t.tutor.get(conversationId).replies).toHaveLength(5);

    // Reopened by a fresh service (the app restarted): the level and replies are restored.
    const reopened = new TutorService({ store: t.store, chat: t.chat, bank: t.bank, prompts: t.prompts });
    expect(reopened.get(conversationId)).toMatchObject({ hintLevel: 4 });
    expect(reopened.get(conversationId).replies).toHaveLength(5);
  });

  it('checks answers against the reference, unit-aware, without giving the value away', () => {
    const { conversationId } = t.tutor.start({ problemId: skier });
    expect(t.tutor.checkAnswer(conversationId, '28 m/s')).toMatchObject({
      verdict: 'correct',
      against: 'reference',
    });
    expect(t.tutor.checkAnswer(conversationId, '100.8 km/h')).toMatchObject({ verdict: 'correct' });
    const wrong = t.tutor.checkAnswer(conversationId, '39.6 m/s');
    expect(wrong.verdict).toBe('wrong');
    expect(wrong.message).not.toMatch(/28/);
    expect(t.tutor.checkAnswer(conversationId, '28 m').verdict).toBe('wrong_unit');
    expect(t.tutor.checkAnswer(conversationId, '28').verdict).toBe('missing_unit');
    expect(t.tutor.get(conversationId).answerChecks.map((check) => check.answer)).toEqual([
      '28 m/s',
      '100.8 km/h',
      '39.6 m/s',
      '28 m',
      '28',
    ]);
  });

  it('on a typed problem, compares answers with the checked solution once there is one', async () => {
    const session = t.tutor.start({
      statement: 'A ball is dropped from 20 m.\nHow fast is it going when it lands? Use g = 9.81 m/s^2.',
    });
    expect(session.problem).toMatchObject({ id: null, title: 'A ball is dropped from 20 m.' });
    expect(() => t.tutor.checkAnswer(session.conversationId, '19.8 m/s')).toThrow(/solve it first/);

    const started = await t.tutor.solve(session.conversationId);
    await t.answered(started.messageId);
    t.store.messages.finish(started.messageId, {
      content: 'Step 1: $v = \\sqrt{2 \\cdot 9.81 \\cdot 20} = 19.81$ m/s\nFinal answer: 19.8 m/s',
      status: 'complete',
    });
    expect(t.tutor.checkAnswer(session.conversationId, '19.8 m/s')).toMatchObject({
      verdict: 'correct',
      against: 'solution',
    });
    expect(t.tutor.checkAnswer(session.conversationId, '9.9 m/s').verdict).toBe('wrong');
  });

  it('refuses what is not a tutor session or not in the bank', () => {
    expect(() => t.tutor.start({ problemId: 'no-such-problem' })).toThrow(/no problem no-such-problem/);
    const chatId = t.store.conversations.create({ kind: 'chat', title: 'x' });
    expect(() => t.tutor.get(chatId)).toThrow(/not a tutor session/);
  });

  it('opens a practice variant by its id, with its own numbers and answer', () => {
    const variant = t.bank.variant(skier, 7);
    const session = t.tutor.start({ problemId: variant.id });
    expect(session.problem).toMatchObject({ id: variant.id, variantOf: skier, answer: variant.answer });
  });
});
