import {
  InsufficientMemoryError,
  type Llama,
  type LlamaContextOptions,
  type LlamaModel,
  type LlamaModelOptions,
} from 'node-llama-cpp';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import type { LoadModelOptions } from '../../../src-shared/types';
import { EventBus } from '../event-bus';
import { LlamaRuntime } from './llama-runtime';
import { ModelHost } from './model-host';

/**
 * A CPU with 24 GiB never runs out of memory for the tiny test model, so these tests put a memory limit in
 * front of the real runtime: the real llama.cpp loads the real file, but asks beyond the limit fail the way
 * node-llama-cpp fails them on a machine that is short of memory (TEST-CATALOG M8).
 */
interface MemoryLimit {
  maxGpuLayers: number;
  maxContextTokens: number;
}

class LimitedRuntime extends LlamaRuntime {
  #limit: MemoryLimit;

  constructor(limit: MemoryLimit) {
    super(new EventBus(), 'cpu');
    this.#limit = limit;
  }

  override async get(): Promise<Llama> {
    return withMemoryLimit(await super.get('cpu'), this.#limit);
  }
}

function withMemoryLimit(llama: Llama, limit: MemoryLimit): Llama {
  return forward(llama, {
    loadModel: async (options: LlamaModelOptions) => {
      if (typeof options.gpuLayers === 'number' && options.gpuLayers > limit.maxGpuLayers)
        throw new InsufficientMemoryError(`${options.gpuLayers} layers do not fit.`);
      const model = await llama.loadModel(options);
      return forward(model, {
        createContext: async (context: LlamaContextOptions) => {
          // A range asks for at least its minimum.
          const size =
            typeof context.contextSize === 'number'
              ? context.contextSize
              : typeof context.contextSize === 'object'
                ? (context.contextSize.min ?? 0)
                : 0;
          if (size * (context.sequences ?? 1) > limit.maxContextTokens)
            throw new InsufficientMemoryError(`A ${size}-token context does not fit.`);
          return model.createContext(context);
        },
      } satisfies Partial<LlamaModel>);
    },
  });
}

/** The object with some methods replaced; every other member is the real one, bound to the real object. */
function forward<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, key) {
      if (typeof key === 'string' && key in overrides) return overrides[key];
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

const options = (overrides: Partial<LoadModelOptions>): LoadModelOptions => ({
  path: ensureTestModel(),
  gpu: 'cpu',
  gpuLayers: 'auto',
  contextSize: 'auto',
  threads: 1,
  sequences: 1,
  ...overrides,
});

describe('model host: short of memory (M8)', () => {
  let host: ModelHost | null = null;
  afterEach(async () => {
    await host?.unload();
    host = null;
  });

  const hostWith = (limit: MemoryLimit) => (host = new ModelHost(new LimitedRuntime(limit), () => {}));

  it('falls back to one sequence and a shorter context, and says so', async () => {
    const session = await hostWith({ maxGpuLayers: 99, maxContextTokens: 1024 }).load(
      options({ contextSize: 2048, sequences: 4 }),
      async () => {},
    );
    expect(session.info.sequences).toBe(1);
    expect(session.info.contextSize).toBeLessThanOrEqual(2048);
    expect(session.info.warnings.join(' ')).toMatch(
      /Not enough memory for 4 × 2048-token context; using 1 ×/,
    );
    // The fallback context really works.
    expect(session.model.tokenize('hello').length).toBeGreaterThan(0);
    expect(session.sequences).toHaveLength(1);
  });

  it('loads with as many GPU layers as fit when too many were asked for', async () => {
    const session = await hostWith({ maxGpuLayers: 0, maxContextTokens: 1e9 }).load(
      options({ gpuLayers: 33 }),
      async () => {},
    );
    expect(session.info.warnings.join(' ')).toMatch(/Not enough VRAM for 33 GPU layers/);
    expect(session.info.gpuLayers).toBe(0);
  });

  it('says what to change when even the smallest context does not fit, and can load again after', async () => {
    const tight = hostWith({ maxGpuLayers: 99, maxContextTokens: 100 });
    await expect(tight.load(options({ contextSize: 2048 }), async () => {})).rejects.toMatchObject({
      code: 'insufficient_memory',
      message: expect.stringMatching(/smaller quantization, fewer GPU layers or a shorter context/),
    });
    expect(tight.loaded).toBeNull();
    expect(tight.loading).toBeNull();

    const roomy = hostWith({ maxGpuLayers: 99, maxContextTokens: 1e9 });
    await expect(roomy.load(options({ contextSize: 1024 }), async () => {})).resolves.toMatchObject({
      info: { contextSize: 1024, warnings: [] },
    });
  });
});
