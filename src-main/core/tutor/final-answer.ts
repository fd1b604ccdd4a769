/**
 * Reads the final answer a solution states: the line saying "Final answer: …" (as the solve prompt asks),
 * else the value its last line ends on (`v = √(2·9.81·40) = 28.0 m/s`).
 */
import { solutionSteps } from '../../../src-shared/lines';
import type { Quantity } from '../../../src-shared/tutor';
import { parseQuantity } from './checker';

const label = /^.*?final answer\s*(?:is\s*)?[:=-]?\s*/i;

export function readFinalAnswer(text: string): Quantity | null {
  const lines = solutionSteps(text);
  const marked = lines.findLast((line) => /final answer/i.test(line));
  if (marked) return parseQuantity(marked.replace(label, ''));
  const last = lines.at(-1);
  return last && /=|≈/.test(last) ? parseQuantity(last) : null;
}
