/**
 * Phidesk's one mathjs instance, used by the checker and the problem bank. A private instance (not mathjs's
 * default export) keeps what a library might configure on the global one from reaching us; nothing here
 * configures it either, so the two users cannot affect each other.
 */
import { all, create, type FactoryFunctionMap } from 'mathjs';

// mathjs types `all` as possibly undefined (an index into a record); it is always there.
export const math = create(all as FactoryFunctionMap);

/** The SI value of one `name` (a mathjs unit name such as "km" or "kWh"), and its dimension exponents. */
export function mathjsUnit(name: string): { factor: number; dims: number[] } | null {
  try {
    const unit = math.unit(1, name);
    const factor = unit.value;
    if (typeof factor !== 'number' || !Number.isFinite(factor)) return null;
    return { factor, dims: [...unit.dimensions] };
  } catch {
    return null;
  }
}
