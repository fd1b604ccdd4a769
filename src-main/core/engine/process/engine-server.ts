/**
 * The engine process's side of the protocol: a LocalEngine, the embedding model and the fit estimate on this
 * process's one llama.cpp runtime, served to the app over a message port. Every message is checked on
 * arrival; a call's failure goes back as its reply, never as a crash. A heartbeat each second carries the
 * process's resident memory, which is also how the app tells a stopped process from a busy one.
 */
import { inspect } from 'node:util';
import { AppError, isAppError } from '../../../../src-shared/errors';
import type { EngineMemory, GpuSetting, LoadedModel } from '../../../../src-shared/types';
import { EventBus } from '../../event-bus';
import type { Logger } from '../../log';
import { estimateFit } from '../../models/fit-estimate';
import { Embedder } from '../embedder';
import type { GenerateRequest, GenerationHooks } from '../engine';
import { LlamaRuntime } from '../llama-runtime';
import { LocalEngine } from '../local-engine';
import {
  engineCalls,
  toEngineMessage,
  type EngineMethod,
  type FromEngineMessage,
  type GenerationEvent,
} from './engine-protocol';

/** The process's end of its channel to the app (Electron's parentPort, or Node's IPC channel). */
export interface EnginePort {
  post(message: FromEngineMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

const heartbeatMs = 1000;

type Handler = (params: never, signal: AbortSignal, id: number) => unknown;

export function serveEngine(port: EnginePort, exit: (code: number) => void): void {
  const bus = new EventBus();
  const log = portLogger(port);
  const runtime = new LlamaRuntime(bus);
  const engine = new LocalEngine({ bus, runtime, log });
  const embedder = new Embedder({ runtime, log });
  const memory: EngineMemory = {
    rssBytes: process.memoryUsage.rss(),
    baselineBytes: 0,
    modelEstimateBytes: null,
  };
  const calls = new Map<number, AbortController>();

  bus.subscribe((name) => {
    if (name === 'engine.state') port.post({ type: 'state', state: { ...engine.state, process: null } });
    if (name === 'llama.runtime') port.post({ type: 'runtime', status: runtime.status });
  });
  const tellEmbeddings = () => port.post({ type: 'embeddings', loaded: embedder.loaded });

  const handlers: Record<EngineMethod, Handler> = {
    prepare: ({ gpu }: { gpu: GpuSetting }) => {
      // The runtime's own share of memory: what the process holds once llama.cpp is up, nothing loaded.
      runtime
        .get(gpu)
        .then(() => {
          if (!engine.state.model) memory.baselineBytes = process.memoryUsage.rss();
        })
        .catch((error: unknown) => log.warn('llama.cpp runtime unavailable', error));
      return null;
    },
    load: async (options: Parameters<LocalEngine['load']>[0]) => {
      const loaded = await engine.load(options);
      memory.modelEstimateBytes = await estimateOf(loaded, options.gpu);
      return loaded;
    },
    cancelLoad: () => engine.cancelLoad(),
    unload: async () => {
      memory.modelEstimateBytes = null;
      return engine.unload();
    },
    generate: async ({ request }: { request: GenerateRequest }, _signal, id) => {
      const tell = (event: GenerationEvent) => port.post({ type: 'generation', id, event });
      const hooks: GenerationHooks = {
        onQueued: (position) => tell({ hook: 'queued', position }),
        onStarted: (started) => tell({ hook: 'started', started }),
        onReading: (reading) => tell({ hook: 'reading', reading }),
        onDelta: (delta) => tell({ hook: 'delta', delta }),
      };
      const handle = await engine.generate(request, hooks);
      void handle.done.then((done) => tell({ hook: 'done', done }));
      return { requestId: handle.requestId, queuePosition: handle.queuePosition };
    },
    stop: ({ requestId }: { requestId: string }) => engine.stop(requestId),
    measure: ({ request }: { request: GenerateRequest }) => engine.measure(request),
    countTokens: ({ texts }: { texts: string[] }) => engine.countTokens(texts),
    estimateFit: async ({ file, options }: { file: string; options: Parameters<typeof estimateFit>[2] }) =>
      estimateFit(await runtime.get(), file, options),
    'embeddings.load': async ({ path }: { path: string }) => {
      try {
        return await embedder.load(path);
      } finally {
        tellEmbeddings();
      }
    },
    'embeddings.unload': async () => {
      await embedder.unload();
      tellEmbeddings();
      return null;
    },
    'embeddings.embed': ({ texts }: { texts: string[] }, signal) => embedder.embed(texts, signal),
    shutdown: async () => {
      clearInterval(heartbeat);
      await embedder.dispose();
      await engine.dispose();
      await runtime.dispose();
      setImmediate(() => exit(0));
      return null;
    },
  };

  async function estimateOf(loaded: LoadedModel, gpu: GpuSetting): Promise<number | null> {
    try {
      const fit = await estimateFit(await runtime.get(gpu), loaded.file.path, {
        contextSize: loaded.contextSize,
        gpuLayers: loaded.gpuLayers,
        sequences: loaded.sequences,
      });
      return Math.round(fit.ramNeeded);
    } catch (error) {
      log.warn('Could not estimate the loaded model’s memory', error);
      return null;
    }
  }

  port.onMessage((raw) => {
    const parsed = toEngineMessage.safeParse(raw);
    if (!parsed.success) {
      log.warn(`Ignored a malformed message from the app: ${parsed.error.issues[0]?.message ?? ''}`);
      return;
    }
    const message = parsed.data;
    if (message.type === 'cancel') {
      calls.get(message.id)?.abort();
      return;
    }
    const { id, method } = message;
    const params = engineCalls[method].safeParse(message.params);
    if (!params.success) {
      const issue = params.error.issues[0];
      const error = new AppError(
        'invalid_input',
        `The engine refused ${method}: ${[...(issue?.path ?? [])].join('.')} ${issue?.message ?? ''}`.trim(),
      );
      port.post({ type: 'reply', id, error: error.toWire() });
      return;
    }
    const controller = new AbortController();
    calls.set(id, controller);
    Promise.resolve()
      .then(() => handlers[method](params.data as never, controller.signal, id))
      .then(
        (value) => port.post({ type: 'reply', id, value: value ?? null }),
        (error: unknown) => {
          if (!isAppError(error)) log.error(`${method} failed`, error);
          const wire = isAppError(error)
            ? error.toWire()
            : new AppError(
                'internal',
                `${method} failed: ${(error as Error)?.message ?? String(error)}`,
              ).toWire();
          port.post({ type: 'reply', id, error: wire });
        },
      )
      .finally(() => calls.delete(id));
  });

  const heartbeat = setInterval(() => {
    memory.rssBytes = process.memoryUsage.rss();
    port.post({ type: 'alive', memory: { ...memory } });
  }, heartbeatMs);
  port.post({ type: 'ready', pid: process.pid });
}

/** The process's log lines go to the app, which writes them into its own log (file included). */
function portLogger(port: EnginePort): Logger {
  const line = (message: string, details: unknown[]) =>
    [message, ...details.map((detail) => (typeof detail === 'string' ? detail : inspect(detail)))]
      .join(' ')
      .slice(0, 20_000);
  return {
    info: (message, ...details) => port.post({ type: 'log', level: 'info', message: line(message, details) }),
    warn: (message, ...details) => port.post({ type: 'log', level: 'warn', message: line(message, details) }),
    error: (message, ...details) =>
      port.post({ type: 'log', level: 'error', message: line(message, details) }),
  };
}
