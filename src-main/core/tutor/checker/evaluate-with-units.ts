/**
 * Evaluates a parsed side with units: every value is a number in SI with its dimension. Temperatures in a
 * product are differences (a kelvin and a degree Celsius are the same step); absolute temperatures are only
 * compared where a plain temperature is written on both sides (see check-solution).
 */
import { isForwardTrig } from './functions';
import type { Node } from './parse-expression';
import {
  addDims,
  type Dims,
  dimensionless,
  displayUnit,
  hasFractionalDims,
  hasRealDims,
  isAngle,
  sameDims,
  scaleDims,
  siUnitFor,
  specInfo,
  type UnitSpec,
} from './units';

export interface SymbolValue {
  /** Value in SI units. */
  si: number;
  dims: Dims;
  /** Defined with a unit; a symbol defined as a bare number (`g = 9.81`) makes units untrustworthy. */
  unitful: boolean;
}

export interface Value {
  si: number;
  dims: Dims;
  /** A unit or a symbol with a unit took part. */
  unitful: boolean;
  /**
   * The units cannot be trusted: bare symbols mixed with units, a bare number added to a quantity, m^0.5, a
   * unit changed by hand (`72 km/h ÷ 3.6`).
   */
  loose: boolean;
  /** A sin/cos/tan of a bare number (read in degrees in the 'deg' mode). */
  trigOfBareNumber: boolean;
  /** When the side has one unit and the result is in it (`100 km/h · 2`): that unit, to compare bare numbers in. */
  naturalSpec: UnitSpec | null;
}

export type Evaluation =
  | { ok: true; value: Value }
  | { ok: false; unknown: string[] }
  | { ok: false; error: string; kind: 'units' | 'math' };

class EvalError extends Error {
  constructor(
    message: string,
    readonly kind: 'units' | 'math',
  ) {
    super(message);
  }
}

interface Acc {
  si: number;
  dims: Dims;
  unitful: boolean;
  bareSymbol: boolean;
  loose: boolean;
  trig: boolean;
}

const bare = (si: number): Acc => ({
  si,
  dims: dimensionless,
  unitful: false,
  bareSymbol: false,
  loose: false,
  trig: false,
});

function flags(a: Acc, b: Acc): Pick<Acc, 'unitful' | 'bareSymbol' | 'loose' | 'trig'> {
  return {
    unitful: a.unitful || b.unitful,
    bareSymbol: a.bareSymbol || b.bareSymbol,
    loose: a.loose || b.loose,
    trig: a.trig || b.trig,
  };
}

function unitText(acc: Acc): string {
  return hasRealDims(acc.dims) ? displayUnit(siUnitFor(acc.dims)) : 'a plain number';
}

function sameDimsExactly(a: Dims, b: Dims): boolean {
  return a.every((x, i) => Math.abs(x - (b[i] ?? 0)) < 1e-9);
}

function containsPi(node: Node): boolean {
  switch (node.k) {
    case 'pi':
      return true;
    case 'neg':
    case 'call':
      return containsPi(node.x);
    case 'bin':
      return containsPi(node.a) || containsPi(node.b);
    default:
      return false;
  }
}

function collectUnknown(node: Node, lookup: (name: string) => SymbolValue | undefined, out: string[]): void {
  switch (node.k) {
    case 'sym':
      if (!lookup(node.name) && !out.includes(node.name)) out.push(node.name);
      return;
    case 'neg':
    case 'call':
      collectUnknown(node.x, lookup, out);
      return;
    case 'bin':
      collectUnknown(node.a, lookup, out);
      collectUnknown(node.b, lookup, out);
      return;
    default:
      return;
  }
}

/** Numbers students multiply or divide by to change units by hand: `72 km/h ÷ 3.6 = 20 m/s`. */
const conversionFactors = new Set([3.6, 60, 3600, 24, 100, 1000, 1e6, 1e9, 0.01, 0.001, 1e-6, 1e-9]);

/** Whether a bare conversion factor (not a number with its unit) takes part. */
function convertsByHand(node: Node): boolean {
  switch (node.k) {
    case 'num':
      return conversionFactors.has(node.token.value);
    case 'neg':
    case 'call':
      return convertsByHand(node.x);
    case 'bin':
      if (node.op === '*' && node.a.k === 'num' && node.b.k === 'unit') return false;
      return convertsByHand(node.a) || convertsByHand(node.b);
    default:
      return false;
  }
}

function units(node: Node): UnitSpec[] {
  switch (node.k) {
    case 'unit':
      return [node.spec];
    case 'neg':
    case 'call':
      return units(node.x);
    case 'bin':
      return [...units(node.a), ...units(node.b)];
    default:
      return [];
  }
}

class Evaluator {
  constructor(
    private readonly lookup: (name: string) => SymbolValue | undefined,
    private readonly degrees: boolean,
  ) {}

  run(node: Node): Acc {
    switch (node.k) {
      case 'num':
        return bare(node.token.value);
      case 'pi':
        return bare(Math.PI);
      case 'unit': {
        const { factor, dims } = specInfo(node.spec);
        return { ...bare(factor), dims, unitful: true };
      }
      case 'sym': {
        const s = this.lookup(node.name);
        if (!s) throw new EvalError(`${node.name} is not defined`, 'math');
        return { ...bare(s.si), dims: s.dims, unitful: s.unitful, bareSymbol: !s.unitful };
      }
      case 'neg': {
        const x = this.run(node.x);
        return { ...x, si: -x.si };
      }
      case 'call':
        return this.call(node);
      case 'bin':
        return this.binary(node.op, this.run(node.a), this.run(node.b));
    }
  }

  private binary(op: '+' | '-' | '*' | '/' | '^', a: Acc, b: Acc): Acc {
    const f = flags(a, b);
    switch (op) {
      case '*':
        return { ...f, si: a.si * b.si, dims: addDims(a.dims, b.dims) };
      case '/':
        return { ...f, si: a.si / b.si, dims: addDims(a.dims, b.dims, -1) };
      case '^': {
        if (hasRealDims(b.dims) && b.unitful && !b.loose)
          throw new EvalError('an exponent cannot have a unit', 'units');
        return { ...f, si: a.si ** b.si, dims: scaleDims(a.dims, b.si) };
      }
      case '+':
      case '-': {
        const si = op === '+' ? a.si + b.si : a.si - b.si;
        if (sameDims(a.dims, b.dims)) return { ...f, si, dims: a.dims };
        // A bare number added to a quantity: the student dropped a unit; keep going without unit checks.
        const aBare = !a.unitful && !hasRealDims(a.dims);
        const bBare = !b.unitful && !hasRealDims(b.dims);
        if (aBare || bBare || a.loose || b.loose)
          return { ...f, si, dims: aBare ? b.dims : a.dims, loose: true };
        throw new EvalError(`${unitText(a)} and ${unitText(b)} cannot be added`, 'units');
      }
    }
  }

  private call(node: Extract<Node, { k: 'call' }>): Acc {
    const x = this.run(node.x);
    const dimensional = hasRealDims(x.dims) && x.unitful && !x.loose;
    switch (node.fn) {
      case 'sqrt':
        return { ...x, si: Math.sqrt(x.si), dims: scaleDims(x.dims, 0.5) };
      case 'cbrt':
        return { ...x, si: Math.cbrt(x.si), dims: scaleDims(x.dims, 1 / 3) };
      case 'abs':
        return { ...x, si: Math.abs(x.si) };
      default:
        break;
    }
    if (dimensional) throw new EvalError(`${node.fn} of a quantity in ${unitText(x)}`, 'units');
    if (isForwardTrig(node.fn)) {
      // An angle with a unit (30°, θ = 30°) is in radians here; a bare number is degrees in 'deg' mode.
      const byDegrees = !isAngle(x.dims) && this.degrees && !containsPi(node.x);
      const angle = byDegrees ? (x.si * Math.PI) / 180 : x.si;
      const trig = x.trig || (!isAngle(x.dims) && !containsPi(node.x));
      const fn = node.fn === 'sin' ? Math.sin : node.fn === 'cos' ? Math.cos : Math.tan;
      // The sine of an angle is a plain number, whatever unit the angle was in.
      return { ...x, si: fn(angle), dims: dimensionless, unitful: false, trig };
    }
    const angleDims = dimensionless.map((_, i) => (i === 7 ? 1 : 0));
    switch (node.fn) {
      case 'asin':
        return { ...x, si: Math.asin(x.si), dims: angleDims, unitful: true };
      case 'acos':
        return { ...x, si: Math.acos(x.si), dims: angleDims, unitful: true };
      case 'atan':
        return { ...x, si: Math.atan(x.si), dims: angleDims, unitful: true };
      case 'ln':
        return { ...x, si: Math.log(x.si), dims: dimensionless, unitful: false };
      case 'log':
        return { ...x, si: Math.log10(x.si), dims: dimensionless, unitful: false };
      case 'exp':
        return { ...x, si: Math.exp(x.si), dims: dimensionless, unitful: false };
      default:
        throw new EvalError(`unknown function ${node.fn}`, 'math');
    }
  }
}

/**
 * Evaluates a side. `degrees`: read sin/cos/tan of a bare number (not involving π) as degrees, as students
 * write `sin(30)`; the caller evaluates both ways and keeps the reading that fits.
 */
export function evaluate(
  node: Node,
  lookup: (name: string) => SymbolValue | undefined,
  degrees = false,
): Evaluation {
  const unknown: string[] = [];
  collectUnknown(node, lookup, unknown);
  if (unknown.length) return { ok: false, unknown };
  try {
    const acc = new Evaluator(lookup, degrees).run(node);
    if (!Number.isFinite(acc.si))
      return { ok: false, error: 'the result is not a finite number', kind: 'math' };
    const loose =
      acc.loose ||
      (acc.bareSymbol && acc.unitful) ||
      hasFractionalDims(acc.dims) ||
      (acc.unitful && convertsByHand(node));
    const specs = units(node);
    const [only] = specs;
    const naturalSpec =
      specs.length === 1 && only && sameDimsExactly(specInfo(only).dims, acc.dims) ? only : null;
    return {
      ok: true,
      value: {
        si: acc.si,
        dims: acc.dims,
        unitful: acc.unitful,
        loose,
        trigOfBareNumber: acc.trig,
        naturalSpec,
      },
    };
  } catch (error) {
    if (error instanceof EvalError) return { ok: false, error: error.message, kind: error.kind };
    throw error;
  }
}
