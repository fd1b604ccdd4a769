import type { Token } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { promptTokens, textPieces } from './prompt-tokens';

/** A byte-level toy tokenizer: one token per UTF-8 byte, except "the" (token 1000). */
const tokenize = (text: string): Token[] =>
  text
    .split(/(the)/)
    .flatMap((part) => (part === 'the' ? [1000 as Token] : ([...Buffer.from(part, 'utf8')] as Token[])));
const detokenize = (tokens: readonly Token[]) =>
  Buffer.concat(tokens.map((token) => (token === 1000 ? Buffer.from('the') : Buffer.from([token])))).toString(
    'utf8',
  );

describe('promptTokens', () => {
  it('reuses the evaluated tokens, even where they differ from a fresh tokenization', () => {
    // The model wrote "t","h","e" where the tokenizer would make one "the" token.
    const generated = [...tokenize('Q: hi\nA:'), ...([...Buffer.from(' the end')] as Token[])];
    const evaluated = { tokens: generated, pieces: textPieces(generated, detokenize) };
    const next = promptTokens(evaluated, 'Q: hi\nA: the end\nQ: more', tokenize);
    expect(next.slice(0, generated.length)).toEqual(generated);
    expect(detokenize(next)).toBe('Q: hi\nA: the end\nQ: more');
  });

  it('keeps characters split over tokens whole', () => {
    const generated = tokenize('café');
    const evaluated = { tokens: generated, pieces: textPieces(generated, detokenize) };
    expect(evaluated.pieces.slice(-2)).toEqual(['', 'é']);
    // The new prompt diverges inside "é": neither of its bytes is reused.
    const next = promptTokens(evaluated, 'cafè', tokenize);
    expect(detokenize(next)).toBe('cafè');
    expect(next.slice(0, 3)).toEqual(generated.slice(0, 3));
  });

  it('tokenizes from scratch without an evaluated text', () => {
    expect(promptTokens(null, 'the', tokenize)).toEqual([1000]);
  });
});
