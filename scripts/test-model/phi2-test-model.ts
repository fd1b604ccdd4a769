/**
 * A small Phi-2-architecture model with random weights and a GPT-2 style byte-level BPE vocabulary
 * (DESIGN section 4). It loads and generates through the real node-llama-cpp exactly as Phi-2 does, so
 * tests exercise the real engine path without downloading weights. Its answers are noise, by design.
 */
import { GgmlType } from '../../src-main/core/gguf/gguf-format';
import { seededRandom } from '../../src-main/core/seeded-random';
import { writeGguf, type GgufTensorData, type GgufWriteValue } from './gguf-writer';
import { encodeTensor } from './tensor-encoding';

export interface TestModelOptions {
  /** Embedding width (Phi-2: 2560). */
  embedding: number;
  /** Transformer blocks (Phi-2: 32). */
  layers: number;
  /** Feed-forward width (Phi-2: 10240). */
  feedForward: number;
  /** Attention heads (Phi-2: 32); the embedding must divide evenly. */
  heads: number;
  /** Trained context length (Phi-2: 2048). */
  contextLength: number;
  /** Weight type of the matrices; norms and biases are always F32. */
  type: 'f32' | 'f16' | 'q8_0' | 'q4_0';
  seed: number;
  /**
   * Added to <|endoftext|>'s output logit. Random weights may end an answer at any token; -30 makes a model
   * that never ends on its own (benchmarks), +30 one that ends at once (tests of the end-token stop).
   */
  endOfTextBias: number;
}

export const defaultTestModel: TestModelOptions = {
  embedding: 64,
  layers: 2,
  feedForward: 256,
  heads: 4,
  contextLength: 2048,
  type: 'f32',
  seed: 1,
  endOfTextBias: 0,
};

const weightTypes = {
  f32: GgmlType.F32,
  f16: GgmlType.F16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0,
} as const;
/** llama.cpp's LLAMA_FTYPE values for general.file_type. */
const fileTypes = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 } as const;

/** Common English pairs, so ordinary text tokenizes into fewer tokens than bytes, as with Phi-2. */
const merges = [
  ['Ġ', 't'],
  ['h', 'e'],
  ['Ġ', 'a'],
  ['i', 'n'],
  ['Ġt', 'he'],
  ['e', 'r'],
  ['o', 'n'],
  ['Ġ', 's'],
  ['r', 'e'],
  ['a', 't'],
  ['Ġ', 'o'],
  ['e', 'n'],
  ['Ġ', 'w'],
  ['n', 'd'],
  ['Ġ', 'c'],
  ['e', 's'],
  ['Ġ', 'i'],
  ['o', 'r'],
  ['Ġ', 'b'],
  ['Ġ', 'f'],
  ['i', 's'],
  ['o', 'u'],
  ['Ġ', 'p'],
  ['Ġ', 'm'],
  ['e', 'd'],
  ['a', 'n'],
  ['Ġa', 'nd'],
  ['I', 'n'],
  ['In', 's'],
  ['O', 'u'],
] as const;

export const endOfText = '<|endoftext|>';

/** GPT-2's reversible byte → printable character mapping, which byte-level BPE vocabularies are written in. */
export function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const table: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCodePoint(printable.includes(b) ? b : 256 + extra++);
  }
  return table;
}

export function buildVocabulary(): {
  tokens: string[];
  types: number[];
  merges: string[];
  endOfTextId: number;
} {
  const tokens = byteToUnicode();
  for (const [left, right] of merges) tokens.push(left + right);
  tokens.push(endOfText);
  const types = tokens.map((token) => (token === endOfText ? 3 : 1));
  return {
    tokens,
    types,
    merges: merges.map(([left, right]) => `${left} ${right}`),
    endOfTextId: tokens.length - 1,
  };
}

export function writePhi2TestModel(file: string, options: TestModelOptions): void {
  const { embedding, layers, feedForward, heads, contextLength } = options;
  if (embedding % heads !== 0) throw new Error('the embedding width must be a multiple of the head count');
  const headSize = embedding / heads;
  const vocabulary = buildVocabulary();
  const vocab = vocabulary.tokens.length;
  const next = seededRandom(options.seed);
  const matrixType = weightTypes[options.type];

  const filled = (count: number, value: number) => new Float32Array(count).fill(value);
  const noise = (count: number, scale: number) => {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = (next() * 2 - 1) * scale;
    return values;
  };
  const tensors: GgufTensorData[] = [];
  const add = (name: string, dims: number[], values: Float32Array, type = GgmlType.F32) =>
    tensors.push({ name, dims, type, data: encodeTensor(values, type) });
  const matrix = (name: string, inputs: number, outputs: number) =>
    add(name, [inputs, outputs], noise(inputs * outputs, 1 / Math.sqrt(inputs)), matrixType);

  matrix('token_embd.weight', embedding, vocab);
  for (let layer = 0; layer < layers; layer++) {
    const prefix = `blk.${layer}`;
    add(`${prefix}.attn_norm.weight`, [embedding], filled(embedding, 1));
    add(`${prefix}.attn_norm.bias`, [embedding], filled(embedding, 0));
    matrix(`${prefix}.attn_qkv.weight`, embedding, 3 * embedding);
    add(`${prefix}.attn_qkv.bias`, [3 * embedding], noise(3 * embedding, 0.02));
    matrix(`${prefix}.attn_output.weight`, embedding, embedding);
    add(`${prefix}.attn_output.bias`, [embedding], noise(embedding, 0.02));
    matrix(`${prefix}.ffn_up.weight`, embedding, feedForward);
    add(`${prefix}.ffn_up.bias`, [feedForward], noise(feedForward, 0.02));
    matrix(`${prefix}.ffn_down.weight`, feedForward, embedding);
    add(`${prefix}.ffn_down.bias`, [embedding], noise(embedding, 0.02));
  }
  add('output_norm.weight', [embedding], filled(embedding, 1));
  add('output_norm.bias', [embedding], filled(embedding, 0));
  matrix('output.weight', embedding, vocab);
  const outputBias = noise(vocab, 0.02);
  outputBias[vocabulary.endOfTextId]! += options.endOfTextBias;
  add('output.bias', [vocab], outputBias);

  const metadata: Record<string, GgufWriteValue> = {
    'general.architecture': { type: 'string', value: 'phi2' },
    'general.name': { type: 'string', value: `Phidesk test model (${embedding}x${layers}, ${options.type})` },
    'general.file_type': { type: 'u32', value: fileTypes[options.type] },
    'phi2.context_length': { type: 'u32', value: contextLength },
    'phi2.embedding_length': { type: 'u32', value: embedding },
    'phi2.feed_forward_length': { type: 'u32', value: feedForward },
    'phi2.block_count': { type: 'u32', value: layers },
    'phi2.attention.head_count': { type: 'u32', value: heads },
    'phi2.attention.head_count_kv': { type: 'u32', value: heads },
    'phi2.attention.layer_norm_epsilon': { type: 'f32', value: 1e-5 },
    // Phi-2 rotates part of each head (32 of 80 dimensions); keep the same shape.
    'phi2.rope.dimension_count': { type: 'u32', value: Math.max(2, Math.floor((headSize * 2) / 5 / 2) * 2) },
    'tokenizer.ggml.model': { type: 'string', value: 'gpt2' },
    'tokenizer.ggml.pre': { type: 'string', value: 'phi-2' },
    'tokenizer.ggml.tokens': { type: 'string[]', value: vocabulary.tokens },
    'tokenizer.ggml.token_type': { type: 'i32[]', value: vocabulary.types },
    'tokenizer.ggml.merges': { type: 'string[]', value: vocabulary.merges },
    'tokenizer.ggml.bos_token_id': { type: 'u32', value: vocabulary.endOfTextId },
    'tokenizer.ggml.eos_token_id': { type: 'u32', value: vocabulary.endOfTextId },
    'tokenizer.ggml.unknown_token_id': { type: 'u32', value: vocabulary.endOfTextId },
    'tokenizer.ggml.add_bos_token': { type: 'bool', value: false },
  };
  writeGguf(file, metadata, tensors);
}
