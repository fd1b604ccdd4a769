/**
 * Comparing two sides of a chain. Sides with trustworthy units compare in SI; otherwise a side may stand for
 * several numbers (as written, in SI, in the unit the chain is written in) and two sides agree if any agree.
 */
import { type Candidate, isUnitful, type SideState } from './side-value';
import { hasRealDims, isAngle, sameDims, siUnitFor, specInfo, type UnitSpec } from './units';

export type Comparison = 'match' | 'number' | 'dims' | 'missing-match' | 'missing-number';

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

export function compare(x: Candidate, r: Candidate, approx: boolean, states: SideState[]): Comparison {
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
export function chooseCandidates(states: SideState[], approx: boolean[]): void {
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

/** The unit to show a side's value in: as written, the unit it was computed in, a unit written in the chain, SI. */
export function displaySpec(c: Candidate, states: SideState[]): UnitSpec | null {
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

export function inUnit(si: number, spec: UnitSpec | null): number {
  return spec ? si / specInfo(spec).factor : si;
}

/**
 * The number a side without trustworthy units stands for: the arithmetic on its numbers as written (`72 km/h ÷
 * 3.6` is 20, and `5 m/s + 2` is 7), which is its value in the one unit it was written with.
 */
export function plainNumber(c: Candidate): number {
  const { naturalSpec, unitful, si } = c.value;
  return unitful && naturalSpec ? inUnit(si, naturalSpec) : si;
}
