/** Deterministic draws for practice variants: the same problem and seed always give the same numbers. */
import { seededRandom } from '../seeded-random';

/** FNV-1a, to mix the problem id into the seed: seed 1 of two problems should not move their numbers in step. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

export function randomFor(problemId: string, seed: number): () => number {
  const high = Math.floor(seed / 2 ** 32);
  return seededRandom(hashString(problemId) ^ (seed >>> 0) ^ Math.imul(high, 0x9e3779b1));
}

export interface Range {
  min: number;
  max: number;
  step: number;
}

/** One of min, min + step, … ≤ max, rounded to the decimals of the data so 0.1 + 0.2 shows as 0.3. */
export function drawFromRange({ min, max, step }: Range, random: () => number, decimals: number): number {
  const steps = Math.floor((max - min) / step + 1e-9);
  const k = Math.floor(random() * (steps + 1));
  return Number((min + k * step).toFixed(decimals));
}
