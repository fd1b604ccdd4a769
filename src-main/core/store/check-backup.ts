/**
 * Checks that a file is a Phidesk backup this version can read, intact (`quick_check`), before a restore
 * touches anything. The check reads the whole file, so it runs off the main loop (sqlite-worker.ts).
 */
import { AppError } from '../../../src-shared/errors';
import { migrations } from './migrations';
import { withReadOnlyDatabase } from './sqlite-worker';

const checkScript = `
  const version = db.pragma('user_version', { simple: true });
  const tables = db
    .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('conversations', 'messages')")
    .get().n;
  const check = version >= 1 && tables === 2 ? String(db.pragma('quick_check', { simple: true })) : 'skipped';
  return { version, tables, check };
`;

export async function checkBackup(file: string, nativeBinding: string | undefined): Promise<void> {
  let found: { version: number; tables: number; check: string };
  try {
    found = await withReadOnlyDatabase(file, nativeBinding, checkScript);
  } catch (error) {
    throw new AppError('invalid_input', `This file is not a Phidesk backup: ${(error as Error).message}`);
  }
  if (found.version > migrations.at(-1)!.version)
    throw new AppError('database_too_new', 'This backup comes from a newer Phidesk. Update Phidesk first.');
  if (found.version < 1 || found.tables < 2)
    throw new AppError('invalid_input', 'This file is not a Phidesk backup.');
  if (found.check !== 'ok') throw new AppError('invalid_input', `The backup is damaged (${found.check}).`);
}
