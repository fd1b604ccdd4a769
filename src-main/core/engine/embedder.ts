/**
 * Turns texts into vectors for the notes index, with a small embedding model (bge-small) loaded beside the
 * chat model on the process's one llama.cpp runtime. It has its own model and context, so loading it or
 * embedding never waits on a chat answer, nor an answer on it.
 *
 * Calls on one embedding context run one at a time in node-llama-cpp anyway; here every operation (load,
 * unload, embed) takes its turn in one queue, so a load never pulls the model out from under a batch.
 * Vectors come back at unit length, so the dot product of two is their cosine similarity.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  InsufficientMemoryError,
  type LlamaEmbeddingContext,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import { readGgufFile } from '../gguf/gguf-reader';
import type { Logger } from '../log';
import type { Embeddings, LoadedEmbeddingModel } from './embeddings';
import type { LlamaRuntime } from './llama-runtime';
import { defaultThreads } from './threads';

export interface EmbedderOptions {
  runtime: LlamaRuntime;
  log: Logger;
  /** llama.cpp threads; by default the engine's measured rule (engine/threads.ts). */
  threads?: number | undefined;
}

interface Session {
  model: LlamaModel;
  context: LlamaEmbeddingContext;
  info: LoadedEmbeddingModel;
  /** The most tokens of text that fit with the tokens the model adds (BOS/CLS, EOS/SEP). */
  maxTextTokens: number;
}

/**
 * Enough for the notes' chunks (about 250 tokens) with room to spare; bge-small's own 512 is less, and a
 * model trained on more would only spend memory on a window never filled.
 */
export const maxEmbeddingContext = 2048;

export class Embedder implements Embeddings {
  #runtime: LlamaRuntime;
  #log: Logger;
  #threads: number | undefined;
  #session: Session | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(options: EmbedderOptions) {
    this.#runtime = options.runtime;
    this.#log = options.log;
    this.#threads = options.threads;
  }

  get loaded(): LoadedEmbeddingModel | null {
    return this.#session && { ...this.#session.info };
  }

  /** Loads a model in place of the current one, which stays until the new one has loaded. */
  load(modelPath: string): Promise<{ modelId: string; dimensions: number }> {
    return this.#inTurn(async () => {
      const { modelId, dimensions } = await this.#load(modelPath);
      return { modelId, dimensions };
    });
  }

  unload(): Promise<void> {
    return this.#inTurn(() => this.#unload());
  }

  /**
   * One unit vector per text, in order. A text longer than the context is cut to fit (its start is what
   * it is about); an empty one gives a zero vector, which matches nothing. `signal` is checked before each
   * text, so a long batch stops within one embedding.
   */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return this.#inTurn(() => this.#embed(texts, signal));
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    const last = this.#inTurn(() => this.#unload());
    this.#disposed = true;
    await last;
  }

  /** Runs after everything asked before it has finished, whether that worked or not. */
  #inTurn<T>(run: () => Promise<T>): Promise<T> {
    if (this.#disposed) return Promise.reject(new AppError('unavailable', 'The embedder has been closed.'));
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #load(modelPath: string): Promise<LoadedEmbeddingModel> {
    // Checked before anything native reads it: a damaged or non-GGUF file gets a typed error, not a crash.
    const file = await readGgufFile(modelPath);
    const llama = await this.#runtime.get().catch((error: unknown) => {
      throw new AppError('unavailable', `llama.cpp cannot start: ${(error as Error).message}`);
    });
    const model = await llama.loadModel({ modelPath: file.path }).catch((error: unknown) => {
      throw loadFailure(error);
    });
    let session: Session;
    try {
      const contextSize = Math.min(model.trainContextSize || 512, maxEmbeddingContext);
      // Always explicit: node-llama-cpp's default (6) is 70 times slower on a 2-core machine.
      const threads = this.#threads ?? defaultThreads(llama.cpuMathCores);
      const context = await model
        // The whole text in one batch: models that see it all at once (BERT) need it so.
        .createEmbeddingContext({ contextSize, batchSize: contextSize, threads })
        .catch((error: unknown) => {
          throw loadFailure(error);
        });
      const general = file.info.metadata.general as { name?: unknown } | undefined;
      session = {
        model,
        context,
        // An empty input measures the tokens the model adds around every text; the context must exceed the total.
        maxTextTokens: contextSize - 1 - context.calculateInputLength([]),
        info: {
          modelId: modelIdOf(file.path, file.sizeBytes, general?.name),
          dimensions: model.embeddingVectorSize,
          path: file.path,
          contextSize,
          threads,
        },
      };
    } catch (error) {
      await model.dispose();
      throw error;
    }
    await this.#unload();
    this.#session = session;
    // The runtime can go under it (another backend chosen): then nothing is loaded any more.
    model.onDispose.createListener(() => {
      if (this.#session === session) this.#session = null;
    });
    const { info } = session;
    this.#log.info(
      `Embedding model ${info.modelId} loaded: ${info.dimensions} dimensions, ${info.contextSize}-token context, ${info.threads} threads`,
    );
    return info;
  }

  async #unload(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    this.#session = null;
    await session.context.dispose();
    await session.model.dispose();
  }

  async #embed(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const session = this.#session;
    if (!session) throw new AppError('model_not_loaded', 'No embedding model is loaded.');
    const vectors: Float32Array[] = [];
    let cut = 0;
    for (const text of texts) {
      if (signal?.aborted) throw new AppError('cancelled', 'Embedding was cancelled.');
      let tokens = session.model.tokenize(text);
      if (tokens.length > session.maxTextTokens) {
        tokens = tokens.slice(0, session.maxTextTokens);
        cut++;
      }
      vectors.push(await this.#embedTokens(session, tokens));
    }
    if (cut > 0)
      this.#log.info(`Cut ${cut} of ${texts.length} texts to the ${session.maxTextTokens} tokens that fit`);
    return vectors;
  }

  async #embedTokens(session: Session, tokens: Token[]): Promise<Float32Array> {
    const { dimensions } = session.info;
    if (tokens.length === 0) return new Float32Array(dimensions);
    let values: readonly number[];
    try {
      values = (await session.context.getEmbeddingFor(tokens)).vector;
    } catch (error) {
      if (session.context.disposed)
        throw new AppError('model_not_loaded', 'The embedding model was unloaded while embedding.');
      throw new AppError('internal', `Embedding failed: ${(error as Error).message ?? String(error)}`);
    }
    if (values.length !== dimensions)
      throw new AppError('internal', `The model gave ${values.length} dimensions, not ${dimensions}.`);
    return unitVector(values);
  }
}

/** The values scaled to length 1; all zeros stay zeros (nothing to point at). */
export function unitVector(values: readonly number[]): Float32Array {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  // One NaN in the index would poison every score it takes part in.
  if (!Number.isFinite(norm)) throw new AppError('internal', 'The model gave a vector that is not finite.');
  const vector = new Float32Array(values);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}

/** The file's name and a short hash of its name, size and model name: another file, another id. */
function modelIdOf(file: string, sizeBytes: number, modelName: unknown): string {
  const base = path.basename(file);
  const hash = createHash('sha256')
    .update(`${base}\n${sizeBytes}\n${typeof modelName === 'string' ? modelName : ''}`)
    .digest('hex')
    .slice(0, 10);
  return `${base.replace(/\.gguf$/i, '')}@${hash}`;
}

function loadFailure(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof InsufficientMemoryError)
    return new AppError('insufficient_memory', `Not enough memory for the embedding model: ${error.message}`);
  return new AppError(
    'model_invalid',
    `llama.cpp could not load the embedding model: ${(error as Error).message ?? String(error)}`,
  );
}
