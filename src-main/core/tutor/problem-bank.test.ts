import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorTypes, topics, type Problem } from '../../../src-shared/tutor';
import { loadProblemBank, readProblemFile, type BankEntry } from './problem-bank';
import { satisfiesConstraints } from './problem-build';
import { roundToFigures } from './problem-format';
import { evaluateIn, unitScope } from './problem-math';
import { fillLines } from './problem-template';

const problemsDir = path.join(import.meta.dirname, '../../../resources/problems');
const bank = loadProblemBank(problemsDir);
const entries: BankEntry[] = fs
  .readdirSync(problemsDir)
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => readProblemFile(path.join(problemsDir, name)));
const seeds = [0, 1, 2, 3, 7, 42, 1234, 99999, -5, 2 ** 40];

function defaultAndVariants(id: string): Problem[] {
  return [bank.get(id)!, ...seeds.map((seed) => bank.variant(id, seed))];
}

/** Every text of a problem that people read. */
function texts(problem: Problem): string[] {
  return [
    problem.statement,
    ...problem.solution,
    ...problem.wrongSolution.lines,
    problem.wrongSolution.explanation,
  ];
}

/** The last `= number$ unit` of a line: how every solution states its result. */
function finalValue(line: string): { value: number; unit: string } | null {
  const match = /= (-?\d+(?:\.\d+)?)(?: \\times 10\^\{(-?\d+)\})?\$(?: (.+))?$/.exec(line);
  if (!match) return null;
  const [, mantissa = '', power, unit = ''] = match;
  return { value: Number(power === undefined ? mantissa : `${mantissa}e${power}`), unit };
}

describe('the problem bank in resources/problems', () => {
  it('loads at least 30 problems, at least 3 per topic, with unique ids', () => {
    const list = bank.list();
    expect(list.length).toBeGreaterThanOrEqual(30);
    for (const topic of topics)
      expect(list.filter((p) => p.topic === topic).length).toBeGreaterThanOrEqual(3);
    expect(new Set(list.map((p) => p.id)).size).toBe(list.length);
    expect(list.map((p) => topics.indexOf(p.topic))).toEqual(list.map((p) => topics.indexOf(p.topic)).sort());
  });

  it('has the skier: 28.01 m/s from H = 40 m, and a wrong solution using the slope length', () => {
    const skier = bank.get('energy-skier-slope')!;
    expect(skier.givens).toEqual({ H: { value: 40, unit: 'm' }, L: { value: 80, unit: 'm' } });
    expect(skier.answer).toEqual({ value: 28.01, unit: 'm/s', quantity: 'speed at the bottom', sigFigs: 4 });
    expect(skier.statement).toContain('40 m above the bottom');
    expect(skier.solution.at(-1)).toBe('$v = \\sqrt{2 g H} = \\sqrt{2 \\cdot 9.81 \\cdot 40 } = 28.01$ m/s');
    const wrong = skier.wrongSolution;
    expect(wrong.errorType).toBe('concept');
    expect(wrong.lines[wrong.firstWrongStep - 1]).toBe('$E = m g L$');
    expect(wrong.lines.join('\n')).toContain('\\sqrt{2 \\cdot 9.81 \\cdot 80 } = 39.6$ m/s');
  });

  it('uses every kind of mistake at least 3 times', () => {
    const problems = bank.list().map((s) => bank.get(s.id)!);
    for (const type of errorTypes) {
      expect(problems.filter((p) => p.wrongSolution.errorType === type).length, type).toBeGreaterThanOrEqual(
        3,
      );
    }
  });

  it("computes every answer in a unit of the answer's dimension", () => {
    for (const { template } of entries) {
      const scope = unitScope({ ...template.constants, ...template.givens });
      const value = evaluateIn(template.answer.formula, scope, template.answer.unit);
      expect(Number.isFinite(value), template.id).toBe(true);
    }
  });

  it('makes variants that are deterministic, in range, within the constraints and not all the default', () => {
    for (const { template } of entries) {
      const base = bank.get(template.id)!;
      let differs = false;
      for (const seed of seeds) {
        const variant = bank.variant(template.id, seed);
        expect(bank.variant(template.id, seed)).toEqual(variant);
        expect(bank.get(`${template.id}~${seed}`)).toEqual(variant);
        expect(variant).toMatchObject({ id: `${template.id}~${seed}`, variantOf: template.id, seed });
        const values: Record<string, number> = {};
        for (const [name, given] of Object.entries(template.givens)) {
          const { value, unit } = variant.givens[name]!;
          values[name] = value;
          expect(unit).toBe(given.unit);
          if (given.min === undefined || given.max === undefined || given.step === undefined) {
            expect(value).toBe(given.value);
            continue;
          }
          expect(value).toBeGreaterThanOrEqual(given.min);
          expect(value).toBeLessThanOrEqual(given.max);
          const steps = (value - given.min) / given.step;
          expect(Math.abs(steps - Math.round(steps)), `${template.id} ${name}`).toBeLessThan(1e-9);
        }
        expect(satisfiesConstraints(template, values), `${template.id}~${seed}`).toBe(true);
        if (JSON.stringify(variant.givens) !== JSON.stringify(base.givens)) differs = true;
      }
      expect(differs, template.id).toBe(true);
    }
  });

  it('leaves no placeholder behind and keeps braces and dollars balanced', () => {
    for (const summary of bank.list()) {
      for (const problem of defaultAndVariants(summary.id)) {
        for (const text of texts(problem)) {
          expect(text, problem.id).not.toMatch(/\{\{|\{=|undefined|NaN|Infinity/);
          const braces = text.replace(/\\[{}]/g, '');
          expect(braces.split('{').length, text).toBe(braces.split('}').length);
          expect(text.split('$').length % 2, text).toBe(1);
        }
      }
    }
  });

  it('shows every given in the statement', () => {
    for (const summary of bank.list()) {
      for (const problem of defaultAndVariants(summary.id)) {
        for (const [name, { value }] of Object.entries(problem.givens)) {
          expect(problem.statement, `${problem.id} ${name}`).toContain(String(value));
        }
      }
    }
  });

  it('ends every solution with "= answer$ unit", and every wrong solution with another value', () => {
    for (const summary of bank.list()) {
      for (const problem of defaultAndVariants(summary.id)) {
        const { answer } = problem;
        expect(
          problem.solution
            .at(-1)!
            .endsWith(`= ${roundToFigures(answer.value, answer.sigFigs).text}$ ${answer.unit}`.trimEnd()),
          problem.id,
        ).toBe(true);
        expect(finalValue(problem.solution.at(-1)!), problem.id).toEqual({
          value: answer.value,
          unit: answer.unit,
        });
        const wrong = finalValue(problem.wrongSolution.lines.at(-1)!);
        expect(wrong, problem.id).not.toBeNull();
        expect(wrong!.unit, problem.id).toBe(answer.unit);
        expect(Math.abs(wrong!.value - answer.value), problem.id).toBeGreaterThan(
          0.01 * Math.abs(answer.value),
        );
      }
    }
  });

  it('finds nothing for unknown ids and refuses variants of them', () => {
    expect(bank.get('no-such-problem')).toBeUndefined();
    expect(bank.get('no-such-problem~3')).toBeUndefined();
    expect(bank.get('energy-skier-slope~x')).toBeUndefined();
    expect(() => bank.variant('no-such-problem', 1)).toThrow(/no problem "no-such-problem"/);
    expect(() => bank.variant('energy-skier-slope', 1.5)).toThrow(/integer/);
    expect(bank.variant('energy-skier-slope~9', 3).id).toBe('energy-skier-slope~3');
  });
});

describe('loading a bad bank', () => {
  let dir = '';
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function validProblem(): Record<string, unknown> {
    return {
      id: 'test-fall',
      title: 'Falling stone',
      statement: 'A stone falls for {{t}}. How far does it fall? Take g = {{g}}.',
      givens: { t: { value: 2, unit: 's', min: 1, max: 3, step: 0.5 } },
      constants: { g: { value: 9.81, unit: 'm/s^2' } },
      answer: { quantity: 'distance fallen', formula: 'g * t^2 / 2', unit: 'm', sigFigs: 3 },
      solution: [
        '$h = \\frac{1}{2} g t^2$',
        '$h = \\frac{1}{2} \\cdot {{g:n}} \\cdot {{t:n}}^2 = {{=g*t^2/2}}$ m',
      ],
      wrongSolution: {
        lines: ['$h = g t^2 = {{g:n}} \\cdot {{t:n}}^2 = {{=g*t^2}}$ m'],
        firstWrongStep: 1,
        errorType: 'formula',
        explanation: 'The ½ is missing.',
      },
    };
  }

  function writeBank(files: Record<string, unknown>): string {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-problems-'));
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
    }
    return dir;
  }

  function withProblem(change: (problem: Record<string, unknown>) => void): string {
    const problem = validProblem();
    change(problem);
    return writeBank({ 'kinematics.json': { version: 1, topic: 'kinematics', problems: [problem] } });
  }

  it('loads a valid one', () => {
    const loaded = loadProblemBank(withProblem(() => {}));
    expect(loaded.get('test-fall')?.answer).toEqual({
      value: 19.6,
      unit: 'm',
      quantity: 'distance fallen',
      sigFigs: 3,
    });
  });

  it('names the file when it is not JSON', () => {
    writeBank({ 'waves.json': '{ "version": 1,' });
    expect(() => loadProblemBank(dir)).toThrow(/waves\.json: .*JSON/);
  });

  it('names the file and the problem when the schema is not met', () => {
    withProblem((p) => {
      (p.answer as Record<string, unknown>).unit = undefined;
    });
    expect(() => loadProblemBank(dir)).toThrow(/kinematics\.json: problem "test-fall": answer\.unit/);
  });

  it('rejects an answer formula of the wrong dimension', () => {
    withProblem((p) => {
      (p.answer as Record<string, unknown>).formula = 'g * t';
    });
    expect(() => loadProblemBank(dir)).toThrow(
      /kinematics\.json: problem "test-fall": "g \* t" gives .*expressed in m/,
    );
  });

  it('rejects a unit mathjs does not know', () => {
    withProblem((p) => {
      (p.givens as Record<string, { unit: string }>).t!.unit = 'parsnips';
    });
    expect(() => loadProblemBank(dir)).toThrow(/problem "test-fall": unit "parsnips" of t/);
  });

  it('rejects a placeholder or formula naming an unknown symbol, even one that is also a unit', () => {
    withProblem((p) => {
      (p.solution as string[])[1] = '$h = {{=g*m}}$ m';
    });
    expect(() => loadProblemBank(dir)).toThrow(/problem "test-fall": unknown symbol "m"/);
    withProblem((p) => {
      p.statement = 'A stone falls for {{time}}.';
    });
    expect(() => loadProblemBank(dir)).toThrow(/unknown placeholder \{\{time\}\}/);
  });

  it('rejects a LaTeX backslash that JSON read as a control character', () => {
    withProblem((p) => {
      p.statement = 'At an angle \theta';
    });
    expect(() => loadProblemBank(dir)).toThrow(/problem "test-fall": statement: .*control character/);
  });

  it('rejects defaults that break a constraint, and duplicate ids', () => {
    withProblem((p) => {
      p.constraints = ['t > 2.5 s'];
    });
    expect(() => loadProblemBank(dir)).toThrow(/test-fall.*break a constraint/);
    const problem = validProblem();
    writeBank({
      'kinematics.json': { version: 1, topic: 'kinematics', problems: [problem] },
      'waves.json': { version: 1, topic: 'waves', problems: [problem] },
    });
    expect(() => loadProblemBank(dir)).toThrow(
      /problem "test-fall": the id is already used in .*kinematics\.json/,
    );
  });
});

describe('numbers and placeholders', () => {
  it('rounds to significant figures the way a careful reader would', () => {
    expect(roundToFigures(28.014282, 4)).toEqual({ value: 28.01, text: '28.01' });
    expect(roundToFigures(0.0375, 3)).toEqual({ value: 0.0375, text: '0.0375' });
    expect(roundToFigures(-0.4, 3)).toEqual({ value: -0.4, text: '-0.400' });
    expect(roundToFigures(5400.2, 3)).toEqual({ value: 5400, text: '5400' });
    expect(roundToFigures(999.96, 3)).toEqual({ value: 1000, text: '1000' });
    expect(roundToFigures(1234567, 3)).toEqual({ value: 1230000, text: '1.23 \\times 10^{6}' });
    expect(roundToFigures(0.000123456, 3)).toEqual({ value: 0.000123, text: '1.23 \\times 10^{-4}' });
    // Exact ties are written in full rather than rounded one way or the other.
    expect(roundToFigures(18.75, 3)).toEqual({ value: 18.75, text: '18.75' });
    expect(roundToFigures(9.81 * 0.5, 3).text).toBe('4.905');
    expect(roundToFigures(1387.5, 3).text).toBe('1387.5');
  });

  it('fills values, numbers, expressions and named results in order', () => {
    const values = {
      shown: { H: { number: '40', withUnit: '40 m' }, g: { number: '9.81', withUnit: '9.81 m/s²' } },
      scope: { H: 40, g: 9.81 },
      sigFigs: 4,
    };
    expect(
      fillLines(
        [
          'From {{H}}:',
          '$v = \\sqrt{2 \\cdot {{g:n}} \\cdot {{H:n}} } = {{=sqrt(2*g*H):3>v}}$',
          '$2 v = {{=2*v}}$',
        ],
        values,
      ),
    ).toEqual(['From 40 m:', '$v = \\sqrt{2 \\cdot 9.81 \\cdot 40 } = 28.0$', '$2 v = 56.00$']);
    // Names bound in one set of lines do not leak into the next.
    expect(() => fillLines(['{{=v}}'], values)).toThrow(/unknown symbol "v"/);
    expect(() => fillLines(['{{H}'], values)).toThrow(/unclosed placeholder/);
  });
});
