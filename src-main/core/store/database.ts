/**
 * Opens the history database (DESIGN section 5): WAL, synchronous=FULL, foreign keys, a busy timeout, the
 * search functions, then migrations. A file that is not a database or is damaged is moved aside with its
 * -wal and -shm (never deleted) and a fresh one is created; one from a newer Phidesk is refused untouched.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { isAppError } from '../../../src-shared/errors';
import { assertNotNewer, migrate, schemaVersion, type Migration } from './migrate';
import { registerSearchFunctions } from './search-text';
import { openSqlite } from './sqlite';

export interface OpenedDatabase {
  db: Database.Database;
  recovered: { movedTo: string; reason: string } | null;
}

/**
 * better-sqlite3 waits for a lock on the event loop, so nothing else is answered meanwhile: wait only long
 * enough for our own short transactions (import works in small chunks), and report another program's lock
 * as `busy` rather than freeze the app (TEST-CATALOG F8).
 */
export const busyTimeoutMs = 25;
/**
 * A checkpoint copies the log into the database and syncs it, on the connection whose commit crossed this
 * many pages: a smaller log than SQLite's default (1000 pages) makes each of those pauses shorter.
 */
const checkpointPages = 250;
/** Opening and migrating happen before anything else is served, so they may wait for a lock longer. */
const openBusyTimeoutMs = 5000;

export function openDatabase(
  file: string,
  nativeBinding: string | undefined,
  migrations: readonly Migration[],
): OpenedDatabase {
  try {
    return { db: openChecked(file, nativeBinding, migrations), recovered: null };
  } catch (error) {
    if (isAppError(error) || !isDamage(error)) throw error;
    const movedTo = moveAside(file);
    return {
      db: openChecked(file, nativeBinding, migrations),
      recovered: { movedTo, reason: (error as Error).message },
    };
  }
}

function openChecked(
  file: string,
  nativeBinding: string | undefined,
  migrations: readonly Migration[],
): Database.Database {
  // Read the version before changing anything (even the journal mode), so a newer file stays as it was.
  if (fs.existsSync(file) && fs.statSync(file).size > 0) {
    // A file that is not SQLite at all is recognised without letting SQLite touch it or its -wal/-shm.
    if (!hasSqliteHeader(file))
      throw Object.assign(new Error('the file is not a SQLite database'), { code: 'SQLITE_NOTADB' });
    const probe = openSqlite(file, nativeBinding, { readonly: true, fileMustExist: true });
    try {
      assertNotNewer(schemaVersion(probe), migrations, file);
      // Reading the schema fails on a file that is not a database or whose first pages are damaged.
      probe.prepare('SELECT count(*) FROM sqlite_master').get();
    } finally {
      probe.close();
    }
  }
  const db = openSqlite(file, nativeBinding);
  try {
    db.pragma(`busy_timeout = ${openBusyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    registerSearchFunctions(db);
    migrate(db, migrations, file);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma(`wal_autocheckpoint = ${checkpointPages}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const sqliteHeader = Buffer.from('SQLite format 3\0', 'latin1');

function hasSqliteHeader(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const start = Buffer.alloc(sqliteHeader.length);
    fs.readSync(fd, start, 0, start.length, 0);
    return start.equals(sqliteHeader);
  } finally {
    fs.closeSync(fd);
  }
}

function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'SQLITE_NOTADB' ||
    code === 'SQLITE_CORRUPT' ||
    (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT'))
  );
}

/** Renames the file and its -wal/-shm to `<name>.corrupt-<time>…`; returns the new main file's path. */
function moveAside(file: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${file}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, target + suffix);
  }
  return target;
}
