import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../../../src-shared/types';
import { fitToContext, minAnswerTokens } from './context-window';

/** One token per character keeps the arithmetic visible. */
const countTokens = (text: string) => text.length;

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
      countTokens,
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
      countTokens,
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
      countTokens,
    });
    // Two more exchanges later, the remembered cut still fits: the prompt starts the same way.
    turns = [...turns, { role: 'assistant', content: 'short' }, { role: 'user', content: 'next' }];
    const second = fitToContext({
      system: 'S',
      turns,
      maxTokens: 200,
      contextSize: 1024,
      keptFrom: first.keptFrom,
      countTokens,
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
      countTokens,
    });
    expect(fitted.maxTokens).toBe(1024 - fitted.promptTokens);
    expect(fitted.maxTokens).toBeGreaterThanOrEqual(minAnswerTokens);
  });

  it('refuses a single prompt longer than the context with its size (I1)', () => {
    const turns: ChatTurn[] = [{ role: 'user', content: 'z'.repeat(5000) }];
    expect(() =>
      fitToContext({ system: undefined, turns, maxTokens: 100, contextSize: 2048, keptFrom: 0, countTokens }),
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
      countTokens,
    });
    expect(fitted.keptFrom).toBe(0);
  });
});
