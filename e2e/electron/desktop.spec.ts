import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronSkipNotice, findElectronBinary } from '../support/electron';

const binary = findElectronBinary();
test.skip(!binary.available, binary.available ? '' : electronSkipNotice(binary.reason));

let app: ElectronApplication;
let page: Page;
let dataDir: string;

test.beforeAll(() => {
  // Builds better-sqlite3 for Electron's ABI once per Electron version, as `npm start` does.
  const prepared = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/prepare-electron.ts'], {
    stdio: 'inherit',
  });
  expect(prepared.status, 'scripts/prepare-electron.ts failed').toBe(0);
});

test.beforeEach(async () => {
  if (!binary.available) return;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-electron-'));
  app = await electron.launch({
    executablePath: binary.path,
    // Root (CI containers) cannot use Chromium's sandbox.
    args: [path.resolve('out/main/index.js'), ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: { ...process.env, PHIDESK_DATA_DIR: dataDir },
  });
  page = await app.firstWindow();
});

test.afterEach(async () => {
  await app?.close();
});

test('first run: the window opens connected over IPC and every view works', async () => {
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  await expect(page.getByRole('heading', { level: 1, name: 'Chat' })).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByTestId('data-dir')).toHaveText(dataDir);
  await expect(page.getByTestId('log-file')).toHaveText(path.join(dataDir, 'logs', 'phidesk.log'));
  await expect(page.getByRole('button', { name: 'Open log folder' })).toBeVisible();
  expect(fs.readFileSync(path.join(dataDir, 'logs', 'phidesk.log'), 'utf8')).toMatch(
    /\[main\] Phidesk .* starting/,
  );
  await expect(page.getByTestId('app-info')).toContainText('Desktop app');
  await expect(page.getByTestId('app-info')).toContainText(/SQLite 3\.\d+/);
  await page.getByRole('button', { name: 'Ping the backend' }).click();
  await expect(page.getByTestId('ping-events').getByRole('listitem')).toHaveCount(5);
});

test('the page sees only the contract port: no Node (sandbox, isolation), no new windows', async () => {
  const exposed = await page.evaluate(() => ({
    port: Object.keys((window as { phidesk?: object }).phidesk ?? {}).sort(),
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    opened: window.open('https://example.com') === null,
  }));
  expect(exposed).toEqual({
    port: ['onMessage', 'send'],
    require: 'undefined',
    process: 'undefined',
    opened: true,
  });
  expect(app.windows()).toHaveLength(1);
});
