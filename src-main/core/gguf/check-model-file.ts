/**
 * Checks a model file before anything native touches it (TEST-CATALOG M2, M3, M4): a file that is not
 * GGUF, is cut short, or is a model Phidesk cannot run gets a typed error that says what it is and what to
 * do, instead of a crash inside llama.cpp.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { GgufFileType } from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import type { ModelFileInfo } from '../../../src-shared/types';
import { ggmlTypeLayout, supportedGgufVersions, tensorBytes } from './gguf-format';
import { GgufFormatError, GgufTruncatedError, readGgufHeader, type GgufHeader } from './gguf-reader';

const redownload = 'Download it again, or choose another .gguf file.';

export async function checkModelFile(given: string): Promise<ModelFileInfo> {
  const file = path.resolve(given);
  const stat = await fs.stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new AppError('not_found', `No model file at ${file}.`);
    throw new AppError('model_invalid', `The model file cannot be read: ${error.message}`);
  });
  if (!stat.isFile()) throw new AppError('model_invalid', `${file} is not a file.`);
  if (stat.size === 0)
    throw new AppError('model_invalid', `The model file is empty (0 bytes). ${redownload}`);

  const head = await readStart(file, 512);
  if (head.subarray(0, 4).toString('latin1') !== 'GGUF') {
    throw new AppError('model_invalid', `This is not a GGUF model: ${describeContent(head)}. ${redownload}`);
  }

  let header: GgufHeader;
  try {
    header = await readGgufHeader(file);
  } catch (error) {
    if (error instanceof GgufTruncatedError) {
      throw new AppError('model_invalid', `The model file is incomplete: ${error.message}. ${redownload}`);
    }
    if (error instanceof GgufFormatError) {
      throw new AppError('model_invalid', `The model file is damaged: ${error.message}. ${redownload}`);
    }
    throw error;
  }

  if (!(supportedGgufVersions as readonly number[]).includes(header.version)) {
    throw new AppError(
      'model_unsupported',
      `This model uses GGUF version ${header.version}, newer than this version of Phidesk can read. Update Phidesk.`,
    );
  }

  let dataEnd = header.dataOffset;
  let parameters = 0;
  for (const tensor of header.tensors) {
    const bytes = tensorBytes(tensor.type, tensor.dims);
    if (bytes === null) {
      throw new AppError(
        'model_unsupported',
        `Tensor ${tensor.name} uses ggml type ${tensor.type}, which is unknown.`,
      );
    }
    dataEnd = Math.max(dataEnd, header.dataOffset + tensor.offset + bytes);
    parameters += tensor.dims.reduce((product, dim) => product * dim, 1);
  }
  if (dataEnd > stat.size) {
    throw new AppError(
      'model_invalid',
      `The model file is incomplete: it has ${stat.size} of the ${dataEnd} bytes its header describes. ${redownload}`,
    );
  }

  const architecture = text(header, 'general.architecture');
  if (!architecture)
    throw new AppError('model_invalid', `The model file names no architecture. ${redownload}`);
  const warnings: string[] = [];
  if (architecture !== 'phi2') {
    if (!text(header, 'tokenizer.chat_template')) {
      throw new AppError(
        'model_unsupported',
        `This is a ${architecture} model without a chat template; Phidesk is built for Phi-2 and cannot prompt it.`,
      );
    }
    warnings.push(
      `This is a ${architecture} model, not Phi-2: answers and the tutor's prompts may not work well.`,
    );
  }

  const contextLength = header.metadata.get(`${architecture}.context_length`);
  return {
    path: file,
    sizeBytes: stat.size,
    architecture,
    name: text(header, 'general.name'),
    quantization: quantizationOf(header),
    contextLength: typeof contextLength === 'number' ? contextLength : null,
    parameters,
    warnings,
  };
}

async function readStart(file: string, length: number): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
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

function text(header: GgufHeader, key: string): string | null {
  const value = header.metadata.get(key);
  return typeof value === 'string' ? value : null;
}

function quantizationOf(header: GgufHeader): string | null {
  const fileType = header.metadata.get('general.file_type');
  if (typeof fileType === 'number' && GgufFileType[fileType]) {
    return GgufFileType[fileType].replace(/^(MOSTLY|ALL)_/, '');
  }
  // Otherwise the most common tensor type among the weights.
  const counts = new Map<string, number>();
  for (const tensor of header.tensors) {
    const name = ggmlTypeLayout[tensor.type]?.name;
    if (name && tensor.dims.length > 1) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
