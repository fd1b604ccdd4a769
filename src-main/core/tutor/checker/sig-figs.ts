/**
 * Significant figures: how precise a written number claims to be, and writing a number to a given precision.
 *
 * A number's digits are taken as written: "28.0" has 3 figures and claims ±0.05; "40" has 1 figure (trailing
 * zeros of an integer are not significant) and claims ±5; "3.0e8" claims ±0.05e8.
 */

/** Significant figures of a written mantissa ("28.0" → 3, "0.050" → 2, "27468" → 5, "40" → 1, "0" → 1). */
export function countSigFigs(mantissa: string): number {
  const digits = mantissa.replace(/^[+-]/, '');
  if (digits.includes('.')) {
    const all = digits.replace('.', '').replace(/^0+/, '');
    return Math.max(1, all.length);
  }
  const trimmed = digits.replace(/^0+/, '').replace(/0+$/, '');
  return Math.max(1, trimmed.length);
}

/**
 * Figures to write an expected value with, to match a written number: like `countSigFigs`, except that an
 * integer keeps all its digits ("30" → 2, so the right value for 30 is written "28", not "30").
 */
export function displayFigures(mantissa: string): number {
  const digits = mantissa.replace(/^[+-]/, '');
  if (digits.includes('.')) return countSigFigs(digits);
  return Math.max(1, digits.replace(/^0+/, '').length);
}

/** Half a unit in the last significant place of a written number (mantissa × 10^exp), as a positive number. */
export function halfUnitInLastPlace(mantissa: string, exp = 0): number {
  const digits = mantissa.replace(/^[+-]/, '');
  const [int = '', frac] = digits.split('.');
  if (frac !== undefined) return 0.5 * 10 ** (exp - frac.length);
  if (/^0*$/.test(int)) return 0.5 * 10 ** exp;
  const trailingZeros = /0*$/.exec(int)?.[0].length ?? 0;
  return 0.5 * 10 ** (exp + trailingZeros);
}

/** Rounds to `sigFigs` significant figures (as a number). */
export function roundToSigFigs(value: number, sigFigs: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(Math.max(1, Math.min(sigFigs, 100))));
}

/**
 * Writes a number with `sigFigs` significant figures: 28.014 → "28.0", 27468 (3) → "27500", 0.5 (2) → "0.50".
 * Very large or small numbers use powers of ten: 3e8 (2) → "3.0 × 10^8".
 */
export function formatSigFigs(value: number, sigFigs: number): string {
  const figures = Math.max(1, Math.min(Math.round(sigFigs), 21));
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return figures > 1 ? `0.${'0'.repeat(figures - 1)}` : '0';
  const rounded = roundToSigFigs(value, figures);
  const exponent = Math.floor(Math.log10(Math.abs(rounded)));
  if (exponent >= 6 || exponent < -3) {
    const mantissa = rounded / 10 ** exponent;
    return `${mantissa.toFixed(figures - 1)} × 10^${exponent}`;
  }
  const text = rounded.toFixed(Math.max(0, figures - 1 - exponent));
  return text === '-0' ? '0' : text;
}

/**
 * A computed value for messages: at least `minimum` figures and every digit before the point, without
 * trailing zeros: 27468 → "27468", 28.014 → "28.01", 0.49999999 → "0.5".
 */
export function formatComputed(value: number, minimum = 4): string {
  const intDigits = Math.abs(value) >= 1 ? Math.floor(Math.log10(Math.abs(value))) + 1 : 1;
  const text = formatSigFigs(value, Math.max(minimum, Math.min(intDigits, 15)));
  // A computed value shows no padding: sin 30° = 0.5, not 0.5000.
  return text.replace(/^(-?\d+)\.(\d*?)0+(?=$| )/, (_, int: string, frac: string) =>
    frac ? `${int}.${frac}` : int,
  );
}
