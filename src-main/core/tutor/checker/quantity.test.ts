import { describe, expect, it } from 'vitest';
import {
  convertQuantity,
  evaluateExpression,
  formatQuantity,
  normalizeUnit,
  parseQuantity,
} from './quantity';
import { countSigFigs, displayFigures, formatSigFigs, halfUnitInLastPlace } from './sig-figs';

describe('significant figures', () => {
  it.each([
    ['28.0', 3],
    ['28', 2],
    ['0.050', 2],
    ['27468', 5],
    ['40', 1],
    ['3.0', 2],
    ['0', 1],
  ])('counts %s as %i figures', (text, figures) => {
    expect(countSigFigs(text)).toBe(figures);
  });

  it('keeps all digits of an integer for writing an expected value', () => {
    expect(displayFigures('30')).toBe(2);
    expect(displayFigures('30.2')).toBe(3);
  });

  it('claims half a unit in the last written place', () => {
    expect(halfUnitInLastPlace('39.6')).toBeCloseTo(0.05);
    expect(halfUnitInLastPlace('28')).toBeCloseTo(0.5);
    expect(halfUnitInLastPlace('27000')).toBeCloseTo(500);
    expect(halfUnitInLastPlace('3.0', 8)).toBeCloseTo(0.05e8);
  });

  it('writes numbers to a number of figures', () => {
    expect(formatSigFigs(28.014, 3)).toBe('28.0');
    expect(formatSigFigs(27468, 3)).toBe('27500');
    expect(formatSigFigs(0.5, 2)).toBe('0.50');
    expect(formatSigFigs(3e8, 2)).toBe('3.0 × 10^8');
    expect(formatSigFigs(0.000123, 2)).toBe('1.2 × 10^-4');
    expect(formatSigFigs(9.996, 3)).toBe('10.0');
    expect(formatSigFigs(-0.0001, 1)).toBe('-1 × 10^-4');
  });
});

describe('formatQuantity', () => {
  it.each([
    [28.014, 'm / s', 3, '28.0 m/s'],
    [9.81, 'm/s^2', 3, '9.81 m/s^2'],
    [27468, 'J', 3, '27500 J'],
    [686.7, 'N', 4, '686.7 N'],
    [3e8, 'm/s', 2, '3.0 × 10^8 m/s'],
    [30, 'deg', 2, '30°'],
    [25, 'degC', 2, '25 °C'],
    [5, 'ohm', 2, '5.0 Ω'],
    [4186, 'J / (kg K)', 4, '4186 J/(kg·K)'],
    [0.25, '', 2, '0.25'],
    [2, 's^-1', 1, '2 s^-1'],
  ])('writes %d %s with %i figures as %s', (value, unit, figures, text) => {
    expect(formatQuantity(value, unit, figures)).toBe(text);
  });
});

describe('parseQuantity', () => {
  it.each([
    ['28.0 m/s', { value: 28, unit: 'm / s' }],
    ['28.0m/s', { value: 28, unit: 'm / s' }],
    ['100 km/h', { value: 100, unit: 'km / h' }],
    ['9.81 m/s^2', { value: 9.81, unit: 'm / s^2' }],
    ['-9.8 m/s²', { value: -9.8, unit: 'm / s^2' }],
    ['28', { value: 28, unit: '' }],
    ['2.8e1 m/s', { value: 28, unit: 'm / s' }],
    ['3.0 × 10^8 m/s', { value: 3e8, unit: 'm / s' }],
    ['30°', { value: 30, unit: 'deg' }],
    ['25 °C', { value: 25, unit: 'degC' }],
    ['4186 J/(kg·K)', { value: 4186, unit: 'J / (kg K)' }],
    ['5 kΩ', { value: 5, unit: 'kohm' }],
    ['2 μF', { value: 2, unit: 'uF' }],
    ['1.5 N·m', { value: 1.5, unit: 'N m' }],
    ['25%', { value: 25, unit: '%' }],
    ['v = 28 m/s', { value: 28, unit: 'm / s' }],
  ])('reads %s', (text, quantity) => {
    const parsed = parseQuantity(text);
    expect(parsed?.unit).toBe(quantity.unit);
    expect(parsed?.value).toBeCloseTo(quantity.value);
  });

  it.each(['', 'abc', 'twenty m/s', '28 m/s and more', '28,5 m/s'])('returns null for %j', (text) => {
    expect(parseQuantity(text)).toBeNull();
  });
});

describe('units', () => {
  it('normalizes unit strings mathjs-style', () => {
    expect(normalizeUnit('m/s^2')).toBe('m / s^2');
    expect(normalizeUnit('kg*m/s^2')).toBe('kg m / s^2');
    expect(normalizeUnit('J/(kg K)')).toBe('J / (kg K)');
    expect(normalizeUnit('1 / s')).toBe('s^-1');
    expect(normalizeUnit('°C')).toBe('degC');
    expect(normalizeUnit('')).toBe('');
    expect(normalizeUnit('xyz')).toBeNull();
  });

  it('converts between units of one dimension', () => {
    expect(convertQuantity({ value: 100, unit: 'km/h' }, 'm/s').value).toBeCloseTo(27.778, 3);
    expect(convertQuantity({ value: 25, unit: 'degC' }, 'K')).toEqual({ value: 298.15, unit: 'K' });
    expect(() => convertQuantity({ value: 1, unit: 'm' }, 's')).toThrow();
  });
});

describe('evaluateExpression', () => {
  const g = { value: 9.81, unit: 'm/s^2' };
  const h = { value: 40, unit: 'm' };

  it('evaluates a formula with units', () => {
    const v = evaluateExpression('sqrt(2*g*h)', { g, h });
    expect(v.unit).toBe('m / s');
    expect(v.value).toBeCloseTo(28.014, 3);
  });

  it('names SI units where it can', () => {
    expect(evaluateExpression('m*g*h', { m: { value: 70, unit: 'kg' }, g, h })).toEqual({
      value: expect.closeTo(27468, 6) as number,
      unit: 'J',
    });
  });

  it('reads implicit products and subscripted names', () => {
    expect(evaluateExpression('2gh', { g, h }).value).toBeCloseTo(784.8);
    const scope = {
      v0: { value: 2, unit: 'm/s' },
      a: { value: 3, unit: 'm/s^2' },
      t: { value: 4, unit: 's' },
    };
    expect(evaluateExpression('v0*t + 1/2*a*t^2', scope)).toEqual({ value: 32, unit: 'm' });
  });

  it('takes angles with units, and converts the result on request', () => {
    const theta = { value: 30, unit: 'deg' };
    expect(evaluateExpression('m*g*sin(theta)', { m: { value: 2, unit: 'kg' }, g, theta }).value).toBeCloseTo(
      9.81,
    );
    expect(evaluateExpression('v', { v: { value: 28, unit: 'm/s' } }, { unit: 'km/h' }).value).toBeCloseTo(
      100.8,
    );
    expect(evaluateExpression('atan(3/4)', {}, { unit: 'deg' }).value).toBeCloseTo(36.87, 2);
  });

  it('throws on unknown symbols, unreadable formulas and units that do not fit', () => {
    expect(() => evaluateExpression('x + 1', {})).toThrow(/Unknown symbol.*x/);
    expect(() => evaluateExpression('2 *', {})).toThrow(/Cannot read/);
    expect(() => evaluateExpression('g + h', { g, h })).toThrow(/cannot be added/);
    expect(() => evaluateExpression('h', { h }, { unit: 's' })).toThrow();
  });
});
