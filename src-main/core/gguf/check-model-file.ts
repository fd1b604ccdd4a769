/**
 * Checks a model file before anything native touches it (TEST-CATALOG M2, M3, M4): a file that is not
 * GGUF, is cut short, or is a model Phidesk cannot run gets a typed error that says what it is and what to
 * do, instead of a crash inside llama.cpp. The reading is gguf-reader.ts; this is what Phidesk accepts.
 */
import { GgmlType, GgufFileType, type GgufFileInfo } from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import type { ModelFileInfo } from '../../../src-shared/types';
import { GgufArchitectureError, redownload } from './gguf-errors';
import { readGgufFile } from './gguf-reader';

export async function checkModelFile(given: string): Promise<ModelFileInfo> {
  const { path, sizeBytes, info } = await readGgufFile(given);
  const { general, tokenizer } = info.metadata;
  const architecture = text(general?.architecture);
  if (!architecture)
    throw new AppError('model_invalid', `The model file names no architecture. ${redownload}`);
  const warnings: string[] = [];
  if (architecture !== 'phi2') {
    if (!text(tokenizer?.chat_template)) throw new GgufArchitectureError(architecture);
    warnings.push(
      `This is a ${architecture} model, not Phi-2: answers and the tutor's prompts may not work well.`,
    );
  }

  const contextLength = info.architectureMetadata.context_length;
  return {
    path,
    sizeBytes,
    architecture,
    name: text(general?.name),
    quantization: quantizationOf(info),
    contextLength: typeof contextLength === 'number' ? contextLength : null,
    parameters: (info.tensorInfo ?? []).reduce(
      (sum, tensor) => sum + tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1),
      0,
    ),
    warnings,
  };
}

/** Metadata is whatever the file holds, whatever its declared type. */
function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function quantizationOf(info: GgufFileInfo): string | null {
  const fileType: unknown = info.metadata.general?.file_type;
  if (typeof fileType === 'number' && GgufFileType[fileType]) {
    return GgufFileType[fileType].replace(/^(MOSTLY|ALL)_/, '');
  }
  // Otherwise the most common tensor type among the weights.
  const counts = new Map<string, number>();
  for (const tensor of info.tensorInfo ?? []) {
    const name = GgmlType[tensor.ggmlType] as string | undefined;
    if (name && tensor.dimensions.length > 1) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}
