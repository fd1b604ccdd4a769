/**
 * The model's side of a mistake check: the JSON schema its answer is constrained to, reading that answer
 * back, and comparing it with the checker and the reference answer.
 *
 * Every part of the schema is bounded (enums for the verdict, the steps and the error types; lengths for
 * the text) so that the longest answer the grammar allows fits the tokens left in the context: a model that
 * writes nonsense still finishes a parseable object instead of hitting the token cap.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { z } from 'zod';
import {
  errorTypes,
  verdicts,
  type AnswerCheck,
  type CheckReport,
  type MistakeAnalysis,
} from '../../../src-shared/tutor';

/** Text lengths at full size; shrunk together when the context has less room (see analysisBounds). */
const fullBounds = {
  errors: 3,
  explanationChars: 220,
  correctedSteps: 6,
  correctedStepChars: 140,
  answerChars: 40,
};
export type AnalysisBounds = typeof fullBounds;

/** Tokens the object's fixed parts (keys, brackets, enums) take at most, beyond its free text. */
const structureTokens = 220;

/**
 * The largest bounds whose worst case fits `answerTokens` (counting a token per character, as a byte-level
 * vocabulary may), never below a useful minimum.
 */
export function analysisBounds(answerTokens: number): AnalysisBounds {
  const worstText = (b: AnalysisBounds) =>
    b.errors * b.explanationChars + b.correctedSteps * b.correctedStepChars + b.answerChars;
  const room = Math.max(0, answerTokens - structureTokens);
  const scale = Math.min(1, room / worstText(fullBounds));
  return {
    errors: scale < 0.5 ? 2 : fullBounds.errors,
    explanationChars: Math.max(40, Math.floor(fullBounds.explanationChars * scale)),
    correctedSteps: scale < 0.5 ? 4 : fullBounds.correctedSteps,
    correctedStepChars: Math.max(30, Math.floor(fullBounds.correctedStepChars * scale)),
    answerChars: Math.max(16, Math.floor(fullBounds.answerChars * scale)),
  };
}

/** The worst-case answer length in tokens for these bounds, to set the request's token cap. */
export function analysisMaxTokens(bounds: AnalysisBounds): number {
  return (
    structureTokens +
    bounds.errors * bounds.explanationChars +
    bounds.correctedSteps * bounds.correctedStepChars +
    bounds.answerChars
  );
}

/** The JSON schema for a solution of `steps` steps. Property order is the order the model writes them in. */
export function analysisSchema(steps: number, bounds: AnalysisBounds): GbnfJsonSchema {
  const stepNumbers = Array.from({ length: steps }, (_, index) => index + 1);
  return {
    type: 'object',
    properties: {
      verdict: { enum: [...verdicts] },
      firstWrongStep: { enum: [0, ...stepNumbers] },
      errors: {
        type: 'array',
        maxItems: bounds.errors,
        items: {
          type: 'object',
          properties: {
            step: { enum: stepNumbers },
            type: { enum: [...errorTypes] },
            explanation: { type: 'string', minLength: 1, maxLength: bounds.explanationChars },
          },
        },
      },
      correctedSolution: {
        type: 'array',
        minItems: 1,
        maxItems: bounds.correctedSteps,
        items: { type: 'string', minLength: 1, maxLength: bounds.correctedStepChars },
      },
      finalAnswer: { type: 'string', maxLength: bounds.answerChars },
    },
  } as GbnfJsonSchema;
}

/**
 * Checks a parsed answer against the schema again (the grammar should guarantee it; this proves it) and
 * tidies it: text trimmed, empty corrected steps dropped, errors in step order.
 */
export function readAnalysis(value: unknown, steps: number): MistakeAnalysis {
  const step = z.int().min(1).max(steps);
  const parsed = z
    .object({
      verdict: z.enum(verdicts),
      firstWrongStep: z.int().min(0).max(steps),
      errors: z.array(z.object({ step, type: z.enum(errorTypes), explanation: z.string().trim().min(1) })),
      correctedSolution: z.array(z.string().trim()),
      finalAnswer: z.string().trim(),
    })
    .parse(value);
  return {
    ...parsed,
    errors: parsed.errors.toSorted((a, b) => a.step - b.step),
    correctedSolution: parsed.correctedSolution.filter((line) => line.length > 0),
  };
}

/** The checker's findings in words, for the prompt: what the model is told was verified. */
export function describeFindings(findings: CheckReport): string {
  const notes = findings.lines.flatMap((line) => {
    if (line.status === 'ok') return [`Step ${line.line}: the arithmetic and units are right.`];
    if (line.status === 'error' || line.status === 'warning')
      return [`Step ${line.line}: ${line.message}${line.expected ? ` (should be ${line.expected})` : ''}.`];
    return [];
  });
  return notes.length > 0 ? notes.join(' ') : 'There were no numbers to check.';
}

/** Where the checker, the reference answer and the model disagree, each said in one sentence. */
export function findDisagreements(input: {
  findings: CheckReport;
  analysis: MistakeAnalysis;
  /** The student's final answer against the reference (when both exist). */
  studentAnswerCheck: AnswerCheck | null;
  /** The model's final answer against the reference. */
  finalAnswerCheck: AnswerCheck | null;
}): string[] {
  const { findings, analysis } = input;
  const said: string[] = [];
  const checkerErrors = findings.lines.filter((line) => line.status === 'error');
  const firstError = checkerErrors[0];
  if (firstError && analysis.verdict === 'correct') {
    said.push(
      `The checker found a mistake in step ${firstError.line} (${firstError.message}), but the model judged the solution correct.`,
    );
  } else if (firstError && analysis.firstWrongStep > firstError.line) {
    said.push(
      `The checker found a mistake in step ${firstError.line}, before step ${analysis.firstWrongStep}, where the model says the solution first goes wrong.`,
    );
  }
  for (const error of analysis.errors) {
    const line = findings.lines.find((finding) => finding.line === error.step);
    if (line?.status === 'ok' && (error.type === 'arithmetic' || error.type === 'units')) {
      said.push(
        `The model says step ${error.step} has a mistake in its ${error.type === 'arithmetic' ? 'arithmetic' : 'units'}, but the checker found them right.`,
      );
    }
  }
  if (
    analysis.verdict === 'correct' &&
    input.studentAnswerCheck &&
    input.studentAnswerCheck.verdict !== 'correct'
  )
    said.push(
      "The model judged the solution correct, but the student's final answer differs from the reference answer.",
    );
  if (analysis.verdict !== 'correct' && input.studentAnswerCheck?.verdict === 'correct')
    said.push(
      "The student's final answer matches the reference answer, but the model judged the solution wrong.",
    );
  if (input.finalAnswerCheck && input.finalAnswerCheck.verdict !== 'correct')
    said.push("The model's corrected final answer does not match the reference answer.");
  return said;
}

/** The analysis as Markdown: saved as the check's answer, so search and export see it. */
export function analysisMarkdown(analysis: MistakeAnalysis): string {
  const verdict = { correct: 'Correct', incorrect: 'Incorrect', incomplete: 'Incomplete' }[analysis.verdict];
  const lines = [`**Verdict:** ${verdict}`];
  if (analysis.firstWrongStep > 0) lines.push(`**First wrong step:** ${analysis.firstWrongStep}`);
  for (const error of analysis.errors)
    lines.push(`- Step ${error.step} (${error.type}): ${error.explanation}`);
  if (analysis.correctedSolution.length > 0) {
    lines.push('', '**Corrected solution**', '');
    analysis.correctedSolution.forEach((step, index) => lines.push(`${index + 1}. ${step}`));
  }
  if (analysis.finalAnswer) lines.push('', `**Final answer:** ${analysis.finalAnswer}`);
  return lines.join('\n');
}
