import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GenerationDone, GenerationStarted } from '../../src-shared/types';
import { ensureTestModel } from '../../scripts/test-model/ensure-test-model';
import type { TestModelOptions } from '../../scripts/test-model/phi2-test-model';
import type { GenerateRequest, GenerationHooks } from '../core/engine/engine';
import { LocalEngine } from '../core/engine/local-engine';
import { LlamaRuntime } from '../core/engine/llama-runtime';
import { EventBus } from '../core/event-bus';
import { createLogger } from '../core/log';

export interface TestEngine {
  engine: LocalEngine;
  bus: EventBus;
  runtime: LlamaRuntime;
  /** Every event the engine announced, in order. */
  events: { name: string; payload: unknown }[];
  dispose(): Promise<void>;
}

/** A real engine on the real llama.cpp runtime (CPU) in this process, with a generated test model loaded. */
export async function startTestEngine(
  model: Partial<TestModelOptions> = {},
  options: { maxQueued?: number; sequences?: number } = {},
): Promise<TestEngine> {
  const bus = new EventBus();
  const events: TestEngine['events'] = [];
  bus.subscribe((name, payload) => events.push({ name, payload }));
  const runtime = new LlamaRuntime(bus, 'cpu');
  const engine = new LocalEngine({ bus, runtime, log: createLogger('test'), maxQueued: options.maxQueued });
  await engine.load({
    path: ensureTestModel(model),
    gpu: 'cpu',
    gpuLayers: 'auto',
    contextSize: 'auto',
    // One thread: the fastest on two cores (README, Performance), and the same on every machine.
    threads: 1,
    sequences: options.sequences ?? 2,
  });
  return {
    engine,
    bus,
    runtime,
    events,
    dispose: async () => {
      await engine.dispose();
      await runtime.dispose();
    },
  };
}

/** Runs a request to the end, collecting what was streamed. */
export async function generateAll(
  engine: Pick<LocalEngine, 'generate'>,
  request: GenerateRequest,
): Promise<{ done: GenerationDone; deltas: string[]; started: GenerationStarted | null }> {
  const deltas: string[] = [];
  let started: GenerationStarted | null = null;
  const handle = await engine.generate(request, {
    onDelta: ({ text }) => deltas.push(text),
    onStarted: (s) => (started = s),
  });
  return { done: await handle.done, deltas, started };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const ask = (content: string): GenerateRequest => ({ messages: [{ role: 'user', content }] });

/** One call of a request's hooks, tagged with the request it belongs to. */
export type HookCall =
  | { tag: string; hook: 'queued'; position: number }
  | { tag: string; hook: 'started' }
  | { tag: string; hook: 'delta'; text: string };

/** Hooks that write each call into `calls`: across requests, their order shows what interleaved. */
export function recordingHooks(calls: HookCall[], tag: string): GenerationHooks {
  return {
    onQueued: (position) => calls.push({ tag, hook: 'queued', position }),
    onStarted: () => calls.push({ tag, hook: 'started' }),
    onDelta: ({ text }) => calls.push({ tag, hook: 'delta', text }),
  };
}
