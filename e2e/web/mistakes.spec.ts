/**
 * The mistake check end to end: the checker live as a solution is typed, then a check with the generated
 * Phi-2 model's analysis (real node-llama-cpp, schema-constrained JSON), saved and restored from history.
 */
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel, slowEndlessTestModel } from '../support/test-models';
import type { Page } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

const solution = (page: Page) => page.getByRole('textbox', { name: /Student's solution/ });
const problem = (page: Page) => page.getByRole('textbox', { name: 'Problem' });

async function newCheck(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Mistake check' }).click();
  await page.getByRole('button', { name: 'New check' }).click();
}

test('without a model the checker still works, and the analysis says it needs one (M1)', async ({ app }) => {
  await newCheck(app);
  await problem(app).fill(
    'A skier slides down a frictionless slope 40 m high. How fast is the skier at the bottom?',
  );
  await solution(app).fill('v = √(2·9.81·40) = 30.2 m/s');
  // The preview typesets the step and marks the wrong arithmetic as it is typed.
  const line = app.getByRole('list', { name: 'Preview of the steps' }).getByTestId('checked-line');
  await expect(line).toHaveAttribute('data-status', 'error');
  await expect(line.getByTestId('checker-finding')).toContainText('28.01, not 30.2');
  await app.getByRole('button', { name: 'Check this solution' }).click();
  await expect(app).toHaveURL(/#\/mistakes\/\d+$/);
  await expect(app.getByTestId('analysis')).toHaveAttribute('data-status', 'failed');
  await expect(app.getByTestId('analysis')).toContainText('No model is loaded');
  await expect(app.getByRole('list', { name: 'Steps' }).getByTestId('checked-line')).toHaveAttribute(
    'data-status',
    'error',
  );
  await app.screenshot({ path: 'e2e/screenshots/mistakes-no-model.png', fullPage: true });
});

test('the skier example: the checker passes the arithmetic, the model analyses, and a reload restores it', async ({
  app,
  webHost,
}) => {
  await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  await newCheck(app);
  const option = app.getByLabel('Try an example').locator('option', { hasText: /skier/i }).first();
  await app.getByLabel('Try an example').selectOption((await option.getAttribute('value')) ?? '');
  await expect(problem(app)).toHaveValue(/40 m/);
  await expect(solution(app)).toHaveValue(/80/);
  const preview = app.getByRole('list', { name: 'Preview of the steps' }).getByTestId('checked-line');
  // √(2·9.81·80) = 39.6 is arithmetically right: the concept error is the model's to find.
  await expect(preview.filter({ hasText: '39.6' })).toHaveAttribute('data-status', 'ok');
  await app.screenshot({ path: 'e2e/screenshots/mistakes-form.png', fullPage: true });

  await app.getByRole('button', { name: 'Check this solution' }).click();
  const analysis = app.getByTestId('analysis');
  await expect(analysis).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(app.getByTestId('verdict')).toHaveText(/^(Correct|Incorrect|Incomplete)/);
  await expect(app.getByText('Reference answer:')).toContainText(/28\.01 m\/s/);
  const steps = app.getByRole('list', { name: 'Steps' }).getByTestId('checked-line');
  await expect(steps.filter({ hasText: '39.6' })).toHaveAttribute('data-status', 'ok');
  // The step the model names as first wrong is highlighted (when it names one).
  const verdict = (await app.getByTestId('verdict').textContent()) ?? '';
  const named = /first wrong step: (\d+)/.exec(verdict);
  if (named)
    await expect(app.locator(`[data-testid="checked-line"].highlight[data-line="${named[1]}"]`)).toHaveCount(
      1,
    );
  await app.screenshot({ path: 'e2e/screenshots/mistakes-analysis.png', fullPage: true });

  const url = app.url();
  await app.reload();
  await expect(app).toHaveURL(url);
  await expect(app.getByTestId('analysis')).toHaveAttribute('data-status', 'done');
  await expect(app.getByTestId('verdict')).toHaveText(verdict);
  // Listed in the sidebar with the mistake-check icon.
  await expect(app.getByTestId('conversation-item').first()).toContainText('Check:');
});

test('an analysis waiting behind another answer can be cancelled, then run again', async ({
  app,
  webHost,
}) => {
  // Keep the engine busy with a long chat answer, so the analysis waits in the queue (a real check on the
  // test model is too quick to catch).
  await hostCall(webHost, 'settings.update', { maxTokens: 4000 });
  const busy = await hostCall<{ conversationId: number }>(webHost, 'chat.send', { text: 'Write at length.' });
  await newCheck(app);
  await problem(app).fill('A 10 N force acts on a 2 kg mass. What is its acceleration?');
  await solution(app).fill('a = F/m\na = 10 N / 2 kg = 5 m/s^2');
  await app.getByRole('button', { name: 'Check this solution' }).click();
  const analysis = app.getByTestId('analysis');
  await expect(analysis).toHaveAttribute('data-status', 'running');
  await expect(analysis.getByTestId('answer-queued')).toHaveText(/Waiting for the model \(1 ahead\)/);
  await expect(analysis.getByRole('button', { name: 'Cancel' })).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(analysis).toHaveAttribute('data-status', 'stopped');
  await hostCall(webHost, 'answers.stop', { conversationId: busy.conversationId });
  await hostCall(webHost, 'settings.update', { maxTokens: 512 });

  await app.getByRole('button', { name: /Analyse again/ }).click();
  await expect(analysis).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const steps = app.getByRole('list', { name: 'Steps' }).getByTestId('checked-line');
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(1)).toHaveAttribute('data-status', 'ok');
});

test('while the analysis is written, its JSON so far and its tokens show; Stop ends it', async ({
  app,
  webHost,
}) => {
  // The slow model, so the analysis is still being written when it is looked at.
  await hostCall(webHost, 'engine.load', { path: slowEndlessTestModel() });
  try {
    await newCheck(app);
    await problem(app).fill('A 10 N force acts on a 2 kg mass. What is its acceleration?');
    await solution(app).fill('a = F/m\na = 10 N / 2 kg = 6 m/s^2');
    await app.getByRole('button', { name: 'Check this solution' }).click();
    const analysis = app.getByTestId('analysis');
    await expect(analysis).toHaveAttribute('data-status', 'running');
    await expect(analysis.getByRole('status')).toHaveText(/Analysing… \d+ tokens/);
    const preview = analysis.getByTestId('analysis-preview');
    await expect(preview).toContainText('{');
    const tokens = async () =>
      Number(/(\d+) tokens/.exec((await analysis.getByRole('status').textContent()) ?? '')?.[1]);
    const first = await tokens();
    await expect.poll(tokens).toBeGreaterThan(first);
    await analysis.getByRole('button', { name: 'Stop' }).click();
    await expect(analysis).toHaveAttribute('data-status', 'stopped');
    await expect(preview).toHaveCount(0);
  } finally {
    await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  }
});
