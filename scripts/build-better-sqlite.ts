import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sqliteBindingFile } from '../src-main/app/native-binding';

const require = createRequire(import.meta.url);

/**
 * Builds better-sqlite3 for a runtime in a scratch copy of the package: first from its prebuilt releases,
 * else from source against that runtime's headers.
 */
export function buildBetterSqlite(options: {
  runtime: 'electron' | 'node';
  version: string;
  destination: string;
}): void {
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  const cacheDir = path.dirname(path.dirname(options.destination));
  fs.mkdirSync(cacheDir, { recursive: true });
  const scratch = fs.mkdtempSync(path.join(cacheDir, 'scratch-'));
  try {
    fs.cpSync(source, scratch, {
      recursive: true,
      filter: (file) => path.relative(source, file) !== 'build',
    });
    // npm sets npm_config_nodedir from .npmrc; it points at Node's headers, the wrong ABI for Electron.
    const env =
      options.runtime === 'electron'
        ? Object.fromEntries(
            Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'),
          )
        : process.env;
    const run = (script: string, args: string[]) =>
      spawnSync(process.execPath, [script, ...args], { cwd: scratch, env, stdio: 'inherit' }).status === 0;

    const target = [`--arch=${process.arch}`, `--target=${options.version}`];
    const prebuilt = run(require.resolve('prebuild-install/bin.js'), [
      `--runtime=${options.runtime}`,
      ...target,
    ]);
    const built =
      prebuilt ||
      run(process.env.npm_config_node_gyp ?? require.resolve('node-gyp/bin/node-gyp.js'), [
        'rebuild',
        '--release',
        ...target,
        ...(options.runtime === 'electron' ? ['--dist-url=https://electronjs.org/headers'] : []),
      ]);
    if (!built) throw new Error(`Could not build better-sqlite3 for ${options.runtime} ${options.version}.`);
    fs.mkdirSync(path.dirname(options.destination), { recursive: true });
    fs.copyFileSync(path.join(scratch, 'build', 'Release', sqliteBindingFile), options.destination);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
