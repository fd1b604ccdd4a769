import { describe, expect, it } from 'vitest';
import { readFinalAnswer } from './final-answer';

describe('reading a final answer', () => {
  it.each([
    ['Step 1: ...\nFinal answer: 28.0 m/s', { value: 28, unit: 'm / s' }],
    ['Final answer: $v = 28.01$ m/s.', { value: 28.01, unit: 'm / s' }],
    ['final answer is 1.5 × 10^3 J', { value: 1500, unit: 'J' }],
    ['Step 2: $v = \\sqrt{2 \\cdot 9.81 \\cdot 40} = 28.01$ m/s', { value: 28.01, unit: 'm / s' }],
    ['E = mgL\nv = √(2gL) = √(2·9.81·80) = 39.6 m/s', { value: 39.6, unit: 'm / s' }],
    ['Final answer: 42', { value: 42, unit: '' }],
  ])('reads %j', (text, expected) => {
    expect(readFinalAnswer(text)).toMatchObject({
      value: expect.closeTo(expected.value, 6),
      unit: expected.unit,
    });
  });

  it.each([['Energy is conserved.'], ['Final answer: about half as fast'], ['']])(
    'finds none in %j',
    (text) => {
      expect(readFinalAnswer(text)).toBeNull();
    },
  );
});
