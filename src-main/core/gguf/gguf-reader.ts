/**
 * Reads a GGUF file's header (metadata and tensor table) with node-llama-cpp's `readGgufFileInfo`, which
 * reads only the header, never the weights, and turns each way a file can be unusable into a typed
 * error (gguf-errors.ts). What `readGgufFileInfo` does not do, this does:
 * - for a file that is not GGUF it throws a bare "Invalid GGUF magic"; here the first bytes say what the
 *   file is (an HTML error page, JSON, text…);
 * - past the end of a file it reads zeros, so a header cut short parses as garbage without an error;
 *   here the ends of the header and of every tensor are compared with the file's size;
 * - it trusts the counts in the header (2^60 tensors would loop until memory runs out); here they are
 *   bounded by what the file can hold before it is called;
 * - it warns and reads an unknown version as v3; here that is an error.
 * The only raw bytes read here are the first 512, for the first and third points: nothing is parsed twice.
 * So lengths inside the header (of a string, an array) are node-llama-cpp's to trust: a file damaged
 * there, rather than cut short, can make it read more than the header before it fails.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import { GgufTruncatedError, GgufVersionError, NotGgufError, redownload } from './gguf-errors';
import { ggufMagic, supportedGgufVersions, tensorBytes } from './gguf-format';

export interface GgufFile {
  /** Absolute. */
  path: string;
  sizeBytes: number;
  info: GgufFileInfo;
}

/** Magic, version, tensor count, metadata entry count: the fixed start of every GGUF v2+ file. */
const preambleBytes = 24;
/** The smallest a metadata entry (empty key, type, a one-byte value) and a tensor entry can be. */
const minEntryBytes = 8n + 4n + 1n;
const minTensorBytes = 8n + 4n + 4n + 8n;
/** Far above any real model (tens of entries, thousands of tensors), far below exhausting memory. */
const maxCount = 1_000_000n;

export async function readGgufFile(given: string): Promise<GgufFile> {
  const file = path.resolve(given);
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new AppError('not_found', `No model file at ${file}.`);
    throw unreadable(error);
  });
  if (!stat.isFile()) throw new AppError('model_invalid', `${file} is not a file.`);
  if (stat.size === 0)
    throw new AppError('model_invalid', `The model file is empty (0 bytes). ${redownload}`);

  checkPreamble(await readStart(file, 512), stat.size);
  let info: GgufFileInfo;
  try {
    // One file as given: the sizes below are checked against this file, not the parts of a split model.
    info = await readGgufFileInfo(file, {
      sourceType: 'filesystem',
      spliceSplitFiles: false,
      logWarnings: false,
    });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
    throw new AppError('model_invalid', `The model file is damaged: ${reason}. ${redownload}`);
  }
  checkExtent(info, stat.size);
  return { path: file, sizeBytes: stat.size, info };
}

function checkPreamble(head: Buffer, size: number): void {
  if (head.subarray(0, 4).toString('latin1') !== ggufMagic) throw new NotGgufError(describeContent(head));
  if (head.length < 8) throw new GgufTruncatedError(size, null);
  const version = head.readUInt32LE(4);
  if (!(supportedGgufVersions as readonly number[]).includes(version)) throw new GgufVersionError(version);
  if (head.length < preambleBytes) throw new GgufTruncatedError(size, null);
  const tensors = head.readBigUInt64LE(8);
  const entries = head.readBigUInt64LE(16);
  if (tensors > maxCount || entries > maxCount) {
    throw new AppError(
      'model_invalid',
      `The model file is damaged: its header lists ${tensors} tensors and ${entries} metadata entries. ${redownload}`,
    );
  }
  if (BigInt(preambleBytes) + tensors * minTensorBytes + entries * minEntryBytes > BigInt(size)) {
    throw new GgufTruncatedError(size, null);
  }
}

/** The header, then the data of every tensor, must end within the file. */
function checkExtent(info: GgufFileInfo, size: number): void {
  const headerEnd = info.metadataSize + (info.tensorInfoSize ?? 0);
  if (headerEnd > size) throw new GgufTruncatedError(size, null);
  let end = info.infoEndOffset ?? headerEnd;
  for (const tensor of info.tensorInfo ?? []) {
    const bytes = tensorBytes(tensor.ggmlType, tensor.dimensions.map(Number));
    if (bytes === null) {
      throw new AppError(
        'model_unsupported',
        `Tensor ${tensor.name} uses ggml type ${tensor.ggmlType}, which is unknown.`,
      );
    }
    end = Math.max(end, Number(tensor.fileOffset) + bytes);
  }
  if (end > size) throw new GgufTruncatedError(size, end);
}

async function readStart(file: string, length: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw unreadable(error);
  });
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function unreadable(error: NodeJS.ErrnoException): AppError {
  return new AppError('model_invalid', `The model file cannot be read: ${error.message}`);
}

/** What a non-GGUF file most likely is, so the message can say so. */
function describeContent(head: Buffer): string {
  const start = head.toString('utf8').trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || start.includes('<head')) {
    return 'it is an HTML page (often an error page saved in place of a download)';
  }
  if (start.startsWith('{') || start.startsWith('[')) return 'it is a JSON document';
  if (head.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'it is a ZIP archive';
  const printable = [...head].filter(
    (byte) => byte === 9 || byte === 10 || byte === 13 || (byte >= 32 && byte < 127),
  );
  if (printable.length > head.length * 0.95) return 'it is a text file';
  return 'its contents are not a model (unrecognised binary data)';
}
