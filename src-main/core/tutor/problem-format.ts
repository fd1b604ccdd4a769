/** How the problem bank writes numbers and units for people (and for the solution checker that re-reads them). */

export interface RoundedNumber {
  /** The number exactly as written, so later steps can compute with what the reader sees. */
  value: number;
  /** Plain digits, or LaTeX `1.23 \times 10^{6}` for very large and very small magnitudes (only inside `$…$`). */
  text: string;
}

/**
 * Rounds to `sigFigs` significant figures. Whole numbers keep all their digits (5400, not 5.40e3): more figures
 * than asked, but never a rounded-away zero that a reader or checker would take as exact.
 */
export function roundToFigures(x: number, sigFigs: number): RoundedNumber {
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} as a number`);
  if (x === 0) return { value: 0, text: '0' };
  const exponent = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(sigFigs)))));
  if (exponent >= 6 || exponent < -3) {
    const figures = isExactHalf(x.toExponential(sigFigs), x) ? sigFigs + 1 : sigFigs;
    const [mantissa = '', power = ''] = x.toExponential(figures - 1).split('e');
    return { value: Number(`${mantissa}e${power}`), text: `${mantissa} \\times 10^{${Number(power)}}` };
  }
  let decimals = Math.max(0, sigFigs - 1 - exponent);
  if (isExactHalf(x.toFixed(decimals + 1), x)) decimals += 1;
  const text = x.toFixed(decimals);
  return { value: Number(text), text };
}

/**
 * 18.75 to three figures is 18.7 or 18.8 depending on who rounds (and 4.905 is 4.90499… in floating point): a
 * number that ends in such a 5 is written exactly, with one figure more, so no reader or checker can disagree.
 */
function isExactHalf(longer: string, x: number): boolean {
  const digits = longer.split('e')[0] ?? '';
  return digits.endsWith('5') && Math.abs(Number(longer) - x) <= 1e-9 * Math.abs(x);
}

/** Decimal places of a number as written in the data (0.05 → 2, 40 → 0). */
export function decimalPlaces(x: number): number {
  const [digits = '', exponent] = String(x).split('e');
  const fraction = digits.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** Unit names that read better as symbols in prose; everything else is shown as the data writes it. */
const unitSymbols: Record<string, string> = {
  ohm: 'Ω',
  kohm: 'kΩ',
  Mohm: 'MΩ',
  deg: '°',
  degC: '°C',
  degF: '°F',
  uC: 'µC',
  uF: 'µF',
  uA: 'µA',
  um: 'µm',
  us: 'µs',
};
const superscripts: Record<string, string> = { '2': '²', '3': '³', '-1': '⁻¹', '-2': '⁻²' };

/** A mathjs unit string for prose: "m/s^2" → "m/s²", "J/(kg K)" → "J/(kg·K)", "ohm" → "Ω". */
export function displayUnit(unit: string): string {
  return unit
    .replace(/[A-Za-z]+/g, (name) => unitSymbols[name] ?? name)
    .replace(/\^(-?\d)/g, (whole, power: string) => superscripts[power] ?? whole)
    .replace(/\s*\*\s*|(?<=\S) (?=\S)/g, '·');
}

/** A value with its unit for prose: "40 m", "30°", "0.25" (dimensionless). */
export function withUnit(text: string, unit: string): string {
  if (unit === '') return text;
  const shown = displayUnit(unit);
  return shown === '°' ? `${text}°` : `${text} ${shown}`;
}
