/**
 * Context fitting at scale (TEST-CATALOG I15): engine.measure(), the path chat.contextUsage takes, on
 * conversations of 200, 2,000 and 30,000 turns of 40–200 characters, with the real node-llama-cpp
 * tokenizer of the generated test model.
 *   cold: the first measure of a conversation none of whose turns were counted before
 *   warm: the same conversation one exchange later (an answer and the next question), cut remembered
 * Target: time grows at most linearly (time per turn at 30,000 ÷ at 2,000 ≤ 1, with some noise allowed)
 * and a warm 30,000-turn measure under 100 ms.
 *
 * Run alone with `npx tsx bench/context-fit.ts`, or call benchContextFit() from another benchmark.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChatTurn, ContextUsage } from '../src-shared/types';
import type { GenerateRequest } from '../src-main/core/engine/engine';
import { seededRandom } from '../src-main/core/seeded-random';
import { startTestEngine } from '../src-main/test-support/engine';
import { median, verdict } from './support';

const sizes = [200, 2_000, 30_000];
/** Measures per size and kind; each cold one on a conversation of its own. */
const rounds = 15;
/** Time per turn may rise this much from 2,000 to 30,000 turns before it counts as growing. */
const noiseAllowance = 1.25;
const warmTargetMs = 100;

const words = (
  'the of and a to in is that it for as with was on be by this are from at or an which energy momentum ' +
  'velocity acceleration force mass kinetic potential friction slope skier height gravity circuit resistor ' +
  'voltage current capacitor wave frequency pendulum spring entropy heat temperature pressure work power ' +
  'impulse collision torque orbit radius newton joule watt equation formula solution answer step units ' +
  'vector displacement distance time speed projectile conservation density lens photon electron café Ångström'
).split(' ');

/** A turn of 40–200 characters of words, ended like a sentence. */
function turnText(next: () => number): string {
  const length = 40 + Math.floor(next() * 161);
  let text = words[Math.floor(next() * words.length)]!;
  while (text.length < length) text += ` ${words[Math.floor(next() * words.length)]!}`;
  return `${text.slice(0, length - 1).trimEnd()}${next() < 0.7 ? '.' : '?'}`;
}

/** `turns` turns alternating questions and answers, ending with the question about to be sent. */
function conversation(turns: number, seed: number): ChatTurn[] {
  const next = seededRandom(seed);
  return Array.from({ length: turns }, (_, index) => ({
    role: (turns - index) % 2 === 1 ? ('user' as const) : ('assistant' as const),
    content: turnText(next),
  }));
}

async function timed(run: () => Promise<ContextUsage | null>): Promise<{ ms: number; usage: ContextUsage }> {
  const started = performance.now();
  const usage = await run();
  const ms = performance.now() - started;
  if (!usage) throw new Error('No model loaded.');
  return { ms, usage };
}

export async function benchContextFit(): Promise<void> {
  const test = await startTestEngine({}, { sequences: 1 });
  const engine = test.engine;
  const model = engine.state.model!;
  const system = 'You are a careful physics tutor. Answer briefly and show the units.';
  console.log(
    `Context fitting: engine.measure() with the generated test model's tokenizer (${model.contextSize}-token context, ` +
      `${model.threads} thread), median of ${rounds}\n`,
  );
  console.log('turns      cold ms   warm ms   kept turns   prompt tokens');
  // Warm up the JIT and the tokenizer on a conversation of its own, so the first row is not penalised.
  await engine.measure({ system, messages: conversation(sizes[0]!, 1), maxTokens: 512 });

  const results: Record<number, { coldMs: number; warmMs: number; keptTurns: number; promptTokens: number }> =
    {};
  for (const size of sizes) {
    const cold: number[] = [];
    const warm: number[] = [];
    let last: ContextUsage | null = null;
    for (let round = 0; round < rounds; round++) {
      const turns = conversation(size, size * 1000 + round);
      const request: GenerateRequest = { system, messages: turns, maxTokens: 512 };
      const first = await timed(() => engine.measure(request));
      const next = seededRandom(round);
      const later: GenerateRequest = {
        ...request,
        messages: [
          ...turns,
          { role: 'assistant', content: turnText(next) },
          { role: 'user', content: turnText(next) },
        ],
      };
      // As after sending: the engine remembers where the first measure cut.
      const second = await timed(() => engine.measure(later, first.usage.droppedTurns));
      cold.push(first.ms);
      warm.push(second.ms);
      last = second.usage;
    }
    results[size] = {
      coldMs: median(cold),
      warmMs: median(warm),
      keptTurns: size + 2 - last!.droppedTurns,
      promptTokens: last!.promptTokens,
    };
    const row = results[size];
    console.log(
      `${size.toLocaleString('en').padEnd(8)} ${row.coldMs.toFixed(2).padStart(9)} ${row.warmMs.toFixed(2).padStart(9)}` +
        ` ${String(row.keptTurns).padStart(12)} ${String(row.promptTokens).padStart(15)}`,
    );
  }

  const [, medium, large] = sizes as [number, number, number];
  const perTurnRatio = (kind: 'coldMs' | 'warmMs') =>
    results[large]![kind] / large / (results[medium]![kind] / medium);
  const coldRatio = perTurnRatio('coldMs');
  const warmRatio = perTurnRatio('warmMs');
  const warmLargeMs = results[large]!.warmMs;
  console.log(
    `\nTime per turn, ${large.toLocaleString('en')} ÷ ${medium.toLocaleString('en')} turns: cold ${coldRatio.toFixed(3)}, ` +
      `warm ${warmRatio.toFixed(3)} — target ≤ 1 (linear): ${verdict(Math.max(coldRatio, warmRatio) <= noiseAllowance)}`,
  );
  console.log(
    `Warm ${large.toLocaleString('en')} turns: ${warmLargeMs.toFixed(2)} ms — target < ${warmTargetMs} ms: ${verdict(warmLargeMs < warmTargetMs)}`,
  );
  console.log(
    `\n${JSON.stringify({ contextFit: results, coldPerTurnRatio: coldRatio, warmPerTurnRatio: warmRatio })}`,
  );

  await test.dispose();
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await benchContextFit();
}
