/**
 * The engine as the app uses it: a LocalEngine in its own process (engine isolation), behind the same
 * Engine interface, so core does not know where llama.cpp runs. This side also keeps the app on its feet
 * when that process dies:
 *
 * - a crash (any exit it was not asked for) or a hang (nothing heard, or no progress on the running answer,
 *   for `hangTimeoutMs` while there is work; the process is then killed) ends the running answer as
 *   `crashed` with its text so far, which the answer service saves as `interrupted`; requests still queued,
 *   and calls waiting for a reply, fail with `engine_restarting`, which says to ask again;
 * - the process is started again after a pause and given back the model and the embedding model it had,
 *   with the same settings; after `restartDelaysMs.length + 1` crashes within `crashWindowMs` it stays
 *   down and says why and what to try (`failed`, until restart() or a model is loaded by hand);
 * - the log records how it ended (exit code or signal) and the last request it was given.
 */
import path from 'node:path';
import { AppError } from '../../../../src-shared/errors';
import type {
  ContextUsage,
  GpuSetting,
  EngineProcess,
  EngineState,
  FitEstimate,
  GenerationDone,
  GenerationStarted,
  LlamaRuntimeStatus,
  LoadedModel,
  LoadModelOptions,
} from '../../../../src-shared/types';
import type { EventBus } from '../../event-bus';
import type { Logger } from '../../log';
import type { FitOptions } from '../../models/fit-estimate';
import type { Embeddings, LoadedEmbeddingModel } from '../embeddings';
import type {
  Engine,
  GenerateRequest,
  GenerationHandle,
  GenerationHooks,
  GenerationProgress,
} from '../engine';
import { EngineConnection, type EngineResult } from './engine-connection';
import type { EngineMethod, EngineParams, FromEngineMessage, GenerationEvent } from './engine-protocol';
import type { EngineExit, LaunchEngine } from './launch';

export interface EngineClientOptions {
  bus: EventBus;
  log: Logger;
  launch: LaunchEngine;
  /** The llama.cpp backend to start with (the settings'); a restart uses the last loaded model's. */
  gpu?: GpuSetting | undefined;
  /** Silence, or no progress on the running answer, for this long while there is work: a hang. */
  hangTimeoutMs?: number | undefined;
  /** The pause before each restart within the crash window; one crash more and it gives up. */
  restartDelaysMs?: readonly number[] | undefined;
  crashWindowMs?: number | undefined;
}

/** A generation the process has been asked for, by the id of the call that asked. */
interface Generation {
  hooks: GenerationHooks;
  requestId: string | null;
  started: GenerationStarted | null;
  /** What it streamed so far: kept when the process dies under it. */
  text: string;
  progress: Omit<GenerationProgress, 'text'>;
  resolve(done: GenerationDone): void;
}

type InnerState = Omit<EngineState, 'process'>;

const idleState: InnerState = { model: null, loading: null, running: null, queued: 0 };
/** Memory reports that move less than this are not announced (the heartbeat comes every second). */
const memoryAnnounceBytes = 4 * 1024 * 1024;

export const restartingMessage = 'The model stopped unexpectedly — restarting.';

export class EngineClient implements Engine {
  readonly embeddings: Embeddings;
  #options: Required<EngineClientOptions>;
  #connection: EngineConnection | null = null;
  #inner: InnerState = idleState;
  #process: EngineProcess = { status: 'starting', pid: null, memory: null, lastCrash: null, failure: null };
  #runtime: LlamaRuntimeStatus = { state: 'starting' };
  #generations = new Map<number, Generation>();
  /** What to give a restarted process back. */
  #lastLoad: LoadModelOptions | null = null;
  #embeddingsPath: string | null = null;
  #embeddingsLoaded: LoadedEmbeddingModel | null = null;
  #embeddingsListeners = new Set<() => void>();
  #crashes: number[] = [];
  /** Why the process is being killed, when this side kills it (a hang). */
  #killedFor: string | null = null;
  /** The last request given to the process, for the log of a crash. */
  #lastRequest = 'none';
  #lastProgress = performance.now();
  #watchdog: NodeJS.Timeout;
  #restartTimer: NodeJS.Timeout | null = null;
  #disposed = false;
  /** Waiting for the process to end (dispose). */
  #onceExited = new Set<() => void>();

  constructor(options: EngineClientOptions) {
    this.#options = {
      ...options,
      gpu: options.gpu ?? 'auto',
      hangTimeoutMs: options.hangTimeoutMs ?? 60_000,
      restartDelaysMs: options.restartDelaysMs ?? [500, 2000],
      crashWindowMs: options.crashWindowMs ?? 60_000,
    };
    this.embeddings = this.#embeddingsApi();
    this.#start();
    this.#watchdog = setInterval(
      () => this.#checkProgress(),
      Math.min(1000, this.#options.hangTimeoutMs / 4),
    );
    this.#watchdog.unref();
  }

  get state(): EngineState {
    return { ...this.#inner, process: { ...this.#process } };
  }

  /** The llama.cpp runtime in the engine process (backend, GPU names), as it last reported. */
  get runtime(): LlamaRuntimeStatus {
    return this.#runtime;
  }

  async load(options: LoadModelOptions): Promise<LoadedModel> {
    // Loading by hand after it gave up is how a person says "try again" (with this model, not the last).
    if (this.#process.status === 'failed') {
      this.#lastLoad = null;
      this.restart();
    }
    const loaded = await this.#call(`load ${path.basename(options.path)}`, 'load', options);
    this.#lastLoad = options;
    return loaded;
  }

  cancelLoad(): boolean {
    if (!this.#inner.loading || !this.#connection) return false;
    this.#connection.tell('cancelLoad', {});
    return true;
  }

  async unload(): Promise<boolean> {
    this.#lastLoad = null;
    if (!this.#connection || this.#process.status !== 'running') return false;
    return this.#call('unload', 'unload', {});
  }

  async generate(request: GenerateRequest, hooks: GenerationHooks = {}): Promise<GenerationHandle> {
    const connection = this.#require();
    this.#lastRequest = `generate (${request.conversationId ?? 'one-off'}, ${request.messages.length} turns${request.json ? ', JSON' : ''})`;
    const { id, result } = connection.start('generate', { request: plain(request) });
    let resolve!: (done: GenerationDone) => void;
    const done = new Promise<GenerationDone>((settle) => (resolve = settle));
    const generation: Generation = {
      hooks,
      requestId: null,
      started: null,
      text: '',
      progress: { outputTokens: 0, elapsedMs: 0, firstTokenMs: null },
      resolve,
    };
    this.#generations.set(id, generation);
    try {
      const accepted = await result;
      generation.requestId = accepted.requestId;
      return { requestId: accepted.requestId, queuePosition: accepted.queuePosition, done };
    } catch (error) {
      this.#generations.delete(id);
      throw error;
    }
  }

  stop(requestId: string): boolean {
    const known = [...this.#generations.values()].some((generation) => generation.requestId === requestId);
    if (!known || !this.#connection) return false;
    this.#connection.tell('stop', { requestId });
    return true;
  }

  async measure(request: GenerateRequest): Promise<ContextUsage | null> {
    if (this.#process.status !== 'running' || !this.#inner.model) return null;
    return this.#call('measure', 'measure', { request: plain(request) });
  }

  countTokens(texts: readonly string[]): Promise<number[]> {
    return this.#call(`countTokens (${texts.length} texts)`, 'countTokens', { texts: [...texts] });
  }

  estimateFit(file: string, options: FitOptions): Promise<FitEstimate> {
    return this.#call('estimateFit', 'estimateFit', {
      file,
      options: Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    });
  }

  /** Told each time a (restarted) process has the embedding model loaded again. */
  onEmbeddingsLoaded(listener: () => void): () => void {
    this.#embeddingsListeners.add(listener);
    return () => this.#embeddingsListeners.delete(listener);
  }

  /** Starts the process again now, counting no earlier crash (a person asked: Try again). */
  restart(): void {
    if (this.#disposed) return;
    this.#crashes = [];
    this.#process = { ...this.#process, failure: null };
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const running = this.#connection && !this.#connection.exited ? this.#connection : null;
    if (running) {
      this.#killedFor = 'restarted on request';
      running.kill();
    } else this.#restartNow();
  }

  /** The engine process's id (null while none runs). */
  get pid(): number | null {
    return this.#connection?.pid ?? null;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    clearInterval(this.#watchdog);
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    const connection = this.#connection;
    if (!connection || connection.exited) return;
    const exited = new Promise<void>((resolve) => this.#onceExited.add(resolve));
    connection.tell('shutdown', {});
    const timer = setTimeout(() => connection.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  #start(): void {
    this.#process = { ...this.#process, status: 'starting', pid: null, memory: null };
    const connection = new EngineConnection(this.#options.launch, {
      onMessage: (message) => this.#onMessage(connection, message),
      onMalformed: (problem) =>
        this.#options.log.warn(`The engine process sent a malformed message: ${problem}`),
      failureOnExit: () =>
        this.#disposed
          ? new AppError('unavailable', 'The engine has been closed.')
          : new AppError('engine_restarting', restartingMessage),
      onExit: (exit) => this.#onExit(connection, exit),
    });
    this.#connection = connection;
    this.#process.pid = connection.pid;
    connection.tell('prepare', { gpu: this.#lastLoad?.gpu ?? this.#options.gpu });
    this.#announce();
  }

  /** A new process, given back what the last one had loaded. */
  #restartNow(): void {
    this.#restartTimer = null;
    if (this.#disposed) return;
    this.#start();
    const model = this.#lastLoad;
    const embeddings = this.#embeddingsPath;
    void (async () => {
      if (model) {
        await this.load(model).catch((error: unknown) => {
          this.#options.log.error(`Could not load ${model.path} again after the restart`, error);
        });
      }
      if (embeddings) {
        await this.embeddings.load(embeddings).then(
          () => this.#embeddingsListeners.forEach((listener) => listener()),
          (error: unknown) => this.#options.log.warn('Could not load the embedding model again', error),
        );
      }
    })();
  }

  #onMessage(connection: EngineConnection, message: Exclude<FromEngineMessage, { type: 'reply' }>): void {
    if (connection !== this.#connection) return;
    switch (message.type) {
      case 'ready':
        this.#process = { ...this.#process, status: 'running', pid: message.pid };
        this.#announce();
        return;
      case 'state': {
        const running = message.state.running;
        if (running !== this.#inner.running) this.#lastProgress = performance.now();
        this.#inner = message.state;
        this.#announce();
        return;
      }
      case 'runtime':
        this.#runtime = message.status;
        this.#options.bus.emit('llama.runtime', this.#runtime);
        return;
      case 'embeddings':
        this.#embeddingsLoaded = message.loaded;
        return;
      case 'alive': {
        const before = this.#process.memory;
        this.#process.memory = message.memory;
        const moved = Math.abs(message.memory.rssBytes - (before?.rssBytes ?? 0));
        if (
          !before ||
          moved >= memoryAnnounceBytes ||
          before.modelEstimateBytes !== message.memory.modelEstimateBytes
        )
          this.#announce();
        return;
      }
      case 'log':
        this.#options.log[message.level](`engine process: ${message.message}`);
        return;
      case 'generation':
        this.#onGeneration(message.id, message.event);
        return;
    }
  }

  #onGeneration(id: number, event: GenerationEvent): void {
    const generation = this.#generations.get(id);
    if (!generation) return;
    switch (event.hook) {
      case 'queued':
        generation.hooks.onQueued?.(event.position);
        return;
      case 'started':
        this.#lastProgress = performance.now();
        generation.started = event.started;
        generation.hooks.onStarted?.(event.started);
        return;
      case 'reading':
        this.#lastProgress = performance.now();
        generation.hooks.onReading?.(event.reading);
        return;
      case 'delta': {
        this.#lastProgress = performance.now();
        const { text, ...progress } = event.delta;
        generation.text += text;
        generation.progress = progress;
        generation.hooks.onDelta?.(event.delta);
        return;
      }
      case 'done':
        this.#generations.delete(id);
        generation.resolve(event.done);
        return;
    }
  }

  #onExit(connection: EngineConnection, exit: EngineExit): void {
    this.#onceExited.forEach((resolve) => resolve());
    this.#onceExited.clear();
    if (connection !== this.#connection) return;
    const doing = this.#inner.running
      ? 'while writing an answer'
      : this.#inner.loading
        ? 'while loading a model'
        : 'while idle';
    const how = this.#killedFor ?? describeExit(exit);
    this.#killedFor = null;
    this.#endGenerations();
    this.#inner = idleState;
    this.#embeddingsLoaded = null;
    if (this.#disposed) return;
    if (how === 'restarted on request') {
      this.#restartNow();
      return;
    }

    const message = `The engine process stopped unexpectedly (${how}) ${doing}.`;
    this.#options.log.error(`${message} Last request: ${this.#lastRequest}.`);
    const now = Date.now();
    this.#crashes = [...this.#crashes.filter((at) => now - at < this.#options.crashWindowMs), now];
    const delays = this.#options.restartDelaysMs;
    const lastCrash = { message, at: now };
    if (this.#crashes.length > delays.length) {
      const failure =
        `The model stopped unexpectedly ${this.#crashes.length} times in a minute (last: ${how}), so Phidesk ` +
        'stopped restarting it. Try CPU mode (Settings → Performance → Backend: CPU only) or fewer GPU layers, or another ' +
        'model file; loading a model tries again.';
      this.#options.log.error(failure);
      this.#process = { status: 'failed', pid: null, memory: null, lastCrash, failure };
      this.#announce();
      return;
    }
    this.#process = { status: 'restarting', pid: null, memory: null, lastCrash, failure: null };
    this.#announce();
    this.#restartTimer = setTimeout(() => this.#restartNow(), delays[this.#crashes.length - 1]);
  }

  /** The running answer ends as crashed with its text so far; those still queued fail, to be asked again. */
  #endGenerations(): void {
    for (const generation of this.#generations.values()) {
      const error = new AppError(
        'engine_restarting',
        generation.started
          ? restartingMessage
          : `${restartingMessage} This request had not started; ask again in a moment.`,
      ).toWire();
      generation.resolve({
        requestId: generation.requestId ?? '',
        text: generation.text.trimEnd(),
        stopReason: generation.started ? 'crashed' : 'error',
        stats: {
          promptTokens: generation.started?.promptTokens ?? 0,
          reusedTokens: generation.started?.reusedTokens ?? 0,
          outputTokens: generation.progress.outputTokens,
          timeToFirstTokenMs: generation.progress.firstTokenMs,
          tokensPerSecond: null,
          durationMs: generation.progress.elapsedMs,
          contextUsed: 0,
          contextSize: generation.started?.contextSize ?? 0,
          droppedTurns: generation.started?.droppedTurns ?? 0,
        },
        error,
      });
    }
    this.#generations.clear();
  }

  /** Kills a process that has work and has gone silent, or whose running answer has stopped moving. */
  #checkProgress(): void {
    const connection = this.#connection;
    if (!connection || connection.exited || this.#process.status !== 'running' || this.#killedFor) return;
    const busy = this.#inner.running !== null || this.#inner.loading !== null || connection.waiting > 0;
    if (!busy) return;
    const now = performance.now();
    const limit = this.#options.hangTimeoutMs;
    const silentMs = now - connection.lastHeard;
    const stalledMs = this.#inner.running !== null ? now - this.#lastProgress : 0;
    if (silentMs < limit && stalledMs < limit) return;
    this.#killedFor = `no response for ${Math.round(Math.max(silentMs, stalledMs) / 1000)} s: it hung and was stopped`;
    this.#options.log.error(`The engine process hung; killing it. Last request: ${this.#lastRequest}.`);
    connection.kill();
  }

  /** The process to ask now, or why it cannot be asked. */
  #require(): EngineConnection {
    if (this.#disposed) throw new AppError('unavailable', 'The engine has been closed.');
    if (this.#process.status === 'failed')
      throw new AppError('unavailable', this.#process.failure ?? restartingMessage);
    if (this.#process.status === 'restarting' || !this.#connection)
      throw new AppError('engine_restarting', `${restartingMessage} Try again in a moment.`);
    return this.#connection;
  }

  async #call<M extends EngineMethod>(
    what: string,
    method: M,
    params: EngineParams<M>,
    signal?: AbortSignal,
  ): Promise<EngineResult<M>> {
    const connection = this.#require();
    this.#lastRequest = what;
    return connection.call(method, params, signal);
  }

  #embeddingsApi(): Embeddings {
    const loaded = () => this.#embeddingsLoaded;
    const unload = async () => {
      this.#embeddingsPath = null;
      if (this.#process.status === 'running') await this.#call('embeddings.unload', 'embeddings.unload', {});
    };
    return {
      get loaded() {
        return loaded();
      },
      load: async (modelPath) => {
        const result = await this.#call('embeddings.load', 'embeddings.load', { path: modelPath });
        this.#embeddingsPath = modelPath;
        return result;
      },
      unload,
      embed: (texts, signal) =>
        this.#call(`embed (${texts.length} texts)`, 'embeddings.embed', { texts: [...texts] }, signal),
      dispose: unload,
    };
  }

  #announce(): void {
    this.#options.bus.emit('engine.state', this.state);
  }
}

/** The request as the protocol types it (its values are the engine's own to check). */
function plain(request: GenerateRequest): EngineParams<'generate'>['request'] {
  return request as EngineParams<'generate'>['request'];
}

function describeExit(exit: EngineExit): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  if (exit.code === null) return 'it could not be started';
  return `exit code ${exit.code}`;
}
