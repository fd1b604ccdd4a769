/**
 * The problem bank and the checker against each other: every reference solution (and its practice variants)
 * must pass the checker, and every wrong solution whose mistake is arithmetic must be caught by it — while
 * the skier's concept error, whose arithmetic is right, must not be.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourcesDir } from '../../test-support/core';
import { checkSolution } from './checker';
import { loadProblemBank } from './problem-bank';

const bank = loadProblemBank(path.join(resourcesDir, 'problems'));
const problems = bank
  .list()
  .flatMap((summary) =>
    [0, 1, 2, 3].map((seed) => (seed === 0 ? bank.get(summary.id)! : bank.variant(summary.id, seed))),
  );

describe('the checker on the problem bank', () => {
  it.each(problems.map((problem) => [problem.id, problem] as const))(
    'passes the reference solution of %s',
    (_, problem) => {
      const report = checkSolution(problem.solution.join('\n'), { givens: problem.givens });
      const wrong = report.lines.filter((line) => line.status === 'error');
      expect(wrong.map((line) => `${line.text} → ${line.message}`)).toEqual([]);
      // The solutions show their numbers: the checker verifies something in each.
      expect(report.lines.some((line) => line.status === 'ok')).toBe(true);
    },
  );

  it.each(
    problems
      .filter((problem) => problem.wrongSolution.errorType === 'arithmetic')
      .map((problem) => [problem.id, problem] as const),
  )('catches the arithmetic slip in the wrong solution of %s', (_, problem) => {
    const report = checkSolution(problem.wrongSolution.lines.join('\n'), { givens: problem.givens });
    const first = report.lines.find((line) => line.status === 'error');
    expect(first?.kind).toBe('arithmetic');
    expect(first?.line).toBe(problem.wrongSolution.firstWrongStep);
  });

  it("does not flag the skier's right arithmetic on the wrong idea", () => {
    const skier = bank.get('energy-skier-slope')!;
    const report = checkSolution(skier.wrongSolution.lines.join('\n'), { givens: skier.givens });
    expect(report.errors).toBe(0);
    expect(report.lines.find((line) => line.text.includes('39.6'))?.status).toBe('ok');
  });
});
