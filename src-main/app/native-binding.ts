/**
 * better-sqlite3 is a V8 addon, so Node and Electron need different builds of it. npm builds the Node one in
 * node_modules (tests, CLI, browser mode); `scripts/prepare-electron.ts` builds the Electron one next to it,
 * and the packaged app ships it as a resource. Neither overwrites the other, so `npm test` and `npm start`
 * work in any order.
 */
import path from 'node:path';

export const sqliteBindingFile = 'better_sqlite3.node';

/** Where the development copy of the Electron build lives, keyed by everything its ABI depends on. */
export function devElectronSqliteBinding(
  projectRoot: string,
  electronVersion: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return path.join(
    projectRoot,
    'node_modules',
    '.cache',
    'phidesk-native',
    `electron-${electronVersion}-${platform}-${arch}`,
    sqliteBindingFile,
  );
}

/** Where electron-builder puts it in a packaged app (see `extraResources` in electron-builder.yml). */
export function packagedSqliteBinding(resourcesPath: string): string {
  return path.join(resourcesPath, 'native', sqliteBindingFile);
}
