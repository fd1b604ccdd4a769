/**
 * Generates a Phi-2-architecture GGUF with random weights (see scripts/test-model/).
 *
 *   npm run gen:model -- --out model.gguf [--embedding 768] [--layers 12] [--feed-forward 3072]
 *                        [--heads 12] [--context 2048] [--type f32|f16|q8_0|q4_0] [--seed 1] [--never-ends]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultTestModel, writePhi2TestModel, type TestModelOptions } from './test-model/phi2-test-model';

const types = ['f32', 'f16', 'q8_0', 'q4_0'] as const;

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      embedding: { type: 'string' },
      layers: { type: 'string' },
      'feed-forward': { type: 'string' },
      heads: { type: 'string' },
      context: { type: 'string' },
      type: { type: 'string' },
      seed: { type: 'string' },
      'never-ends': { type: 'boolean' },
    },
  });
  if (!values.out) fail('--out <file.gguf> is required');
  const number = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) fail(`--${name} must be a positive integer`);
    return parsed;
  };
  const type = (values.type ?? defaultTestModel.type) as TestModelOptions['type'];
  if (!types.includes(type)) fail(`--type must be one of ${types.join(', ')}`);
  const options: TestModelOptions = {
    embedding: number(values.embedding, defaultTestModel.embedding, 'embedding'),
    layers: number(values.layers, defaultTestModel.layers, 'layers'),
    feedForward: number(values['feed-forward'], defaultTestModel.feedForward, 'feed-forward'),
    heads: number(values.heads, defaultTestModel.heads, 'heads'),
    contextLength: number(values.context, defaultTestModel.contextLength, 'context'),
    type,
    seed: number(values.seed, defaultTestModel.seed, 'seed'),
    endOfTextBias: values['never-ends'] ? -30 : 0,
  };
  const started = Date.now();
  writePhi2TestModel(path.resolve(values.out), options);
  console.log(
    `Wrote ${values.out} (${options.embedding} wide, ${options.layers} layers, ${type}) in ${Date.now() - started} ms`,
  );
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

main();
