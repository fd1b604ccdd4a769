/**
 * Units: which unit names the checker reads, what they are worth in SI, and how a unit is written back.
 *
 * A unit is a list of parts (`m/s^2` = m¹·s⁻²). Two spellings come out of it:
 * - the normalized string, mathjs style and parseable by mathjs: "m / s^2", "kg m / s", "J / (kg K)", "s^-1",
 *   "ohm", "degC", "%" (the `unit` of a `Quantity`);
 * - the display string for people: "m/s^2", "kg·m/s", "J/(kg·K)", "Ω", "°C", "%".
 */
import { mathjsUnit } from './math';

/** Dimension exponents in mathjs order: mass, length, time, current, temperature, luminous, amount, angle, bit. */
export type Dims = readonly number[];
const DIM_COUNT = 9;
const ANGLE = 7;
/** Angles (and bits) do not count as a dimension when comparing: rad/s and 1/s are the same thing. */
const COMPARED_DIMS = 7;

export interface UnitPart {
  /** Canonical name: a mathjs unit name ("km", "ohm", "degC", "uF") or "%". */
  name: string;
  power: number;
}
export type UnitSpec = readonly UnitPart[];

interface UnitInfo {
  factor: number;
  dims: Dims;
  /** Kelvin at 0 of this unit, for absolute temperatures (°C, °F). */
  offset: number;
}

export const dimensionless: Dims = Array.from({ length: DIM_COUNT }, () => 0);

function dimsOf(entries: Partial<Record<number, number>>): Dims {
  return dimensionless.map((_, i) => entries[i] ?? 0);
}

/** Units mathjs lacks or gets awkward (offsets), defined here. */
const customUnits: Record<string, UnitInfo> = {
  '%': { factor: 0.01, dims: dimensionless, offset: 0 },
  degC: { factor: 1, dims: dimsOf({ 4: 1 }), offset: 273.15 },
  degF: { factor: 5 / 9, dims: dimsOf({ 4: 1 }), offset: 459.67 * (5 / 9) },
  K: { factor: 1, dims: dimsOf({ 4: 1 }), offset: 0 },
  cal: { factor: 4.184, dims: dimsOf({ 0: 1, 1: 2, 2: -2 }), offset: 0 },
  kcal: { factor: 4184, dims: dimsOf({ 0: 1, 1: 2, 2: -2 }), offset: 0 },
  mph: { factor: 0.44704, dims: dimsOf({ 1: 1, 2: -1 }), offset: 0 },
  rpm: { factor: (2 * Math.PI) / 60, dims: dimsOf({ 2: -1, [ANGLE]: 1 }), offset: 0 },
};

/**
 * The unit names read in a student's text, and the canonical name each stands for. Deliberately a short list,
 * leaving out names that are far more often a word or a symbol in a mechanics solution: `in`, `at`, `t`
 * (tonne), `H` (henry: a height), `L` (litre: a length), `F` (farad: a force; `μF`, `nF`, `pF` are read).
 */
const writtenUnits: Record<string, string> = {};
function addUnits(canonical: string, ...aliases: string[]): void {
  for (const alias of [canonical, ...aliases]) writtenUnits[alias] = canonical;
}
for (const name of [
  ...['m', 'km', 'cm', 'mm', 'nm', 'ft', 'mi'],
  ...['kg', 'g', 'mg'],
  ...['s', 'ms', 'ns', 'min', 'h'],
  ...['N', 'kN', 'MN', 'mN'],
  ...['J', 'kJ', 'MJ', 'GJ', 'mJ', 'eV', 'keV', 'MeV', 'GeV', 'cal', 'kcal', 'kWh', 'Wh'],
  ...['W', 'kW', 'MW', 'GW', 'mW', 'hp'],
  ...['Pa', 'kPa', 'MPa', 'GPa', 'hPa', 'atm', 'bar', 'mbar'],
  ...['Hz', 'kHz', 'MHz', 'GHz'],
  ...['V', 'kV', 'mV', 'A', 'mA', 'kA', 'C', 'mC', 'nC', 'pC', 'mF', 'nF', 'pF', 'T', 'mT', 'Wb'],
  ...['K', 'degC', 'degF', 'rad', 'deg', 'mL', 'mol', 'lb', 'mph', 'rpm', '%'],
]) {
  addUnits(name);
}
addUnits('um', 'μm');
addUnits('ug', 'μg');
addUnits('us', 'μs');
addUnits('uA', 'μA');
addUnits('uC', 'μC');
addUnits('uF', 'μF');
addUnits('uT', 'μT');
addUnits('h', 'hr');
addUnits('ohm', 'ohms', 'Ω');
addUnits('kohm', 'kΩ');
addUnits('Mohm', 'MΩ');
addUnits('mohm', 'mΩ');
addUnits('degC', '°C');
addUnits('degF', '°F');
addUnits('deg', '°');
addUnits('km / h', 'kph');
addUnits('lb', 'lbs');

const infoCache = new Map<string, UnitInfo | null>();

/** SI factor, dimensions and offset of a canonical unit name; null when neither we nor mathjs know it. */
export function unitInfo(name: string): UnitInfo | null {
  const custom = customUnits[name];
  if (custom) return custom;
  if (infoCache.has(name)) return infoCache.get(name) ?? null;
  const found = mathjsUnit(name);
  const info = found ? { factor: found.factor, dims: found.dims, offset: 0 } : null;
  infoCache.set(name, info);
  return info;
}

/**
 * The canonical unit a word written in a solution stands for, or null. `permissive` also accepts any unit
 * mathjs knows (for unit strings that come from code, such as a problem's givens).
 */
export function lookupUnit(word: string, permissive = false): string | null {
  const canonical = writtenUnits[word];
  if (canonical !== undefined) return canonical;
  if (permissive && /^[A-Za-z]+$/.test(word) && unitInfo(word)) return word;
  return null;
}

/** Whether a word is one of the unit names the checker reads in solutions. */
export function isUnitWord(word: string): boolean {
  return writtenUnits[word] !== undefined;
}

/** Splits a canonical name such as "km / h" (an alias for a compound unit) into parts. */
export function canonicalParts(canonical: string, power: number): UnitPart[] {
  const [num, den] = canonical.split(' / ');
  if (den === undefined || num === undefined) return [{ name: canonical, power }];
  return [
    { name: num, power },
    { name: den, power: -power },
  ];
}

export function specInfo(spec: UnitSpec): { factor: number; dims: Dims } {
  let factor = 1;
  let dims = dimensionless;
  for (const part of spec) {
    const info = unitInfo(part.name);
    if (!info) throw new Error(`Unknown unit ${part.name}`);
    factor *= info.factor ** part.power;
    dims = addDims(dims, info.dims, part.power);
  }
  return { factor, dims };
}

/** The offset of a lone temperature unit (°C, °F, K), or null: only a plain temperature has an absolute zero. */
export function plainTemperatureOffset(spec: UnitSpec): number | null {
  const [only] = spec;
  if (spec.length !== 1 || !only || only.power !== 1) return null;
  if (only.name !== 'degC' && only.name !== 'degF' && only.name !== 'K') return null;
  return unitInfo(only.name)?.offset ?? null;
}

export function addDims(a: Dims, b: Dims, times = 1): Dims {
  return a.map((x, i) => x + (b[i] ?? 0) * times);
}

export function scaleDims(a: Dims, by: number): Dims {
  return a.map((x) => x * by);
}

/** Same physical dimension, angles ignored. */
export function sameDims(a: Dims, b: Dims): boolean {
  for (let i = 0; i < COMPARED_DIMS; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > 1e-9) return false;
  return true;
}

/** Has a dimension that needs a unit (angles and plain numbers do not). */
export function hasRealDims(d: Dims): boolean {
  return !sameDims(d, dimensionless);
}

export function isAngle(d: Dims): boolean {
  return !hasRealDims(d) && (d[ANGLE] ?? 0) !== 0;
}

export function hasFractionalDims(d: Dims): boolean {
  return d.some((x) => Math.abs(x - Math.round(x)) > 1e-9);
}

// ── Writing units ───────────────────────────────────────────────────────────────────────────────────────

const displayNames: Record<string, string> = {
  ohm: 'Ω',
  kohm: 'kΩ',
  Mohm: 'MΩ',
  mohm: 'mΩ',
  um: 'μm',
  ug: 'μg',
  us: 'μs',
  uA: 'μA',
  uC: 'μC',
  uF: 'μF',
  uT: 'μT',
  deg: '°',
  degC: '°C',
  degF: '°F',
};

function partText(name: string, power: number): string {
  return power === 1 ? name : `${name}^${formatPower(power)}`;
}

function formatPower(power: number): string {
  return Number.isInteger(power) ? String(power) : String(Math.round(power * 1000) / 1000);
}

function merge(spec: UnitSpec): UnitPart[] {
  const out: UnitPart[] = [];
  for (const part of spec) {
    const same = out.find((p) => p.name === part.name);
    if (same) same.power += part.power;
    else out.push({ ...part });
  }
  return out.filter((p) => p.power !== 0);
}

/** mathjs-style unit string: "m / s^2", "kg m / s", "J / (kg K)", "s^-1"; "" for no unit. */
export function normalizedUnit(spec: UnitSpec): string {
  const parts = merge(spec);
  const num = parts.filter((p) => p.power > 0).map((p) => partText(p.name, p.power));
  const den = parts.filter((p) => p.power < 0).map((p) => partText(p.name, -p.power));
  if (den.length === 0) return num.join(' ');
  // Only a denominator: "s^-1" (mathjs reads it; "1 / s" would be a number and a unit).
  if (num.length === 0) return parts.map((p) => partText(p.name, p.power)).join(' ');
  const denText = den.length > 1 ? `(${den.join(' ')})` : den.join('');
  return `${num.join(' ')} / ${denText}`;
}

/** Unit for people: "m/s^2", "kg·m/s", "J/(kg·K)", "Ω", "°C", "s^-1"; "" for no unit. */
export function displayUnit(spec: UnitSpec): string {
  const parts = merge(spec).map((p) => ({ ...p, name: displayNames[p.name] ?? p.name }));
  const num = parts.filter((p) => p.power > 0).map((p) => partText(p.name, p.power));
  const den = parts.filter((p) => p.power < 0).map((p) => partText(p.name, -p.power));
  if (den.length === 0) return num.join('·');
  // Only a denominator: "2 s^-1" reads back as a quantity; "2 1/s" would not.
  if (num.length === 0) return parts.map((p) => partText(p.name, p.power)).join('·');
  const denText = den.length > 1 ? `(${den.join('·')})` : den.join('');
  return `${num.join('·')}/${denText}`;
}

/** How a number and its unit are joined: "30°", "25%", but "28 m/s". */
export function joinValueAndUnit(value: string, spec: UnitSpec): string {
  const unit = displayUnit(spec);
  if (!unit) return value;
  return unit === '°' || unit === '%' ? `${value}${unit}` : `${value} ${unit}`;
}

const u = (name: string, power = 1): UnitPart => ({ name, power });

/** Named SI units for common dimensions, so a computed value reads "27468 J" and not "27468 kg m^2 / s^2". */
const namedDims: { dims: Dims; spec: UnitSpec; quantity: string }[] = [
  { dims: dimsOf({ 1: 1, 2: -1 }), spec: [u('m'), u('s', -1)], quantity: 'a speed' },
  { dims: dimsOf({ 1: 1, 2: -2 }), spec: [u('m'), u('s', -2)], quantity: 'an acceleration' },
  { dims: dimsOf({ 0: 1, 1: 1, 2: -2 }), spec: [u('N')], quantity: 'a force' },
  { dims: dimsOf({ 0: 1, 1: 2, 2: -2 }), spec: [u('J')], quantity: 'an energy' },
  { dims: dimsOf({ 0: 1, 1: 2, 2: -3 }), spec: [u('W')], quantity: 'a power' },
  { dims: dimsOf({ 0: 1, 1: -1, 2: -2 }), spec: [u('Pa')], quantity: 'a pressure' },
  { dims: dimsOf({ 0: 1, 1: 1, 2: -1 }), spec: [u('kg'), u('m'), u('s', -1)], quantity: 'a momentum' },
  { dims: dimsOf({ 1: 1 }), spec: [u('m')], quantity: 'a length' },
  { dims: dimsOf({ 2: 1 }), spec: [u('s')], quantity: 'a time' },
  { dims: dimsOf({ 0: 1 }), spec: [u('kg')], quantity: 'a mass' },
  { dims: dimsOf({ 2: -1 }), spec: [u('s', -1)], quantity: 'a frequency' },
  { dims: dimsOf({ 2: 1, 3: 1 }), spec: [u('C')], quantity: 'a charge' },
  { dims: dimsOf({ 0: 1, 1: 2, 2: -3, 3: -1 }), spec: [u('V')], quantity: 'a voltage' },
  { dims: dimsOf({ 3: 1 }), spec: [u('A')], quantity: 'a current' },
  { dims: dimsOf({ 0: 1, 1: 2, 2: -3, 3: -2 }), spec: [u('ohm')], quantity: 'a resistance' },
  { dims: dimsOf({ 0: -1, 1: -2, 2: 4, 3: 2 }), spec: [u('F')], quantity: 'a capacitance' },
  { dims: dimsOf({ 0: 1, 2: -2, 3: -1 }), spec: [u('T')], quantity: 'a magnetic field' },
  { dims: dimsOf({ 4: 1 }), spec: [u('K')], quantity: 'a temperature' },
  { dims: dimsOf({ 1: 2 }), spec: [u('m', 2)], quantity: 'an area' },
  { dims: dimsOf({ 1: 3 }), spec: [u('m', 3)], quantity: 'a volume' },
  { dims: dimsOf({ 0: 1, 1: -3 }), spec: [u('kg'), u('m', -3)], quantity: 'a density' },
  { dims: dimsOf({ 0: 1, 2: -2 }), spec: [u('N'), u('m', -1)], quantity: 'a spring constant' },
  {
    dims: dimsOf({ 1: 2, 2: -2, 4: -1 }),
    spec: [u('J'), u('kg', -1), u('K', -1)],
    quantity: 'a specific heat',
  },
];

const baseNames = ['kg', 'm', 's', 'A', 'K', 'cd', 'mol'];

/** An SI unit for a dimension: a named one when there is one, otherwise built from base units. */
export function siUnitFor(dims: Dims): UnitSpec {
  const named = namedDims.find((n) => sameDims(n.dims, dims));
  if (named) return named.spec;
  const spec: UnitPart[] = [];
  for (let i = 0; i < COMPARED_DIMS; i++) {
    const power = dims[i] ?? 0;
    const name = baseNames[i];
    if (power !== 0 && name) spec.push({ name, power });
  }
  return spec;
}

/** "a speed", "an energy"…, or null for a dimension without a common name. */
export function quantityName(dims: Dims): string | null {
  if (isAngle(dims)) return 'an angle';
  return namedDims.find((n) => sameDims(n.dims, dims))?.quantity ?? null;
}
