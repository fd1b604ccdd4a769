import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import { createCore, type Core } from '../create-core';
import { tempDir } from '../../test-support/engine';
import { testCoreOptions } from '../../test-support/core';
import { startModelServer } from '../../test-support/model-server';
import { catalogFit } from './models-service';

const model = ensureTestModel({ endOfTextBias: -30 });
let core: Core;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir('phidesk-models-');
  core = createCore(testCoreOptions(dataDir));
  await core.ready;
});
afterAll(() => core.dispose());

const models = () => core.models!;

describe('ModelsService', () => {
  it('starts with an empty models folder and the catalog, each entry with a fit', () => {
    expect(models().list()).toEqual({ models: [], folder: path.join(dataDir, 'models') });
    const catalog = models().catalog();
    expect(catalog.map((entry) => `${entry.purpose} ${entry.quantization}`)).toEqual([
      'chat Q4_K_S',
      'chat Q4_K_M',
      'chat Q5_K_M',
      'chat Q6_K',
      'chat Q8_0',
      'embedding Q8_0',
    ]);
    expect(catalog.find((entry) => entry.recommended)?.quantization).toBe('Q4_K_M');
    expect(catalog[1]!.url).toBe('https://huggingface.co/TheBloke/phi-2-GGUF/resolve/main/phi-2.Q4_K_M.gguf');
    expect(catalog[5]).toMatchObject({
      name: 'bge-small-en-v1.5 Q8_0',
      url: 'https://huggingface.co/CompendiumLabs/bge-small-en-v1.5-gguf/resolve/main/bge-small-en-v1.5-q8_0.gguf',
      installedPath: null,
    });
    // Where a model comes from is in its URL; the rest of the catalog's bookkeeping stays in main.
    expect(catalog[5]).not.toHaveProperty('repository');
    for (const entry of catalog) expect(['fits', 'may_be_slow', 'wont_fit']).toContain(entry.fit.verdict);
  });

  it('imports a file in place after checking it, and loads it with the settings', async () => {
    const imported = await models().import(model, false);
    expect(imported).toMatchObject({
      path: model,
      source: 'import',
      architecture: 'phi2',
      exists: true,
      inModelsFolder: false,
    });
    const loaded = await models().load(model);
    expect(loaded.file.path).toBe(model);
    expect(models().list().models[0]).toMatchObject({ loaded: true, lastUsedAt: expect.any(Number) });
  });

  it('copies a file into the models folder when asked', async () => {
    const copy = await models().import(model, true);
    expect(copy.path).toBe(path.join(dataDir, 'models', path.basename(model)));
    expect(copy.inModelsFolder).toBe(true);
    expect(fs.readdirSync(path.join(dataDir, 'models'))).toEqual([path.basename(model)]);
  });

  it('refuses files that are not models, and paths that do not resolve to a .gguf file (M2, S4)', async () => {
    const html = path.join(tempDir('phidesk-import-'), 'page.gguf');
    fs.writeFileSync(html, '<html>nope</html>');
    await expect(models().import(html, false)).rejects.toMatchObject({ code: 'model_invalid' });
    await expect(models().import('/etc/passwd', false)).rejects.toMatchObject({ code: 'invalid_input' });
    const disguised = path.join(tempDir('phidesk-link-'), 'model.gguf');
    fs.symlinkSync('/etc/hostname', disguised);
    await expect(models().import(disguised, false)).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(models().import(`${os.tmpdir()}/../etc/hostname.gguf`, false)).rejects.toMatchObject({
      code: expect.stringMatching(/invalid_input|not_found/),
    });
    await expect(models().import('relative.gguf', false)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('skips symlinks in the models folder that lead elsewhere (S4)', async () => {
    fs.symlinkSync('/etc/hostname', path.join(dataDir, 'models', 'sneaky.gguf'));
    await models().scanFolder();
    expect(
      models()
        .list()
        .models.map((m) => path.basename(m.path)),
    ).not.toContain('sneaky.gguf');
    fs.rmSync(path.join(dataDir, 'models', 'sneaky.gguf'));
  });

  it('registers valid files dropped into the models folder', async () => {
    const dropped = path.join(dataDir, 'models', 'dropped.gguf');
    fs.copyFileSync(model, dropped);
    await models().scanFolder();
    expect(
      models()
        .list()
        .models.find((m) => m.path === dropped),
    ).toMatchObject({ source: 'folder' });
  });

  it('remembers a default model and loads it at the next start', async () => {
    models().setDefault(model);
    expect(core.engine.state.model).not.toBeNull();
    await core.dispose();
    core = createCore(testCoreOptions(dataDir));
    await core.ready;
    await expect.poll(() => core.engine.state.model?.file.path, { timeout: 20_000 }).toBe(model);
    expect(
      models()
        .list()
        .models.find((m) => m.path === model),
    ).toMatchObject({ isDefault: true, loaded: true });
  });

  it('removes a model: unloads it, deletes only its own copies, forgets the default', async () => {
    const own = path.join(dataDir, 'models', 'dropped.gguf');
    expect(await models().remove(own)).toEqual({ removed: true, fileDeleted: true });
    expect(fs.existsSync(own)).toBe(false);
    expect(await models().remove(model)).toEqual({ removed: true, fileDeleted: false });
    expect(fs.existsSync(model)).toBe(true);
    expect(core.engine.state.model).toBeNull();
    expect(core.chat && (await core.rpc.handle('settings.get', {}))).toMatchObject({
      result: { defaultModel: null },
    });
  });

  it('says when a registered file has gone (M9)', async () => {
    const copy = path.join(tempDir('phidesk-gone-'), 'gone.gguf');
    fs.copyFileSync(model, copy);
    await models().import(copy, false);
    fs.rmSync(copy);
    expect(
      models()
        .list()
        .models.find((m) => m.path === copy),
    ).toMatchObject({ exists: false });
    await expect(models().load(copy)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the embedding model in the catalog', () => {
  const bgeId = 'bge-small-en-v1.5-q8_0';
  const bgeFile = 'bge-small-en-v1.5-q8_0.gguf';
  let embeddingCore: Core;
  let embeddingDataDir: string;
  let server: Awaited<ReturnType<typeof startModelServer>>;
  const service = () => embeddingCore.models!;

  beforeAll(async () => {
    // Its own repository on the stand-in Hugging Face: the download must go there, not to Phi-2's.
    server = await startModelServer({ [bgeFile]: model }, 'CompendiumLabs/bge-small-en-v1.5-gguf');
    vi.stubEnv('HF_ENDPOINT', server.endpoint);
    embeddingDataDir = tempDir('phidesk-embedding-model-');
    embeddingCore = createCore(testCoreOptions(embeddingDataDir));
    await embeddingCore.ready;
  });
  afterAll(async () => {
    await embeddingCore.dispose();
    await server.close();
    vi.unstubAllEnvs();
  });

  it("downloads from its own repository, checked against the SHA-256 from that repository's listing", async () => {
    service().startDownload(bgeId);
    await expect
      .poll(
        () =>
          service()
            .downloads.list()
            .find((d) => d.id === bgeId)?.status,
        { timeout: 20_000 },
      )
      .toBe('complete');
    expect(server.requests[0]!.path).toBe('/api/models/CompendiumLabs/bge-small-en-v1.5-gguf/tree/main');
    expect(server.requests[1]!.path).toBe(`/CompendiumLabs/bge-small-en-v1.5-gguf/resolve/main/${bgeFile}`);
    const file = path.join(embeddingDataDir, 'models', bgeFile);
    expect(fs.readFileSync(file).equals(fs.readFileSync(model))).toBe(true);
    expect(service().installedEmbeddingModel()).toBe(file);
    expect(
      service()
        .catalog()
        .find((entry) => entry.id === bgeId)?.installedPath,
    ).toBe(file);
  });

  it('is never a chat model: not listed, not loadable into the chat, not a default', async () => {
    const file = path.join(embeddingDataDir, 'models', bgeFile);
    expect(service().list().models).toEqual([]);
    await service().scanFolder();
    expect(service().list().models).toEqual([]);
    await expect(service().load(file)).rejects.toMatchObject({ code: 'invalid_input' });
    expect(() => service().setDefault(file)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(embeddingCore.engine.state.model).toBeNull();
  });

  it('is not loaded into the chat at the next start, even if an old setting names it', async () => {
    const file = path.join(embeddingDataDir, 'models', bgeFile);
    expect(await embeddingCore.rpc.handle('settings.update', { defaultModel: file })).toMatchObject({
      result: { defaultModel: file },
    });
    await embeddingCore.dispose();
    embeddingCore = createCore(testCoreOptions(embeddingDataDir));
    await embeddingCore.ready;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(embeddingCore.engine.state).toMatchObject({ model: null, loading: null });
    expect(service().list().models).toEqual([]);
    expect(service().installedEmbeddingModel()).toBe(file);
  });
});

describe('catalogFit', () => {
  const gb = 1e9;
  it('says fits, may be slow or will not fit, with the numbers', () => {
    expect(catalogFit(4 * gb, { total: 16 * gb, free: 8 * gb })).toMatchObject({ verdict: 'fits' });
    expect(catalogFit(4 * gb, { total: 16 * gb, free: 2 * gb })).toMatchObject({
      verdict: 'may_be_slow',
      reason: expect.stringMatching(/2\.00 GB is free/),
    });
    expect(catalogFit(4 * gb, { total: 3 * gb, free: 2 * gb })).toMatchObject({
      verdict: 'wont_fit',
      reason: expect.stringMatching(/this computer has 3\.00 GB/),
    });
  });
});
