import { parseArgs } from 'node:util';
import { z } from 'zod';
import { limits } from '../../src-shared/limits';
import { topics } from '../../src-shared/tutor';
import { evaluateTutor, formatReport } from '../core/tutor/quality-report';
import type { CliContext } from './context';
import { withEngine } from './engine-session';
import { exitCodes, UsageError } from './exit-codes';
import { option, required } from './options';
import { loadTutorResources } from './resources';

export const evalUsage = `phidesk eval --model <file.gguf> [options]
  Runs the problem bank through Solve (final answers compared with the reference, with units) and each
  problem's wrong solution through the mistake check (is the first wrong step found?), then prints the
  accuracy per topic. Progress goes to stderr.
  --limit <n>            only the first n problems
  --topic <a,b>          only these topics (${topics.join(', ')})
  --solve-only           skip the mistake checks
  --json                 print the full report as JSON
  --threads <n>          llama.cpp threads
  --gpu <backend>        auto, cpu, cuda, vulkan or metal`;

export async function evaluate(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      model: { type: 'string' },
      limit: { type: 'string' },
      topic: { type: 'string' },
      'solve-only': { type: 'boolean' },
      json: { type: 'boolean' },
      threads: { type: 'string' },
      gpu: { type: 'string' },
    },
  });
  const model = required('model', values.model);
  const limit = option('limit', values.limit, z.int().min(1).max(10_000), 'number');
  const chosenTopics = values.topic?.split(',').map((topic) => topic.trim());
  for (const topic of chosenTopics ?? [])
    if (!(topics as readonly string[]).includes(topic))
      throw new UsageError(`--topic ${topic}: not one of ${topics.join(', ')}`);
  const threads = option('threads', values.threads, z.int().min(1).max(limits.threads), 'number');
  const gpu = option('gpu', values.gpu, z.enum(['auto', 'cpu', 'cuda', 'vulkan', 'metal']), 'text');
  const { bank, prompts } = loadTutorResources();

  const report = await withEngine(
    context,
    { path: model, ...(threads ? { threads } : {}), ...(gpu ? { gpu } : {}) },
    (engine) =>
      evaluateTutor(engine, bank, prompts, {
        ...(limit ? { limit } : {}),
        ...(chosenTopics ? { topics: chosenTopics as (typeof topics)[number][] } : {}),
        solveOnly: values['solve-only'] ?? false,
        onProgress: (line) => console.error(line),
      }),
  );
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return exitCodes.ok;
}
