/**
 * Small helpers on quantities for the rest of the tutor (the problem bank, the answer check): read "28.0 m/s",
 * write 28.014 m/s with 3 figures, convert, and evaluate a formula with units.
 *
 * Units in a `Quantity` are normalized mathjs-style strings: "m / s", "m / s^2", "kg m / s", "J / (kg K)",
 * "km / h", "ohm", "uF", "deg", "degC", "%"; "" for a plain number. mathjs's `unit()` reads them all.
 */
import type { Quantity } from '../../../../src-shared/tutor';
import { evaluate, type SymbolValue } from './evaluate-with-units';
import { normalizeNotation } from './normalize-notation';
import { ParseError, parseSide, writtenNumber } from './parse-expression';
import { parseUnitString } from './read-unit';
import { formatSigFigs } from './sig-figs';
import { symbolName } from './symbols';
import { tokenize } from './tokenize';
import {
  type Dims,
  isAngle,
  joinValueAndUnit,
  normalizedUnit,
  plainTemperatureOffset,
  sameDims,
  siUnitFor,
  specInfo,
  type UnitSpec,
} from './units';

export interface ReadQuantity {
  /** The number as written, in its unit. */
  value: number;
  spec: UnitSpec | null;
  /** The digits as written, for significant figures. */
  mantissa: string;
  exp: number;
}

/** Reads a typed answer: `28 m/s`, `28.0m/s`, `v = 28 m/s`, `2.8e1 m/s`, `3.0 × 10^8 m/s`, `30°`, `28`. */
export function readQuantity(text: string): ReadQuantity | null {
  const normalized = normalizeNotation(text)
    .trim()
    .replace(/[.!]+$/, '');
  let tokens = tokenize(normalized);
  // `v = 28 m/s`: the answer is what follows the last equals sign.
  const lastEquals = tokens.findLastIndex((t) => t.t === 'eq');
  if (lastEquals >= 0) tokens = tokens.slice(lastEquals + 1);
  if (tokens.length === 0 || tokens.some((t) => t.t === 'sep')) return null;
  try {
    const { node } = parseSide(tokens, { isDefined: () => false, prefer: 'unit', gramAllowed: true });
    const written = writtenNumber(node);
    if (!written) return null;
    return {
      value: written.sign * written.token.value,
      spec: written.spec,
      mantissa: written.token.mantissa,
      exp: written.token.exp,
    };
  } catch (error) {
    if (error instanceof ParseError) return null;
    throw error;
  }
}

/** "28.0 m/s" → { value: 28, unit: 'm / s' }; "28" → { value: 28, unit: '' }; null when it is not a quantity. */
export function parseQuantity(text: string): Quantity | null {
  const read = readQuantity(text);
  return read ? { value: read.value, unit: normalizedUnit(read.spec ?? []) } : null;
}

/** A unit string in the normalized form ("m/s^2" → "m / s^2"), or null when it is not a unit. */
export function normalizeUnit(unit: string): string | null {
  const spec = parseUnitString(unit);
  return spec ? normalizedUnit(spec) : null;
}

/** Writes a value with `sigFigs` figures and its unit for people: (28.014, 'm / s', 3) → "28.0 m/s". */
export function formatQuantity(value: number, unit: string, sigFigs: number): string {
  const number = formatSigFigs(value, sigFigs);
  const spec = parseUnitString(unit);
  if (!spec) return unit.trim() ? `${number} ${unit.trim()}` : number;
  return joinValueAndUnit(number, spec);
}

function unitOrThrow(unit: string): UnitSpec {
  const spec = parseUnitString(unit);
  if (!spec) throw new Error(`Unknown unit "${unit}"`);
  return spec;
}

/** Converts between units of the same dimension (100 km/h → 27.78 m/s; 25 °C → 298.15 K). Throws otherwise. */
export function convertQuantity(quantity: Quantity, unit: string): Quantity {
  const from = unitOrThrow(quantity.unit);
  const to = unitOrThrow(unit);
  const a = specInfo(from);
  const b = specInfo(to);
  if (!sameDims(a.dims, b.dims))
    throw new Error(`Cannot convert ${quantity.unit || 'a plain number'} to ${unit || 'a plain number'}`);
  const fromOffset = plainTemperatureOffset(from);
  const toOffset = plainTemperatureOffset(to);
  const absolute = fromOffset !== null && toOffset !== null;
  const si = quantity.value * a.factor + (absolute ? fromOffset : 0);
  return { value: (si - (absolute ? toOffset : 0)) / b.factor, unit: normalizedUnit(to) };
}

function resultUnit(dims: Dims): UnitSpec {
  return isAngle(dims) ? [{ name: 'rad', power: 1 }] : siUnitFor(dims);
}

/**
 * Evaluates a formula with units, for computing answers: `evaluateExpression('sqrt(2*g*h)', { g: { value: 9.81,
 * unit: 'm/s^2' }, h: { value: 40, unit: 'm' } })` → { value: 28.01…, unit: 'm / s' }. The result is in SI
 * (named units where there is one: N, J, W, Pa…), or in `options.unit`. Symbols may be written `gh` (g·h) or
 * `v0`/`v_0`; trigonometric functions take radians unless the angle has a unit (`30 deg`). Throws on an unknown
 * symbol, an unreadable formula, or a unit that does not fit.
 */
export function evaluateExpression(
  expr: string,
  scope: Record<string, Quantity>,
  options: { unit?: string } = {},
): Quantity {
  const values = new Map<string, SymbolValue>();
  for (const [name, q] of Object.entries(scope)) {
    const { factor, dims } = specInfo(unitOrThrow(q.unit));
    values.set(symbolName(name), { si: q.value * factor, dims, unitful: q.unit.trim() !== '' });
  }
  let parsed;
  try {
    parsed = parseSide(tokenize(normalizeNotation(expr)), {
      isDefined: (name) => values.has(name),
      prefer: 'symbol',
      gramAllowed: false,
      permissiveUnits: true,
    });
  } catch (error) {
    if (error instanceof ParseError)
      throw new Error(`Cannot read the expression "${expr}"`, { cause: error });
    throw error;
  }
  const result = evaluate(parsed.node, (name) => values.get(name), false);
  if (!result.ok) {
    if ('unknown' in result) throw new Error(`Unknown symbol in "${expr}": ${result.unknown.join(', ')}`);
    throw new Error(`Cannot evaluate "${expr}": ${result.error}`);
  }
  const { si, dims } = result.value;
  if (options.unit !== undefined) {
    const spec = unitOrThrow(options.unit);
    const info = specInfo(spec);
    if (!sameDims(info.dims, dims)) throw new Error(`"${expr}" is not in ${options.unit}`);
    return { value: si / info.factor, unit: normalizedUnit(spec) };
  }
  const spec = resultUnit(dims);
  return { value: si / specInfo(spec).factor, unit: normalizedUnit(spec) };
}
