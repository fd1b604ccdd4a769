/**
 * Models end to end: the first-run welcome, importing the generated model and chatting with it, and a
 * download from a local stand-in for Hugging Face with a visible progress bar and a resume after the
 * connection drops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { ensureTestModel } from '../../scripts/test-model/ensure-test-model';
import { startModelServer, type ModelServer } from '../../src-main/test-support/model-server';
import { startWebHost, type RunningWebHost } from '../support/web-host';

test.describe.configure({ mode: 'serial' });

let server: ModelServer;
let host: RunningWebHost;
const downloadable = () =>
  ensureTestModel({ embedding: 128, layers: 6, feedForward: 512, endOfTextBias: -30 });

test.beforeAll(async () => {
  server = await startModelServer({ 'phi-2.Q4_K_M.gguf': downloadable() });
  host = await startWebHost({ env: { HF_ENDPOINT: server.endpoint } });
});

test.afterAll(async () => {
  await host.stop();
  await server.close();
});

async function open(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await page.goto(host.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');
  return problems;
}

test('welcome → import the model from a path → load it → chat works', async ({ page }) => {
  const problems = await open(page);
  await expect(page.getByRole('heading', { name: 'Welcome to Phidesk' })).toBeVisible();
  const field = page.getByRole('textbox', { name: 'A .gguf file on this computer' }).first();

  // A file that is not a model is refused with a reason (M2).
  const bogus = path.join(host.dataDir, 'not-a-model.gguf');
  fs.writeFileSync(bogus, '<!doctype html><title>Error</title>');
  await field.fill(bogus);
  await page.getByRole('button', { name: 'Add', exact: true }).first().click();
  await expect(page.getByRole('alert').filter({ hasText: 'HTML page' })).toBeVisible();

  await field.fill(ensureTestModel({ endOfTextBias: -30 }));
  await page.getByRole('button', { name: 'Add', exact: true }).first().click();
  const installed = page.getByTestId('installed-model');
  await expect(installed).toHaveCount(1);
  await expect(installed).toContainText('phi2');
  await installed.getByRole('button', { name: 'Load' }).click();
  await expect(installed).toContainText('Loaded');
  await expect(page.getByTestId('model-status')).toHaveText(/Phidesk test model/);
  await expect(page.getByTestId('loaded-model')).toContainText('on the CPU');
  await installed.getByRole('button', { name: 'Set as default' }).click();
  await expect(installed).toContainText('Default');

  await page.getByRole('button', { name: 'Start chatting' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Hello from the imported model');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'complete', {
    timeout: 30_000,
  });
  expect(problems).toEqual([]);
});

test('downloads from the catalog with progress, resumes after a dropped connection, and verifies (M5, M6)', async ({
  page,
}) => {
  await open(page);
  await page.getByRole('link', { name: 'Models' }).click();
  server.faults = { bytesPerSecond: 1_500_000, dropAfterBytes: 1_500_000 };
  server.requests.length = 0;
  const card = page.getByTestId('catalog-item').filter({ hasText: 'Q4_K_M' });
  await expect(card.getByTestId('fit-badge')).toHaveText(/Fits|May be slow/);
  await card.getByRole('button', { name: 'Download Phi-2 Q4_K_M' }).click();

  const row = page.getByTestId('download');
  await expect(row).toHaveAttribute('data-status', 'downloading');
  await expect(row).toContainText(/MB of \d+ MB · [\d.]+ (MB|KB)\/s/);
  await expect
    .poll(async () => Number(await row.locator('progress').getAttribute('value')))
    .toBeGreaterThan(0.05);
  await page.screenshot({ path: 'e2e/screenshots/models-downloading-light.png', fullPage: true });

  // The connection drops after 1.5 MB; the download resumes from there by itself.
  await expect(
    page.getByTestId('installed-model').filter({ hasText: 'Phidesk test model (128x6' }),
  ).toBeVisible({ timeout: 30_000 });
  const cdn = server.requests.filter((request) => request.path.startsWith('/cdn/'));
  expect(cdn.length).toBeGreaterThanOrEqual(2);
  expect(cdn[0]!.range).toBeNull();
  expect(cdn[1]!.range).toMatch(/^bytes=[1-9]\d*-$/);
  expect(server.requests[0]!.path).toContain('/api/models/TheBloke/phi-2-GGUF/tree/main');
  const final = path.join(host.dataDir, 'models', 'phi-2.Q4_K_M.gguf');
  expect(fs.readFileSync(final).equals(fs.readFileSync(downloadable()))).toBe(true);
  expect(fs.existsSync(`${final}.part`)).toBe(false);
  await expect(page.getByTestId('catalog-item').filter({ hasText: 'Q4_K_M' })).toContainText('Installed');
});

test('a corrupted download is discarded, never installed, and can be retried (M5)', async ({ page }) => {
  await open(page);
  await page.getByRole('link', { name: 'Models' }).click();
  // Remove the copy from the previous test first.
  const downloaded = page.getByTestId('installed-model').filter({ hasText: 'Phidesk test model (128x6' });
  await downloaded.getByRole('button', { name: 'Delete…' }).click();
  await downloaded.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(downloaded).toHaveCount(0);

  server.faults = { corruptByteAt: 4242 };
  const card = page.getByTestId('catalog-item').filter({ hasText: 'Q4_K_M' });
  await card.getByRole('button', { name: 'Download Phi-2 Q4_K_M' }).click();
  const row = page.getByTestId('download');
  await expect(row).toHaveAttribute('data-status', 'failed');
  await expect(row).toContainText('SHA-256 does not match');
  expect(fs.existsSync(path.join(host.dataDir, 'models', 'phi-2.Q4_K_M.gguf'))).toBe(false);

  server.faults = {};
  await row.getByRole('button', { name: 'Retry download' }).click();
  await expect(
    page.getByTestId('installed-model').filter({ hasText: 'Phidesk test model (128x6' }),
  ).toBeVisible({ timeout: 30_000 });
});
