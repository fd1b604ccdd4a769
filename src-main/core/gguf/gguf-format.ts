/**
 * The parts of the GGUF format that Phidesk needs beyond node-llama-cpp's reader: the sizes of tensor
 * data (to tell a file cut short, gguf-reader.ts), and what the test model's writer writes.
 */

export const ggufMagic = 'GGUF';
export const supportedGgufVersions = [2, 3] as const;
export const defaultAlignment = 32;

/** Metadata value types (the test model's writer). */
export enum GgufValueType {
  Uint8 = 0,
  Int8 = 1,
  Uint16 = 2,
  Int16 = 3,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  Uint64 = 10,
  Int64 = 11,
  Float64 = 12,
}

/** ggml tensor types Phidesk writes. */
export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
}

/**
 * Bytes per block and elements per block of every ggml tensor type llama.cpp can load, to compute how
 * large a file must be (node-llama-cpp has these only through its native binding). From ggml's type
 * traits (ggml-common.h) of the llama.cpp node-llama-cpp bundles.
 */
export const ggmlTypeLayout: Record<number, { name: string; blockElements: number; blockBytes: number }> = {
  0: { name: 'F32', blockElements: 1, blockBytes: 4 },
  1: { name: 'F16', blockElements: 1, blockBytes: 2 },
  2: { name: 'Q4_0', blockElements: 32, blockBytes: 18 },
  3: { name: 'Q4_1', blockElements: 32, blockBytes: 20 },
  6: { name: 'Q5_0', blockElements: 32, blockBytes: 22 },
  7: { name: 'Q5_1', blockElements: 32, blockBytes: 24 },
  8: { name: 'Q8_0', blockElements: 32, blockBytes: 34 },
  9: { name: 'Q8_1', blockElements: 32, blockBytes: 36 },
  10: { name: 'Q2_K', blockElements: 256, blockBytes: 84 },
  11: { name: 'Q3_K', blockElements: 256, blockBytes: 110 },
  12: { name: 'Q4_K', blockElements: 256, blockBytes: 144 },
  13: { name: 'Q5_K', blockElements: 256, blockBytes: 176 },
  14: { name: 'Q6_K', blockElements: 256, blockBytes: 210 },
  15: { name: 'Q8_K', blockElements: 256, blockBytes: 292 },
  16: { name: 'IQ2_XXS', blockElements: 256, blockBytes: 66 },
  17: { name: 'IQ2_XS', blockElements: 256, blockBytes: 74 },
  18: { name: 'IQ3_XXS', blockElements: 256, blockBytes: 98 },
  19: { name: 'IQ1_S', blockElements: 256, blockBytes: 50 },
  20: { name: 'IQ4_NL', blockElements: 32, blockBytes: 18 },
  21: { name: 'IQ3_S', blockElements: 256, blockBytes: 110 },
  22: { name: 'IQ2_S', blockElements: 256, blockBytes: 82 },
  23: { name: 'IQ4_XS', blockElements: 256, blockBytes: 136 },
  24: { name: 'I8', blockElements: 1, blockBytes: 1 },
  25: { name: 'I16', blockElements: 1, blockBytes: 2 },
  26: { name: 'I32', blockElements: 1, blockBytes: 4 },
  27: { name: 'I64', blockElements: 1, blockBytes: 8 },
  28: { name: 'F64', blockElements: 1, blockBytes: 8 },
  29: { name: 'IQ1_M', blockElements: 256, blockBytes: 56 },
  30: { name: 'BF16', blockElements: 1, blockBytes: 2 },
  34: { name: 'TQ1_0', blockElements: 256, blockBytes: 54 },
  35: { name: 'TQ2_0', blockElements: 256, blockBytes: 66 },
  39: { name: 'MXFP4', blockElements: 32, blockBytes: 17 },
  40: { name: 'NVFP4', blockElements: 64, blockBytes: 36 },
  41: { name: 'Q1_0', blockElements: 128, blockBytes: 18 },
  42: { name: 'Q2_0', blockElements: 64, blockBytes: 18 },
};

export function tensorBytes(type: number, dims: readonly number[]): number | null {
  const layout = ggmlTypeLayout[type];
  if (!layout) return null;
  const elements = dims.reduce((product, dim) => product * dim, 1);
  return (elements / layout.blockElements) * layout.blockBytes;
}

export function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}
