import Database from 'better-sqlite3';

/**
 * Opens a better-sqlite3 database. Electron and Node have different native ABIs, so the composition root
 * passes the path of the binary built for its runtime (undefined: the one npm built for Node).
 */
export function openSqlite(
  file: string,
  nativeBinding: string | undefined,
  options: Database.Options = {},
): Database.Database {
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}

/** The SQLite library version, which also proves the native module loads in this runtime. */
export function sqliteVersion(nativeBinding: string | undefined): string {
  const db = openSqlite(':memory:', nativeBinding);
  try {
    return (db.prepare('select sqlite_version() as version').get() as { version: string }).version;
  } finally {
    db.close();
  }
}
