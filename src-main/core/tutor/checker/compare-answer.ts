/**
 * "Check my answer": compares a typed answer with the expected one, unit-aware (100 km/h is 27.8 m/s), and
 * says what is wrong without giving the expected value away.
 *
 * Tolerance: correct within max(1% of the expected value, half a unit in the last place of the expected value
 * at its significant figures) — so 28 m/s and 27.8 m/s are both right for 28.0 m/s; close within 5%.
 */
import type { AnswerCheck, Quantity } from '../../../../src-shared/tutor';
import { readQuantity } from './quantity';
import { parseUnitString } from './read-unit';
import {
  displayUnit,
  hasRealDims,
  isAngle,
  plainTemperatureOffset,
  quantityName,
  sameDims,
  specInfo,
  type UnitSpec,
} from './units';

const CLOSE = 0.05;

function near(a: number, b: number, relative: number): boolean {
  return Math.abs(a - b) <= relative * Math.abs(b);
}

/** A hint for a wrong value that says how it is wrong, never what the right value is. */
function wrongValueHint(given: number, expected: number, tol: number): string {
  if (expected !== 0 && Math.abs(given + expected) <= tol)
    return 'Check the sign: the size is right, the direction is not.';
  if (expected !== 0 && given !== 0 && Math.sign(given) === Math.sign(expected)) {
    const ratio = given / expected;
    const hints: [number, string][] = [
      [2, 'About twice the right value: is there a factor of 2 too many?'],
      [0.5, 'About half the right value: is a factor of 2 missing?'],
      [Math.SQRT2, 'Off by a factor of about √2: check the square root.'],
      [Math.SQRT1_2, 'Off by a factor of about √2: check the square root.'],
      [9.81, 'Off by a factor of about g (9.8): check where g belongs.'],
      [1 / 9.81, 'Off by a factor of about g (9.8): check where g belongs.'],
    ];
    for (const [factor, hint] of hints) if (near(ratio, factor, 0.03)) return hint;
    for (const power of [1, 2, 3, 6]) {
      if (near(ratio, 10 ** power, 0.03) || near(ratio, 10 ** -power, 0.03)) {
        return `Off by a factor of ${10 ** power}: check the powers of ten and the unit prefixes (k, c, m).`;
      }
    }
    if (Math.abs(expected) > 1e-9 && near(given, expected * expected, 0.03) && Math.abs(expected) !== 1)
      return 'That looks like the square of the answer: is a square root missing?';
    if (given > 0 && expected > 0 && near(given * given, expected, 0.03) && expected !== 1)
      return 'That looks like the square root of the answer: is something squared that should not be?';
  }
  return given > expected
    ? 'Too high. Recheck the formula and the numbers you substituted.'
    : 'Too low. Recheck the formula and the numbers you substituted.';
}

function describe(dims: readonly number[]): string {
  return quantityName(dims) ?? 'a quantity with a unit';
}

/** Compares a typed answer (`28 m/s`, `100 km/h`, `28`) with the expected quantity and its significant figures. */
export function compareAnswer(given: string, expected: Quantity & { sigFigs: number }): AnswerCheck {
  const read = readQuantity(given);
  if (!read) {
    return {
      verdict: 'unparsed',
      message: 'Write your answer as a number followed by its unit, like "4.2 kg".',
    };
  }
  const expectedSpec: UnitSpec = parseUnitString(expected.unit) ?? [];
  const expectedInfo = specInfo(expectedSpec);
  const needsUnit = hasRealDims(expectedInfo.dims);

  let value: number;
  if (!read.spec || read.spec.length === 0) {
    if (needsUnit) {
      const numberRight = near(read.value, expected.value, 0.01);
      return {
        verdict: 'missing_unit',
        message: `Add the unit: the answer is ${describe(expectedInfo.dims)}.${numberRight ? ' The number itself looks right.' : ''}`,
      };
    }
    // A bare number for an angle or a plain number: read it in the expected unit.
    value = read.value;
  } else {
    const givenInfo = specInfo(read.spec);
    if (!sameDims(givenInfo.dims, expectedInfo.dims)) {
      const unit = displayUnit(read.spec);
      return {
        verdict: 'wrong_unit',
        message: needsUnit
          ? `Check the unit: ${describe(expectedInfo.dims)} is not measured in ${unit}.`
          : `Check the unit: this answer is a plain number${isAngle(expectedInfo.dims) ? ' or an angle' : ''}, not ${unit}.`,
      };
    }
    const fromOffset = plainTemperatureOffset(read.spec);
    const toOffset = plainTemperatureOffset(expectedSpec);
    const absolute = fromOffset !== null && toOffset !== null;
    const si = read.value * givenInfo.factor + (absolute ? fromOffset : 0);
    value = (si - (absolute ? toOffset : 0)) / expectedInfo.factor;
  }

  const e = expected.value;
  const halfUnit =
    e === 0 ? 0 : 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(e))) - Math.max(1, expected.sigFigs) + 1);
  const tol = Math.max(0.01 * Math.abs(e), halfUnit) * (1 + 1e-9) + 1e-12;
  const diff = value - e;
  if (Math.abs(diff) <= tol) return { verdict: 'correct', message: 'Correct.' };
  if (Math.abs(diff) <= CLOSE * Math.abs(e)) {
    return {
      verdict: 'close',
      message: `Close, but a little ${diff > 0 ? 'high' : 'low'}: check your rounding, and keep more digits until the last step.`,
    };
  }
  return { verdict: 'wrong', message: wrongValueHint(value, e, tol) };
}
