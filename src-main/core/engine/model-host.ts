/**
 * Loads and unloads the model: checks the file first (model-file checks), reports progress, can be
 * cancelled, and falls back when memory is short (TEST-CATALOG M8) instead of failing or crashing.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  InsufficientMemoryError,
  type Llama,
  type LlamaContext,
  type LlamaContextOptions,
  type LlamaContextSequence,
  type LlamaModel,
  type LlamaModelOptions,
} from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import type { LoadedModel, LoadModelOptions } from '../../../src-shared/types';
import { checkModelFile } from '../gguf/check-model-file';
import type { LlamaRuntime } from './llama-runtime';
import { defaultThreads } from './threads';

export interface LoadedSession {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequences: LlamaContextSequence[];
  info: LoadedModel;
}

export type LoadingState = { path: string; progress: number } | null;

/** The smallest context worth falling back to. */
const minFallbackContext = 512;

export class ModelHost {
  #runtime: LlamaRuntime;
  #onChange: () => void;
  #loaded: LoadedSession | null = null;
  #loading: (NonNullable<LoadingState> & { controller: AbortController }) | null = null;

  constructor(runtime: LlamaRuntime, onChange: () => void) {
    this.#runtime = runtime;
    this.#onChange = onChange;
  }

  get loaded(): LoadedSession | null {
    return this.#loaded;
  }

  get loading(): LoadingState {
    return this.#loading && { path: this.#loading.path, progress: this.#loading.progress };
  }

  /**
   * Loads a model in place of the current one. `beforeUnload` runs once the new file has passed its checks
   * and before the current model goes, so a bad file never interrupts anything.
   */
  async load(options: LoadModelOptions, beforeUnload: () => Promise<void>): Promise<LoadedSession> {
    if (this.#loading) throw new AppError('busy', `Already loading ${path.basename(this.#loading.path)}.`);
    const controller = new AbortController();
    this.#loading = { path: options.path, progress: 0, controller };
    this.#onChange();
    try {
      const session = await this.#load(options, controller.signal, beforeUnload);
      this.#loaded = session;
      return session;
    } finally {
      this.#loading = null;
      this.#onChange();
    }
  }

  cancelLoad(): boolean {
    if (!this.#loading) return false;
    this.#loading.controller.abort();
    return true;
  }

  async unload(): Promise<boolean> {
    const loaded = this.#loaded;
    if (!loaded) return false;
    this.#loaded = null;
    this.#onChange();
    await loaded.context.dispose();
    await loaded.model.dispose();
    return true;
  }

  async #load(
    options: LoadModelOptions,
    signal: AbortSignal,
    beforeUnload: () => Promise<void>,
  ): Promise<LoadedSession> {
    const file = await fs.realpath(path.resolve(options.path)).catch(() => path.resolve(options.path));
    const fileInfo = await checkModelFile(file);
    const cancelled = () => new AppError('cancelled', 'Loading was cancelled.');
    if (signal.aborted) throw cancelled();

    await beforeUnload();
    await this.unload();
    const llama = await this.#runtime.get(options.gpu).catch((error: unknown) => {
      throw new AppError(
        'unavailable',
        `The ${options.gpu} backend cannot start: ${(error as Error).message}`,
      );
    });
    const warnings = [...fileInfo.warnings];

    let lastReport = 0;
    const modelOptions: LlamaModelOptions = {
      modelPath: file,
      gpuLayers: options.gpuLayers,
      loadSignal: signal,
      onLoadProgress: (progress) => {
        if (!this.#loading) return;
        this.#loading.progress = progress;
        // Progress arrives in bursts; a few updates a second are enough for a progress bar.
        if (progress === 1 || Date.now() - lastReport > 100) {
          lastReport = Date.now();
          this.#onChange();
        }
      },
    };
    let model: LlamaModel;
    try {
      model = await llama.loadModel(modelOptions);
    } catch (error) {
      if (signal.aborted) throw cancelled();
      if (!(error instanceof InsufficientMemoryError)) throw loadFailure(error);
      if (options.gpuLayers === 'auto') throw outOfMemory('the model', error);
      // Too many layers asked for: let node-llama-cpp fit as many as the GPU holds.
      warnings.push(`Not enough VRAM for ${options.gpuLayers} GPU layers; loaded with as many as fit.`);
      model = await llama.loadModel({ ...modelOptions, gpuLayers: 'auto' }).catch((retry: unknown) => {
        throw retry instanceof InsufficientMemoryError ? outOfMemory('the model', retry) : loadFailure(retry);
      });
    }

    try {
      if (signal.aborted) throw cancelled();
      const trained = model.trainContextSize;
      const contextOptions: LlamaContextOptions = {
        contextSize:
          options.contextSize === 'auto'
            ? { min: Math.min(minFallbackContext, trained), max: trained }
            : options.contextSize,
        sequences: options.sequences,
        threads: options.threads === 'auto' ? defaultThreads(llama.cpuMathCores) : options.threads,
      };
      const context = await this.#createContext(model, contextOptions, warnings);
      const sequences = Array.from({ length: context.totalSequences }, () => context.getSequence());
      const vram = llama.gpu === false ? null : await llama.getVramState();
      return {
        llama,
        model,
        context,
        sequences,
        info: {
          file: fileInfo,
          backend: llama.gpu === false ? 'cpu' : llama.gpu,
          gpuNames: await llama.getGpuDeviceNames(),
          gpuLayers: model.gpuLayers,
          totalLayers: model.fileInsights.totalLayers,
          contextSize: context.contextSize,
          threads: context.currentThreads,
          sequences: context.totalSequences,
          vram: vram && { total: vram.total, used: vram.used },
          warnings,
        },
      };
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Creates the context, trading sequences and then context length for memory when short. */
  async #createContext(
    model: LlamaModel,
    options: LlamaContextOptions,
    warnings: string[],
  ): Promise<LlamaContext> {
    try {
      return await model.createContext(options);
    } catch (error) {
      if (!(error instanceof InsufficientMemoryError)) throw loadFailure(error);
    }
    const requested = options.contextSize;
    const max =
      typeof requested === 'number'
        ? requested
        : typeof requested === 'object'
          ? (requested.max ?? model.trainContextSize)
          : model.trainContextSize;
    const fallback = {
      ...options,
      sequences: 1,
      contextSize: { min: Math.min(minFallbackContext, max), max },
    };
    const context = await model.createContext(fallback).catch((error: unknown) => {
      throw error instanceof InsufficientMemoryError
        ? outOfMemory(`a ${minFallbackContext}-token context`, error)
        : loadFailure(error);
    });
    warnings.push(
      `Not enough memory for ${options.sequences ?? 1} × ${max}-token context; using 1 × ${context.contextSize} tokens.`,
    );
    return context;
  }
}

function outOfMemory(what: string, error: InsufficientMemoryError): AppError {
  return new AppError(
    'insufficient_memory',
    `Not enough memory for ${what}: ${error.message} Try a smaller quantization, fewer GPU layers or a shorter context.`,
  );
}

function loadFailure(error: unknown): AppError {
  return error instanceof AppError
    ? error
    : new AppError(
        'model_invalid',
        `llama.cpp could not load the model: ${(error as Error).message ?? String(error)}`,
      );
}
