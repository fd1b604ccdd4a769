/**
 * One analysis of a student's solution by the model, as the mistake check, `phidesk check --model` and the
 * evaluation all run it: the prompt with the checker's findings, JSON sized to the room left in the context,
 * and the conclusions drawn from it against the checker and the reference answer.
 */
import type { AnalysisState, CheckReport, MistakeAnalysis, Quantity } from '../../../src-shared/tutor';
import type { Engine } from '../engine/engine';
import { generateJson } from '../engine/json-generation';
import { checkSolution, compareAnswer, formatQuantity } from './checker';
import { readFinalAnswer } from './final-answer';
import {
  analysisBounds,
  analysisMaxTokens,
  analysisSchema,
  describeFindings,
  findDisagreements,
  readAnalysis,
} from './mistake-analysis';
import type { PromptLibrary } from './prompts';

export const analysisSampling = {
  temperature: 0.2,
  topP: 0.95,
  topK: 40,
  minP: 0.05,
  repeatPenalty: 1.1,
  seed: 0,
};
/** The analysis never asks for more than this, whatever room the context has. */
const maxAnalysisTokens = 1400;

export interface SolutionToAnalyse {
  problem: string;
  steps: string[];
  findings: CheckReport;
  reference: (Quantity & { sigFigs: number }) | null;
}

/** What to ask the model for an analysis: the request, and the JSON schema its answer must fit. */
export async function analysisRequest(engine: Engine, prompts: PromptLibrary, input: SolutionToAnalyse) {
  const { reference } = input;
  const prompt = prompts.render('mistake-analysis', {
    problem: input.problem,
    steps: input.steps.map((step, index) => `Step ${index + 1}: ${step}`).join('\n'),
    findings: describeFindings(input.findings),
    reference: reference
      ? `The reference answer is ${formatQuantity(reference.value, reference.unit, reference.sigFigs)}.`
      : 'There is no reference answer.',
  });
  const request = { system: prompt.system, messages: prompt.turns, sampling: analysisSampling };
  // Size the schema to the room the prompt leaves, so the longest answer it allows still fits.
  const usage = await engine.measure({ ...request, maxTokens: 1 });
  const room = usage ? usage.contextSize - usage.promptTokens - 8 : maxAnalysisTokens;
  const bounds = analysisBounds(Math.min(maxAnalysisTokens, room));
  return {
    request: { ...request, maxTokens: Math.min(room, analysisMaxTokens(bounds)) },
    json: {
      schema: analysisSchema(input.steps.length, bounds),
      validate: (value: unknown) => readAnalysis(value, input.steps.length),
    },
    prompt: prompt.id,
  };
}

/** One analysis straight from the engine (the CLI and the evaluation; the app asks through its answers). */
export async function analyseSolution(
  engine: Engine,
  prompts: PromptLibrary,
  input: SolutionToAnalyse,
): Promise<{ analysis: MistakeAnalysis; prompt: string }> {
  const { request, json, prompt } = await analysisRequest(engine, prompts, input);
  const analysis = await generateJson(engine, request, json.schema, { validate: json.validate });
  return { analysis, prompt };
}

/** What the view shows of a finished analysis: its checks against the checker and the reference. */
export function concludeAnalysis(
  input: SolutionToAnalyse,
  analysis: MistakeAnalysis,
  prompt: string,
): Extract<AnalysisState, { status: 'done' }> {
  const { reference } = input;
  const studentAnswer = readFinalAnswer(input.steps.join('\n'));
  const finalAnswerCheck =
    reference && analysis.finalAnswer ? compareAnswer(analysis.finalAnswer, reference) : null;
  return {
    status: 'done',
    result: analysis,
    correctedFindings: checkSolution(analysis.correctedSolution.join('\n')),
    finalAnswerCheck,
    disagreements: findDisagreements({
      findings: input.findings,
      analysis,
      studentAnswerCheck:
        reference && studentAnswer
          ? compareAnswer(formatQuantity(studentAnswer.value, studentAnswer.unit, 6), reference)
          : null,
      finalAnswerCheck,
    }),
    prompt,
  };
}
