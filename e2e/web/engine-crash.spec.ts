/**
 * Engine isolation end to end: the engine process (llama.cpp) is killed mid-answer under an open page.
 * The web host stays up, the answer shows as interrupted with its text, the page says the model stopped
 * and is restarting, and once it is back a new message is answered — without reloading the page.
 */
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel } from '../support/test-models';

interface EngineStatus {
  model: unknown;
  loading: unknown;
  process: { status: string; pid: number | null } | null;
}

test('kills the engine mid-answer: interrupted, a notice, restarted, and answering again', async ({
  app,
  webHost,
}) => {
  await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  await hostCall(webHost, 'settings.update', { maxTokens: 4000, sampling: { seed: 3 } });
  const before = await hostCall<EngineStatus>(webHost, 'engine.status', {});
  expect(before.process).toMatchObject({ status: 'running', pid: expect.any(Number) });

  await app.getByRole('link', { name: 'Chat' }).click();
  const composer = app.getByRole('textbox', { name: 'Message' });
  await composer.fill('Tell me everything about waves.');
  await composer.press('Enter');
  const answer = app.getByTestId('message-assistant').last();
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  await expect(answer.locator('.markdown')).not.toBeEmpty();

  process.kill(before.process!.pid!, 'SIGKILL');
  await expect(answer).toHaveAttribute('data-status', 'interrupted');
  await expect(answer.locator('.markdown')).not.toBeEmpty();
  await expect(app.getByTestId('engine-notice')).toContainText(
    /stopped unexpectedly|after an unexpected stop/i,
  );

  // Back by itself, with the same model: the host reloads it and the page follows without a reload.
  await expect
    .poll(
      async () => {
        const state = await hostCall<EngineStatus>(webHost, 'engine.status', {});
        return state.process?.status === 'running' && state.model !== null && state.loading === null;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  const after = await hostCall<EngineStatus>(webHost, 'engine.status', {});
  expect(after.process!.pid).not.toBe(before.process!.pid);
  await hostCall(webHost, 'settings.update', { maxTokens: 20 });
  await composer.fill('Are you back?');
  await composer.press('Enter');
  const next = app.getByTestId('message-assistant').last();
  await expect(next).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(app.getByTestId('model-status')).toHaveText(/Phidesk test model/);
});
