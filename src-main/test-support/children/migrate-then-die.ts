/**
 * Child process for TEST-CATALOG F2: runs the real migrations on a database, pausing inside the
 * transaction of migration `<version>` (after its statements, before the commit) so the test can kill it.
 *   tsx migrate-then-die.ts <file> <version>
 */
import { migrate } from '../../core/store/migrate';
import { migrations } from '../../core/store/migrations';
import { registerSearchFunctions } from '../../core/store/search-text';
import { openSqlite } from '../../core/store/sqlite';

const [file, pauseAt] = process.argv.slice(2) as [string, string];
const db = openSqlite(file, undefined);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
registerSearchFunctions(db);
const paused = migrations.map((migration) =>
  migration.version === Number(pauseAt)
    ? {
        ...migration,
        up(database: typeof db) {
          migration.up(database);
          process.stdout.write('MIGRATING\n');
          // Hold the transaction open until killed.
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
        },
      }
    : migration,
);
migrate(db, paused, file);
