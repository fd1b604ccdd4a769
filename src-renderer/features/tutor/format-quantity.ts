import type { Quantity } from '../../../src-shared/tutor';

/** A quantity as people write it: "28.01 m/s" (up to four significant figures). */
export function formatQuantity(quantity: Quantity): string {
  const value = Number(quantity.value.toPrecision(4)).toString();
  return quantity.unit ? `${value} ${quantity.unit}` : value;
}
