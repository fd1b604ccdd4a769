/** Writes GGUF v3 files: metadata, a tensor table, then the aligned tensor data. */
import fs from 'node:fs';
import type { GgmlType } from '../../src-main/core/gguf/gguf-format';
import { GgufValueType, alignUp, defaultAlignment } from '../../src-main/core/gguf/gguf-format';

export type GgufWriteValue =
  | { type: 'u32' | 'i32' | 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: readonly string[] }
  | { type: 'i32[]'; value: readonly number[] };

export interface GgufTensorData {
  name: string;
  /** Innermost dimension first, as ggml counts them. */
  dims: number[];
  type: GgmlType;
  data: Buffer;
}

class ByteWriter {
  #chunks: Buffer[] = [];
  length = 0;

  push(buffer: Buffer): void {
    this.#chunks.push(buffer);
    this.length += buffer.length;
  }

  u32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeUInt32LE(value);
    this.push(buffer);
  }

  i32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32LE(value);
    this.push(buffer);
  }

  f32(value: number): void {
    const buffer = Buffer.alloc(4);
    buffer.writeFloatLE(value);
    this.push(buffer);
  }

  u64(value: number): void {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64LE(BigInt(value));
    this.push(buffer);
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

function writeValue(out: ByteWriter, value: GgufWriteValue): void {
  switch (value.type) {
    case 'u32':
      out.u32(GgufValueType.Uint32);
      out.u32(value.value);
      return;
    case 'i32':
      out.u32(GgufValueType.Int32);
      out.i32(value.value);
      return;
    case 'f32':
      out.u32(GgufValueType.Float32);
      out.f32(value.value);
      return;
    case 'bool':
      out.u32(GgufValueType.Bool);
      out.push(Buffer.from([value.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(GgufValueType.String);
      out.string(value.value);
      return;
    case 'string[]':
      out.u32(GgufValueType.Array);
      out.u32(GgufValueType.String);
      out.u64(value.value.length);
      for (const item of value.value) out.string(item);
      return;
    case 'i32[]':
      out.u32(GgufValueType.Array);
      out.u32(GgufValueType.Int32);
      out.u64(value.value.length);
      for (const item of value.value) out.i32(item);
      return;
  }
}

export function writeGguf(
  file: string,
  metadata: Record<string, GgufWriteValue>,
  tensors: GgufTensorData[],
): void {
  const header = new ByteWriter();
  header.push(Buffer.from('GGUF', 'latin1'));
  header.u32(3);
  header.u64(tensors.length);
  const entries = Object.entries({
    ...metadata,
    'general.alignment': { type: 'u32', value: defaultAlignment },
  } as const);
  header.u64(entries.length);
  for (const [key, value] of entries) {
    header.string(key);
    writeValue(header, value);
  }

  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    offsets.push(offset);
    header.string(tensor.name);
    header.u32(tensor.dims.length);
    for (const dim of tensor.dims) header.u64(dim);
    header.u32(tensor.type);
    header.u64(offset);
    offset = alignUp(offset + tensor.data.length, defaultAlignment);
  }

  const fd = fs.openSync(file, 'w');
  try {
    const headerBytes = header.toBuffer();
    fs.writeSync(fd, headerBytes);
    const dataStart = alignUp(headerBytes.length, defaultAlignment);
    fs.writeSync(fd, Buffer.alloc(dataStart - headerBytes.length));
    tensors.forEach((tensor, index) => {
      fs.writeSync(fd, tensor.data, 0, tensor.data.length, dataStart + offsets[index]!);
    });
    // Pad the last tensor to the alignment, as llama.cpp's own writer does.
    const end = dataStart + offset;
    const size = fs.fstatSync(fd).size;
    if (size < end) fs.writeSync(fd, Buffer.alloc(end - size), 0, end - size, size);
  } finally {
    fs.closeSync(fd);
  }
}
