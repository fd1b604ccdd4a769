import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { CatalogEntry } from '../../../src-shared/types';

const catalogSchema = z.object({
  version: z.literal(1),
  repository: z.string(),
  revision: z.string(),
  models: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
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

export interface Catalog {
  repository: string;
  revision: string;
  models: CatalogEntry[];
}

/** The Hugging Face server: `HF_ENDPOINT` (as huggingface_hub reads it) moves it, e.g. to a mirror or a test server. */
export function huggingFaceEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.HF_ENDPOINT?.trim() || 'https://huggingface.co').replace(/\/+$/, '');
}

/** The catalog is data (resources/models/catalog.json), checked when read. */
export function loadCatalog(resourcesDir: string): Catalog {
  return catalogSchema.parse(
    JSON.parse(fs.readFileSync(path.join(resourcesDir, 'models', 'catalog.json'), 'utf8')),
  );
}

export function downloadUrl(catalog: Catalog, file: string, endpoint: string): string {
  return `${endpoint}/${catalog.repository}/resolve/${catalog.revision}/${encodeURIComponent(file)}`;
}
