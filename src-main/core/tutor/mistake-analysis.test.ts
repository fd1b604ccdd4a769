import { describe, expect, it } from 'vitest';
import type { CheckReport, MistakeAnalysis } from '../../../src-shared/tutor';
import {
  analysisBounds,
  analysisMarkdown,
  analysisMaxTokens,
  analysisSchema,
  describeFindings,
  findDisagreements,
  readAnalysis,
} from './mistake-analysis';

const findings = (statuses: ('ok' | 'error' | 'warning' | 'none')[]): CheckReport => ({
  lines: statuses.map((status, index) => ({
    line: index + 1,
    text: `line ${index + 1}`,
    status,
    ...(status === 'error' ? { kind: 'arithmetic' as const, expected: '28.0 m/s' } : {}),
    message: status === 'error' ? 'the arithmetic is wrong' : 'checked',
  })),
  symbols: {},
  errors: statuses.filter((status) => status === 'error').length,
  warnings: statuses.filter((status) => status === 'warning').length,
});

const analysis = (overrides: Partial<MistakeAnalysis>): MistakeAnalysis => ({
  verdict: 'incorrect',
  firstWrongStep: 1,
  errors: [{ step: 1, type: 'concept', explanation: 'L is not the height.' }],
  correctedSolution: ['$v = \\sqrt{2 g H}$'],
  finalAnswer: '28.0 m/s',
  ...overrides,
});

describe('mistake analysis: schema, reading, disagreements', () => {
  it('bounds the schema: steps as an enum, text lengths, list sizes', () => {
    const schema = analysisSchema(3, analysisBounds(2000)) as unknown as {
      properties: Record<
        string,
        {
          enum?: unknown[];
          maxItems?: number;
          items?: { properties?: Record<string, { enum?: unknown[]; maxLength?: number }> };
        }
      >;
    };
    expect(schema.properties.firstWrongStep!.enum).toEqual([0, 1, 2, 3]);
    expect(schema.properties.errors!.items!.properties!.step!.enum).toEqual([1, 2, 3]);
    expect(schema.properties.errors!.items!.properties!.type!.enum).toEqual([
      'concept',
      'formula',
      'arithmetic',
      'units',
      'sign',
      'reading',
    ]);
    expect(schema.properties.errors!.maxItems).toBe(3);
    expect(schema.properties.errors!.items!.properties!.explanation!.maxLength).toBe(220);
  });

  it('shrinks the text bounds so the longest answer fits the room left, never below a minimum', () => {
    for (const room of [2000, 1400, 900, 600, 300]) {
      const bounds = analysisBounds(room);
      if (room >= 600) expect(analysisMaxTokens(bounds)).toBeLessThanOrEqual(room);
      expect(bounds.explanationChars).toBeGreaterThanOrEqual(40);
    }
    expect(analysisBounds(2000)).toEqual(analysisBounds(5000));
  });

  it('reads an answer back, tidied, and refuses one outside the schema', () => {
    expect(
      readAnalysis(
        {
          verdict: 'incorrect',
          firstWrongStep: 2,
          errors: [
            { step: 2, type: 'units', explanation: ' m/s, not m ' },
            { step: 1, type: 'concept', explanation: 'Height, not length.' },
          ],
          correctedSolution: ['a', ' ', 'b'],
          finalAnswer: ' 28 m/s ',
        },
        2,
      ),
    ).toEqual({
      verdict: 'incorrect',
      firstWrongStep: 2,
      errors: [
        { step: 1, type: 'concept', explanation: 'Height, not length.' },
        { step: 2, type: 'units', explanation: 'm/s, not m' },
      ],
      correctedSolution: ['a', 'b'],
      finalAnswer: '28 m/s',
    });
    expect(() => readAnalysis({ ...analysis({}), firstWrongStep: 3 }, 2)).toThrow();
    expect(() => readAnalysis({ ...analysis({}), verdict: 'maybe' }, 2)).toThrow();
  });

  it('tells the model what was verified, step by step', () => {
    expect(describeFindings(findings(['none', 'ok', 'error']))).toBe(
      'Step 2: the arithmetic and units are right. Step 3: the arithmetic is wrong (should be 28.0 m/s).',
    );
    expect(describeFindings(findings(['none']))).toBe('There were no numbers to check.');
  });

  it('says where checker, reference and model disagree — and nothing when they agree', () => {
    const none = { studentAnswerCheck: null, finalAnswerCheck: null };
    expect(
      findDisagreements({ findings: findings(['none', 'ok']), analysis: analysis({}), ...none }),
    ).toEqual([]);
    expect(
      findDisagreements({
        findings: findings(['ok', 'error']),
        analysis: analysis({ verdict: 'correct', firstWrongStep: 0, errors: [] }),
        ...none,
      }),
    ).toEqual([
      'The checker found a mistake in step 2 (the arithmetic is wrong), but the model judged the solution correct.',
    ]);
    expect(
      findDisagreements({
        findings: findings(['error', 'ok', 'ok']),
        analysis: analysis({ firstWrongStep: 3 }),
        ...none,
      }),
    ).toEqual([
      'The checker found a mistake in step 1, before step 3, where the model says the solution first goes wrong.',
    ]);
    expect(
      findDisagreements({
        findings: findings(['ok']),
        analysis: analysis({ errors: [{ step: 1, type: 'arithmetic', explanation: 'x' }] }),
        ...none,
      }),
    ).toEqual(['The model says step 1 has a mistake in its arithmetic, but the checker found them right.']);
    expect(
      findDisagreements({
        findings: findings(['none']),
        analysis: analysis({}),
        studentAnswerCheck: { verdict: 'correct', message: '' },
        finalAnswerCheck: { verdict: 'wrong', message: 'too high' },
      }),
    ).toEqual([
      "The student's final answer matches the reference answer, but the model judged the solution wrong.",
      "The model's corrected final answer does not match the reference answer.",
    ]);
  });

  it('writes the analysis as Markdown for history, search and export', () => {
    expect(analysisMarkdown(analysis({}))).toBe(
      [
        '**Verdict:** Incorrect',
        '**First wrong step:** 1',
        '- Step 1 (concept): L is not the height.',
        '',
        '**Corrected solution**',
        '',
        '1. $v = \\sqrt{2 g H}$',
        '',
        '**Final answer:** 28.0 m/s',
      ].join('\n'),
    );
  });
});
