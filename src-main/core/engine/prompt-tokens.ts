/**
 * Turns a prompt into tokens so that the part already evaluated in the conversation's sequence is reused
 * token for token. Re-tokenizing a whole conversation does not always give back the tokens the model
 * generated (a model may write "th"+"e" where the tokenizer would make "the"), and every differing token
 * would be evaluated again. So the sequence's text is kept piece by piece, and a new prompt reuses the
 * longest run of those tokens whose text it starts with; only the rest is tokenized.
 */
import type { Token } from 'node-llama-cpp';

export interface EvaluatedText {
  tokens: Token[];
  /** The text of each token; a character split over several tokens belongs to its last one. */
  pieces: string[];
}

/** Text pieces for tokens, with characters split across byte tokens kept whole. */
export function textPieces(
  tokens: readonly Token[],
  detokenize: (tokens: readonly Token[]) => string,
): string[] {
  const pieces: string[] = [];
  let group: Token[] = [];
  for (const token of tokens) {
    group.push(token);
    const text = detokenize(group);
    if (text.endsWith('\uFFFD') && group.length < 4) {
      pieces.push('');
      continue;
    }
    pieces.push(text);
    group = [];
  }
  return pieces;
}

export function promptTokens(
  evaluated: EvaluatedText | null,
  prompt: string,
  tokenize: (text: string) => Token[],
): Token[] {
  if (!evaluated) return tokenize(prompt);
  let offset = 0;
  let reused = 0;
  // Reuse whole characters only: stop before a token group whose text the prompt does not continue with.
  for (let index = 0; index < evaluated.tokens.length; index++) {
    const piece = evaluated.pieces[index]!;
    if (piece === '') continue;
    if (!prompt.startsWith(piece, offset) || piece.includes('\uFFFD')) break;
    offset += piece.length;
    reused = index + 1;
  }
  const rest = prompt.slice(offset);
  return [...evaluated.tokens.slice(0, reused), ...(rest ? tokenize(rest) : [])];
}
