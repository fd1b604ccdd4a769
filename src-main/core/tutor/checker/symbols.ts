/** The symbols a solution has defined so far (`g = 9.81 m/s^2`), plus the problem's givens. */
import type { Quantity } from '../../../../src-shared/tutor';
import type { SymbolValue } from './evaluate-with-units';
import { normalizeNotation } from './normalize-notation';
import { parseUnitString } from './read-unit';
import { fullName, tokenize } from './tokenize';
import { normalizedUnit, plainTemperatureOffset, specInfo } from './units';

interface Entry extends SymbolValue {
  /** For the report: "9.81 m / s^2". */
  text: string;
}

/** The name a symbol is known by, however it is spelled: `\theta` → θ, `v_{0}`/`v0`/`v₀` → v_0. */
export function symbolName(raw: string): string {
  const tokens = tokenize(normalizeNotation(raw));
  const [only] = tokens;
  return tokens.length === 1 && only?.t === 'id' ? fullName(only) : raw.trim();
}

export class SymbolTable {
  private readonly entries = new Map<string, Entry>();

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): SymbolValue | undefined {
    return this.entries.get(name);
  }

  define(name: string, value: SymbolValue, text: string): void {
    this.entries.set(name, { si: value.si, dims: value.dims, unitful: value.unitful, text });
  }

  /** Defines a given from the problem statement. Returns false (and defines nothing) for an unknown unit. */
  defineQuantity(rawName: string, quantity: Quantity): boolean {
    const spec = parseUnitString(quantity.unit);
    if (!spec || !Number.isFinite(quantity.value)) return false;
    const { factor, dims } = specInfo(spec);
    const unit = normalizedUnit(spec);
    const name = symbolName(rawName);
    // A temperature given in °C is a state (absolute, as the gas laws need it); a ΔT is a step.
    const offset = name.startsWith('Δ') ? 0 : (plainTemperatureOffset(spec) ?? 0);
    this.define(
      name,
      { si: quantity.value * factor + offset, dims, unitful: spec.length > 0 },
      unit ? `${quantity.value} ${unit}` : String(quantity.value),
    );
    return true;
  }

  report(): Record<string, string> {
    return Object.fromEntries([...this.entries].map(([name, entry]) => [name, entry.text]));
  }
}
