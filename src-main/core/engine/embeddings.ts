/**
 * Vectors for the notes index, wherever the embedding model runs: Embedder runs it on this process's
 * llama.cpp runtime (inside the engine process), EngineClient's embeddings ask the engine process.
 */
export interface LoadedEmbeddingModel {
  /** Names the model file; changes when the file does, so vectors made by another model are remade. */
  modelId: string;
  dimensions: number;
  path: string;
  contextSize: number;
  threads: number;
}

export interface Embeddings {
  readonly loaded: LoadedEmbeddingModel | null;
  /** Loads a model in place of the current one, which stays until the new one has loaded. */
  load(modelPath: string): Promise<{ modelId: string; dimensions: number }>;
  unload(): Promise<void>;
  /**
   * One unit vector per text, in order. A text longer than the context is cut to fit; an empty one gives a
   * zero vector. `signal` stops a long batch within one embedding.
   */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
