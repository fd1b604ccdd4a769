/** The functions a solution may call, by the names students write. */

export type FunctionName =
  'sqrt' | 'cbrt' | 'sin' | 'cos' | 'tan' | 'asin' | 'acos' | 'atan' | 'ln' | 'log' | 'exp' | 'abs';

const aliases: Record<string, FunctionName> = {
  sqrt: 'sqrt',
  cbrt: 'cbrt',
  sin: 'sin',
  cos: 'cos',
  tan: 'tan',
  asin: 'asin',
  acos: 'acos',
  atan: 'atan',
  arcsin: 'asin',
  arccos: 'acos',
  arctan: 'atan',
  ln: 'ln',
  // In physics `log` is base 10 (decibels, pH); the natural logarithm is written `ln`.
  log: 'log',
  lg: 'log',
  exp: 'exp',
  abs: 'abs',
};

export function functionNamed(name: string): FunctionName | null {
  return aliases[name.toLowerCase()] ?? null;
}

export function isFunctionName(name: string): boolean {
  return functionNamed(name) !== null;
}

export function isForwardTrig(fn: FunctionName): boolean {
  return fn === 'sin' || fn === 'cos' || fn === 'tan';
}
