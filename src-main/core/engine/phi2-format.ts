/**
 * Phi-2's prompt format. Phi-2 has no chat template and no system role: the system text is a plain
 * preamble, and turns alternate as `Instruct: …` / `Output: …` blocks (Microsoft's QA format, extended to
 * several turns). The base model rarely stops by itself, so generation ends on the stop triggers below.
 */
import type { ChatTurn } from '../../../src-shared/types';

/** Text that means the model has finished its answer and started writing something else. */
export const phi2StopTriggers = [
  '\nInstruct:',
  'Instruct:',
  '\nOutput:',
  '\nExercise',
  '# Exercise',
  '\nAlice:',
] as const;

/**
 * Renders a conversation for Phi-2. It ends with `Output:` for the model to answer the last user turn, or,
 * when the last turn is a partial answer, with that answer as written so the model continues it.
 *
 * The rendering is a pure function of its input, so each turn of a conversation renders byte-identically
 * to the last and only the new tokens need evaluating. It is the concatenation of the parts below, which
 * lets the context fitting count tokens block by block.
 */
export function renderPhi2Prompt(system: string | undefined, turns: readonly ChatTurn[]): string {
  const blocks = turns.slice(0, completeTurns(turns)).map(phi2Block);
  return phi2Preamble(system) + blocks.join('') + phi2OpenEnd(turns);
}

/** The system text as a plain preamble line, or nothing when it is blank. */
export function phi2Preamble(system: string | undefined): string {
  return system?.trim() ? `${system.trim()}\n` : '';
}

/** One finished turn as its `Instruct:` / `Output:` block. */
export function phi2Block(turn: ChatTurn): string {
  return `${turn.role === 'user' ? 'Instruct:' : 'Output:'} ${turn.content.trim()}\n`;
}

/** How many turns render as finished blocks: all but a trailing partial answer. */
export function completeTurns(turns: readonly ChatTurn[]): number {
  return turns.at(-1)?.role === 'assistant' ? turns.length - 1 : turns.length;
}

/** The prompt's open end: `Output:` for the model to answer, or the partial answer it continues. */
export function phi2OpenEnd(turns: readonly ChatTurn[]): string {
  const last = turns.at(-1);
  // A partial answer keeps its trailing text exactly, so the model picks up mid-sentence.
  return last?.role === 'assistant' ? `Output: ${last.content.trimStart()}` : 'Output:';
}
