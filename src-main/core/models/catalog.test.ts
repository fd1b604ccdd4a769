import { describe, expect, it } from 'vitest';
import { resourcesDir } from '../../test-support/core';
import { downloadUrl, fileListingUrl, huggingFaceEndpoint, loadCatalog, parseCatalog } from './catalog';

const model = (overrides: Record<string, unknown> = {}) => ({
  id: 'm',
  name: 'M',
  quantization: 'Q8_0',
  file: 'm.gguf',
  sizeBytes: 100,
  sizeExact: false,
  sha256: null,
  ramBytes: 200,
  summary: 'A model.',
  ...overrides,
});
const catalog = (...models: unknown[]) => ({
  version: 1,
  repository: 'Owner/chat-GGUF',
  revision: 'main',
  models,
});

describe('the catalog', () => {
  it('lists the Phi-2 chat models and one embedding model, each with where it comes from', () => {
    const { models } = loadCatalog(resourcesDir);
    const chat = models.filter((entry) => entry.purpose === 'chat');
    expect(chat.map((entry) => entry.quantization)).toEqual(['Q4_K_S', 'Q4_K_M', 'Q5_K_M', 'Q6_K', 'Q8_0']);
    expect(chat.every((entry) => entry.repository === 'TheBloke/phi-2-GGUF')).toBe(true);
    expect(models.filter((entry) => entry.recommended).map((entry) => entry.purpose)).toEqual(['chat']);

    expect(models.filter((entry) => entry.purpose === 'embedding')).toEqual([
      expect.objectContaining({
        id: 'bge-small-en-v1.5-q8_0',
        repository: 'CompendiumLabs/bge-small-en-v1.5-gguf',
        revision: 'main',
        file: 'bge-small-en-v1.5-q8_0.gguf',
        // Not known here: read from Hugging Face's listing before the download starts.
        sizeExact: false,
        sha256: null,
      }),
    ]);
  });

  it("builds the download and listing URLs from the model's own repository", () => {
    const bge = loadCatalog(resourcesDir).models.find((entry) => entry.purpose === 'embedding')!;
    const endpoint = huggingFaceEndpoint({});
    expect(downloadUrl(bge, endpoint)).toBe(
      'https://huggingface.co/CompendiumLabs/bge-small-en-v1.5-gguf/resolve/main/bge-small-en-v1.5-q8_0.gguf',
    );
    expect(fileListingUrl(bge, 'http://127.0.0.1:9')).toBe(
      'http://127.0.0.1:9/api/models/CompendiumLabs/bge-small-en-v1.5-gguf/tree/main',
    );
  });

  it("falls back to the catalog's repository and revision, and to the chat purpose", () => {
    const { models } = parseCatalog(
      catalog(model(), model({ id: 'e', purpose: 'embedding', repository: 'Other/e-gguf', revision: 'v2' })),
    );
    expect(models[0]).toMatchObject({ purpose: 'chat', repository: 'Owner/chat-GGUF', revision: 'main' });
    expect(models[1]).toMatchObject({ purpose: 'embedding', repository: 'Other/e-gguf', revision: 'v2' });
    expect(downloadUrl(models[1]!, 'https://hf.example')).toBe(
      'https://hf.example/Other/e-gguf/resolve/v2/m.gguf',
    );
  });

  it('refuses an unknown purpose and repositories that are not owner/name', () => {
    expect(() => parseCatalog(catalog(model({ purpose: 'vision' })))).toThrow();
    for (const repository of ['../etc', 'a/b/c', 'owner/', 'https://evil.example/x'])
      expect(() => parseCatalog(catalog(model({ repository })))).toThrow();
    expect(() => parseCatalog({ ...catalog(model()), repository: 'no-owner' })).toThrow();
    expect(() => parseCatalog(catalog(model({ revision: '../main' })))).toThrow();
  });
});
