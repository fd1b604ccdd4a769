import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '../fixtures';

const packageVersion = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;

const views = [
  { label: 'Chat', heading: 'New chat', slug: 'chat' },
  { label: 'Tutor', heading: 'Physics tutor', slug: 'tutor' },
  { label: 'Mistake check', heading: 'Mistake check', slug: 'mistakes' },
  { label: 'Notes', heading: 'Notes', slug: 'notes' },
  { label: 'Models', heading: 'Models', slug: 'models' },
  { label: 'Settings', heading: 'Settings', slug: 'settings' },
];

test('with no model, the app opens on the Models welcome, connected, with no console errors (M1)', async ({
  app,
}) => {
  await expect(app.getByRole('heading', { name: 'Welcome to Phidesk' })).toBeVisible();
  await expect(app.getByRole('button', { name: /Download Phi-2 Q4_K_M \(/ })).toBeVisible();
  await expect(app.getByRole('textbox', { name: 'A .gguf file on this computer' })).toBeVisible();
  await expect(app.getByTestId('runtime-status')).toHaveText(/llama\.cpp · (CPU|CUDA|VULKAN|METAL)/);
  await expect(app).toHaveTitle('Models · Phidesk');
  await app.screenshot({ path: 'e2e/screenshots/first-run-light.png', fullPage: true });
  await app.getByRole('link', { name: 'Chat' }).click();
  await expect(app.getByRole('heading', { name: 'What would you like to know?' })).toBeVisible();
});

test('every view opens from the sidebar, in light and dark themes', async ({ app }) => {
  const nav = app.getByRole('navigation', { name: 'Main' });
  for (const scheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    for (const view of views) {
      await nav.getByRole('link', { name: view.label }).click();
      await expect(app.getByRole('heading', { level: 1, name: view.heading })).toBeVisible();
      await expect(nav.getByRole('link', { name: view.label })).toHaveAttribute('aria-current', 'page');
      await expect(app).toHaveURL(new RegExp(`#/${view.slug}$`));
      // Not a blank page: every view explains itself.
      await expect(app.locator('main')).not.toBeEmpty();
      await app.screenshot({ path: `e2e/screenshots/${view.slug}-${scheme}.png` });
    }
  }
});

test('views that need a model say so and link to Models', async ({ app }) => {
  await app.getByRole('link', { name: 'Chat' }).click();
  await expect(app.getByTestId('composer-disabled')).toContainText('No model is loaded');
  await expect(app.getByRole('textbox', { name: 'Message' })).toBeDisabled();
  await app.getByRole('button', { name: 'Load one in Models' }).click();
  await expect(app.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  for (const label of ['Tutor', 'Mistake check']) {
    await app.getByRole('link', { name: label }).click();
    await app.getByRole('button', { name: 'Go to Models' }).click();
    await expect(app.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  }
});

test('app.info round-trips: Settings shows the version and this run’s data folder', async ({
  app,
  webHost,
}) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByTestId('app-version')).toHaveText(packageVersion);
  await expect(app.getByTestId('data-dir')).toHaveText(webHost.dataDir);
  await expect(app.getByTestId('llama-backend')).toHaveText(/^(CPU|CUDA|VULKAN|METAL)/);
});

test('Settings → About shows the log file in the data folder, with a Copy button in browser mode', async ({
  app,
  webHost,
}) => {
  const logFile = path.join(webHost.dataDir, 'logs', 'phidesk.log');
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByTestId('log-file')).toHaveText(logFile);
  // Browser mode has no file manager to open, so it offers the path instead.
  await expect(app.getByRole('button', { name: 'Open log folder' })).toHaveCount(0);
  await app.getByRole('button', { name: 'Copy path' }).click();
  await expect(app.getByRole('button', { name: 'Copied' })).toBeVisible();
  // The host logs to that file as well as stderr, starting with its startup line.
  expect(fs.readFileSync(logFile, 'utf8')).toMatch(
    /info {2}\[web-host\] Phidesk .* starting in browser mode/,
  );
  expect(webHost.output()).toContain(`Log:  ${logFile}`);
});

test('the diagnostics ping streams its events back', async ({ app }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByRole('button', { name: 'Ping the backend' }).click();
  const events = app.getByTestId('ping-events').getByRole('listitem');
  await expect(events).toHaveCount(5);
  await expect(events.first()).toHaveText(/Event 1 of 5/);
  await expect(events.last()).toHaveText(/Event 5 of 5/);
  await expect(app.getByRole('button', { name: 'Ping the backend' })).toBeEnabled();
});

test('an invalid contract call is rejected with invalid_input', async ({ app }) => {
  // A raw socket from the page, as a compromised renderer would send it: the session cookie is valid.
  const replies = await app.evaluate(async () => {
    const socket = new WebSocket(`ws://${location.host}/rpc`);
    await new Promise((resolve) => (socket.onopen = resolve));
    const calls = [
      { type: 'request', id: 1, method: 'diagnostics.ping', params: { count: 'many' } },
      { type: 'request', id: 2, method: 'diagnostics.ping', params: { count: 1, extra: 1 } },
      { type: 'request', id: 3, method: 'fs.deleteEverything', params: {} },
    ];
    const answers = new Promise<unknown[]>((resolve) => {
      const got: unknown[] = [];
      socket.onmessage = (event: MessageEvent<string>) => {
        const message = JSON.parse(event.data) as { type: string };
        if (message.type === 'response') got.push(message);
        if (got.length === calls.length) resolve(got);
      };
    });
    for (const call of calls) socket.send(JSON.stringify(call));
    const result = await answers;
    socket.close();
    return result;
  });
  expect(replies).toEqual(
    [1, 2, 3].map((id) =>
      expect.objectContaining({ id, ok: false, error: expect.objectContaining({ code: 'invalid_input' }) }),
    ),
  );
});

test('keyboard shortcuts navigate, and a reload stays on the view', async ({ app }) => {
  await app.keyboard.press('Control+5');
  await expect(app.getByRole('heading', { level: 1, name: 'Models' })).toBeVisible();
  await app.keyboard.press('Control+,');
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await app.reload();
  await expect(app.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(app.getByTestId('connection-status')).toHaveText('Connected');
});
