/**
 * Estimates the RAM and VRAM a model needs at a context size and GPU offload, from its GGUF header and
 * node-llama-cpp's insights, against what this machine has: fits, may be slow, or won't fit, with why.
 */
import { GgufInsights, type Llama } from 'node-llama-cpp';
import { formatBytes } from '../../../src-shared/format';
import type { FitEstimate } from '../../../src-shared/types';
import { readGgufFile } from '../gguf/gguf-reader';

export interface FitOptions {
  /** Defaults to the model's trained context. */
  contextSize?: number | undefined;
  gpuLayers?: 'auto' | number | undefined;
  /** Conversations kept in memory at once, each with a full context. */
  sequences?: number | undefined;
}

export async function estimateFit(
  llama: Llama,
  file: string,
  options: FitOptions = {},
): Promise<FitEstimate> {
  // Read and checked as every model file is: a damaged one gets the typed error, not a guess.
  const { info } = await readGgufFile(file);
  const insights = await GgufInsights.from(info, llama);
  const contextSize = options.contextSize ?? insights.trainContextSize ?? 2048;
  const resolved = await insights.configurationResolver.resolveAndScoreConfig({
    targetContextSize: contextSize,
    ...(typeof options.gpuLayers === 'number' ? { targetGpuLayers: options.gpuLayers } : {}),
  });
  const values = resolved.resolvedValues;
  const extraSequences = Math.max(0, (options.sequences ?? 1) - 1);
  const ramNeeded = values.totalRamUsage + extraSequences * values.contextRamUsage;
  const vramNeeded = values.totalVramUsage + extraSequences * values.contextVramUsage;
  const ram = await llama.getRamState();
  const vram = llama.gpu === false ? { total: 0, free: 0 } : await llama.getVramState();
  const totalLayers = insights.totalLayers;

  const base = {
    contextSize,
    gpuLayers: values.gpuLayers,
    totalLayers,
    ramNeeded,
    vramNeeded,
    ramTotal: ram.total,
    ramFree: ram.free,
    vramTotal: vram.total,
    vramFree: vram.free,
  };
  if (ramNeeded > ram.total || (vram.total > 0 && vramNeeded > vram.total)) {
    const short =
      ramNeeded > ram.total
        ? `${formatBytes(ramNeeded)} of memory; this computer has ${formatBytes(ram.total)}`
        : `${formatBytes(vramNeeded)} of VRAM; the GPU has ${formatBytes(vram.total)}`;
    return {
      ...base,
      verdict: 'wont_fit',
      reason: `Won't fit: it needs ${short}. Try a smaller quantization or context.`,
    };
  }
  if (ramNeeded > ram.free) {
    return {
      ...base,
      verdict: 'may_be_slow',
      reason: `May be slow: it needs ${formatBytes(ramNeeded)} and ${formatBytes(ram.free)} is free now; close other programs.`,
    };
  }
  if (llama.gpu !== false && values.gpuLayers < totalLayers) {
    return {
      ...base,
      verdict: 'may_be_slow',
      reason: `May be slow: only ${values.gpuLayers} of ${totalLayers} layers fit on the GPU; the rest run on the CPU.`,
    };
  }
  const where = llama.gpu === false ? 'on the CPU' : `fully on the GPU (${llama.gpu})`;
  return {
    ...base,
    verdict: 'fits',
    reason: `Fits: needs about ${formatBytes(ramNeeded)} of memory and runs ${where}.`,
  };
}
