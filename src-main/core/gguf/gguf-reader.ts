/**
 * Reads a GGUF file's header (metadata and tensor table) without loading the weights, checking every
 * length against the file so a truncated or malformed file is reported, never trusted.
 */
import fs from 'node:fs/promises';
import { GgufValueType, alignUp, defaultAlignment, ggufMagic, scalarValueBytes } from './gguf-format';

export type GgufScalar = number | bigint | boolean | string;
/** Arrays are summarised, not kept: a vocabulary alone has tens of thousands of entries. */
export interface GgufArraySummary {
  arrayType: GgufValueType;
  length: number;
}
export type GgufValue = GgufScalar | GgufArraySummary;

export interface GgufTensor {
  name: string;
  dims: number[];
  type: number;
  /** Offset from the start of the tensor data section. */
  offset: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensor[];
  alignment: number;
  /** Where the tensor data section starts in the file. */
  dataOffset: number;
}

/** The file ended where the header said more was to come. */
export class GgufTruncatedError extends Error {}
/** The bytes are not a GGUF header Phidesk can read. */
export class GgufFormatError extends Error {}

const maxStringBytes = 64 * 1024 * 1024;
const maxCount = 10_000_000;
const maxDims = 4;

export async function readGgufHeader(file: string): Promise<GgufHeader> {
  const handle = await fs.open(file, 'r');
  try {
    const reader = new BufferedReader(handle, (await handle.stat()).size);
    const magic = (await reader.bytes(4)).toString('latin1');
    if (magic !== ggufMagic)
      throw new GgufFormatError(`not a GGUF file (starts with ${JSON.stringify(magic)})`);
    const version = await reader.u32();
    if (version < 2) throw new GgufFormatError(`GGUF version ${version} is too old`);
    const tensorCount = await reader.count();
    const metadataCount = await reader.count();

    const metadata = new Map<string, GgufValue>();
    for (let i = 0; i < metadataCount; i++) {
      const key = await reader.string();
      metadata.set(key, await readValue(reader, await reader.u32()));
    }

    const tensors: GgufTensor[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = await reader.string();
      const dimCount = await reader.u32();
      if (dimCount > maxDims) throw new GgufFormatError(`tensor ${name} has ${dimCount} dimensions`);
      const dims: number[] = [];
      for (let d = 0; d < dimCount; d++) dims.push(await reader.u64());
      tensors.push({ name, dims, type: await reader.u32(), offset: await reader.u64() });
    }

    const alignmentValue = metadata.get('general.alignment');
    const alignment =
      typeof alignmentValue === 'number' && alignmentValue > 0 ? alignmentValue : defaultAlignment;
    return { version, metadata, tensors, alignment, dataOffset: alignUp(reader.position, alignment) };
  } finally {
    await handle.close();
  }
}

async function readValue(reader: BufferedReader, type: GgufValueType): Promise<GgufValue> {
  switch (type) {
    case GgufValueType.String:
      return reader.string();
    case GgufValueType.Array: {
      const arrayType = (await reader.u32()) as GgufValueType;
      const length = await reader.count();
      if (arrayType === GgufValueType.String) {
        for (let i = 0; i < length; i++) reader.skip(await reader.u64());
      } else {
        const size = scalarValueBytes[arrayType];
        if (size === undefined) throw new GgufFormatError(`array of unknown value type ${arrayType}`);
        reader.skip(size * length);
      }
      return { arrayType, length };
    }
    default: {
      const size = scalarValueBytes[type];
      if (size === undefined) throw new GgufFormatError(`unknown metadata value type ${type}`);
      const bytes = await reader.bytes(size);
      switch (type) {
        case GgufValueType.Uint8:
          return bytes.readUInt8(0);
        case GgufValueType.Int8:
          return bytes.readInt8(0);
        case GgufValueType.Bool:
          return bytes.readUInt8(0) !== 0;
        case GgufValueType.Uint16:
          return bytes.readUInt16LE(0);
        case GgufValueType.Int16:
          return bytes.readInt16LE(0);
        case GgufValueType.Uint32:
          return bytes.readUInt32LE(0);
        case GgufValueType.Int32:
          return bytes.readInt32LE(0);
        case GgufValueType.Float32:
          return bytes.readFloatLE(0);
        case GgufValueType.Uint64:
          return bytes.readBigUInt64LE(0);
        case GgufValueType.Int64:
          return bytes.readBigInt64LE(0);
        default:
          return bytes.readDoubleLE(0);
      }
    }
  }
}

/** Sequential reads through a 1 MiB window; every read is checked against the file's size. */
class BufferedReader {
  #handle: fs.FileHandle;
  #fileSize: number;
  #buffer = Buffer.alloc(0);
  #bufferStart = 0;
  position = 0;

  constructor(handle: fs.FileHandle, fileSize: number) {
    this.#handle = handle;
    this.#fileSize = fileSize;
  }

  async bytes(length: number): Promise<Buffer> {
    this.#checkAvailable(length);
    const end = this.position + length;
    if (end > this.#bufferStart + this.#buffer.length || this.position < this.#bufferStart) {
      const size = Math.max(length, 1024 * 1024);
      const buffer = Buffer.alloc(Math.min(size, this.#fileSize - this.position));
      await this.#handle.read(buffer, 0, buffer.length, this.position);
      this.#buffer = buffer;
      this.#bufferStart = this.position;
    }
    const offset = this.position - this.#bufferStart;
    this.position = end;
    return this.#buffer.subarray(offset, offset + length);
  }

  skip(length: number): void {
    this.#checkAvailable(length);
    this.position += length;
  }

  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }

  async u64(): Promise<number> {
    const value = (await this.bytes(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new GgufFormatError('a length in the header is impossibly large');
    return Number(value);
  }

  async count(): Promise<number> {
    const value = await this.u64();
    if (value > maxCount) throw new GgufFormatError(`a count in the header is impossibly large (${value})`);
    return value;
  }

  async string(): Promise<string> {
    const length = await this.u64();
    if (length > maxStringBytes)
      throw new GgufFormatError(`a string in the header is impossibly long (${length} bytes)`);
    return (await this.bytes(length)).toString('utf8');
  }

  #checkAvailable(length: number): void {
    if (this.position + length > this.#fileSize) {
      throw new GgufTruncatedError(`the file ends at byte ${this.#fileSize}, inside its header`);
    }
  }
}
