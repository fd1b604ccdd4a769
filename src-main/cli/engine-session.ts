import type { GpuSetting, LoadModelOptions } from '../../src-shared/types';
import { Engine } from '../core/engine/engine';
import { LlamaRuntime } from '../core/engine/llama-runtime';
import { EventBus } from '../core/event-bus';
import { createLogger } from '../core/log';

/** The same engine the app runs, for one command-line invocation. */
export async function withEngine<T>(
  load: Partial<LoadModelOptions> & { path: string },
  use: (engine: Engine) => Promise<T>,
): Promise<T> {
  const gpu: GpuSetting = load.gpu ?? 'auto';
  const bus = new EventBus();
  const runtime = new LlamaRuntime(bus, gpu);
  const engine = new Engine({ bus, runtime, log: createLogger('phidesk', 'warn') });
  try {
    await engine.load({
      gpu,
      gpuLayers: 'auto',
      contextSize: 'auto',
      threads: 'auto',
      sequences: 1,
      ...load,
    });
    return await use(engine);
  } finally {
    await engine.dispose();
    await runtime.dispose();
  }
}
