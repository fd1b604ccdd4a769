import { describe, expect, it } from 'vitest';
import type { ChatTurn } from '../../../src-shared/types';
import {
  completeTurns,
  phi2Block,
  phi2OpenEnd,
  phi2Preamble,
  phi2StopTriggers,
  renderPhi2Prompt,
} from './phi2-format';

describe('renderPhi2Prompt', () => {
  it('renders a single turn in the QA format', () => {
    expect(renderPhi2Prompt(undefined, [{ role: 'user', content: 'What is 2+2?' }])).toBe(
      'Instruct: What is 2+2?\nOutput:',
    );
  });

  it('renders several turns as alternating Instruct/Output blocks', () => {
    expect(
      renderPhi2Prompt(undefined, [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: ' Hello! How can I help?\n' },
        { role: 'user', content: 'Explain momentum.' },
      ]),
    ).toBe('Instruct: Hi\nOutput: Hello! How can I help?\nInstruct: Explain momentum.\nOutput:');
  });

  it('puts the system text first as a plain preamble', () => {
    expect(
      renderPhi2Prompt('  You are a careful physics tutor.\n', [{ role: 'user', content: 'Define work.' }]),
    ).toBe('You are a careful physics tutor.\nInstruct: Define work.\nOutput:');
  });

  it('ignores blank system text', () => {
    expect(renderPhi2Prompt('   ', [{ role: 'user', content: 'x' }])).toBe('Instruct: x\nOutput:');
  });

  it('keeps multi-line messages intact', () => {
    expect(renderPhi2Prompt(undefined, [{ role: 'user', content: 'line 1\nline 2' }])).toBe(
      'Instruct: line 1\nline 2\nOutput:',
    );
  });

  it('continues a partial answer from exactly where it stopped', () => {
    expect(
      renderPhi2Prompt(undefined, [
        { role: 'user', content: 'Count to five.' },
        { role: 'assistant', content: ' One, two, ' },
      ]),
    ).toBe('Instruct: Count to five.\nOutput: One, two, ');
  });

  it('renders the same history byte-identically every time (prefix reuse depends on it)', () => {
    const turns = [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
      { role: 'user', content: 'c' },
    ] as const;
    const earlier = renderPhi2Prompt('sys', turns.slice(0, 1));
    const later = renderPhi2Prompt('sys', turns);
    expect(later.startsWith(earlier)).toBe(true);
  });

  it('is its preamble, finished blocks and open end joined (context fitting counts them apart)', () => {
    const answered: ChatTurn[] = [
      { role: 'user', content: ' Hi ' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Why?' },
    ];
    const continuing: ChatTurn[] = [...answered, { role: 'assistant', content: ' Because ' }];
    for (const turns of [answered, continuing, []]) {
      const blocks = turns.slice(0, completeTurns(turns)).map(phi2Block).join('');
      expect(phi2Preamble(' sys ') + blocks + phi2OpenEnd(turns)).toBe(renderPhi2Prompt(' sys ', turns));
    }
    expect(completeTurns(continuing)).toBe(3);
    expect(phi2OpenEnd(continuing)).toBe('Output: Because ');
  });

  it('stops on the triggers Phi-2 drifts into', () => {
    expect(phi2StopTriggers).toEqual(
      expect.arrayContaining([
        '\nInstruct:',
        'Instruct:',
        '\nOutput:',
        '\nExercise',
        '# Exercise',
        '\nAlice:',
      ]),
    );
  });
});
