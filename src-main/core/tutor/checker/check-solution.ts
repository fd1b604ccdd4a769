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

import { splitLines } from '../../../../src-shared/lines';
import type {
  CheckReport,
  FindingKind,
  LineFinding,
  LineStatus,
  Quantity,
} from '../../../../src-shared/tutor';
import {
  chooseCandidates,
  type Comparison,
  compare,
  displaySpec,
  inUnit,
  plainNumber,
} from './compare-sides';
import { type Chain, extractChains, type Side } from './extract-chains';
import { type Candidate, evaluateSide, hasData, isUnitful, type SideState } from './side-value';
import { formatComputed, formatSigFigs } from './sig-figs';
import { SymbolTable } from './symbols';
import { fullName } from './tokenize';
import {
  displayUnit,
  hasRealDims,
  isUnitWord,
  joinValueAndUnit,
  normalizedUnit,
  sameDims,
  siUnitFor,
  type UnitSpec,
} from './units';

export interface CheckOptions {
  /** Values given in the problem statement, by symbol (`{ g: { value: 9.81, unit: 'm/s^2' } }`). */
  givens?: Record<string, Quantity>;
}

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

// ── Messages ────────────────────────────────────────────────────────────────────────────────────────────

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
    if (state.kind === 'invalid' && calculation)
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
  const lines = splitLines(text).map((line, i) => checkLine(line, i + 1, table));
  return {
    lines,
    symbols: table.report(),
    errors: lines.filter((l) => l.status === 'error').length,
    warnings: lines.filter((l) => l.status === 'warning').length,
  };
}
