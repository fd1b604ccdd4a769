import { parseArgs } from 'node:util';
import { z } from 'zod';
import { limits } from '../../src-shared/limits';
import { messageText } from '../../src-shared/rpc';
import { samplingSchema } from '../../src-shared/settings';
import type { GenerationDone } from '../../src-shared/types';
import { exitCodes, reportError, UsageError } from './exit-codes';
import type { CliContext } from './context';
import { withEngine } from './engine-session';
import { option, required } from './options';

export const askUsage = `phidesk ask --model <file.gguf> [options] "prompt"
  Streams Phi-2's answer to stdout and a stats line to stderr. Reads the prompt from stdin if it is "-".
  --system <text>        system text (a preamble before the conversation)
  --temperature <n>      0–2 (default 0.7)
  --top-p <n>            0–1 (default 0.95)
  --max-tokens <n>       answer length cap (default 512)
  --seed <n>             fixed seed for a reproducible answer
  --threads <n>          llama.cpp threads (default: measured for this machine)
  --gpu <backend>        auto, cpu, cuda, vulkan or metal (default auto)`;

const stopLabels: Record<GenerationDone['stopReason'], string> = {
  end_token: 'end token',
  stop_trigger: 'stop trigger',
  max_tokens: 'max tokens',
  user_stop: 'stopped',
  error: 'error',
  crashed: 'the engine process stopped',
};

export async function ask(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      system: { type: 'string' },
      temperature: { type: 'string' },
      'top-p': { type: 'string' },
      'max-tokens': { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      gpu: { type: 'string' },
    },
  });
  const model = required('model', values.model);
  const rawPrompt = positionals.join(' ');
  if (!rawPrompt) throw new UsageError('a prompt is required (or "-" to read it from stdin)');
  const prompt = option(
    'prompt',
    rawPrompt === '-' ? await readStdin() : rawPrompt,
    messageText(limits.messageChars),
    'text',
  )!;
  const system = option('system', values.system, z.string().max(limits.systemChars), 'text');
  const sampling = {
    temperature: option('temperature', values.temperature, samplingSchema.shape.temperature, 'number'),
    topP: option('top-p', values['top-p'], samplingSchema.shape.topP, 'number'),
    seed: option('seed', values.seed, samplingSchema.shape.seed, 'number'),
  };
  const maxTokens = option(
    'max-tokens',
    values['max-tokens'],
    z.int().min(1).max(limits.maxTokens),
    'number',
  );
  const threads = option('threads', values.threads, z.int().min(1).max(limits.threads), 'number');
  const gpu = option('gpu', values.gpu, z.enum(['auto', 'cpu', 'cuda', 'vulkan', 'metal']), 'text');

  const done = await withEngine(
    context,
    { path: model, ...(threads ? { threads } : {}), ...(gpu ? { gpu } : {}) },
    async (engine) => {
      const handle = await engine.generate(
        {
          system,
          messages: [{ role: 'user', content: prompt }],
          sampling: Object.fromEntries(Object.entries(sampling).filter(([, value]) => value !== undefined)),
          maxTokens,
        },
        { onDelta: ({ text }) => process.stdout.write(text) },
      );
      return handle.done;
    },
  );
  process.stdout.write('\n');
  const { stats } = done;
  const rate = stats.tokensPerSecond === null ? '–' : stats.tokensPerSecond.toFixed(1);
  const first = stats.timeToFirstTokenMs === null ? '–' : `${stats.timeToFirstTokenMs} ms`;
  console.error(
    `[${stats.outputTokens} tokens · ${rate} tok/s · first token ${first} · prompt ${stats.promptTokens} tokens · stop: ${stopLabels[done.stopReason]}]`,
  );
  if (done.error) return reportError(Object.assign(new Error(done.error.message), done.error));
  return exitCodes.ok;
}

/** Everything written to stdin, as UTF-8 (a prompt or question given as "-"). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
