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
 * to the last and only the new tokens need evaluating.
 */
export function renderPhi2Prompt(system: string | undefined, turns: readonly ChatTurn[]): string {
  const preamble = system?.trim() ? `${system.trim()}\n` : '';
  const last = turns.at(-1);
  const continuing = last?.role === 'assistant';
  const complete = continuing ? turns.slice(0, -1) : turns;
  const blocks = complete.map(
    (turn) => `${turn.role === 'user' ? 'Instruct:' : 'Output:'} ${turn.content.trim()}\n`,
  );
  // A partial answer keeps its trailing text exactly, so the model picks up mid-sentence.
  const open = continuing ? `Output: ${last.content.trimStart()}` : 'Output:';
  return preamble + blocks.join('') + open;
}
