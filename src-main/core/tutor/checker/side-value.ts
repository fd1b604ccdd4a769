/** One side of a chain, evaluated: the readings it may have, and the number it was written as, if it was. */
import { evaluate, type Value } from './evaluate-with-units';
import type { Side } from './extract-chains';
import { ParseError, parseSide, writtenNumber } from './parse-expression';
import { displayFigures, halfUnitInLastPlace } from './sig-figs';
import type { SymbolTable } from './symbols';
import type { Token } from './tokenize';
import { isUnitWord, plainTemperatureOffset, specInfo, type UnitSpec } from './units';

/** A side written as a plain number, with what its digits claim. */
export interface Written {
  /** The number in its written unit. */
  value: number;
  /** The number as written ("28.0", "3.0e8"). */
  numberText: string;
  spec: UnitSpec | null;
  /** SI value of one written unit. */
  factor: number;
  /** Half a unit in the last written place, in the written unit. */
  tol: number;
  figures: number;
  /** Set for a lone temperature unit (°C, K): its absolute zero offset. */
  tempOffset: number | null;
}

export interface Candidate {
  value: Value;
  written: Written | null;
  /** A written temperature read as an absolute temperature (25 °C = 298.15 K), not as a step of 25 K. */
  absolute?: boolean;
}

export type SideState =
  | { kind: 'target' }
  | { kind: 'value'; candidates: Candidate[]; chosen: Candidate }
  | { kind: 'symbolic' }
  | { kind: 'blocked'; unknown: string[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'unparsed'; data: boolean };

/** A number the student put there (not the 2 of `2gh` or a ½ or a square): the side is more than a formula. */
export function hasData(tokens: Token[]): boolean {
  return tokens.some((t, i) => {
    if (t.t === 'id') return /[°%]/.test(t.text);
    if (t.t !== 'num') return false;
    const next = tokens[i + 1];
    return (
      t.mantissa.includes('.') || t.value >= 5 || t.exp !== 0 || (next?.t === 'id' && isUnitWord(next.text))
    );
  });
}

export function isUnitful(c: Candidate): boolean {
  return c.value.unitful && !c.value.loose;
}

function toWritten(node: ReturnType<typeof writtenNumber>): Written | null {
  if (!node) return null;
  const { token, sign, spec } = node;
  return {
    value: sign * token.value,
    numberText: `${sign < 0 ? '-' : ''}${token.mantissa}${token.exp ? `e${token.exp}` : ''}`,
    spec,
    factor: spec ? specInfo(spec).factor : 1,
    tol: halfUnitInLastPlace(token.mantissa, token.exp),
    figures: displayFigures(token.mantissa),
    tempOffset: spec ? plainTemperatureOffset(spec) : null,
  };
}

/**
 * A written temperature (`25 °C`) is a temperature or a step in temperature: both readings are candidates,
 * the absolute one first unless the chain is about a difference (`ΔT = …`).
 */
function temperatureReadings(candidate: Candidate, differences: boolean): Candidate[] {
  const offset = candidate.written?.tempOffset;
  if (!offset) return [candidate];
  const absolute = {
    ...candidate,
    value: { ...candidate.value, si: candidate.value.si + offset },
    absolute: true,
  };
  return differences ? [candidate, absolute] : [absolute, candidate];
}

export function evaluateSide(
  side: Side,
  table: SymbolTable,
  gramAllowed: boolean,
  differences: boolean,
): SideState {
  const data = hasData(side.tokens);
  const ctx = { isDefined: (name: string) => table.has(name), prefer: 'unit' as const, gramAllowed };
  const nodes = [];
  try {
    const first = parseSide(side.tokens, ctx);
    nodes.push(first.node);
    // `40 m` with m a defined mass, `2F/m`: also try the defined symbols, and let the chain decide.
    if (first.ambiguous) nodes.push(parseSide(side.tokens, { ...ctx, prefer: 'symbol' }).node);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    if (nodes.length === 0) return { kind: 'unparsed', data };
  }
  const lookup = (name: string) => table.get(name);
  const candidates: Candidate[] = [];
  let failure: SideState | null = null;
  for (const node of nodes) {
    const written = toWritten(writtenNumber(node));
    // sin 30 is sin 30° to a student; sin(π/6) is radians. Try degrees first, then radians.
    const inDegrees = evaluate(node, lookup, true);
    if (!inDegrees.ok) {
      if ('unknown' in inDegrees)
        failure ??= data ? { kind: 'blocked', unknown: inDegrees.unknown } : { kind: 'symbolic' };
      else if (inDegrees.kind === 'units') failure ??= { kind: 'invalid', message: inDegrees.error };
      else failure ??= { kind: 'unparsed', data };
      continue;
    }
    candidates.push(...temperatureReadings({ value: inDegrees.value, written }, differences));
    if (inDegrees.value.trigOfBareNumber) {
      const inRadians = evaluate(node, lookup, false);
      if (inRadians.ok) candidates.push({ value: inRadians.value, written });
    }
  }
  const [chosen] = candidates;
  if (chosen) return { kind: 'value', candidates, chosen };
  return failure ?? { kind: 'unparsed', data };
}
