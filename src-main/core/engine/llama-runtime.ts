import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import type { GpuBackend, LlamaRuntimeStatus } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';

export interface LlamaRuntimeOptions {
  /** `auto` picks Metal, CUDA or Vulkan when usable, else the CPU. */
  gpu: 'auto' | GpuBackend;
}

/**
 * Owns the one llama.cpp runtime of the process. It loads in the background at startup, so the app opens at
 * once and the backend in use is known (and reported) by the time a model is loaded.
 */
export class LlamaRuntime {
  #bus: EventBus;
  #options: LlamaRuntimeOptions;
  #llama: Promise<Llama> | null = null;
  #status: LlamaRuntimeStatus = { state: 'starting' };

  constructor(bus: EventBus, options: LlamaRuntimeOptions) {
    this.#bus = bus;
    this.#options = options;
  }

  get status(): LlamaRuntimeStatus {
    return this.#status;
  }

  /** Starts loading (once) and resolves to the runtime; rejects if no usable binary exists. */
  get(): Promise<Llama> {
    this.#llama ??= this.#load();
    return this.#llama;
  }

  async dispose(): Promise<void> {
    const llama = await this.#llama?.catch(() => null);
    await llama?.dispose();
  }

  async #load(): Promise<Llama> {
    try {
      const { gpu } = this.#options;
      const llama = await getLlama({
        gpu: gpu === 'cpu' ? false : gpu,
        // Prebuilt binaries only: Phidesk never compiles llama.cpp or downloads its sources at run time.
        build: 'never',
        skipDownload: true,
        progressLogs: false,
        logLevel: LlamaLogLevel.error,
      });
      this.#setStatus({
        state: 'ready',
        backend: llama.gpu === false ? 'cpu' : llama.gpu,
        gpuNames: await llama.getGpuDeviceNames(),
        llamaCppRelease: llama.llamaCppRelease.release,
      });
      return llama;
    } catch (error) {
      this.#setStatus({ state: 'failed', error: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  #setStatus(status: LlamaRuntimeStatus): void {
    this.#status = status;
    this.#bus.emit('llama.runtime', status);
  }
}
