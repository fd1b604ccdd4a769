import { parseArgs } from 'node:util';
import { z } from 'zod';
import { limits } from '../../src-shared/limits';
import { checkModelFile } from '../core/gguf/check-model-file';
import type { CliContext } from './context';
import { withEngine } from './engine-session';
import { exitCodes } from './exit-codes';
import { option, required } from './options';

export const infoUsage = `phidesk info --model <file.gguf> [--context <n>] [--gpu-layers <n>]
  Prints the model's metadata and whether it fits this machine, as JSON. Loads no weights.`;

export async function info(args: string[], context: CliContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { model: { type: 'string' }, context: { type: 'string' }, 'gpu-layers': { type: 'string' } },
  });
  const file = await checkModelFile(required('model', values.model));
  const contextSize = option('context', values.context, z.int().min(64).max(limits.contextSize), 'number');
  const gpuLayers = option(
    'gpu-layers',
    values['gpu-layers'],
    z.int().min(0).max(limits.gpuLayers),
    'number',
  );
  return withEngine(context, null, async (engine) => {
    const fit = await engine.estimateFit(file.path, { contextSize, gpuLayers });
    console.log(JSON.stringify({ file, backend: engine.runtime, fit }, null, 2));
    return exitCodes.ok;
  });
}
