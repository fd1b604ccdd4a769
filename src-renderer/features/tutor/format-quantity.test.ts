import { describe, expect, it } from 'vitest';
import { formatQuantity, formatUnit } from './format-quantity';

describe('formatQuantity', () => {
  it('writes units compactly, with superscript powers', () => {
    expect(formatUnit('m / s')).toBe('m/s');
    expect(formatUnit('m / s^2')).toBe('m/s²');
    expect(formatUnit('kg m^2 / s^-1')).toBe('kg m²/s⁻¹');
    expect(formatUnit('J')).toBe('J');
  });

  it('keeps four significant figures at most', () => {
    expect(formatQuantity({ value: 28.0142, unit: 'm / s' })).toBe('28.01 m/s');
    expect(formatQuantity({ value: 0.5, unit: '' })).toBe('0.5');
  });
});
