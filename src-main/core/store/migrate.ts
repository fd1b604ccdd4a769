/**
 * Schema migrations, keyed on SQLite's `user_version`: each runs in its own transaction together with the
 * version bump, so a crash mid-migration leaves the old version and the next start simply runs it again
 * (TEST-CATALOG F2). A database newer than this code is refused without being touched (F5).
 */
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Throws database_too_new if the file is from a newer Phidesk. */
export function assertNotNewer(version: number, migrations: readonly Migration[], file: string): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (version > latest) {
    throw new AppError(
      'database_too_new',
      `The history database (${file}) was written by a newer version of Phidesk (schema ${version}; this version ` +
        `knows ${latest}). It has not been changed. Update Phidesk to open it.`,
    );
  }
}

/** Applies the migrations the database has not had yet; returns the versions before and after. */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  file: string,
): { from: number; to: number } {
  const from = schemaVersion(db);
  assertNotNewer(from, migrations, file);
  for (const migration of migrations) {
    if (migration.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: schemaVersion(db) };
}
