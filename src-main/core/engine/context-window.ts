/**
 * Fits a conversation into the context window (TEST-CATALOG I1, I2). The system text always stays; when
 * the turns do not fit, the oldest leave the model's view a whole exchange at a time. The cut is remembered
 * per conversation and moved only when needed, and then with room to spare, so most turns render with the
 * same prefix as the last and reuse its evaluated state.
 */
import { AppError } from '../../../src-shared/errors';
import type { ChatTurn } from '../../../src-shared/types';
import { renderPhi2Prompt } from './phi2-format';

export interface FitInput {
  system: string | undefined;
  turns: readonly ChatTurn[];
  maxTokens: number;
  contextSize: number;
  /** Index of the first turn kept last time for this conversation (0 for a new one). */
  keptFrom: number;
  countTokens: (text: string) => number;
}

export interface FittedPrompt {
  prompt: string;
  promptTokens: number;
  /** First turn in the model's view; remember it for the next turn. */
  keptFrom: number;
  /** May be lowered so prompt and answer fit together. */
  maxTokens: number;
}

/** The smallest answer worth generating when space is short. */
export const minAnswerTokens = 16;
/** When turns must go, free this share of the context beyond the need, so the next cuts come rarely. */
export const cutSlack = 0.25;

export function fitToContext(input: FitInput): FittedPrompt {
  const { system, turns, contextSize, countTokens } = input;
  const starts = exchangeStarts(turns);
  const measure = (from: number) => {
    const prompt = renderPhi2Prompt(system, turns.slice(from));
    return { prompt, tokens: countTokens(prompt) };
  };

  const budget = contextSize - input.maxTokens;
  let from = starts.includes(input.keptFrom) ? input.keptFrom : 0;
  let fitted = measure(from);
  if (fitted.tokens > budget) {
    // Cut further than strictly needed, so the following turns keep this prefix.
    const target = budget - Math.floor(contextSize * cutSlack);
    for (const start of starts.filter((index) => index > from)) {
      from = start;
      fitted = measure(from);
      if (fitted.tokens <= target) break;
    }
  }

  const room = contextSize - fitted.tokens;
  if (room < minAnswerTokens) {
    throw new AppError(
      'too_long',
      `Too long for the model: the prompt is ${fitted.tokens} tokens and the context holds ${contextSize}` +
        ` (with at least ${minAnswerTokens} left for the answer). Shorten the message or the system text.`,
      { promptTokens: fitted.tokens, contextSize },
    );
  }
  return {
    prompt: fitted.prompt,
    promptTokens: fitted.tokens,
    keptFrom: from,
    maxTokens: Math.min(input.maxTokens, room),
  };
}

/** Indexes where an exchange begins: each user turn (a leading assistant turn counts with the first). */
function exchangeStarts(turns: readonly ChatTurn[]): number[] {
  const starts = turns.flatMap((turn, index) => (turn.role === 'user' ? [index] : []));
  return starts.length > 0 && starts[0] !== 0 ? [0, ...starts.slice(1)] : starts.length > 0 ? starts : [0];
}
