/** The shape of a problem file in resources/problems (see its README.md), checked when the bank loads. */
import { z } from 'zod';
import { errorTypes, topics } from '../../../src-shared/tutor';

const symbol = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a symbol is a letter then letters, digits or _');

/** In JSON, "\theta" is a tab then "heta": a control character almost always means a backslash was not doubled. */
const text = z
  .string()
  .min(1)
  .refine(
    (s) => !/\p{Cc}/u.test(s),
    'contains a control character (write LaTeX backslashes as \\\\ in JSON)',
  );

const constant = z.strictObject({
  value: z.number(),
  /** A mathjs unit ("m/s^2", "J/(kg K)"); "" for a pure number. */
  unit: z.string(),
  label: z.string().optional(),
});

const given = z
  .strictObject({
    value: z.number(),
    unit: z.string(),
    /** What the number is, for people reading the data. */
    label: z.string().optional(),
    /** The range variants draw from: min, min + step, … up to max. Without it the given is the same in every variant. */
    min: z.number().optional(),
    max: z.number().optional(),
    step: z.number().positive().optional(),
    /** Digits after the point in every variant, when the data cannot say it (JSON reads 6.0 as 6). */
    decimals: z.int().min(0).max(6).optional(),
  })
  .refine(
    (g) =>
      (g.min === undefined) === (g.max === undefined) && (g.min === undefined) === (g.step === undefined),
    'min, max and step go together',
  )
  .refine(
    (g) =>
      g.min === undefined || g.max === undefined || (g.min <= g.value && g.value <= g.max && g.min < g.max),
    'the value must lie within min…max',
  );

export const problemTemplateSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'an id is lowercase words joined by -'),
    title: text,
    statement: text,
    givens: z.record(symbol, given).refine((g) => Object.keys(g).length > 0, 'a problem needs givens'),
    constants: z.record(symbol, constant).optional(),
    answer: z.strictObject({
      quantity: text,
      /** mathjs, over the givens and constants with their units. */
      formula: text,
      unit: z.string(),
      sigFigs: z.int().min(2).max(6),
    }),
    /** mathjs comparisons every variant must satisfy (`L > H`). */
    constraints: z.array(text).optional(),
    solution: z.array(text).min(2).max(6),
    wrongSolution: z.strictObject({
      lines: z.array(text).min(1),
      firstWrongStep: z.int().min(1),
      errorType: z.enum(errorTypes),
      explanation: text,
    }),
  })
  .refine((p) => p.wrongSolution.firstWrongStep <= p.wrongSolution.lines.length, {
    message: 'firstWrongStep points past the last line',
    path: ['wrongSolution', 'firstWrongStep'],
  })
  .refine((p) => !Object.keys(p.constants ?? {}).some((name) => name in p.givens), {
    message: 'a symbol is both a given and a constant',
    path: ['constants'],
  });

export const problemFileSchema = z.strictObject({
  version: z.literal(1),
  topic: z.enum(topics),
  problems: z.array(problemTemplateSchema).min(1),
});

export type ProblemTemplate = z.infer<typeof problemTemplateSchema>;
export type ProblemFile = z.infer<typeof problemFileSchema>;
