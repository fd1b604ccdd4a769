/**
 * Finds the Electron binary without `require('electron')`, which would try to download it on the spot.
 * Installs made with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have the package but no binary.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronBinary =
  { available: true; path: string; version: string } | { available: false; reason: string; version: string };

export const installElectronHint = 'node node_modules/electron/install.js';

export function findElectronBinary(): ElectronBinary {
  const packageJson = createRequire(import.meta.url).resolve('electron/package.json');
  const dir = path.dirname(packageJson);
  const { version } = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string };
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) {
    return {
      available: false,
      version,
      reason: 'its binary is not installed',
    };
  }
  const binary = path.join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'),
    fs.readFileSync(pathFile, 'utf8'),
  );
  if (!fs.existsSync(binary))
    return { available: false, version, reason: `the Electron binary is missing at ${binary}` };
  return { available: true, path: binary, version };
}
