/**
 * Re-checks every `=` chain of a worked solution, line by line, with units.
 *
 * For each chain (`v = √(2gH) = √(2·9.81·40) = 28.0 m/s`) every side is evaluated, and each side is compared
 * with the sides before it; it passes when it agrees with any of them (so a chain may round as it goes, and an
 * error is reported once, where it happens — later sides that follow from it pass). A side written as a plain
 * number is judged by its own figures: `28.0` must be within ±0.05 of the value. Two computed sides may differ
 * by 1% (5% with `≈`), the rounding of substituted values.
 *
 * A chain whose left side is a single name defines that name for later lines with its last value, as written
 * (so a wrong value carries forward and only the first wrong step is flagged).
 *
 * What is reported, conservatively:
 * - `units`: two sides with trustworthy units (every unit written, no bare symbol mixed in, nothing converted by
 *   hand) have different dimensions; or a side adds a length to a time.
 * - `missing_unit` (warning): the last side is a bare number while another side of the chain has a physical
 *   dimension from its units (`v = √(2gh) = 28` with g and h defined with units). A chain of bare numbers is fine.
 * - `unknown_symbol` (warning): nothing could be compared because a side with numbers uses an undefined name
 *   (`E = 70·g·40 = 27468 J`). Formulas (`v = √(2gH)`, `mgH = ½mv²`) are never checked, known symbols or not.
 * - `unparsed` (status 'none', not counted): a chain with numbers on two sides that could not be read.
 * Written temperatures are read as temperatures or steps (`25 °C = 298 K`, `ΔT = 35 °C − 25 °C = 10 °C`),
 * whichever the chain agrees with; symbols given in °C are temperatures (absolute), unless named Δ….
 */
import type {
  CheckReport,
  FindingKind,
  LineFinding,
  LineStatus,
  Quantity,
} from '../../../../src-shared/tutor';
import { evaluate, type Value } from './evaluate';
import { type Chain, extractChains, type Side } from './extract-chains';
import { ParseError, parseSide, writtenNumber } from './parse-expression';
import { displayFigures, formatComputed, formatSigFigs, halfUnitInLastPlace } from './sig-figs';
import { SymbolTable } from './symbols';
import { fullName, type Token } from './tokenize';
import {
  displayUnit,
  hasRealDims,
  isAngle,
  isUnitWord,
  joinValueAndUnit,
  normalizedUnit,
  plainTemperatureOffset,
  sameDims,
  siUnitFor,
  specInfo,
  type UnitSpec,
} from './units';

export interface CheckOptions {
  /** Values given in the problem statement, by symbol (`{ g: { value: 9.81, unit: 'm/s^2' } }`). */
  givens?: Record<string, Quantity>;
}

/** A side written as a plain number, with what its digits claim. */
interface Written {
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

interface Candidate {
  value: Value;
  written: Written | null;
  /** A written temperature read as an absolute temperature (25 °C = 298.15 K), not as a step of 25 K. */
  absolute?: boolean;
}

type SideState =
  | { kind: 'target' }
  | { kind: 'value'; candidates: Candidate[]; chosen: Candidate }
  | { kind: 'symbolic' }
  | { kind: 'blocked'; unknown: string[] }
  | { kind: 'invalid'; message: string }
  | { kind: 'unparsed'; data: boolean };

type Comparison = 'match' | 'number' | 'dims' | 'missing-match' | 'missing-number';

interface Problem {
  status: Exclude<LineStatus, 'ok'>;
  kind: FindingKind;
  expected?: string;
  message: string;
}

interface ChainOutcome {
  problems: Problem[];
  passes: string[];
  defined: string[];
}

const massUnits = new Set(['kg', 'mg', 'μg', 'ug', 'lb', 'lbs']);

/** A number the student put there (not the 2 of `2gh` or a ½ or a square): the side is more than a formula. */
function hasData(tokens: Token[]): boolean {
  return tokens.some((t, i) => {
    if (t.t === 'id') return /[°%]/.test(t.text);
    if (t.t !== 'num') return false;
    const next = tokens[i + 1];
    return (
      t.mantissa.includes('.') || t.value >= 5 || t.exp !== 0 || (next?.t === 'id' && isUnitWord(next.text))
    );
  });
}

function isUnitful(c: Candidate): boolean {
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

function evaluateSide(side: Side, table: SymbolTable, gramAllowed: boolean, differences: boolean): SideState {
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

// ── Comparing two sides ─────────────────────────────────────────────────────────────────────────────────

interface Rep {
  n: number;
  /** Half a unit in the last written place, in this representation; 0 for a computed value. */
  tol: number;
}

/**
 * The numbers a side may stand for when units cannot decide: as written, in SI, in the unit the chain writes
 * (`t_1 = d/v_1 = 12/24 = 0.5 h`: 12/24 is in hours), in degrees for an angle.
 */
function reps(c: Candidate, states: SideState[]): Rep[] {
  const w = c.written;
  if (w) {
    const out = [{ n: w.value, tol: w.tol }];
    if (w.spec) out.push({ n: c.value.si, tol: w.tol * Math.abs(w.factor) });
    return out;
  }
  const out = [{ n: c.value.si, tol: 0 }];
  for (const spec of [c.value.naturalSpec, displaySpec(c, states)]) {
    if (spec) out.push({ n: inUnit(c.value.si, spec), tol: 0 });
  }
  if (isAngle(c.value.dims)) out.push({ n: (c.value.si * 180) / Math.PI, tol: 0 });
  return out;
}

/** Tolerance for comparing a later side `x` with an earlier side `r`. */
function tolerance(
  x: Candidate,
  r: Candidate,
  xTol: number,
  rTol: number,
  a: number,
  b: number,
  approx: boolean,
) {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  let tol: number;
  if (x.written) tol = xTol;
  else if (r.written) tol = rTol;
  else tol = (approx ? 0.05 : 0.01) * scale;
  return tol * (1 + 1e-9) + 1e-9 * scale + 1e-12;
}

function compare(x: Candidate, r: Candidate, approx: boolean, states: SideState[]): Comparison {
  if (isUnitful(x) && isUnitful(r)) {
    if (!sameDims(x.value.dims, r.value.dims)) return 'dims';
    const a = x.value.si;
    const b = r.value.si;
    const xTol = (x.written?.tol ?? 0) * Math.abs(x.written?.factor ?? 1);
    const rTol = (r.written?.tol ?? 0) * Math.abs(r.written?.factor ?? 1);
    return Math.abs(a - b) <= tolerance(x, r, xTol, rTol, a, b, approx) ? 'match' : 'number';
  }
  const ok = reps(x, states).some((p) =>
    reps(r, states).some((q) => Math.abs(p.n - q.n) <= tolerance(x, r, p.tol, q.tol, p.n, q.n, approx)),
  );
  if (x.written && !x.written.spec && isUnitful(r) && hasRealDims(r.value.dims))
    return ok ? 'missing-match' : 'missing-number';
  return ok ? 'match' : 'number';
}

function score(result: Comparison): number {
  return { match: 3, 'missing-match': 2, number: 1, 'missing-number': 1, dims: 0 }[result];
}

/** Where a side reads two ways (degrees or radians, a unit or a symbol), keep the reading the chain agrees with. */
function chooseCandidates(states: SideState[], approx: boolean[]): void {
  states.forEach((state, i) => {
    if (state.kind !== 'value' || state.candidates.length < 2) return;
    let best = state.chosen;
    let bestScore = -1;
    for (const candidate of state.candidates) {
      let total = 0;
      states.forEach((other, j) => {
        if (j === i || other.kind !== 'value') return;
        const between = approx.slice(Math.min(i, j), Math.max(i, j)).some(Boolean);
        total += Math.max(
          ...other.candidates.map((o) =>
            score(j < i ? compare(candidate, o, between, states) : compare(o, candidate, between, states)),
          ),
        );
      });
      if (total > bestScore) {
        best = candidate;
        bestScore = total;
      }
    }
    state.chosen = best;
  });
}

// ── Messages ────────────────────────────────────────────────────────────────────────────────────────────

/** The unit to show a side's value in: as written, the unit it was computed in, a unit written in the chain, SI. */
function displaySpec(c: Candidate, states: SideState[]): UnitSpec | null {
  if (!isUnitful(c)) return null;
  if (c.written?.spec) return c.written.spec;
  if (c.value.naturalSpec) return c.value.naturalSpec;
  for (const state of [...states].reverse()) {
    const w = state.kind === 'value' ? state.chosen.written : null;
    if (
      w?.spec &&
      state.kind === 'value' &&
      isUnitful(state.chosen) &&
      sameDims(state.chosen.value.dims, c.value.dims)
    )
      return w.spec;
  }
  if (isAngle(c.value.dims)) return [{ name: 'deg', power: 1 }];
  return siUnitFor(c.value.dims);
}

function inUnit(si: number, spec: UnitSpec | null): number {
  return spec ? si / specInfo(spec).factor : si;
}

/**
 * The number a side without trustworthy units stands for: the arithmetic on its numbers as written (`72 km/h ÷
 * 3.6` is 20, and `5 m/s + 2` is 7), which is its value in the one unit it was written with.
 */
function plainNumber(c: Candidate): number {
  const { naturalSpec, unitful, si } = c.value;
  return unitful && naturalSpec ? inUnit(si, naturalSpec) : si;
}

function showValue(c: Candidate, states: SideState[]): string {
  const spec = displaySpec(c, states);
  if (!spec) return formatComputed(plainNumber(c));
  return joinValueAndUnit(formatComputed(inUnit(c.value.si, spec)), spec);
}

function unitOf(c: Candidate, states: SideState[]): string {
  const spec = c.written?.spec ?? displaySpec(c, states);
  return spec && spec.length ? displayUnit(spec) : 'no unit';
}

function passMessage(x: Candidate, xSide: Side, r: Candidate, rSide: Side, states: SideState[]): string {
  if (!r.written) return `${rSide.text} = ${showValue(r, states)} ✓`;
  if (!x.written) return `${xSide.text} = ${showValue(x, states)} ✓`;
  return `${rSide.text} = ${xSide.text} ✓`;
}

/**
 * The right value for side x, given the earlier side r: in x's unit and with x's figures when x is a written
 * number; for a computed side, with the figures of the number the chain ends with.
 */
function expectedFor(x: Candidate, r: Candidate, states: SideState[]): string {
  const lastWritten = states.findLast((s) => s.kind === 'value' && s.chosen.written);
  const figures =
    x.written?.figures ?? (lastWritten?.kind === 'value' ? lastWritten.chosen.written?.figures : undefined);
  let value: number;
  let spec: UnitSpec | null;
  if (x.written?.spec && (isUnitful(r) ? sameDims(r.value.dims, x.value.dims) : true)) {
    spec = x.written.spec;
    if (!isUnitful(r)) value = plainNumber(r);
    else if (x.absolute && x.written.tempOffset)
      value = (r.value.si - x.written.tempOffset) / x.written.factor;
    else value = inUnit(r.value.si, spec);
  } else {
    spec = displaySpec(r, states);
    value = inUnit(r.value.si, spec);
  }
  const number = figures ? formatSigFigs(value, figures) : formatComputed(value);
  return joinValueAndUnit(number, spec ?? []);
}

function arithmeticProblem(
  x: Candidate,
  xSide: Side,
  r: Candidate,
  rSide: Side,
  states: SideState[],
): Problem {
  const expected = expectedFor(x, r, states);
  const message = x.written
    ? r.written
      ? `${rSide.text} is ${expected}, not ${xSide.text}.`
      : `${rSide.text} = ${showValue(r, states)}, not ${xSide.text}.`
    : `${xSide.text} = ${showValue(x, states)}, but ${rSide.text} = ${showValue(r, states)}.`;
  return { status: 'error', kind: 'arithmetic', expected, message };
}

function unitsProblem(x: Candidate, xSide: Side, r: Candidate, rSide: Side, states: SideState[]): Problem {
  return {
    status: 'error',
    kind: 'units',
    expected: expectedFor(x, r, states),
    message: `Units do not match: ${rSide.text} is in ${unitOf(r, states)}, but ${xSide.text} is in ${unitOf(x, states)}.`,
  };
}

// ── A chain ─────────────────────────────────────────────────────────────────────────────────────────────

/** The name a chain defines: its left side when that is a single name (`v`, `F_net`, `ΔKE`), not `mgh` of knowns. */
function targetOf(chain: Chain, table: SymbolTable): string | null {
  const [first] = chain.sides;
  const [only, ...rest] = first?.tokens ?? [];
  if (chain.leadingEquals || only?.t !== 'id' || rest.length > 0) return null;
  if (isUnitWord(only.text) && /[°%Ω]/.test(only.text)) return null;
  const product = !only.sub && /^[A-Za-z]{2,}$/.test(only.text) && !table.has(only.text);
  if (product && [...only.text].every((c) => table.has(c))) return null;
  return fullName(only);
}

function definitionText(c: Candidate): { report: string; shown: string } {
  const w = c.written;
  if (w) {
    const unit = w.spec ? normalizedUnit(w.spec) : '';
    return {
      report: unit ? `${w.numberText} ${unit}` : w.numberText,
      shown: joinValueAndUnit(w.numberText, w.spec ?? []),
    };
  }
  const spec = isUnitful(c) ? siUnitFor(c.value.dims) : [];
  const number = formatComputed(inUnit(c.value.si, spec));
  const unit = normalizedUnit(spec);
  return { report: unit ? `${number} ${unit}` : number, shown: joinValueAndUnit(number, spec) };
}

function checkChain(chain: Chain, table: SymbolTable): ChainOutcome {
  const { sides } = chain;
  const target = targetOf(chain, table);
  const gramAllowed =
    (target !== null && /^[mM](_|$)/.test(target)) ||
    sides.some((s) => s.tokens.some((t) => t.t === 'id' && massUnits.has(t.text)));
  const states: SideState[] = sides.map((side, i) =>
    i === 0 && target
      ? { kind: 'target' }
      : evaluateSide(side, table, gramAllowed, target?.startsWith('Δ') ?? false),
  );
  chooseCandidates(states, chain.approx);

  const problems: Problem[] = [];
  const passes: string[] = [];
  const valueAt = (i: number): Candidate | null => {
    const s = states[i];
    return s?.kind === 'value' ? s.chosen : null;
  };
  const sideAt = (i: number): Side => sides[i] as Side;
  // A chain of formulas only (`mgH = ½mv²`) is not checked, even when its symbols are known: they may stand
  // for other moments than the ones defined. Numbers on some side make it a calculation.
  const calculation = sides.some((s, i) => !(i === 0 && target) && hasData(s.tokens));
  const indices = calculation ? states.map((_, i) => i).filter((i) => valueAt(i)) : [];
  let compared = false;

  for (const i of indices) {
    const x = valueAt(i) as Candidate;
    const earlier = indices.filter((j) => j < i).reverse();
    if (earlier.length === 0) continue;
    compared = true;
    // Units first: against the nearest side that has trustworthy units.
    if (isUnitful(x)) {
      const j = earlier.find((k) => isUnitful(valueAt(k) as Candidate));
      const r = j === undefined ? null : valueAt(j);
      if (j !== undefined && r && !sameDims(x.value.dims, r.value.dims)) {
        problems.push(unitsProblem(x, sideAt(i), r, sideAt(j), states));
        continue;
      }
    }
    let nearest: Comparison | null = null;
    let matched: number | null = null;
    for (const j of earlier) {
      const result = compare(x, valueAt(j) as Candidate, chain.approx.slice(j, i).some(Boolean), states);
      nearest ??= result;
      if (result === 'match' || result === 'missing-match') {
        matched = j;
        break;
      }
    }
    if (matched !== null) {
      passes.push(passMessage(x, sideAt(i), valueAt(matched) as Candidate, sideAt(matched), states));
      continue;
    }
    const j0 = earlier[0] as number;
    const r0 = valueAt(j0) as Candidate;
    problems.push(
      nearest === 'dims'
        ? unitsProblem(x, sideAt(i), r0, sideAt(j0), states)
        : arithmeticProblem(x, sideAt(i), r0, sideAt(j0), states),
    );
  }

  // A final number written bare where the chain's quantities have a unit.
  const lastIndex = sides.length - 1;
  const last = valueAt(lastIndex);
  const dimensional = indices
    .filter((i) => i !== lastIndex && isUnitful(valueAt(i) as Candidate))
    .find((i) => hasRealDims((valueAt(i) as Candidate).value.dims));
  let definedFrom = last;
  // `θ = asin(0.5) = 30`: a bare final number stands for the quantity of the side it agrees with.
  const withUnit = indices.find((i) => i !== lastIndex && isUnitful(valueAt(i) as Candidate));
  if (last?.written && !last.written.spec && withUnit !== undefined) {
    const r = valueAt(withUnit) as Candidate;
    definedFrom = {
      value: { ...last.value, si: r.value.si, dims: r.value.dims, unitful: true },
      written: null,
    };
  }
  if (last?.written && !last.written.spec && dimensional !== undefined) {
    const r = valueAt(dimensional) as Candidate;
    problems.push({
      status: 'warning',
      kind: 'missing_unit',
      message: `${sideAt(lastIndex).text} is written without a unit, but ${sideAt(dimensional).text} is in ${unitOf(r, states)}.`,
    });
    // Carry the quantity forward with its unit, so later lines are not flagged for it.
    definedFrom = {
      value: { ...last.value, si: r.value.si, dims: r.value.dims, unitful: true },
      written: null,
    };
  }

  for (const [i, state] of states.entries()) {
    if (state.kind === 'invalid')
      problems.push({ status: 'error', kind: 'units', message: `${sideAt(i).text}: ${state.message}.` });
  }

  if (!compared) {
    const blocked = states.flatMap((s, i) => (s.kind === 'blocked' ? [{ s, i }] : []));
    const checkable = states.filter((s) => s.kind === 'value' || s.kind === 'blocked').length;
    const [firstBlocked] = blocked;
    if (firstBlocked && checkable >= 2) {
      const names = [...new Set(blocked.flatMap(({ s }) => s.unknown))];
      problems.push({
        status: 'warning',
        kind: 'unknown_symbol',
        message: `Cannot check ${sideAt(firstBlocked.i).text}: ${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} not defined.`,
      });
    }
    const unparsed = states.findIndex((s) => s.kind === 'unparsed' && s.data);
    const withData = sides.filter((s) => hasData(s.tokens)).length;
    if (unparsed >= 0 && withData >= 2)
      problems.push({
        status: 'none',
        kind: 'unparsed',
        message: `Could not read "${sideAt(unparsed).text}".`,
      });
  }

  const defined: string[] = [];
  if (target && definedFrom) {
    const { report, shown } = definitionText(definedFrom);
    table.define(
      target,
      { si: definedFrom.value.si, dims: definedFrom.value.dims, unitful: isUnitful(definedFrom) },
      report,
    );
    defined.push(`${target} = ${shown}`);
  }
  return { problems, passes, defined };
}

// ── Lines ───────────────────────────────────────────────────────────────────────────────────────────────

/** Longer lines are prose or pasted data, not a step of a solution; reading them would only cost time. */
const MAX_LINE_LENGTH = 2000;

function checkLine(text: string, line: number, table: SymbolTable): LineFinding {
  if (!text.trim()) return { line, text, status: 'none', message: '' };
  if (text.length > MAX_LINE_LENGTH) return { line, text, status: 'none', message: 'Too long to check.' };
  try {
    return findingFor(text, line, table);
  } catch (error) {
    // The checker runs as the student types: one unreadable line must not cost the others their findings.
    if (!(error instanceof RangeError)) throw error;
    return { line, text, status: 'none', kind: 'unparsed', message: 'Could not read this line.' };
  }
}

function findingFor(text: string, line: number, table: SymbolTable): LineFinding {
  const { chains } = extractChains(text, (name) => table.has(name));
  if (chains.length === 0) return { line, text, status: 'none', message: 'No calculation to check.' };
  const outcomes = chains.map((chain) => checkChain(chain, table));
  const problems = outcomes.flatMap((o) => o.problems);
  const worst = problems.find((p) => p.status === 'error') ?? problems.find((p) => p.status === 'warning');
  if (worst) {
    return {
      line,
      text,
      status: worst.status,
      kind: worst.kind,
      expected: worst.expected,
      message: worst.message,
    };
  }
  const passes = outcomes.flatMap((o) => o.passes);
  if (passes.length) return { line, text, status: 'ok', message: [...new Set(passes)].join('; ') };
  const unparsed = problems.find((p) => p.kind === 'unparsed');
  if (unparsed) return { line, text, status: 'none', kind: 'unparsed', message: unparsed.message };
  const defined = outcomes.flatMap((o) => o.defined);
  if (defined.length) return { line, text, status: 'none', message: `Defines ${defined.join(', ')}.` };
  return { line, text, status: 'none', message: 'A formula without numbers: nothing to check.' };
}

/**
 * Checks a worked solution line by line (lines are 1-based). `givens` are the problem's values by symbol;
 * symbols the solution defines (`H = 40 m`) are used by the lines after them.
 */
export function checkSolution(text: string, options: CheckOptions = {}): CheckReport {
  const table = new SymbolTable();
  for (const [name, quantity] of Object.entries(options.givens ?? {})) table.defineQuantity(name, quantity);
  const lines = text.split(/\r\n|\r|\n/).map((line, i) => checkLine(line, i + 1, table));
  return {
    lines,
    symbols: table.report(),
    errors: lines.filter((l) => l.status === 'error').length,
    warnings: lines.filter((l) => l.status === 'warning').length,
  };
}
