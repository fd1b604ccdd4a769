import { AppError } from '../../../src-shared/errors';

/**
 * Runs a write, turning SQLite's failures into errors a person can act on. A full disk (or the size limit
 * set with max_page_count) becomes `disk_full` (TEST-CATALOG F3); SQLite rolls back the statement, so
 * what was saved before stays readable.
 */
export function write<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw translateSqliteError(error);
  }
}

/** SQLite's error as an AppError when a person can act on it; anything else is returned unchanged. */
export function translateSqliteError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  if (code === 'SQLITE_FULL') {
    return new AppError(
      'disk_full',
      'The disk is full: nothing more can be saved. Free some space and try again.',
    );
  }
  // The busy wait is short (see database.ts), so another program's lock is reported, never waited out.
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new AppError(
      'busy',
      'The history database is locked by another program (a backup tool or a database browser?). ' +
        'Close it and try again; nothing was lost.',
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_IOERR')) {
    return new AppError('unavailable', `The history database cannot be written (${code}).`);
  }
  return error;
}

export function isBusy(error: unknown): boolean {
  return error instanceof AppError && error.code === 'busy';
}
