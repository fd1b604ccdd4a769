import { describe, expect, it } from 'vitest';
import type { LineFinding, Quantity } from '../../../../src-shared/tutor';
import { checkSolution } from './check-solution';

/** The finding for the last line of `text` (earlier lines set up symbols). */
function last(text: string, givens?: Record<string, Quantity>): LineFinding {
  const finding = checkSolution(text, { givens }).lines.at(-1);
  if (!finding) throw new Error('no lines');
  return finding;
}

function statusOf(text: string, givens?: Record<string, Quantity>): string {
  const f = last(text, givens);
  return f.kind ? `${f.status}:${f.kind}` : f.status;
}

const skierGivens: Record<string, Quantity> = {
  m: { value: 70, unit: 'kg' },
  H: { value: 40, unit: 'm' },
  L: { value: 80, unit: 'm' },
};

describe('checkSolution: the skier', () => {
  it('leaves the symbolic energy line alone', () => {
    expect(last('E = mgL')).toMatchObject({ status: 'none' });
  });

  it('does not flag the arithmetically right chain that uses the slope length', () => {
    const f = last('v = √(2gL) = √(2·9.81·80) = 39.6 m/s');
    expect(f.status).toBe('ok');
    expect(f.message).toContain('√(2·9.81·80) = 39.62 ✓');
  });

  it('does not flag it with the problem givens either', () => {
    expect(statusOf('v = √(2gL) = √(2·9.81·80) = 39.6 m/s', skierGivens)).toBe('ok');
  });

  it('accepts 28.01 m/s', () => {
    const f = last('v = √(2·9.81·40) = 28.01 m/s');
    expect(f).toMatchObject({ status: 'ok', message: '√(2·9.81·40) = 28.01 ✓' });
  });

  it('flags 30.2 m/s with the right value to the same figures and unit', () => {
    expect(last('v = √(2·9.81·40) = 30.2 m/s')).toMatchObject({
      status: 'error',
      kind: 'arithmetic',
      expected: '28.0 m/s',
    });
  });

  it('checks a whole solution and counts', () => {
    const report = checkSolution(
      [
        'Energy is conserved: E = mgL',
        'v = √(2gL) = √(2·9.81·80) = 39.6 m/s',
        'v = √(2·9.81·40) = 30.2 m/s',
      ].join('\n'),
    );
    expect(report.lines.map((l) => l.status)).toEqual(['none', 'ok', 'error']);
    expect(report.lines.map((l) => l.line)).toEqual([1, 2, 3]);
    expect(report.errors).toBe(1);
    expect(report.warnings).toBe(0);
  });
});

describe('checkSolution: notation', () => {
  it.each([
    ['√ and ·', 'v = √(2·9.81·40) = 28.0 m/s'],
    ['sqrt and *', 'v = sqrt(2*9.81*40) = 28.0 m/s'],
    ['× and ⋅', 'x = 2 × 3 ⋅ 4 = 24'],
    ['÷', 'x = 10 ÷ 4 = 2.5'],
    ['unicode minus', 'x = 10 − 4 = 6'],
    ['superscript squares', 'A = 3² + 4² = 25'],
    ['superscript cubes', 'V = 2³ = 8'],
    ['caret powers', 'x = 3^2 + 2^3 = 17'],
    ['implicit multiplication with parentheses', 'x = 2(3) + (2)(4) = 14'],
    ['scientific e notation', 'd = 3.0e8 · 2 = 6.0e8'],
    ['× 10^n', 'd = 3.0 × 10^8 · 2 = 6.0 × 10^8'],
    ['LaTeX \\times 10^{n}', 'd = $3 \\times 10^{8} \\cdot 2 = 6 \\times 10^{8}$'],
    ['½', 'E = ½ · 70 · 28² = 27440'],
    ['a fraction of numbers before a product', 'x = 1/2 · 9.81 · 3^2 = 44.1 m'],
    ['LaTeX \\frac{a}{b}', '$x = \\frac{10}{4} = 2.5$'],
    ['LaTeX \\frac12', '$E = \\frac12 \\cdot 70 \\cdot 28^2 = 27440$'],
    ['LaTeX \\sqrt{} and \\cdot', '$v = \\sqrt{2 \\cdot 9.81 \\cdot 40} = 28.0$'],
    ['LaTeX \\left( \\right)', '$x = 2\\left(3 + 4\\right) = 14$'],
    ['LaTeX spacing and \\text units', '$v = 28.0\\,\\text{m/s} = 100.8\\ \\mathrm{km/h}$'],
    ['\\( … \\) delimiters', 'so \\(x = 2 \\cdot 21 = 42\\)'],
    ['display math \\[ … \\]', '\\[ x = 6 \\cdot 7 = 42 \\]'],
    ['≈', 'v = √784.8 ≈ 28 m/s'],
    ['√ without parentheses', 'v = √784.8 = 28.01'],
    ['a thin-space thousands group', 'E = 70·9.81·40 = 27\\,468 J'],
    ['a comma thousands group', 'E = 70·9.81·40 = 27,468 J'],
    ['a negative result', 'v = 0 - 9.81·2 = -19.6 m/s'],
  ])('reads %s', (_, line) => {
    expect(statusOf(line)).toBe('ok');
  });

  it('reads inline $…$ math in Markdown prose, with the unit after the closing $', () => {
    const f = last('Step 2: $v = \\sqrt{2 \\cdot 9.81 \\cdot 40} = 28.01$ m/s');
    expect(f).toMatchObject({ status: 'ok', message: '√(2·9.81·40) = 28.01 ✓' });
  });

  it('carries the unit after the closing $ into the expected value', () => {
    expect(last('Step 2: $v = \\sqrt{2 \\cdot 9.81 \\cdot 40} = 30.2$ m/s')).toMatchObject({
      status: 'error',
      expected: '28.0 m/s',
    });
  });

  it.each([
    ['1.', '1. v = √(2·9.81·40) = 28.0 m/s'],
    ['Step 3:', 'Step 3: v = √(2·9.81·40) = 28.0 m/s'],
    ['-', '- v = √(2·9.81·40) = 28.0 m/s'],
    ['**Step 1:**', '**Step 1:** v = √(2·9.81·40) = 28.0 m/s'],
    ['(a)', '(a) v = √(2·9.81·40) = 28.0 m/s'],
  ])('skips the line prefix %s', (_, line) => {
    expect(statusOf(line)).toBe('ok');
  });

  it('ends the chain at →', () => {
    const f = last('v² = 2·9.81·40 = 784.8 → v = √784.8 = 28.0 m/s');
    expect(f.status).toBe('ok');
    expect(f.message).toContain('2·9.81·40 = 784.8 ✓');
    expect(f.message).toContain('√784.8 = 28.01 ✓');
  });

  it('ends the chain at =>', () => {
    expect(statusOf('x = 2·3 = 6 => y = 6 + 1 = 7')).toBe('ok');
  });

  it('does not read a decimal comma as a decimal point (the comma ends the math)', () => {
    expect(last('x = 28,5')).toMatchObject({ status: 'none' });
  });

  it('reads degrees in sin(30°)', () => {
    expect(statusOf('sin(30°) = 0.5')).toBe('ok');
  });

  it('reads sin 30 as degrees, as students mean it', () => {
    expect(statusOf('sin 30 = 0.5')).toBe('ok');
    expect(last('sin(30) = 0.6')).toMatchObject({ status: 'error', kind: 'arithmetic', expected: '0.5' });
  });

  it('reads radians when π is involved', () => {
    expect(statusOf('cos(π/3) = 0.5')).toBe('ok');
  });

  it('reads an angle defined in degrees: θ = 30°, then cos θ', () => {
    expect(statusOf('θ = 30°\nF = 70 · 9.81 · cos θ = 594.7 N')).toBe('ok');
  });

  it('reads an inverse sine in degrees or radians', () => {
    expect(statusOf('θ = arcsin(0.5) = 30°')).toBe('ok');
    expect(statusOf('θ = asin(0.5) = 30')).toBe('ok');
    expect(statusOf('θ = asin(0.5) = 0.524')).toBe('ok');
  });

  it('reads percentages', () => {
    expect(statusOf('η = 600 J / 2400 J = 25%')).toBe('ok');
    expect(statusOf('η = 600/2400 = 25%')).toBe('ok');
    expect(statusOf('η = 600/2400 = 35%')).toBe('error:arithmetic');
  });
});

describe('checkSolution: units', () => {
  it('converts units across a chain', () => {
    expect(statusOf('1 km = 1000 m')).toBe('ok');
    expect(statusOf('v = 100 km/h = 27.8 m/s')).toBe('ok');
    expect(statusOf('v = 100 km/h = 100·1000/3600 = 27.8 m/s')).toBe('ok');
    expect(statusOf('v = 28 m/s = 28 · 3.6 km/h = 100.8 km/h')).toBe('ok');
    expect(statusOf('m = 500 g = 0.5 kg')).toBe('ok');
  });

  it('flags a conversion that is wrong', () => {
    expect(last('1 km = 100 m')).toMatchObject({ status: 'error', kind: 'arithmetic', expected: '1000 m' });
  });

  it('computes with the units written: a = F/m = 10 N / 2 kg = 5 m/s^2', () => {
    const f = last('a = F/m = 10 N / 2 kg = 5 m/s^2');
    expect(f).toMatchObject({ status: 'ok', message: '10 N / 2 kg = 5 m/s^2 ✓' });
  });

  it.each([
    ['a force', 'F = 2 kg · 9.81 m/s^2 = 19.6 N'],
    ['an energy', 'E = 70 kg · 9.81 m/s² · 40 m = 27468 J'],
    ['kJ', 'E = 70 kg · 9.81 m/s^2 · 40 m = 27.5 kJ'],
    ['a power', 'P = 100 J / 5 s = 20 W'],
    ['Ohm’s law', 'I = 12 V / 4 Ω = 3 A'],
    ['a compound unit in parentheses', 'Q = 2 kg · 4186 J/(kg·K) · 10 K = 83720 J'],
    ['°C as a temperature step', 'Q = 2 kg · 4186 J/(kg·°C) · 10 °C = 83720 J'],
    ['a momentum', 'p = (2 kg)(3 m/s) = 6 kg·m/s'],
    ['a squared quantity', 'a = (28 m/s)^2 / 40 m = 19.6 m/s^2'],
    ['rad/s against 1/s', 'ω = 2π / 4 s = 1.57 rad/s'],
    ['a reciprocal with a unit', 'f = 1/0.5 s = 2 Hz'],
    ['absolute temperatures', 'T = 25 °C = 298 K'],
    ['a spring constant', 'F = 200 N/m · 0.1 m = 20 N'],
  ])('checks %s', (_, line) => {
    expect(statusOf(line)).toBe('ok');
  });

  it('flags a result in the wrong unit: v = 9.81 m/s^2 · 4 s = 39.2 m', () => {
    const f = last('v = 9.81 m/s^2 · 4 s = 39.2 m');
    expect(f).toMatchObject({ status: 'error', kind: 'units', expected: '39.2 m/s' });
    expect(f.message).toContain('m/s');
  });

  it('flags an energy written in newtons', () => {
    expect(last('E = 70 kg · 9.81 m/s^2 · 40 m = 27468 N')).toMatchObject({
      status: 'error',
      kind: 'units',
      expected: '27468 J',
    });
  });

  it('flags adding a length to a time', () => {
    expect(statusOf('x = 5 m + 3 s = 8 m')).toBe('error:units');
  });

  it('flags a unit mismatch against defined symbols', () => {
    expect(statusOf('g = 9.81 m/s^2\nH = 40 m\nv = √(2gH) = 28.0 m')).toBe('error:units');
  });
});

describe('checkSolution: missing units', () => {
  it('warns when a result with a dimension is written bare', () => {
    const f = last('g = 9.81 m/s^2\nh = 40 m\nv = sqrt(2 g h) = 28');
    expect(f).toMatchObject({ status: 'warning', kind: 'missing_unit' });
    expect(f.message).toContain('m/s');
  });

  it('warns for a bare result of a chain computed with units', () => {
    expect(statusOf('E = 70 kg · 9.81 m/s^2 · 40 m = 27468')).toBe('warning:missing_unit');
  });

  it('warns on the final value when a symbolic side carries the units', () => {
    expect(statusOf('g = 9.81 m/s^2\nH = 40 m\nv = √(2gH) = √(2·9.81·40) = 28.0')).toBe(
      'warning:missing_unit',
    );
  });

  it('does not warn for a chain of bare numbers', () => {
    expect(statusOf('v = √(2·9.81·80) = 39.6')).toBe('ok');
  });

  it('does not warn for a bare number under a symbol it cannot know the unit of', () => {
    expect(last('v = 28')).toMatchObject({ status: 'none' });
  });

  it('does not warn for symbols defined without units', () => {
    expect(statusOf('g = 9.81\nh = 40\nv = √(2gh) = 28.0')).toBe('ok');
  });

  it('does not count a wrong value as only a missing unit', () => {
    expect(last('E = 70 kg · 9.81 m/s^2 · 40 m = 31000')).toMatchObject({
      status: 'error',
      kind: 'arithmetic',
    });
  });

  it('carries the unit forward, so later lines are not flagged for it', () => {
    const text =
      'g = 9.81 m/s^2\nh = 40 m\nm = 2 kg\nv = √(2gh) = 28.0\np = m v = 2 kg · 28.0 m/s = 56 kg·m/s';
    expect(statusOf(text)).toBe('ok');
  });
});

describe('checkSolution: symbols', () => {
  it('carries definitions forward and reports them', () => {
    const report = checkSolution('g = 9.81 m/s^2\nH = 40 m\nm = 70 kg\nv = sqrt(2 g H) = 28.0 m/s');
    expect(report.lines.map((l) => l.status)).toEqual(['none', 'none', 'none', 'ok']);
    expect(report.lines[0]?.message).toBe('Defines g = 9.81 m/s^2.');
    expect(report.symbols).toEqual({ g: '9.81 m / s^2', H: '40 m', m: '70 kg', v: '28.0 m / s' });
  });

  it('splits implicit products of single-letter symbols: 2gH', () => {
    expect(last('g = 9.81 m/s^2\nH = 40 m\nv = √(2gH) = 30.2 m/s')).toMatchObject({
      status: 'error',
      kind: 'arithmetic',
      expected: '28.0 m/s',
    });
  });

  it('checks E = mgh against its numbers', () => {
    const f = last('m = 70 kg\ng = 9.81 m/s^2\nh = 40 m\nE = mgh = 70·9.81·40 = 27468 J');
    expect(f.status).toBe('ok');
    expect(f.message).toContain('mgh = 27468 J ✓');
  });

  it('flags a substitution that does not match the symbols', () => {
    expect(statusOf('m = 70 kg\ng = 9.81 m/s^2\nh = 40 m\nE = mgh = 70·9.81·80 = 54936 J')).toBe(
      'error:arithmetic',
    );
  });

  it('uses the problem givens', () => {
    expect(
      statusOf('v = √(2gH) = 28.0 m/s', { g: { value: 9.81, unit: 'm/s^2' }, H: { value: 40, unit: 'm' } }),
    ).toBe('ok');
    expect(
      last('v = √(2gH) = 39.6 m/s', { g: { value: 9.81, unit: 'm / s^2' }, H: { value: 40, unit: 'm' } }),
    ).toMatchObject({ status: 'error', expected: '28.0 m/s' });
  });

  it('reports the givens among the symbols', () => {
    expect(checkSolution('', { givens: { H: { value: 40, unit: 'm' } } }).symbols).toEqual({ H: '40 m' });
  });

  it('reads subscripts as part of the name', () => {
    expect(statusOf('v_0 = 3 m/s\na = 2 m/s^2\nt = 4 s\nv_f = v_0 + a t = 3 + 2·4 = 11 m/s')).toBe('ok');
    expect(statusOf('F_net = 70 kg × 2 m/s² = 140 N\na = F_net / 70 kg = 2 m/s^2')).toBe('ok');
    expect(statusOf('$v_{0} = 3$ m/s\n$v_{0} \\cdot 2 = 6$ m/s')).toBe('ok');
  });

  it('reads Δx as one name', () => {
    expect(statusOf('Δx = 10 m - 2 m = 8 m')).toBe('ok');
    expect(last('Δx = 8 m\nv = Δx / 2 s = 4 m/s')).toMatchObject({ status: 'ok' });
  });

  it('reads 40 m as metres even when m is a mass', () => {
    const report = checkSolution('m = 70 kg\nH = 40 m\nE = m g H = 70 kg · 9.81 m/s^2 · 40 m = 27468 J', {
      givens: { g: { value: 9.81, unit: 'm/s^2' } },
    });
    expect(report.symbols.H).toBe('40 m');
    expect(report.lines.at(-1)?.status).toBe('ok');
  });

  it('reads g as gravity once defined, not grams', () => {
    expect(statusOf('g = 9.81 m/s^2\na = 2g = 19.6 m/s^2')).toBe('ok');
  });

  it('reads g as grams in a line about masses', () => {
    expect(statusOf('m = 500 g = 0.5 kg')).toBe('ok');
  });

  it('treats an undefined g among numbers as an unknown symbol, not grams', () => {
    expect(last('E = 70 · g · 40 = 27468 J')).toMatchObject({ status: 'warning', kind: 'unknown_symbol' });
    expect(last('E = 70 · g · 40 = 27468 J').message).toContain('g is not defined');
  });

  it('carries a wrong value forward, so only the first wrong step is flagged', () => {
    const report = checkSolution('v = √(2·9.81·40) = 30.2 m/s\nE = ½ · 70 kg · v² = 31921 J');
    expect(report.lines.map((l) => l.status)).toEqual(['error', 'ok']);
  });
});

describe('checkSolution: rounding', () => {
  it('allows half a unit in the last written place', () => {
    expect(statusOf('v = √(2·9.81·80) = 39.6')).toBe('ok');
    expect(statusOf('v = √(2·9.81·40) = 28')).toBe('ok');
    expect(last('v = √(2·9.81·40) = 28.1')).toMatchObject({ status: 'error', expected: '28.0' });
  });

  it('allows a chain that rounds as it goes', () => {
    expect(statusOf('v = √(2·9.81·40) = √784.8 = 28.0 m/s')).toBe('ok');
    expect(statusOf('x = 1/3 = 0.333 = 0.33')).toBe('ok');
    expect(statusOf('E = 27468 J ≈ 27.5 kJ ≈ 27 kJ')).toBe('ok');
  });

  it('accepts a rounded intermediate value', () => {
    expect(statusOf('v = √784.8 = 28.0 m/s')).toBe('ok');
    expect(statusOf('E = 0.5 · 70 · 28.0^2 = 27440 J')).toBe('ok');
  });

  it('reads the figures of integers: 27000 J is fine for 27468 J', () => {
    expect(statusOf('E = 70·9.81·40 = 27000 J')).toBe('ok');
    expect(last('E = 70·9.81·40 = 25000 J')).toMatchObject({ status: 'error', expected: '27468 J' });
  });

  it('flags an intermediate step once, and lets the rest follow from it', () => {
    const f = last('v = √(2·9.81·40) = √(684.8) = 26.2 m/s');
    expect(f).toMatchObject({ status: 'error', kind: 'arithmetic' });
    expect(f.message).toContain('√(684.8)');
  });

  it('lets computed sides differ by the rounding of substituted values', () => {
    expect(statusOf('g = 9.81 m/s^2\nh = 40 m\nv = √(2gh) = √(2·9.8·40) = 28 m/s')).toBe('ok');
  });
});

describe('checkSolution: what it must leave alone', () => {
  it.each([
    ['a blank line', ''],
    ['a heading', '# Solution'],
    ['prose', 'Let v be the speed.'],
    ['prose around an = between symbols', 'Energy is conserved, so KE = PE'],
    ['a symbolic energy balance', 'mgH = ½mv²'],
    ['a symbolic formula with unknown symbols', 'v = √(2gH)'],
    ['Newton’s second law', 'F = ma'],
    ['a number in prose', 'The 2 blocks are connected by a string.'],
    ['a percentage in prose', 'About 5% of the energy is lost to friction.'],
    ['cos θ in prose', 'The normal force is mg cos θ.'],
    ['a final sentence', 'So the speed at the bottom is about 28 m/s.'],
    ['a LaTeX formula', '$mgH = \\frac{1}{2}mv^2$'],
    [
      'a formula with symbols known from earlier lines',
      'm = 70 kg\ng = 9.81 m/s^2\nH = 40 m\nv = 28 m/s\nmgH = ½mv²',
    ],
    ['a table row', '| v | 28 m/s |'],
    ['a kinematics formula', 'v = v_0 + at'],
    ['a formula of unknown symbols with a number', 'x = 1/2 a t^2'],
  ])('%s', (_, text) => {
    const f = last(text);
    expect(f.status).toBe('none');
    expect(f.kind).toBeUndefined();
  });

  it('gives prose lines a message, and blank lines an empty one', () => {
    const report = checkSolution('Let v be the speed.\n\nv = 28 m/s');
    expect(report.lines[0]?.message).toBe('No calculation to check.');
    expect(report.lines[1]?.message).toBe('');
    expect(report.lines[2]?.message).toBe('Defines v = 28 m/s.');
  });

  it('defines and checks several chains on one line', () => {
    const report = checkSolution('Using g = 9.81 m/s^2 and H = 40 m, v = √(2gH) = 28.0 m/s at the bottom.');
    expect(report.lines[0]?.status).toBe('ok');
    expect(report.symbols).toMatchObject({ g: '9.81 m / s^2', H: '40 m', v: '28.0 m / s' });
  });

  it('reads a word between operators as math: v = v_0 + at', () => {
    expect(statusOf('v_0 = 0\na = 9.81\nt = 3\nv = v_0 + at = 0 + 9.81·3 = 29.4')).toBe('ok');
  });

  it('marks a chain it cannot read as unparsed, without a warning', () => {
    expect(last('v = √(2·9.81·40 = 28.0 m/s')).toMatchObject({ status: 'none', kind: 'unparsed' });
    expect(last('v = 2.5 3.5 = 28.0 m/s')).toMatchObject({ status: 'none', kind: 'unparsed' });
    expect(last('x = 5.0 + = 7.0')).toMatchObject({ status: 'none', kind: 'unparsed' });
    expect(checkSolution('v = 2.5 3.5 = 28.0 m/s').warnings).toBe(0);
  });

  it('does not warn about unknown symbols on a line it checks anyway', () => {
    expect(statusOf('v = √(2·g·80) = √(2·9.81·80) = 39.6 m/s')).toBe('ok');
  });
});

describe('checkSolution: written the way solutions are written', () => {
  it('reads m/s2 as m/s² and x between numbers as times', () => {
    const text =
      'We know u = 0 m/s, acceleration a = 9.8 m/s2 and time t = 3 s.\nso v = 0 + 9.8 x 3 = 29.4 m/s.';
    const report = checkSolution(text);
    expect(report.symbols.a).toBe('9.8 m / s^2');
    expect(report.lines[1]?.status).toBe('ok');
  });

  it('reads 1/2at^2 after a number as math, not the word "at"', () => {
    const text =
      'u = 0 m/s, a = 9.8 m/s^2, t = 3 s\nThe distance is s = ut + 1/2at^2 = 0 + 1/2 x 9.8 x 3^2 = 44.1 m.';
    const f = last(text);
    expect(f.status).toBe('ok');
    expect(f.message).toContain('ut + 1/2at^2 = 44.1 m ✓');
  });

  it('compares bare numbers in the unit the chain is written in (hours, kJ)', () => {
    const givens = { d: { value: 12, unit: 'km' }, v_1: { value: 24, unit: 'km/h' } };
    expect(statusOf('Time out: $t_1 = \\frac{d}{v_1} = \\frac{ 12 }{ 24 } = 0.5000$ h', givens)).toBe('ok');
    expect(statusOf('Q_1 = 167 kJ\nQ_2 = 52.3 kJ\n$Q = Q_1 + Q_2 = 167 + 52.3 = 219$ kJ')).toBe('ok');
  });

  it('keeps a subscript from swallowing a closing parenthesis', () => {
    const givens = {
      m1: { value: 3, unit: 'kg' },
      u1: { value: 4, unit: 'm/s' },
      m2: { value: 2, unit: 'kg' },
      u2: { value: 5, unit: 'm/s' },
    };
    const line =
      '$v = \\frac{m_1 u_1 - m_2 u_2}{m_1 + m_2} = \\frac{ 3.0 \\cdot 4.0 - 2.0 \\cdot 5.0 }{ 3.0 + 2.0 } = 0.400$ m/s';
    expect(statusOf(line, givens)).toBe('ok');
  });

  it('reads temperatures given in °C as absolute in a gas law', () => {
    const givens = {
      P_1: { value: 100, unit: 'kPa' },
      T_1: { value: 20, unit: 'degC' },
      T_2: { value: 150, unit: 'degC' },
    };
    expect(statusOf('$P_2 = P_1 \\frac{T_2}{T_1} = 100 \\cdot \\frac{ 423 }{ 293 } = 144$ kPa', givens)).toBe(
      'ok',
    );
    expect(statusOf('$P_2 = P_1 \\frac{T_2}{T_1} = 100 \\cdot \\frac{ 150 }{ 20 } = 750$ kPa', givens)).toBe(
      'error:arithmetic',
    );
  });

  it('reads a temperature step as a step', () => {
    expect(statusOf('ΔT = 35 °C - 25 °C = 10 °C')).toBe('ok');
    expect(statusOf('T = 25 °C = 298 K')).toBe('ok');
    expect(last('T = 25 °C = 398 K')).toMatchObject({ status: 'error', expected: '298 K' });
  });

  it('catches a unit slip when the constants are given', () => {
    const line = '$T = 2 \\pi \\sqrt{\\frac{L}{g}} = 2 \\pi \\sqrt{\\frac{ 80 }{ 9.81 }} = 17.9$ s';
    const f = last(line, { L: { value: 80, unit: 'cm' }, g: { value: 9.81, unit: 'm/s^2' } });
    expect(f).toMatchObject({ status: 'error', kind: 'arithmetic', expected: '1.79 s' });
    expect(f.message).toBe('2π√(80/9.81) = 17.94, but 2π√(L/g) = 1.794 s.');
  });

  it('follows a unit changed by hand: 72 km/h ÷ 3.6 = 20 m/s', () => {
    expect(last('v = 72 km/h ÷ 3.6 = 20 m/s')).toMatchObject({
      status: 'ok',
      message: '72 km/h / 3.6 = 20 ✓',
    });
    expect(last('v = 72 km/h ÷ 3.6 = 25 m/s')).toMatchObject({ status: 'error', expected: '20 m/s' });
    expect(statusOf('x = 150 cm / 100 = 1.5 m')).toBe('ok');
  });

  it('does not read a vector as its first component', () => {
    expect(checkSolution('F = (3, 4) N').symbols).toEqual({});
  });

  it.each([
    ['a photon energy', 'E = hf = 6.63e-34 J·s × 5e14 Hz = 3.3e-19 J'],
    ['a wavelength', 'λ = v/f = 340 m/s / 440 Hz = 0.773 m'],
    ['friction', 'μ = 0.3\nN = 686.7 N\nf = μN = 0.3 · 686.7 N = 206 N'],
    ['work with an angle', 'W = Fd cos θ = 50 N · 10 m · cos 60° = 250 J'],
    ['a resistance with Ω·m', 'R = ρL/A = 1.7e-8 Ω·m × 10 m / 1e-6 m² = 0.17 Ω'],
    ['electron volts', '1 eV = 1.6e-19 J'],
    ['minutes', 't = 1 min = 60 s'],
    ['a charge of 2e', 'e = 1.6 × 10^-19 C\nq = 2e = 3.2e-19 C'],
    ['a density', 'ρ = m/V = 2 kg / 0.001 m³ = 2000 kg/m³'],
    ['a pressure in kPa', 'P = ρgh = 1000 · 9.81 · 10 = 98100 Pa = 98.1 kPa'],
    ['unit exponents', 'v = 28.0 m s⁻¹ = 28.0 m·s^-1'],
  ])('checks %s', (_, text) => {
    expect(statusOf(text)).toBe('ok');
  });

  it('checks a typical model answer without noise', () => {
    const report = checkSolution(
      [
        'Step 1: Calculate the potential energy: PE = m * g * h = 70 kg * 9.81 m/s^2 * 40 m = 27468 J',
        'Step 2: At the bottom, all PE is converted to KE, so KE = 27468 J.',
        'Step 3: KE = 1/2 * m * v^2, so v = sqrt(2 * KE / m) = sqrt(2 * 27468 / 70) = 28.01 m/s.',
        'The final answer is 28.01 m/s.',
      ].join('\n'),
    );
    expect(report.lines.map((l) => l.status)).toEqual(['ok', 'none', 'ok', 'none']);
    expect(report.errors + report.warnings).toBe(0);
  });
});

describe('checkSolution: robustness', () => {
  it('never throws on scrambled input, and keeps one finding per line', () => {
    const pieces = [
      '1',
      '9.81',
      '3e8',
      '=',
      '≈',
      '+',
      '−',
      '·',
      '/',
      '^',
      '²',
      '√',
      '(',
      ')',
      '{',
      '}',
      '\\frac',
      '\\sqrt',
    ];
    pieces.push(
      '$',
      ' ',
      'm',
      's',
      'kg',
      'g',
      'v_0',
      'Δx',
      'θ',
      '°C',
      '%',
      'km/h',
      'sin',
      'π',
      '½',
      ',',
      '→',
      'the',
    );
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines = Array.from({ length: 400 }, () =>
      Array.from(
        { length: 1 + Math.floor(next() * 20) },
        () => pieces[Math.floor(next() * pieces.length)],
      ).join(''),
    );
    const report = checkSolution(lines.join('\n'), { givens: { g: { value: 9.81, unit: 'm/s^2' } } });
    expect(report.lines).toHaveLength(400);
    expect(report.lines.map((l) => l.line)).toEqual(lines.map((_, i) => i + 1));
  });

  it('reads deep nesting without running out of stack', () => {
    expect(statusOf(`${'('.repeat(300)}1${')'.repeat(300)} = 1`)).toMatch(/^none/);
    expect(statusOf(`${'√'.repeat(1500)}2 = 1`)).toMatch(/^none/);
    expect(statusOf('\\frac{'.repeat(600))).toMatch(/^none/);
  });

  it('skips lines too long to be a step', () => {
    expect(last(`x = ${'1 + '.repeat(600)}1 = 601`)).toMatchObject({
      status: 'none',
      message: 'Too long to check.',
    });
  });

  it('handles Windows line endings', () => {
    const report = checkSolution('g = 9.81 m/s^2\r\nv = √(2·9.81·40) = 28.0 m/s\r\n');
    expect(report.lines.map((l) => l.status)).toEqual(['none', 'ok', 'none']);
  });
});
