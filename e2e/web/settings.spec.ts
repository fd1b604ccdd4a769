import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel } from '../support/test-models';

test('theme and text size apply at once and are kept', async ({ app }) => {
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByRole('radio', { name: 'Dark' }).check();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await app.getByRole('spinbutton', { name: 'Text size' }).fill('18');
  await app.getByRole('spinbutton', { name: 'Text size' }).press('Enter');
  await expect.poll(() => app.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('18px');
  await app.screenshot({ path: 'e2e/screenshots/settings-dark-custom.png', fullPage: true });
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => app.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('18px');
  await app.getByRole('radio', { name: 'Follow the system' }).check();
  await expect(app.locator('html')).not.toHaveAttribute('data-theme');
});

test('sampling and the system prompt are saved and used by the next message', async ({ app, webHost }) => {
  await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  await app.getByRole('link', { name: 'Settings' }).click();
  await app.getByRole('spinbutton', { name: 'Temperature' }).fill('0.2');
  await app.getByRole('spinbutton', { name: 'Temperature' }).press('Enter');
  await app.getByRole('spinbutton', { name: 'Max answer tokens' }).fill('32');
  await app.getByRole('spinbutton', { name: 'Max answer tokens' }).press('Enter');
  await app.getByLabel('System prompt').selectOption({ label: 'Physics tutor' });
  await app.getByRole('textbox', { name: 'System text' }).fill('You are terse.');
  await app.getByRole('textbox', { name: 'System text' }).blur();
  await expect
    .poll(
      async () =>
        (
          await hostCall<{ presets: { id: string; system: string }[] }>(webHost, 'settings.get', {})
        ).presets.find((p) => p.id === 'physics')?.system,
    )
    .toBe('You are terse.');

  await app.reload();
  await expect(app.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue('0.2');
  await expect(app.getByLabel('System prompt')).toHaveValue('physics');

  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('textbox', { name: 'Message' }).fill('Use my settings');
  await app.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(app.getByTestId('message-stats').last()).toContainText('32 tokens');
  const id = Number(/#\/chat\/(\d+)/.exec(app.url())![1]);
  const detail = await hostCall<{
    settings: { system: string; sampling: { temperature: number }; maxTokens: number };
  }>(webHost, 'conversations.get', { id });
  expect(detail.settings).toMatchObject({
    system: 'You are terse.',
    sampling: { temperature: 0.2 },
    maxTokens: 32,
  });
});

test('rejects invalid settings in main', async ({ webHost }) => {
  await expect(hostCall(webHost, 'settings.update', { fontSize: 99 })).rejects.toThrow(/invalid_input/);
  await expect(hostCall(webHost, 'settings.update', { theme: 'neon' })).rejects.toThrow(/invalid_input/);
  await expect(hostCall(webHost, 'settings.update', { sampling: { temperature: -1 } })).rejects.toThrow(
    /invalid_input/,
  );
});
