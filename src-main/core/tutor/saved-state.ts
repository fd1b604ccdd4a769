/**
 * What tutor sessions and mistake checks keep in their conversation's state column, as schemas. The
 * services read their own state back through them, and an imported conversation is held to the same
 * ones (TEST-CATALOG I13): saved state is untrusted input like any other.
 */
import { z } from 'zod';
import { limits } from '../../../src-shared/limits';
import {
  answerVerdicts,
  errorTypes,
  findingKinds,
  verdicts,
  type AnalysisState,
  type AnswerCheck,
  type CheckReport,
  type MistakeAnalysis,
  type TutorAnswerCheck,
} from '../../../src-shared/tutor';

const text = (max: number) => z.string().max(max);
const count = z.int().min(0).max(1_000_000);

const lineFinding = z.strictObject({
  line: z.int().min(1).max(100_000),
  text: text(limits.solutionChars),
  status: z.enum(['ok', 'error', 'warning', 'none']),
  kind: z.enum(findingKinds).optional(),
  expected: text(200).optional(),
  message: text(2000),
});

export const checkReportSchema: z.ZodType<CheckReport> = z.strictObject({
  lines: z.array(lineFinding).max(10_000),
  symbols: z.record(text(100), text(200)),
  errors: count,
  warnings: count,
});

const answerCheck = z.strictObject({ verdict: z.enum(answerVerdicts), message: text(2000) });
const answerCheckSchema: z.ZodType<AnswerCheck> = answerCheck;

const tutorAnswerCheckSchema: z.ZodType<TutorAnswerCheck> = answerCheck.extend({
  answer: text(limits.answerChars),
  against: z.enum(['reference', 'solution']),
  at: z.int().nonnegative(),
});

const mistakeAnalysisSchema: z.ZodType<MistakeAnalysis> = z.strictObject({
  verdict: z.enum(verdicts),
  firstWrongStep: z.int().min(0).max(limits.solutionSteps),
  errors: z
    .array(
      z.strictObject({
        step: z.int().min(0).max(limits.solutionSteps),
        type: z.enum(errorTypes),
        explanation: text(4000),
      }),
    )
    .max(100),
  correctedSolution: z.array(text(4000)).max(100),
  finalAnswer: text(1000),
});

export const analysisStateSchema: z.ZodType<AnalysisState> = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('running') }),
  z.strictObject({ status: z.literal('interrupted') }),
  z.strictObject({ status: z.literal('stopped') }),
  z.strictObject({ status: z.literal('failed'), error: text(4000) }),
  z.strictObject({
    status: z.literal('done'),
    result: mistakeAnalysisSchema,
    correctedFindings: checkReportSchema,
    finalAnswerCheck: answerCheckSchema.nullable(),
    disagreements: z.array(text(2000)).max(100),
    prompt: text(200),
  }),
]);

const messageId = z.int().positive().max(Number.MAX_SAFE_INTEGER);

export const tutorStateSchema = z.strictObject({
  version: z.literal(1),
  problem: z.union([
    z.strictObject({ id: text(120) }),
    z.strictObject({ custom: text(limits.problemChars), title: text(1000) }),
  ]),
  hintLevel: z.int().min(0).max(4),
  replies: z
    .array(
      z.strictObject({
        messageId,
        mode: z.enum(['solve', 'hint']),
        level: z.int().min(1).max(4).nullable(),
        prompt: text(200),
      }),
    )
    .max(10_000),
  answerChecks: z.array(tutorAnswerCheckSchema).max(1000),
});
export type TutorState = z.infer<typeof tutorStateSchema>;

export const mistakeStateSchema = z.strictObject({
  version: z.literal(1),
  problem: text(limits.problemChars),
  problemId: text(120).nullable(),
  steps: z.array(text(limits.solutionChars)).max(limits.solutionSteps),
  findings: checkReportSchema,
  analysis: analysisStateSchema,
});
export type MistakeState = z.infer<typeof mistakeStateSchema>;

/**
 * Reads a mistake check's state. Only the analysis unreadable (a damaged or foreign `done` without its
 * result, say) keeps the rest: the check shows its steps and findings and can be analysed again.
 */
export function readMistakeState(value: unknown): MistakeState | null {
  const whole = mistakeStateSchema.safeParse(value);
  if (whole.success) return whole.data;
  if (!value || typeof value !== 'object') return null;
  const { analysis: _unreadable, ...rest } = value as Record<string, unknown>;
  const withoutAnalysis = mistakeStateSchema.omit({ analysis: true }).safeParse(rest);
  if (!withoutAnalysis.success) return null;
  return {
    ...withoutAnalysis.data,
    analysis: {
      status: 'failed',
      error: 'The saved analysis could not be read. Analyse the solution again.',
    },
  };
}
