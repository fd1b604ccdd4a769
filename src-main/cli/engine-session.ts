import type { GpuSetting, LoadModelOptions } from '../../src-shared/types';
import type { Engine } from '../core/engine/engine';
import { EngineClient } from '../core/engine/process/engine-client';
import { EventBus } from '../core/event-bus';
import { createLogger } from '../core/log';
import type { CliContext } from './context';

/** The engine process the app runs, for one command-line invocation; `load` omitted: no model. */
export async function withEngine<T>(
  context: CliContext,
  load: (Partial<LoadModelOptions> & { path: string }) | null,
  use: (engine: EngineClient & Engine) => Promise<T>,
): Promise<T> {
  const gpu: GpuSetting = load?.gpu ?? 'auto';
  const engine = new EngineClient({
    bus: new EventBus(),
    log: createLogger('phidesk', 'warn'),
    launch: context.launchEngine,
  });
  try {
    if (load) {
      await engine.load({
        gpu,
        gpuLayers: 'auto',
        contextSize: 'auto',
        threads: 'auto',
        sequences: 1,
        ...load,
      });
    }
    return await use(engine);
  } finally {
    await engine.dispose();
  }
}
