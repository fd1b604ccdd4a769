/**
 * The tutor's quality report: every bank problem through Solve (final answer compared with the reference,
 * with units and tolerance), and every bank problem's typical wrong solution through the mistake check
 * (is the first wrong step found?). With real Phi-2 this is the report a user can trust; with the generated
 * test model it runs end to end and scores near zero.
 */
import { topics, type Problem, type Topic } from '../../../src-shared/tutor';
import { AppError } from '../../../src-shared/errors';
import type { Engine } from '../engine/engine';
import { analyseSolution } from './analyse-solution';
import { checkSolution, compareAnswer, formatQuantity } from './checker';
import { readFinalAnswer } from './final-answer';
import type { ProblemBank } from './problem-bank';
import type { PromptLibrary } from './prompts';
import { tutorPrompt } from './tutor-service';

export interface EvalOptions {
  /** Only these topics (all when empty). */
  topics?: Topic[];
  /** At most this many problems (in bank order). */
  limit?: number;
  /** Skip the mistake checks (Solve only). */
  solveOnly?: boolean;
  /** One line per problem as it finishes. */
  onProgress?: (line: string) => void;
}

export interface SolveResult {
  problemId: string;
  topic: Topic;
  expected: string;
  /** The final answer read from the solution, or null when none could be read. */
  answer: string | null;
  correct: boolean;
  /** Lines of the solution the checker found wrong. */
  checkerErrors: number;
  outputTokens: number;
}

export interface MistakeResult {
  problemId: string;
  topic: Topic;
  expectedStep: number;
  /** The first wrong step the model named; null when its analysis failed. */
  foundStep: number | null;
  found: boolean;
  error: string | null;
}

export interface EvalReport {
  model: string;
  solve: SolveResult[];
  mistakes: MistakeResult[];
  seconds: number;
}

export async function evaluateTutor(
  engine: Engine,
  bank: ProblemBank,
  prompts: PromptLibrary,
  options: EvalOptions = {},
): Promise<EvalReport> {
  const model = engine.state.model;
  if (!model) throw new AppError('model_not_loaded', 'No model is loaded.');
  const started = performance.now();
  const chosen = bank
    .list()
    .filter((summary) => !options.topics?.length || options.topics.includes(summary.topic))
    .slice(0, options.limit ?? Infinity)
    .map((summary) => bank.get(summary.id)!);
  const report: EvalReport = { model: model.file.path, solve: [], mistakes: [], seconds: 0 };
  for (const problem of chosen) {
    const solved = await solve(engine, prompts, problem);
    report.solve.push(solved);
    options.onProgress?.(
      `solve   ${problem.id.padEnd(36)} ${solved.correct ? 'correct' : 'wrong  '}  answer ${solved.answer ?? '—'} (expected ${solved.expected})`,
    );
    if (options.solveOnly) continue;
    const checked = await findMistake(engine, prompts, problem);
    report.mistakes.push(checked);
    options.onProgress?.(
      `mistake ${problem.id.padEnd(36)} ${checked.found ? 'found  ' : 'missed '}  step ${checked.foundStep ?? '—'} (expected ${checked.expectedStep})${checked.error ? ` — ${checked.error}` : ''}`,
    );
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

async function solve(engine: Engine, prompts: PromptLibrary, problem: Problem): Promise<SolveResult> {
  const { prompt, settings } = tutorPrompt(prompts, null, problem.statement);
  const handle = await engine.generate({
    system: prompt.system,
    messages: prompt.turns,
    sampling: settings.sampling,
    maxTokens: settings.maxTokens,
  });
  const done = await handle.done;
  const text = prompt.answerStart + done.text;
  const answer = readFinalAnswer(text);
  const expected = problem.answer;
  return {
    problemId: problem.id,
    topic: problem.topic,
    expected: formatQuantity(expected.value, expected.unit, expected.sigFigs),
    answer: answer && formatQuantity(answer.value, answer.unit, 4),
    correct:
      answer !== null &&
      compareAnswer(formatQuantity(answer.value, answer.unit, 6), expected).verdict === 'correct',
    checkerErrors: checkSolution(text, { givens: problem.givens }).errors,
    outputTokens: done.stats.outputTokens,
  };
}

async function findMistake(engine: Engine, prompts: PromptLibrary, problem: Problem): Promise<MistakeResult> {
  const steps = problem.wrongSolution.lines.map((line) => line.trim()).filter(Boolean);
  const base = {
    problemId: problem.id,
    topic: problem.topic,
    expectedStep: problem.wrongSolution.firstWrongStep,
  };
  try {
    const { analysis } = await analyseSolution(engine, prompts, {
      problem: problem.statement,
      steps,
      findings: checkSolution(steps.join('\n'), { givens: problem.givens }),
      reference: problem.answer,
    });
    return {
      ...base,
      foundStep: analysis.firstWrongStep,
      found: analysis.firstWrongStep === base.expectedStep,
      error: null,
    };
  } catch (error) {
    return {
      ...base,
      foundStep: null,
      found: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** The report as a table for people: accuracy overall and per topic. */
export function formatReport(report: EvalReport): string {
  const percent = (part: number, whole: number) =>
    whole === 0 ? '   —' : `${((100 * part) / whole).toFixed(0).padStart(3)}%`;
  const rows = topics
    .map((topic) => {
      const solved = report.solve.filter((result) => result.topic === topic);
      const checked = report.mistakes.filter((result) => result.topic === topic);
      if (solved.length === 0) return null;
      const correct = solved.filter((result) => result.correct).length;
      const found = checked.filter((result) => result.found).length;
      return `${topic.padEnd(16)} ${`${correct}/${solved.length}`.padStart(7)} ${percent(correct, solved.length)}   ${`${found}/${checked.length}`.padStart(7)} ${percent(found, checked.length)}`;
    })
    .filter((row): row is string => row !== null);
  const correct = report.solve.filter((result) => result.correct).length;
  const found = report.mistakes.filter((result) => result.found).length;
  const parsed = report.mistakes.filter((result) => result.error === null).length;
  return [
    `Model: ${report.model}`,
    '',
    `${'topic'.padEnd(16)} ${'solved'.padStart(7)}       ${'mistake'.padStart(7)}`,
    ...rows,
    `${'all'.padEnd(16)} ${`${correct}/${report.solve.length}`.padStart(7)} ${percent(correct, report.solve.length)}   ${`${found}/${report.mistakes.length}`.padStart(7)} ${percent(found, report.mistakes.length)}`,
    '',
    `Solve: final answer within tolerance of the reference, with the right unit.`,
    `Mistake: the first wrong step of the bank's wrong solution named exactly (${parsed}/${report.mistakes.length} analyses parsed).`,
    `${report.seconds.toFixed(1)} s`,
  ].join('\n');
}
