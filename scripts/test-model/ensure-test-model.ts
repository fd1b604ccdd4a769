import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defaultTestModel, writePhi2TestModel, type TestModelOptions } from './phi2-test-model';

/** Where generated test models are kept between runs (never committed, never downloaded). */
export const testModelCacheDir = path.resolve(
  import.meta.dirname,
  '../../node_modules/.cache/phidesk-test-models',
);

/**
 * The path of a generated test model with these options, generating it on first use. Written to a
 * temporary name and renamed, so concurrent test processes never see half a file.
 */
export function ensureTestModel(overrides: Partial<TestModelOptions> = {}): string {
  const options = { ...defaultTestModel, ...overrides };
  const key = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12);
  const file = path.join(
    testModelCacheDir,
    `phi2-test-${options.embedding}x${options.layers}-${options.type}-${key}.gguf`,
  );
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(testModelCacheDir, { recursive: true });
  const partial = `${file}.${process.pid}.part`;
  writePhi2TestModel(partial, options);
  fs.renameSync(partial, file);
  return file;
}
