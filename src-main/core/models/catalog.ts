import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CatalogEntry, CatalogItem } from '../../../src-shared/types';

/** `owner/name`, as Hugging Face spells a repository; neither part may start with a dot (no `..` in a URL). */
const repositorySchema = z.string().regex(/^[\w-][\w.-]*\/[\w-][\w.-]*$/);
/** A branch, tag or commit. */
const revisionSchema = z.string().regex(/^[\w-][\w.-]*$/);

const catalogSchema = z.object({
  version: z.literal(1),
  /** Where the models come from unless one names its own. */
  repository: repositorySchema,
  revision: revisionSchema,
  models: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** A chat model answers in the chat; an embedding model only makes vectors for the notes index. */
      purpose: z.enum(['chat', 'embedding']).default('chat'),
      repository: repositorySchema.optional(),
      revision: revisionSchema.optional(),
      quantization: z.string(),
      file: z.string().regex(/^[\w.-]+\.gguf$/),
      sizeBytes: z.int().positive(),
      sizeExact: z.boolean(),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable(),
      ramBytes: z.int().positive(),
      recommended: z.boolean().optional(),
      summary: z.string(),
    }),
  ),
});

/** A catalog model with where it comes from settled: its own repository and revision, else the catalog's. */
export interface CatalogModel extends CatalogEntry {
  purpose: CatalogItem['purpose'];
  repository: string;
  revision: string;
}

export interface Catalog {
  models: CatalogModel[];
}

/** The Hugging Face server: `HF_ENDPOINT` (as huggingface_hub reads it) moves it, e.g. to a mirror or a test server. */
export function huggingFaceEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, '');
}

/** The catalog is data (resources/models/catalog.json), checked when read. */
export function loadCatalog(resourcesDir: string): Catalog {
  return parseCatalog(JSON.parse(fs.readFileSync(path.join(resourcesDir, 'models', 'catalog.json'), 'utf8')));
}

export function parseCatalog(data: unknown): Catalog {
  const catalog = catalogSchema.parse(data);
  return {
    models: catalog.models.map((model) => ({
      ...model,
      repository: model.repository ?? catalog.repository,
      revision: model.revision ?? catalog.revision,
    })),
  };
}

export function downloadUrl(model: CatalogModel, endpoint: string): string {
  return `${endpoint}/${model.repository}/resolve/${model.revision}/${encodeURIComponent(model.file)}`;
}

/** Hugging Face's listing of the model's repository, which gives each file's size and SHA-256 (its LFS oid). */
export function fileListingUrl(model: CatalogModel, endpoint: string): string {
  return `${endpoint}/api/models/${model.repository}/tree/${model.revision}`;
}
