/** Encodes float weights as the ggml types the test model uses: F32, F16, Q8_0 and Q4_0. */
import { GgmlType } from '../../src-main/core/gguf/gguf-format';

const blockSize = 32;

export function encodeTensor(values: Float32Array, type: GgmlType): Buffer {
  switch (type) {
    case GgmlType.F32:
      return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    case GgmlType.F16: {
      const out = Buffer.alloc(values.length * 2);
      values.forEach((value, i) => out.writeUInt16LE(toHalf(value), i * 2));
      return out;
    }
    case GgmlType.Q8_0:
      return quantizeBlocks(values, 34, (block, out) => {
        const amax = Math.max(...block.map(Math.abs));
        const d = amax / 127;
        const inverse = d ? 1 / d : 0;
        out.writeUInt16LE(toHalf(d), 0);
        block.forEach((value, i) => out.writeInt8(Math.round(value * inverse), 2 + i));
      });
    case GgmlType.Q4_0:
      return quantizeBlocks(values, 18, (block, out) => {
        // As ggml: the scale maps the largest-magnitude value to -8.
        const max = block.reduce((best, value) => (Math.abs(value) > Math.abs(best) ? value : best), 0);
        const d = max / -8;
        const inverse = d ? 1 / d : 0;
        out.writeUInt16LE(toHalf(d), 0);
        const q = block.map((value) => Math.min(15, Math.trunc(value * inverse + 8.5)));
        for (let i = 0; i < blockSize / 2; i++) out.writeUInt8(q[i]! | (q[i + blockSize / 2]! << 4), 2 + i);
      });
  }
}

function quantizeBlocks(
  values: Float32Array,
  blockBytes: number,
  encode: (block: number[], out: Buffer) => void,
): Buffer {
  if (values.length % blockSize !== 0)
    throw new Error(`quantized tensors need a multiple of ${blockSize} values`);
  const out = Buffer.alloc((values.length / blockSize) * blockBytes);
  for (let block = 0; block < values.length / blockSize; block++) {
    const slice = Array.from(values.subarray(block * blockSize, (block + 1) * blockSize));
    encode(slice, out.subarray(block * blockBytes, (block + 1) * blockBytes));
  }
  return out;
}

const float = new Float32Array(1);
const bits = new Uint32Array(float.buffer);

/** IEEE 754 single → half precision bits, rounding to nearest. */
export function toHalf(value: number): number {
  float[0] = value;
  const x = bits[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = ((x >>> 23) & 0xff) - 127 + 15;
  const mantissa = x & 0x7fffff;
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const m = (mantissa | 0x800000) >> (1 - exponent);
    return sign | ((m + 0x1000) >> 13);
  }
  return sign | (exponent << 10) | ((mantissa + 0x1000) >> 13);
}
