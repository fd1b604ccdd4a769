import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../../../src-shared/types';
import { seededRandom } from '../seeded-random';
import { cutSlack, fitToContext, minAnswerTokens, type FitInput } from './context-window';
import { phi2Block, renderPhi2Prompt } from './phi2-format';
import { TokenCountCache, type TokenCounter } from './token-count-cache';

/** One token per character keeps the arithmetic visible. */
const tokens: TokenCounter = { block: (text) => text.length, prompt: (text) => text.length };

function conversation(exchanges: number, size = 50): ChatTurn[] {
  return Array.from({ length: exchanges }, (_, i) => [
    { role: 'user' as const, content: `q${i} ${'x'.repeat(size)}` },
    { role: 'assistant' as const, content: `a${i} ${'y'.repeat(size)}` },
  ])
    .flat()
    .concat({ role: 'user', content: 'last question' });
}

describe('fitToContext', () => {
  it('keeps everything when it fits', () => {
    const turns = conversation(2);
    const fitted = fitToContext({
      system: 'S',
      turns,
      maxTokens: 100,
      contextSize: 2048,
      keptFrom: 0,
      tokens,
    });
    expect(fitted.keptFrom).toBe(0);
    expect(fitted.prompt.startsWith('S\nInstruct: q0')).toBe(true);
    expect(fitted.maxTokens).toBe(100);
  });

  it('drops the oldest exchanges, keeps the system text and the last question (I2)', () => {
    const turns = conversation(40);
    const fitted = fitToContext({
      system: 'SYSTEM',
      turns,
      maxTokens: 200,
      contextSize: 1024,
      keptFrom: 0,
      tokens,
    });
    expect(fitted.prompt.startsWith('SYSTEM\nInstruct: q')).toBe(true);
    expect(fitted.prompt).not.toContain('q0 ');
    expect(fitted.prompt.endsWith('Instruct: last question\nOutput:')).toBe(true);
    expect(fitted.promptTokens + fitted.maxTokens).toBeLessThanOrEqual(1024);
    expect(turns[fitted.keptFrom]!.role).toBe('user');
  });

  it('cuts with slack, so the next turns keep the same prefix', () => {
    let turns = conversation(40);
    const first = fitToContext({
      system: 'S',
      turns,
      maxTokens: 200,
      contextSize: 1024,
      keptFrom: 0,
      tokens,
    });
    // Two more exchanges later, the remembered cut still fits: the prompt starts the same way.
    turns = [...turns, { role: 'assistant', content: 'short' }, { role: 'user', content: 'next' }];
    const second = fitToContext({
      system: 'S',
      turns,
      maxTokens: 200,
      contextSize: 1024,
      keptFrom: first.keptFrom,
      tokens,
    });
    expect(second.keptFrom).toBe(first.keptFrom);
    expect(second.prompt.startsWith(first.prompt.slice(0, -'Output:'.length))).toBe(true);
  });

  it('lowers max tokens when only a little room is left', () => {
    const turns: ChatTurn[] = [{ role: 'user', content: 'z'.repeat(950) }];
    const fitted = fitToContext({
      system: undefined,
      turns,
      maxTokens: 500,
      contextSize: 1024,
      keptFrom: 0,
      tokens,
    });
    expect(fitted.maxTokens).toBe(1024 - fitted.promptTokens);
    expect(fitted.maxTokens).toBeGreaterThanOrEqual(minAnswerTokens);
  });

  it('refuses a single prompt longer than the context with its size (I1)', () => {
    const turns: ChatTurn[] = [{ role: 'user', content: 'z'.repeat(5000) }];
    expect(() =>
      fitToContext({ system: undefined, turns, maxTokens: 100, contextSize: 2048, keptFrom: 0, tokens }),
    ).toThrow(
      expect.objectContaining({ code: 'too_long', message: expect.stringMatching(/5\d{3} tokens.*2048/) }),
    );
  });

  it('ignores a remembered cut that no longer names an exchange (history was edited)', () => {
    const turns = conversation(1);
    const fitted = fitToContext({
      system: undefined,
      turns,
      maxTokens: 10,
      contextSize: 2048,
      keptFrom: 7,
      tokens,
    });
    expect(fitted.keptFrom).toBe(0);
  });

  it('lowers max tokens when only a little room is left after cutting to the last exchange', () => {
    const turns: ChatTurn[] = [...conversation(3), { role: 'assistant', content: 'a' }];
    turns.push({ role: 'user', content: 'z'.repeat(900) });
    const fitted = fitToContext({
      system: 'S',
      turns,
      maxTokens: 500,
      contextSize: 1024,
      keptFrom: 0,
      tokens,
    });
    expect(fitted.keptFrom).toBe(turns.length - 1);
    expect(fitted.maxTokens).toBe(1024 - fitted.promptTokens);
  });

  it('moves the cut one more exchange when the joined prompt counts more than its blocks', () => {
    // Every whole prompt counts 40 tokens more than its blocks add up to.
    const joinCosts: TokenCounter = { block: (text) => text.length, prompt: (text) => text.length + 40 };
    const input = { system: 'S', turns: conversation(40), maxTokens: 200, contextSize: 1024, keptFrom: 0 };
    const fitted = fitToContext({ ...input, tokens: joinCosts });
    expect(fitted.promptTokens).toBe(fitted.prompt.length + 40);
    expect(fitted.promptTokens).toBeLessThanOrEqual(1024 - 200 - Math.floor(1024 * cutSlack));
    expect(fitted.keptFrom).toBeGreaterThan(fitToContext({ ...input, tokens }).keptFrom);
  });

  it('chooses what measuring every cut chooses, on random conversations', () => {
    const next = seededRandom(15);
    const pick = (n: number) => Math.floor(next() * n);
    const joinCosts: TokenCounter = { block: (text) => text.length, prompt: (text) => text.length + 25 };
    for (let round = 0; round < 400; round++) {
      const turns: ChatTurn[] = Array.from({ length: pick(60) }, (_, i) => ({
        // Mostly alternating, sometimes a leading answer, two questions in a row or a partial answer.
        role: (i % 2 === 0) !== next() < 0.1 ? ('user' as const) : ('assistant' as const),
        content: 'w'.repeat(pick(next() < 0.05 ? 1500 : 200)),
      }));
      const input = {
        system: next() < 0.3 ? undefined : 's'.repeat(pick(300)),
        turns,
        maxTokens: 16 + pick(900),
        contextSize: next() < 0.5 ? 1024 : 2048,
        keptFrom: next() < 0.2 ? pick(80) : 0,
      };
      for (const counter of [tokens, joinCosts]) {
        const expected = outcome(() => fitByMeasuringEveryCut({ ...input, tokens: counter }));
        expect(
          outcome(() => fitToContext({ ...input, tokens: counter })),
          `round ${round}`,
        ).toEqual(expected);
      }
      // As the engine calls it: the remembered cut from the last fit, one exchange later.
      const first = outcome(() => fitToContext({ ...input, tokens }));
      if ('keptFrom' in first) {
        const later = {
          ...input,
          keptFrom: first.keptFrom,
          turns: [...turns, ...conversation(1, pick(120))],
        };
        expect(outcome(() => fitToContext({ ...later, tokens }))).toEqual(
          outcome(() => fitByMeasuringEveryCut({ ...later, tokens })),
        );
      }
    }
  });

  it('context fitting is linear (TEST-CATALOG I15)', () => {
    const work = { calls: 0, chars: 0, texts: [] as string[] };
    const counter = new TokenCountCache((text) => {
      work.calls += 1;
      work.chars += text.length;
      work.texts.push(text);
      return text.length;
    });
    const fit = (turns: ChatTurn[], keptFrom = 0) =>
      fitToContext({
        system: 'SYSTEM '.repeat(20),
        turns,
        maxTokens: 256,
        contextSize: 2048,
        keptFrom,
        tokens: counter,
      });
    const measureWork = (exchanges: number) => {
      work.calls = work.chars = 0;
      // Each size has its own text, so nothing is remembered from the other.
      fit(conversation(exchanges, 40 + (exchanges % 97)));
      return { ...work };
    };

    const small = measureWork(1_000); // 2,001 turns
    const large = measureWork(15_000); // 30,001 turns
    // Re-rendering the rest for every cut would do about 225 times the work for 15 times the turns.
    expect(large.chars).toBeLessThanOrEqual(15 * small.chars + 10_000);
    expect(large.calls).toBeLessThanOrEqual(15 * small.calls + 100);

    // The next turn: only its new blocks and the one final prompt are tokenized.
    const turns = conversation(15_000, 60);
    const first = fit(turns);
    const answer: ChatTurn = { role: 'assistant', content: 'an answer of the usual length' };
    const question: ChatTurn = { role: 'user', content: 'and a new question?' };
    work.texts = [];
    const second = fit([...turns, answer, question], first.keptFrom);
    expect(second.keptFrom).toBe(first.keptFrom);
    expect([...work.texts].sort()).toEqual([phi2Block(answer), phi2Block(question), second.prompt].sort());
  });
});

/** The former algorithm, kept as the reference: render and count the whole rest for every candidate cut. */
function fitByMeasuringEveryCut(input: FitInput): ReturnType<typeof fitToContext> {
  const { system, turns, contextSize } = input;
  const users = turns.flatMap((turn, index) => (turn.role === 'user' ? [index] : []));
  const starts = users.length > 0 && users[0] !== 0 ? [0, ...users.slice(1)] : users.length > 0 ? users : [0];
  const measure = (from: number) => {
    const prompt = renderPhi2Prompt(system, turns.slice(from));
    return { prompt, tokens: input.tokens.prompt(prompt) };
  };
  const budget = contextSize - input.maxTokens;
  let from = starts.includes(input.keptFrom) ? input.keptFrom : 0;
  let fitted = measure(from);
  if (fitted.tokens > budget) {
    const target = budget - Math.floor(contextSize * cutSlack);
    for (const start of starts.filter((index) => index > from)) {
      from = start;
      fitted = measure(from);
      if (fitted.tokens <= target) break;
    }
  }
  const room = contextSize - fitted.tokens;
  if (room < minAnswerTokens)
    throw Object.assign(new Error('too_long'), { details: { promptTokens: fitted.tokens, contextSize } });
  return {
    prompt: fitted.prompt,
    promptTokens: fitted.tokens,
    keptFrom: from,
    maxTokens: Math.min(input.maxTokens, room),
  };
}

/** A fit's result, or the details it was refused with, for comparing two fits. */
function outcome(fit: () => ReturnType<typeof fitToContext>) {
  try {
    return fit();
  } catch (error) {
    return { tooLong: (error as { details: unknown }).details };
  }
}
