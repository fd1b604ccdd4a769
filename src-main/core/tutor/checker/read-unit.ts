/** Reads a unit string from code or a student (`m/s^2`, `m / s^2`, `J/(kg·K)`, `°C`, `1 / s`, ""). */
import { normalizeNotation } from './normalize-notation';
import { parseUnitTokens } from './parse-expression';
import { tokenize } from './tokenize';
import type { UnitSpec } from './units';

/** The unit's parts, or null when it is not a unit. "" is no unit (a dimensionless quantity). */
export function parseUnitString(unit: string): UnitSpec | null {
  const text = normalizeNotation(unit).trim();
  // "1 / s" is how a unit with only a denominator is normalized.
  const reciprocal = /^1\s*\/\s*/.exec(text);
  const spec = parseUnitTokens(tokenize(reciprocal ? text.slice(reciprocal[0].length) : text), true);
  if (!spec || (reciprocal && spec.length === 0)) return null;
  return reciprocal ? spec.map((p) => ({ name: p.name, power: -p.power })) : spec;
}
