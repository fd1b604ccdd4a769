/**
 * Fits a conversation into the context window (TEST-CATALOG I1, I2). The system text always stays; when
 * the turns do not fit, the oldest leave the model's view a whole exchange at a time. The cut is remembered
 * per conversation and moved only when needed, and then with room to spare, so most turns render with the
 * same prefix as the last and reuse its evaluated state.
 *
 * The work stays linear in what the model sees, whatever the length of the conversation (TEST-CATALOG
 * I15): turns are counted block by block (remembered by the counter), walking back from the newest only
 * until the budget is spent; the cut is chosen from those running totals; then only the kept turns are
 * rendered and the prompt is tokenized once for its exact size.
 */
import { AppError } from '../../../src-shared/errors';
import type { ChatTurn } from '../../../src-shared/types';
import { completeTurns, phi2Block, phi2OpenEnd, phi2Preamble, renderPhi2Prompt } from './phi2-format';
import type { TokenCounter } from './token-count-cache';

export interface FitInput {
  system: string | undefined;
  turns: readonly ChatTurn[];
  maxTokens: number;
  contextSize: number;
  /** Index of the first turn kept last time for this conversation (0 for a new one). */
  keptFrom: number;
  tokens: TokenCounter;
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
  const { system, turns, contextSize, tokens } = input;
  const isStart = exchangeStartTest(turns);
  const render = (from: number) => {
    const prompt = renderPhi2Prompt(system, turns.slice(from));
    return { from, prompt, tokens: tokens.prompt(prompt) };
  };

  const budget = contextSize - input.maxTokens;
  // Cut further than strictly needed, so the following turns keep this prefix.
  const target = budget - Math.floor(contextSize * cutSlack);
  const keptFrom = isStart(input.keptFrom) ? input.keptFrom : 0;
  const estimate = estimateCuts({ ...input, keptFrom, budget, target, isStart });

  let fitted = estimate.keptFits ? render(keptFrom) : null;
  if ((!fitted || fitted.tokens > budget) && estimate.cuts.length > 0) {
    const { cuts } = estimate;
    let next = estimate.firstWithinTarget;
    fitted = render(cuts[next]!);
    // Blocks can tokenize a little differently once joined: move one more exchange while needed.
    while (fitted.tokens > target && next < cuts.length - 1) fitted = render(cuts[++next]!);
  }
  // Nowhere to cut to: the kept turns as they are (lowering the answer or refused below).
  fitted ??= render(keptFrom);

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
    keptFrom: fitted.from,
    maxTokens: Math.min(input.maxTokens, room),
  };
}

interface CutEstimate {
  /** Whether the turns from the remembered cut fit the budget by their block counts. */
  keptFits: boolean;
  /** Exchange starts after the remembered cut that a new cut may move to, oldest first. */
  cuts: number[];
  /** Index in `cuts` of the oldest start whose turns fit the target (the last one when none does). */
  firstWithinTarget: number;
}

/**
 * Sums block counts from the newest turn back, stopping once the budget is spent: older turns cannot be
 * kept anyway, so a long conversation costs no more than the turns the model can see.
 */
function estimateCuts(input: {
  system: string | undefined;
  turns: readonly ChatTurn[];
  keptFrom: number;
  budget: number;
  target: number;
  tokens: TokenCounter;
  isStart: (index: number) => boolean;
}): CutEstimate {
  const { turns, keptFrom, tokens, isStart } = input;
  let total = tokens.block(phi2Preamble(input.system)) + tokens.block(phi2OpenEnd(turns));
  const newestFirst: number[] = [];
  let withinTarget = 0;
  let index = completeTurns(turns) - 1;
  for (; index >= keptFrom; index--) {
    total += tokens.block(phi2Block(turns[index]!));
    if (index > keptFrom && isStart(index)) {
      newestFirst.push(index);
      if (total <= input.target) withinTarget = newestFirst.length;
    }
    if (total > input.budget) break;
  }
  const keptFits = index < keptFrom;
  // Stopped before any exchange start: the last one (further back) is still where the cut goes.
  if (newestFirst.length === 0 && !keptFits) {
    for (let earlier = index - 1; earlier > keptFrom; earlier--) {
      if (isStart(earlier)) {
        newestFirst.push(earlier);
        break;
      }
    }
  }
  const cuts = newestFirst.reverse();
  return {
    keptFits,
    cuts,
    firstWithinTarget: withinTarget > 0 ? cuts.length - withinTarget : cuts.length - 1,
  };
}

/**
 * Whether an exchange begins at an index: at each user turn, except that a leading assistant turn counts
 * with the first exchange, which therefore always begins at 0. Constant time per question.
 */
function exchangeStartTest(turns: readonly ChatTurn[]): (index: number) => boolean {
  const firstUser = turns.findIndex((turn) => turn.role === 'user');
  return (index) => index === 0 || (firstUser !== -1 && index > firstUser && turns[index]?.role === 'user');
}
