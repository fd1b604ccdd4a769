import fs from 'node:fs';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import { writeGguf } from '../../../scripts/test-model/gguf-writer';
import { tempDir } from '../../test-support/engine';
import { checkModelFile } from './check-model-file';
import { GgufArchitectureError, GgufTruncatedError, GgufVersionError, NotGgufError } from './gguf-errors';
import { GgmlType, tensorBytes } from './gguf-format';

const dir = tempDir('phidesk-model-check-');
const model = ensureTestModel();
const file = (name: string, content: Buffer | string) => {
  const target = path.join(dir, name);
  fs.writeFileSync(target, content);
  return target;
};

/** Where a file's last tensor ends, from node-llama-cpp's reading of it. */
async function dataEndOf(target: string): Promise<number> {
  const { tensorInfo = [] } = await readGgufFileInfo(target, { logWarnings: false });
  return Math.max(
    ...tensorInfo.map((t) => Number(t.fileOffset) + (tensorBytes(t.ggmlType, t.dimensions.map(Number)) ?? 0)),
  );
}

describe('checkModelFile', () => {
  it('accepts the generated Phi-2 model and reads its header', async () => {
    const info = await checkModelFile(model);
    expect(info).toMatchObject({
      architecture: 'phi2',
      contextLength: 2048,
      quantization: 'F32',
      warnings: [],
      sizeBytes: fs.statSync(model).size,
      name: expect.stringMatching(/^Phidesk test model/),
      path: model,
    });
    expect(info.parameters).toBeGreaterThan(10_000);
  });

  it('follows a symbolic link to a model', async () => {
    const link = path.join(dir, 'link.gguf');
    fs.symlinkSync(model, link);
    await expect(checkModelFile(link)).resolves.toMatchObject({ architecture: 'phi2' });
  });

  it.skipIf(process.platform === 'win32')(
    'reads only the header of a huge file (a sparse 5 GiB file)',
    async () => {
      const huge = path.join(dir, 'huge.gguf');
      fs.copyFileSync(model, huge);
      fs.truncateSync(huge, 5 * 2 ** 30);
      try {
        const before = process.memoryUsage().rss;
        await expect(checkModelFile(huge)).resolves.toMatchObject({ sizeBytes: 5 * 2 ** 30 });
        expect(process.memoryUsage().rss - before).toBeLessThan(512 * 2 ** 20);
      } finally {
        fs.rmSync(huge);
      }
    },
  );

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
    expect(error).toBeInstanceOf(NotGgufError);
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
    const error = await checkModelFile(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufTruncatedError);
    expect(error).toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/incomplete: it ends at byte 2000, inside its header/),
      sizeBytes: 2000,
      expectedBytes: null,
    });
  });

  it('rejects a file cut anywhere before the end of its last tensor as incomplete (M3)', async () => {
    // node-llama-cpp reads zeros past the end of a file: every cut must still be caught, whatever those
    // zeros parse as. The test model's header is about 6.5 KB.
    const whole = fs.readFileSync(model);
    const dataEnd = await dataEndOf(model); // padding may follow
    const cuts = [4, 5, 8, 12, 16, 23, 24, 25, 31];
    for (let at = 40; at < 8000; at += 173) cuts.push(at);
    cuts.push(dataEnd - 100_000, dataEnd - 1);
    for (const at of cuts) {
      const cut = file(`cut-${at}.gguf`, whole.subarray(0, at));
      const error = await checkModelFile(cut).catch((e: unknown) => e);
      expect(error, `cut at ${at}`).toBeInstanceOf(GgufTruncatedError);
      fs.rmSync(cut);
    }
    const unpadded = file('unpadded.gguf', whole.subarray(0, dataEnd));
    await expect(checkModelFile(unpadded)).resolves.toMatchObject({ architecture: 'phi2' });
  });

  it('rejects a file cut inside its weights (M3)', async () => {
    const whole = fs.readFileSync(model);
    const cut = file('cut-data.gguf', whole.subarray(0, whole.length - 1000));
    await expect(checkModelFile(cut)).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/incomplete: it has \d+ of the \d+ bytes/),
      sizeBytes: whole.length - 1000,
      expectedBytes: await dataEndOf(model),
    });
  });

  it('rejects a newer GGUF version (M4)', async () => {
    const newer = Buffer.from(fs.readFileSync(model));
    newer.writeUInt32LE(4, 4);
    const error = await checkModelFile(file('v4.gguf', newer)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufVersionError);
    expect(error).toMatchObject({
      code: 'model_unsupported',
      version: 4,
      message: expect.stringMatching(/version 4, newer/),
    });
  });

  it('rejects GGUF version 1, which llama.cpp no longer reads (M4)', async () => {
    const older = Buffer.from(fs.readFileSync(model));
    older.writeUInt32LE(1, 4);
    await expect(checkModelFile(file('v1.gguf', older))).rejects.toMatchObject({
      code: 'model_unsupported',
      message: expect.stringMatching(/version 1, an old format/),
    });
  });

  it('rejects another architecture without a chat template (M4)', async () => {
    const target = path.join(dir, 'llama.gguf');
    writeGguf(target, { 'general.architecture': { type: 'string', value: 'llama' } }, []);
    const error = await checkModelFile(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GgufArchitectureError);
    expect(error).toMatchObject({
      code: 'model_unsupported',
      architecture: 'llama',
      message: expect.stringMatching(/llama model without a chat template/),
    });
  });

  it('rejects a file that names no architecture', async () => {
    const target = path.join(dir, 'nameless.gguf');
    writeGguf(target, { 'general.name': { type: 'string', value: 'who knows' } }, []);
    await expect(checkModelFile(target)).rejects.toMatchObject({
      code: 'model_invalid',
      message: expect.stringMatching(/names no architecture/),
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

  it('names the quantization from the weights when the file type is not given', async () => {
    const target = path.join(dir, 'q8.gguf');
    const tensor = (name: string) => ({
      name,
      dims: [32, 2],
      type: GgmlType.Q8_0,
      data: Buffer.alloc(2 * 34),
    });
    writeGguf(target, { 'general.architecture': { type: 'string', value: 'phi2' } }, [
      tensor('a.weight'),
      tensor('b.weight'),
    ]);
    await expect(checkModelFile(target)).resolves.toMatchObject({ quantization: 'Q8_0', parameters: 128 });
  });

  it('rejects a tensor of an unknown ggml type', async () => {
    const target = path.join(dir, 'unknown-type.gguf');
    writeGguf(target, { 'general.architecture': { type: 'string', value: 'phi2' } }, [
      { name: 'odd.weight', dims: [4], type: 250 as GgmlType, data: Buffer.alloc(16) },
    ]);
    await expect(checkModelFile(target)).rejects.toMatchObject({
      code: 'model_unsupported',
      message: expect.stringMatching(/odd.weight uses ggml type 250/),
    });
  });

  it('reports a missing file as not_found and a folder as invalid', async () => {
    await expect(checkModelFile(path.join(dir, 'nope.gguf'))).rejects.toMatchObject({ code: 'not_found' });
    await expect(checkModelFile(dir)).rejects.toMatchObject({ code: 'model_invalid' });
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() === 0)(
    'reports an unreadable file as invalid',
    async () => {
      const locked = file('locked.gguf', fs.readFileSync(model).subarray(0, 64));
      fs.chmodSync(locked, 0o000);
      await expect(checkModelFile(locked)).rejects.toMatchObject({
        code: 'model_invalid',
        message: expect.stringMatching(/cannot be read/),
      });
    },
  );

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

  it('rejects a header with more entries than the file can hold as incomplete', async () => {
    const header = Buffer.alloc(64);
    header.write('GGUF', 0, 'latin1');
    header.writeUInt32LE(3, 4);
    header.writeBigUInt64LE(1000n, 8);
    header.writeBigUInt64LE(1n, 16);
    await expect(checkModelFile(file('many.gguf', header))).rejects.toBeInstanceOf(GgufTruncatedError);
  });
});
