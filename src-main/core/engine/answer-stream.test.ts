import { describe, expect, it } from 'vitest';
import type { Token } from 'node-llama-cpp';
import { AnswerStream } from './answer-stream';

/** Tokens are UTF-8 bytes, as in a byte-level BPE vocabulary with no merges. */
const decoder = (tokens: readonly Token[]) => Buffer.from(tokens as readonly number[]).toString('utf8');
const bytes = (text: string) => [...Buffer.from(text, 'utf8')] as Token[];

function stream(text: string, triggers: string[] = [], trimLeading = false) {
  const answer = new AnswerStream(decoder, triggers, trimLeading);
  const released: string[] = [];
  for (const token of bytes(text)) {
    released.push(answer.push(token));
    if (answer.stopped) break;
  }
  released.push(answer.finish());
  return { answer, released: released.filter(Boolean) };
}

describe('AnswerStream', () => {
  it('releases multi-byte characters only when complete (I5)', () => {
    const { answer, released } = stream('é日🙂👩‍🔬');
    expect(answer.text).toBe('é日🙂👩‍🔬');
    expect(released.join('')).toBe('é日🙂👩‍🔬');
    for (const piece of released) expect(piece).not.toContain('\uFFFD');
  });

  it('drops bytes that never form a character', () => {
    const answer = new AnswerStream(decoder, [], false);
    const out = [0x61, 0xff, 0xfe, 0x80, 0x80, 0x62].map((byte) => answer.push(byte as Token)).join('');
    expect(out + answer.finish()).toBe('ab');
  });

  it('ends before a stop trigger and never releases it', () => {
    const { answer, released } = stream('The answer is 4.\nInstruct: next question', [
      '\nInstruct:',
      'Instruct:',
    ]);
    expect(answer.stopped).toBe(true);
    expect(answer.text).toBe('The answer is 4.');
    expect(released.join('')).toBe('The answer is 4.');
  });

  it('holds back the start of a possible trigger, then releases it when it is not one', () => {
    const answer = new AnswerStream(decoder, ['\nExercise'], false);
    // "\nExe" could still become "\nExercise": not shown yet.
    expect(
      bytes('Done.\nExe')
        .map((token) => answer.push(token))
        .join(''),
    ).toBe('Done.');
    expect(answer.push(bytes('m')[0]!)).toBe('\nExem');
    expect(answer.finish()).toBe('');
  });

  it('releases held text at the end if the trigger never came', () => {
    const answer = new AnswerStream(decoder, ['\nInstruct:'], false);
    const out = bytes('Last line\nInstr')
      .map((token) => answer.push(token))
      .join('');
    expect(out).toBe('Last line');
    expect(answer.finish()).toBe('\nInstr');
  });

  it('drops the leading space Phi-2 puts after "Output:"', () => {
    expect(stream('  Hello', [], true).answer.text).toBe('Hello');
    expect(stream('  Hello', [], false).answer.text).toBe('  Hello');
  });
});
