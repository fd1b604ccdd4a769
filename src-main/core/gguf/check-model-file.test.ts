import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import { writeGguf } from '../../../scripts/test-model/gguf-writer';
import { tempDir } from '../../test-support/engine';
import { checkModelFile } from './check-model-file';

const dir = tempDir('phidesk-model-check-');
const model = ensureTestModel();
const file = (name: string, content: Buffer | string) => {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
};

describe('checkModelFile', () => {
  it('accepts the generated Phi-2 model and reads its header', async () => {
    const info = await checkModelFile(model);
    expect(info).toMatchObject({
      architecture: 'phi2',
      contextLength: 2048,
      quantization: 'F32',
      warnings: [],
      sizeBytes: fs.statSync(model).size,
    });
    expect(info.parameters).toBeGreaterThan(10_000);
  });

  it.each([
    ['an HTML error page saved as .gguf (M2)', '<!DOCTYPE html><html><body>404</body></html>', /HTML page/],
    ['a JSON error', '{"error": "Repository not found"}', /JSON/],
    ['a text file', 'just some notes\n'.repeat(20), /text file/],
    [
      'random bytes',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
      /not a model/,
    ],
  ])('rejects %s, saying what it is', async (_name, content, what) => {
    const error = await checkModelFile(file(`bad-${Math.random()}.gguf`, content)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_invalid', message: expect.stringMatching(what) });
    expect((error as Error).message).toMatch(/Download it again/);
  });

  it('rejects an empty file (M2)', async () => {
    await expect(checkModelFile(file('empty.gguf', ''))).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/empty/),
    });
  });

  it('rejects a file cut inside its header (M3)', async () => {
    const cut = file('cut-header.gguf', fs.readFileSync(model).subarray(0, 2000));
    await expect(checkModelFile(cut)).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/incomplete/),
    });
  });

  it('rejects a file cut inside its weights (M3)', async () => {
    const whole = fs.readFileSync(model);
    const cut = file('cut-data.gguf', whole.subarray(0, whole.length - 1000));
    await expect(checkModelFile(cut)).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/incomplete: it has \d+ of the \d+ bytes/),
    });
  });

  it('rejects a newer GGUF version (M4)', async () => {
    const newer = Buffer.from(fs.readFileSync(model));
    newer.writeUInt32LE(4, 4);
    await expect(checkModelFile(file('v4.gguf', newer))).rejects.toMatchObject({
      code: 'model_unsupported',
      message: expect.stringMatching(/version 4/),
    });
  });

  it('rejects another architecture without a chat template (M4)', async () => {
    const target = path.join(dir, 'llama.gguf');
    writeGguf(target, { 'general.architecture': { type: 'string', value: 'llama' } }, []);
    await expect(checkModelFile(target)).rejects.toMatchObject({
      code: 'model_unsupported',
      message: expect.stringMatching(/llama model without a chat template/),
    });
  });

  it('accepts another architecture with a chat template, with a warning (M4)', async () => {
    const target = path.join(dir, 'chatty.gguf');
    writeGguf(
      target,
      {
        'general.architecture': { type: 'string', value: 'qwen2' },
        'tokenizer.chat_template': { type: 'string', value: '{{ messages }}' },
      },
      [],
    );
    const info = await checkModelFile(target);
    expect(info.warnings).toEqual([expect.stringMatching(/qwen2 model, not Phi-2/)]);
  });

  it('reports a missing file as not_found and a folder as invalid', async () => {
    await expect(checkModelFile(path.join(dir, 'nope.gguf'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(checkModelFile(dir)).rejects.toMatchObject({ code: 'model_invalid' });
  });

  it('rejects a header with absurd counts without allocating them', async () => {
    const header = Buffer.alloc(24);
    header.write('GGUF', 0, 'latin1');
    header.writeUInt32LE(3, 4);
    header.writeBigUInt64LE(2n ** 60n, 8);
    header.writeBigUInt64LE(1n, 16);
    await expect(checkModelFile(file('absurd.gguf', header))).rejects.toMatchObject({
      code: 'model_invalid',
    });
  });
});
