/** The problem bank's arithmetic: mathjs (the instance the checker uses), with and without units. */
import type { EvalFunction, MathNode, Unit } from 'mathjs';
import { math } from './checker/math';

export type Scope = Record<string, number | Unit>;

export interface DataQuantity {
  value: number;
  /** A mathjs unit string ("m/s^2", "degC", "ohm"); "" for a pure number. */
  unit: string;
}

/** Names an expression may use without defining them. */
const builtinSymbols = new Set(['pi']);

const compiled = new Map<string, { code: EvalFunction; symbols: string[] }>();

/** Parses once per expression: variants evaluate the same formulas over and over. */
function compile(expr: string): { code: EvalFunction; symbols: string[] } {
  let entry = compiled.get(expr);
  if (!entry) {
    const node = math.parse(expr);
    entry = { code: node.compile(), symbols: freeSymbols(node) };
    compiled.set(expr, entry);
  }
  return entry;
}

/** Symbols that are not function names (`theta` and `x` in `sin(2*theta) + f(x)`). */
function freeSymbols(node: MathNode): string[] {
  const names = node
    .filter(
      (n, path, parent) => n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn'),
    )
    .map((n) => (n as MathNode & { name: string }).name);
  return [...new Set(names)];
}

/**
 * mathjs reads a name it does not know as a unit (`m`, `s`, `h`…), so a typo would still evaluate. Names must be
 * in the scope; only where `allowUnits` (constraints such as `v > 0 m/s`) may the rest be units.
 */
function checkSymbols(expr: string, symbols: string[], scope: Scope, allowUnits: boolean): void {
  for (const name of symbols) {
    if (name in scope || builtinSymbols.has(name)) continue;
    if (allowUnits && math.Unit.isValuelessUnit(name)) continue;
    throw new Error(`unknown symbol "${name}" in "${expr}"`);
  }
}

function run(expr: string, scope: Scope, allowUnits = false): unknown {
  const { code, symbols } = compile(expr);
  checkSymbols(expr, symbols, scope, allowUnits);
  return code.evaluate({ ...scope }) as unknown;
}

function isUnit(x: unknown): x is Unit {
  return math.isUnit(x);
}

export function checkUnit(unit: string): void {
  if (unit !== '') math.unit(unit);
}

function isAngle(unit: string): boolean {
  return unit !== '' && math.unit(unit).equalBase(math.unit('rad'));
}

/**
 * Quantities with units, for the answer and the constraints. Temperatures become kelvin so that differences and
 * gas laws both come out right (mathjs would otherwise multiply 20 degC as an offset unit).
 */
export function unitScope(quantities: Record<string, DataQuantity>): Scope {
  const scope: Scope = {};
  for (const [name, { value, unit }] of Object.entries(quantities)) {
    if (unit === '') {
      scope[name] = value;
      continue;
    }
    const quantity = math.unit(value, unit);
    scope[name] = quantity.equalBase(math.unit('K')) ? quantity.to('K') : quantity;
  }
  return scope;
}

/**
 * The numbers as written, for `{{=…}}` in solutions: they must match the arithmetic a reader (or the checker)
 * redoes from the written numbers. Angles keep their unit so `sin(theta)` means degrees when the data says deg.
 */
export function numberScope(quantities: Record<string, DataQuantity>): Scope {
  const scope: Scope = {};
  for (const [name, { value, unit }] of Object.entries(quantities)) {
    scope[name] = isAngle(unit) ? math.unit(value, unit) : value;
  }
  return scope;
}

/** Evaluates to a plain number (written-number arithmetic). */
export function evaluateNumber(expr: string, scope: Scope): number {
  const result = run(expr, scope);
  if (typeof result !== 'number') {
    throw new Error(
      `"${expr}" gives ${isUnit(result) ? `a quantity in ${result.formatUnits()}` : 'no number'}`,
    );
  }
  return result;
}

/** Evaluates with units and expresses the result in `unit`; a result of another dimension is an error. */
export function evaluateIn(expr: string, scope: Scope, unit: string): number {
  const result = run(expr, scope);
  if (unit === '') {
    if (typeof result === 'number') return result;
    throw new Error(
      `"${expr}" gives ${isUnit(result) ? result.formatUnits() : 'no number'}, expected a pure number`,
    );
  }
  if (typeof result === 'number') throw new Error(`"${expr}" gives a pure number, expected ${unit}`);
  if (!isUnit(result)) throw new Error(`"${expr}" gives no quantity`);
  if (!result.equalBase(math.unit(unit))) {
    throw new Error(`"${expr}" gives ${result.formatUnits()}, which cannot be expressed in ${unit}`);
  }
  return result.toNumber(unit);
}

/** A constraint such as `L > H` or `abs(v1 - v2) >= 2 m/s`, evaluated with units. */
export function evaluateCondition(expr: string, scope: Scope): boolean {
  const result = run(expr, scope, true);
  if (typeof result !== 'boolean') throw new Error(`constraint "${expr}" is not a comparison`);
  return result;
}
