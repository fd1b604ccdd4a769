/**
 * The checker's own mathjs instance. A private instance keeps anything we configure here (and anything other
 * modules configure on theirs) from leaking across: mathjs keeps units and config per instance.
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
