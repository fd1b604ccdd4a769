import fs from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { limits } from '../../src-shared/limits';
import { analyseSolution, concludeAnalysis } from '../core/tutor/analyse-solution';
import { checkSolution } from '../core/tutor/checker';
import { splitSteps } from '../core/tutor/mistake-service';
import type { CliContext } from './context';
import { withEngine } from './engine-session';
import { exitCodes, UsageError } from './exit-codes';
import { option } from './options';
import { loadTutorResources } from './resources';

export const checkUsage = `phidesk check <solution.txt> [--model <file.gguf>] [--problem <id>]
  Checks a worked solution and prints the findings as JSON. The file holds the problem, then a line with
  only ---, then the student's solution, one step per line ("-" reads it from stdin). Every step with
  numbers is re-computed with its units (status ok, error or warning, the expected value, a message).
  --model <file.gguf>    also ask the model for its analysis (verdict, first wrong step, corrected solution)
  --problem <id>         a problem-bank id: its given values and reference answer are used
  --threads <n>          llama.cpp threads (with --model)
  --gpu <backend>        auto, cpu, cuda, vulkan or metal (with --model)`;

export async function check(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      problem: { type: 'string' },
      threads: { type: 'string' },
      gpu: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError('give one solution file (or "-" for stdin)');
  const text =
    file === '-'
      ? await readStdin()
      : await fs.readFile(file, 'utf8').catch((error: Error) => {
          throw new UsageError(`cannot read ${file}: ${error.message}`);
        });
  const { problem, solution } = splitProblemAndSolution(text);
  const steps = splitSteps(solution);
  const { bank, prompts } = loadTutorResources();
  const bankProblem = values.problem === undefined ? null : bank.get(values.problem);
  if (values.problem !== undefined && !bankProblem)
    throw new UsageError(`--problem ${values.problem}: not in the problem bank`);
  const findings = checkSolution(steps.join('\n'), { givens: bankProblem?.givens ?? {} });
  const input = {
    problem,
    steps,
    findings,
    reference: bankProblem ? bankProblem.answer : null,
  };
  const report: Record<string, unknown> = {
    problem,
    steps,
    findings: findings.lines.map((line) => ({
      line: line.line,
      text: line.text,
      status: line.status,
      ...(line.kind ? { kind: line.kind } : {}),
      expected: line.expected ?? null,
      message: line.message,
    })),
    errors: findings.errors,
    warnings: findings.warnings,
  };
  if (values.model) {
    const threads = option('threads', values.threads, z.int().min(1).max(limits.threads), 'number');
    const gpu = option('gpu', values.gpu, z.enum(['auto', 'cpu', 'cuda', 'vulkan', 'metal']), 'text');
    const { analysis, prompt } = await withEngine(
      context,
      { path: values.model, ...(threads ? { threads } : {}), ...(gpu ? { gpu } : {}) },
      (engine) => analyseSolution(engine, prompts, input),
    );
    const concluded = concludeAnalysis(input, analysis, prompt);
    report.analysis = {
      ...analysis,
      disagreements: concluded.disagreements,
      finalAnswerCheck: concluded.finalAnswerCheck,
      prompt,
    };
  }
  console.log(JSON.stringify(report, null, 2));
  return exitCodes.ok;
}

/** The problem, a line with only `---`, then the solution. */
export function splitProblemAndSolution(text: string): { problem: string; solution: string } {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const separator = lines.findIndex((line) => line.trim() === '---');
  if (separator < 0)
    throw new UsageError('the file needs the problem, then a line with only ---, then the solution');
  const problem = lines.slice(0, separator).join('\n').trim();
  const solution = lines.slice(separator + 1).join('\n');
  if (!problem) throw new UsageError('the problem (before ---) is empty');
  if (problem.length > limits.problemChars)
    throw new UsageError(`the problem is longer than ${limits.problemChars} characters`);
  if (solution.length > limits.solutionChars)
    throw new UsageError(`the solution is longer than ${limits.solutionChars} characters`);
  return { problem, solution };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
