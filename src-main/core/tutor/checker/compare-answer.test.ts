import { describe, expect, it } from 'vitest';
import { compareAnswer } from './compare-answer';

const speed = { value: 28.0, unit: 'm / s', sigFigs: 3 };

describe('compareAnswer', () => {
  it.each([
    '28 m/s',
    '28.0m/s',
    '28.01 m/s',
    '27.8 m/s',
    '2.8e1 m/s',
    '100 km/h',
    '0.028 km/s',
    '28 m s^-1',
    '28 m·s⁻¹',
    'v = 28 m/s',
    '$28.0\\ \\text{m/s}$',
  ])('accepts %s for 28.0 m/s', (given) => {
    expect(compareAnswer(given, speed)).toEqual({ verdict: 'correct', message: 'Correct.' });
  });

  it('calls a rounding slip close, and says which way', () => {
    expect(compareAnswer('27.5 m/s', speed)).toMatchObject({ verdict: 'close' });
    expect(compareAnswer('27.5 m/s', speed).message).toContain('low');
    expect(compareAnswer('28.9 m/s', speed).message).toContain('high');
  });

  it('calls a value of the right dimension but far off wrong: too high, too low', () => {
    expect(compareAnswer('35 m/s', speed)).toMatchObject({ verdict: 'wrong' });
    expect(compareAnswer('35 m/s', speed).message).toMatch(/^Too high/);
    expect(compareAnswer('3 m/s', speed).message).toMatch(/^Too low/);
  });

  it('recognizes common slips without giving the value away', () => {
    expect(compareAnswer('56 m/s', speed).message).toContain('twice');
    expect(compareAnswer('14 m/s', speed).message).toContain('half');
    expect(compareAnswer('39.6 m/s', speed).message).toContain('√2');
    expect(compareAnswer('-28 m/s', speed).message).toContain('sign');
    expect(compareAnswer('2800 m/s', speed).message).toContain('factor of 100');
    expect(compareAnswer('784 m/s', speed).message).toContain('square');
    for (const given of [
      '56 m/s',
      '14 m/s',
      '39.6 m/s',
      '-28 m/s',
      '2800 m/s',
      '784 m/s',
      '35 m/s',
      '27.5 m/s',
      '28',
      '28 m',
    ]) {
      expect(compareAnswer(given, speed).message).not.toMatch(/28(\.0)?\b/);
    }
  });

  it('asks for a unit when the number is bare', () => {
    const check = compareAnswer('28', speed);
    expect(check.verdict).toBe('missing_unit');
    expect(check.message).toContain('a speed');
  });

  it('names the wrong unit', () => {
    expect(compareAnswer('28 m', speed)).toEqual({
      verdict: 'wrong_unit',
      message: 'Check the unit: a speed is not measured in m.',
    });
    expect(compareAnswer('28 J', { value: 27468, unit: 'N', sigFigs: 3 }).message).toContain('a force');
  });

  it('cannot read words', () => {
    expect(compareAnswer('twenty-eight', speed).verdict).toBe('unparsed');
    expect(compareAnswer('28 m/s north', speed).verdict).toBe('unparsed');
    expect(compareAnswer('', speed).verdict).toBe('unparsed');
  });

  it('uses at least 1% and at least half a unit in the last expected figure', () => {
    expect(compareAnswer('27.8 m/s', speed).verdict).toBe('correct'); // within 1%
    expect(compareAnswer('24.6 m/s', { value: 25, unit: 'm/s', sigFigs: 2 }).verdict).toBe('correct'); // ±0.5
    expect(compareAnswer('24.4 m/s', { value: 25, unit: 'm/s', sigFigs: 2 }).verdict).toBe('close');
  });

  it('compares temperatures as absolute temperatures', () => {
    expect(compareAnswer('298 K', { value: 25, unit: 'degC', sigFigs: 2 }).verdict).toBe('correct');
    expect(compareAnswer('25 °C', { value: 298.15, unit: 'K', sigFigs: 3 }).verdict).toBe('correct');
  });

  it('reads angles and plain numbers', () => {
    expect(compareAnswer('30°', { value: 30, unit: 'deg', sigFigs: 2 }).verdict).toBe('correct');
    expect(compareAnswer('30', { value: 30, unit: 'deg', sigFigs: 2 }).verdict).toBe('correct');
    expect(compareAnswer('0.524 rad', { value: 30, unit: 'deg', sigFigs: 2 }).verdict).toBe('correct');
    expect(compareAnswer('0.5', { value: 0.5, unit: '', sigFigs: 2 }).verdict).toBe('correct');
    expect(compareAnswer('0.5 m', { value: 0.5, unit: '', sigFigs: 2 }).verdict).toBe('wrong_unit');
  });

  it('reads answers written by formatQuantity', () => {
    expect(compareAnswer('3.00 × 10^8 m/s', { value: 3e8, unit: 'm/s', sigFigs: 3 }).verdict).toBe('correct');
    expect(compareAnswer('5.00 × 10^-4 kg', { value: 0.0005, unit: 'kg', sigFigs: 3 }).verdict).toBe(
      'correct',
    );
    expect(compareAnswer('2.00 s^-1', { value: 2, unit: 'Hz', sigFigs: 3 }).verdict).toBe('correct');
    expect(compareAnswer('5.00 kΩ', { value: 5000, unit: 'ohm', sigFigs: 3 }).verdict).toBe('correct');
  });
});
