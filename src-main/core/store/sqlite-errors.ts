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

export function translateSqliteError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'SQLITE_FULL') {
    return new AppError(
      'disk_full',
      'The disk is full: nothing more can be saved. Free some space and try again.',
    );
  }
  if (
    code === 'SQLITE_READONLY' ||
    code === 'SQLITE_IOERR' ||
    (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
  ) {
    return new AppError('unavailable', `The history database cannot be written (${String(code)}).`);
  }
  return error;
}
