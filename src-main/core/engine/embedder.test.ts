import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import { LlamaRuntime } from './llama-runtime';
import { EventBus } from '../event-bus';
import { createLogger } from '../log';
import { tempDir } from '../../test-support/engine';
import { Embedder, unitVector } from './embedder';

// The generated Phi-2-architecture model: its embedding context gives 64-dimension vectors, in milliseconds.
const model = ensureTestModel({});
let runtime: LlamaRuntime;
let embedder: Embedder;
const logged: string[] = [];
const log = { info: (line: string) => logged.push(line), warn: () => {}, error: () => {} };

beforeAll(async () => {
  runtime = new LlamaRuntime(new EventBus(), 'cpu');
  embedder = new Embedder({ runtime, log, threads: 1 });
  await embedder.load(model);
});
afterAll(async () => {
  await embedder.dispose();
  await runtime.dispose();
});

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);
const norm = (v: Float32Array) => Math.sqrt(dot(v, v));

describe('Embedder', () => {
  it('reports the model it loaded: its id, dimensions, path and the threads it was given', () => {
    expect(embedder.loaded).toMatchObject({
      modelId: expect.stringMatching(new RegExp(`^${path.basename(model, '.gguf')}@[0-9a-f]{10}$`)),
      dimensions: 64,
      path: model,
      threads: 1,
    });
  });

  it('gives one unit vector per text, the same for the same text and different for different ones', async () => {
    const texts = ['The mitochondria is the powerhouse of the cell.', 'Photosynthesis makes sugar.'];
    const [first, second, again] = await embedder.embed([...texts, texts[0]!]);
    for (const vector of [first!, second!]) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(64);
      expect(norm(vector)).toBeCloseTo(1, 5);
    }
    expect(again).toEqual(first);
    expect(dot(first!, second!)).toBeLessThan(0.9999);
    expect(await embedder.embed([])).toEqual([]);
  });

  it('cuts a text longer than the context instead of failing', async () => {
    const long = 'Revision notes about cell biology and the Krebs cycle. '.repeat(400);
    expect(long.length).toBeGreaterThan(20_000);
    const [vector, short] = await embedder.embed([long, 'short']);
    expect(norm(vector!)).toBeCloseTo(1, 5);
    expect(short).toHaveLength(64);
    expect(logged.at(-1)).toMatch(/^Cut 1 of 2 texts to the \d+ tokens that fit$/);
  });

  it('gives an empty text a zero vector, which matches nothing', async () => {
    const [vector] = await embedder.embed(['']);
    expect(vector).toEqual(new Float32Array(64));
  });

  it('stops between texts when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(['one', 'two'], controller.signal)).rejects.toMatchObject({
      code: 'cancelled',
    });

    const midway = new AbortController();
    const texts = Array.from({ length: 200 }, (_, i) => `Note number ${i} about something else.`);
    const running = embedder.embed(texts, midway.signal);
    setTimeout(() => midway.abort(), 5);
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    // The context is free again afterwards.
    expect(await embedder.embed(['after'])).toHaveLength(1);
  });

  it('replaces the model on a second load, with an id that follows the file', async () => {
    const before = embedder.loaded!;
    const [vector] = await embedder.embed(['same text']);

    const other = ensureTestModel({ embedding: 128, layers: 2 });
    expect(await embedder.load(other)).toEqual({ modelId: expect.any(String), dimensions: 128 });
    expect(embedder.loaded).toMatchObject({ path: other, dimensions: 128 });
    expect(embedder.loaded!.modelId).not.toBe(before.modelId);
    expect((await embedder.embed(['same text']))[0]).toHaveLength(128);

    // The same file under another name is another model as far as stored vectors go.
    const copy = path.join(tempDir('phidesk-embedder-'), 'renamed.gguf');
    fs.copyFileSync(model, copy);
    const renamed = await embedder.load(copy);
    expect(renamed.modelId).not.toBe(before.modelId);

    await embedder.load(model);
    expect(embedder.loaded!.modelId).toBe(before.modelId);
    expect((await embedder.embed(['same text']))[0]).toEqual(vector);
  });

  it('keeps the loaded model when a new file cannot be loaded', async () => {
    const broken = path.join(tempDir('phidesk-embedder-'), 'broken.gguf');
    fs.writeFileSync(broken, '<html>not a model</html>');
    await expect(embedder.load(broken)).rejects.toMatchObject({ code: 'model_invalid' });
    await expect(embedder.load(path.join(path.dirname(broken), 'missing.gguf'))).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(embedder.loaded?.path).toBe(model);
  });

  it('refuses to embed with no model loaded, and after it is closed', async () => {
    const idle = new Embedder({ runtime, log: createLogger('test', 'error'), threads: 1 });
    expect(idle.loaded).toBeNull();
    await expect(idle.embed(['text'])).rejects.toMatchObject({ code: 'model_not_loaded' });
    await idle.load(model);
    await idle.unload();
    expect(idle.loaded).toBeNull();
    await expect(idle.embed(['text'])).rejects.toMatchObject({ code: 'model_not_loaded' });
    await idle.dispose();
    await expect(idle.load(model)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('runs operations in turn: a load asked for during a batch waits for it', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `text ${i}`);
    const batch = embedder.embed(texts);
    const reload = embedder.load(model);
    expect(await batch).toHaveLength(20);
    await reload;
    expect(embedder.loaded?.path).toBe(model);
  });

  it('measures embeddings per second at one thread', async () => {
    const texts = Array.from(
      { length: 100 },
      (_, i) => `Chunk ${i}: a paragraph of a note, a few sentences long, about topic ${i % 7}.`,
    );
    const started = performance.now();
    await embedder.embed(texts);
    const seconds = (performance.now() - started) / 1000;
    console.info(`Embedder: ${Math.round(texts.length / seconds)} embeddings/s (test model, 1 thread)`);
    expect(seconds).toBeLessThan(30);
  });
});

describe('unitVector', () => {
  it('scales to length 1, leaves zeros alone and refuses values that are not finite', () => {
    expect([...unitVector([3, 4])]).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect([...unitVector([0, 0])]).toEqual([0, 0]);
    expect(() => unitVector([1, Number.NaN])).toThrow(/not finite/);
  });
});
