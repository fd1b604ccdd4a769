import type { Quantity } from '../../../src-shared/tutor';

const superscripts: Record<string, string> = { '-': '⁻', '1': '¹', '2': '²', '3': '³', '4': '⁴' };

/** A unit as people write it: mathjs's "m / s^2" becomes "m/s²". */
export function formatUnit(unit: string): string {
  return unit
    .replace(/\s*\/\s*/g, '/')
    .replace(/\^(-?[1-4])\b/g, (_match, power: string) => [...power].map((c) => superscripts[c]).join(''));
}

/** A quantity as people write it: "28.01 m/s" (up to four significant figures). */
export function formatQuantity(quantity: Quantity): string {
  const value = Number(quantity.value.toPrecision(4)).toString();
  return quantity.unit ? `${value} ${formatUnit(quantity.unit)}` : value;
}
