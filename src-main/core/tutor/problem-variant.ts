/** Picks the given values of a practice variant from its seed. */
import { defaultValues, givenDecimals, satisfiesConstraints, type GivenValues } from './problem-build';
import { drawFromRange, randomFor } from './problem-random';
import type { ProblemTemplate } from './problem-schema';

/** Draws before giving up on the constraints; a few suffice for every problem in the bank. */
const maxAttempts = 100;

/**
 * Draws every given with a range, again and again from the same stream until the constraints hold. If they never
 * do, the variant keeps the default values: a practice problem that repeats beats an error in the middle of a session.
 */
export function variantValues(template: ProblemTemplate, seed: number): GivenValues {
  const random = randomFor(template.id, seed);
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const values: GivenValues = {};
    for (const [name, given] of Object.entries(template.givens)) {
      const { min, max, step } = given;
      values[name] =
        min === undefined || max === undefined || step === undefined
          ? given.value
          : drawFromRange({ min, max, step }, random, givenDecimals(given));
    }
    if (satisfiesConstraints(template, values)) return values;
  }
  return defaultValues(template);
}
