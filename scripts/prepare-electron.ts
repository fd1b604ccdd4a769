/**
 * Runs before `npm start` and `npm run dist`: checks the Electron binary is installed, and builds
 * better-sqlite3 for Electron's ABI into its own folder (see src-main/app/native-binding.ts), once per
 * Electron version. The Node build in node_modules, which the tests use, is never touched.
 *
 *   tsx scripts/prepare-electron.ts            prepare for `npm start`
 *   tsx scripts/prepare-electron.ts --stage D  also copy the binary to D for electron-builder
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { devElectronSqliteBinding, sqliteBindingFile } from '../src-main/app/native-binding';
import { buildBetterSqlite } from './build-better-sqlite';
import { findElectronBinary, installElectronHint } from './electron-binary';

const projectRoot = path.resolve(import.meta.dirname, '..');

function main(): void {
  const { values } = parseArgs({ options: { stage: { type: 'string' } } });
  const electron = ensureElectronBinary();
  const binding = devElectronSqliteBinding(projectRoot, electron.version);
  if (!fs.existsSync(binding)) {
    console.log(`Building better-sqlite3 for Electron ${electron.version} (once per Electron version)…`);
    buildBetterSqlite({ runtime: 'electron', version: electron.version, destination: binding });
  }
  if (values.stage) {
    fs.mkdirSync(values.stage, { recursive: true });
    fs.copyFileSync(binding, path.join(values.stage, sqliteBindingFile));
  }
}

/** Electron downloads its binary on first use; do it here, with a clear message if it cannot. */
function ensureElectronBinary(): { version: string } {
  let electron = findElectronBinary();
  if (!electron.available) {
    console.log(`Downloading Electron ${electron.version}…`);
    spawnSync(process.execPath, [path.join(projectRoot, 'node_modules/electron/install.js')], {
      stdio: 'inherit',
    });
    electron = findElectronBinary();
  }
  if (!electron.available) {
    console.error(
      `The desktop app needs Electron ${electron.version}, but ${electron.reason}.\n` +
        `  Install it:          ${installElectronHint}\n` +
        `  Or use browser mode: npm run serve`,
    );
    process.exit(1);
  }
  return electron;
}

main();
