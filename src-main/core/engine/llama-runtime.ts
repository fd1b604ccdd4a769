import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import type { GpuSetting, LlamaRuntimeStatus } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';

/**
 * Owns the one llama.cpp runtime of the process. It loads in the background at startup, so the app opens at
 * once and the backend in use is known (and reported) by the time a model is loaded. Asking for another
 * backend (the settings' override) replaces it; the caller unloads models first.
 */
export class LlamaRuntime {
  #bus: EventBus;
  #gpu: GpuSetting;
  #llama: Promise<Llama> | null = null;
  #status: LlamaRuntimeStatus = { state: 'starting' };

  constructor(bus: EventBus, gpu: GpuSetting = 'auto') {
    this.#bus = bus;
    this.#gpu = gpu;
  }

  get status(): LlamaRuntimeStatus {
    return this.#status;
  }

  /** The runtime for this backend setting (the current one if omitted); rejects if none is usable. */
  async get(gpu: GpuSetting = this.#gpu): Promise<Llama> {
    if (gpu !== this.#gpu && this.#llama) {
      const previous = this.#llama;
      this.#llama = null;
      await (await previous.catch(() => null))?.dispose();
    }
    this.#gpu = gpu;
    this.#llama ??= this.#load(gpu);
    return this.#llama;
  }

  async dispose(): Promise<void> {
    const llama = await this.#llama?.catch(() => null);
    await llama?.dispose();
  }

  async #load(gpu: GpuSetting): Promise<Llama> {
    this.#setStatus({ state: 'starting' });
    try {
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
      const reason = error instanceof Error ? error.message : String(error);
      this.#setStatus({ state: 'failed', error: gpu === 'auto' ? reason : `${gpu}: ${reason}` });
      throw error;
    }
  }

  #setStatus(status: LlamaRuntimeStatus): void {
    this.#status = status;
    this.#bus.emit('llama.runtime', status);
  }
}
