/**
 * The physics tutor end to end: the real renderer in Chromium, the real web host and store, the problem
 * bank, and the generated Phi-2 model through the real node-llama-cpp for Solve and the hints.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { registerSearchFunctions } from '../../src-main/core/store/search-text';
import { databaseFileName } from '../../src-main/core/store/store';
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel } from '../support/test-models';
import type { Page } from '@playwright/test';
import type { RunningWebHost } from '../support/web-host';

test.describe.configure({ mode: 'serial' });

async function loadModel(webHost: RunningWebHost): Promise<void> {
  const state = await hostCall<{ model: unknown }>(webHost, 'engine.status', {});
  if (!state.model) await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
}

async function openSkier(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Tutor' }).click();
  await page.getByRole('button', { name: 'New session' }).click();
  const bank = page.getByRole('region', { name: 'Or pick one from the problem bank' });
  await bank.getByRole('button', { name: /skier/i }).first().click();
  await expect(page).toHaveURL(/#\/tutor\/\d+$/);
  await expect(page.getByTestId('problem-statement')).toContainText('40 m');
}

const tab = (page: Page, name: string) => page.getByRole('tab', { name });

test('without a model: pick a bank problem and check answers; solving says it needs a model (M1)', async ({
  app,
}) => {
  await app.getByRole('link', { name: 'Tutor' }).click();
  await expect(app.getByRole('heading', { name: 'Your own problem' })).toBeVisible();
  // The bank, by topic.
  for (const topic of ['Kinematics', 'Energy', 'Circuits', 'Thermodynamics'])
    await expect(app.getByRole('heading', { level: 3, name: topic })).toBeVisible();
  await expect(app.getByRole('status').filter({ hasText: 'Solving and hints need a model' })).toBeVisible();
  await app.screenshot({ path: 'e2e/screenshots/tutor-picker.png', fullPage: true });

  await openSkier(app);
  await expect(app.getByRole('button', { name: 'Solve step by step' })).toBeDisabled();
  await tab(app, 'Check my answer').click();
  const answer = app.getByRole('textbox', { name: 'Your answer' });
  for (const [given, verdict] of [
    ['39.6 m/s', 'wrong'],
    ['28 m', 'wrong_unit'],
    ['28', 'missing_unit'],
    ['100.8 km/h', 'correct'],
  ] as const) {
    await answer.fill(given);
    await answer.press('Enter');
    await expect(app.getByTestId('answer-check').first()).toHaveAttribute('data-verdict', verdict);
  }
  // Feedback never gives the answer away.
  await expect(app.getByTestId('answer-check').filter({ hasText: '39.6' })).not.toContainText('28');
  await app.screenshot({ path: 'e2e/screenshots/tutor-check-answer.png', fullPage: true });
});

test('Solve step by step streams a solution and marks its checked lines', async ({ app, webHost }) => {
  await loadModel(webHost);
  await openSkier(app);
  await app.getByRole('button', { name: 'Solve step by step' }).click();
  const reply = app.getByTestId('tutor-reply');
  await expect(reply).toHaveAttribute('data-status', 'streaming');
  await expect(reply).toContainText('Step 1:');
  await expect(reply).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  // Once complete, the solution is shown line by line through the checker.
  await expect(reply.getByTestId('checked-line').first()).toBeVisible();
  await expect(app.getByRole('button', { name: 'Solve again' })).toBeEnabled();
  await app.screenshot({ path: 'e2e/screenshots/tutor-solve.png', fullPage: true });
});

test('a solution is marked line by line: ✓ where the arithmetic holds, ✗ with the right value where not', async ({
  app,
  webHost,
}) => {
  await loadModel(webHost);
  await openSkier(app);
  await app.getByRole('button', { name: 'Solve step by step' }).click();
  const reply = app.getByTestId('tutor-reply');
  await expect(reply).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  // The random-weight model writes noise; stand in for a confused model by saving what one might write
  // (right method, one wrong number) as the answer's text. The marks are computed when it is read back.
  const db = new Database(path.join(webHost.dataDir, databaseFileName), { timeout: 5000 });
  registerSearchFunctions(db); // the search index's triggers call it
  db.prepare(
    "UPDATE messages SET content = ? WHERE id = (SELECT max(id) FROM messages WHERE role = 'assistant')",
  ).run(
    [
      'Step 1: Energy is conserved, so $mgH = \\frac{1}{2}mv^2$ and $v = \\sqrt{2gH}$.',
      'Step 2: $2gH = 2 \\cdot 9.81 \\cdot 40 = 784.8$',
      'Step 3: $v = \\sqrt{2 \\cdot 9.81 \\cdot 40} = 30.2$ m/s',
      'Final answer: 30.2 m/s',
    ].join('\n'),
  );
  db.close();
  await app.reload();

  const lines = reply.getByTestId('checked-line');
  await expect(lines.nth(1)).toHaveAttribute('data-status', 'ok');
  await expect(lines.nth(2)).toHaveAttribute('data-status', 'error');
  await expect(lines.nth(2).getByTestId('checker-finding')).toContainText('= 28.01, not 30.2');
  await expect(reply.getByTestId('checker-summary')).toContainText('a mistake');
  await expect(reply.getByTestId('reference-check')).toHaveAttribute('data-verdict', 'wrong');
  await app.screenshot({ path: 'e2e/screenshots/tutor-solve-checked.png', fullPage: true });
});

test('the hint ladder opens one rung per click, and the level survives a reload', async ({
  app,
  webHost,
}) => {
  await loadModel(webHost);
  await openSkier(app);
  await tab(app, 'Hints').click();
  const rungs = app.getByTestId('hint-rung');
  await expect(rungs).toHaveCount(4);
  for (const [level, label] of [
    [1, 'Show hint 1'],
    [2, 'Show hint 2'],
    [3, 'Show hint 3'],
    [4, 'Show the full solution'],
  ] as const) {
    // Only the next rung can be opened.
    await expect(app.getByRole('button', { name: /^Show (hint \d|the full solution)$/ })).toHaveCount(1);
    await app.getByRole('button', { name: label }).click();
    const rung = rungs.nth(level - 1);
    await expect(rung.getByTestId('tutor-reply')).toHaveAttribute('data-status', 'complete', {
      timeout: 60_000,
    });
  }
  await expect(app.locator('[data-testid="hint-rung"].open')).toHaveCount(4);
  await app.screenshot({ path: 'e2e/screenshots/tutor-hints.png', fullPage: true });

  await app.reload();
  await tab(app, 'Hints').click();
  await expect(app.locator('[data-testid="hint-rung"].open')).toHaveCount(4);
  await expect(app.getByTestId('hint-rung').getByTestId('tutor-reply')).toHaveCount(4);
});

test('a practice variant is a new session with new numbers; sessions are listed with the tutor icon', async ({
  app,
}) => {
  await openSkier(app);
  const first = app.url();
  await app.getByRole('button', { name: 'Practice variant' }).click();
  await expect(app).not.toHaveURL(first);
  await expect(app.getByTestId('problem-card')).toContainText('practice variant');
  await expect(app.getByTestId('problem-statement')).not.toContainText('40 m high');

  const item = app.getByTestId('conversation-item').first();
  await expect(item.locator('svg').first()).toHaveClass(/graduation-cap/);
  // Opening a session from the list goes to the tutor, restored.
  await app.getByRole('link', { name: 'Chat' }).click();
  await app
    .getByTestId('conversation-item')
    .filter({ hasText: /skier/i })
    .last()
    .getByRole('button')
    .first()
    .click();
  await expect(app).toHaveURL(/#\/tutor\/\d+$/);
  await expect(app.getByTestId('problem-card')).toBeVisible();
});

test('a typed problem can be tutored too', async ({ app, webHost }) => {
  await loadModel(webHost);
  await app.getByRole('link', { name: 'Tutor' }).click();
  await app.getByRole('button', { name: 'New session' }).click();
  await app
    .getByRole('textbox', { name: 'Your problem' })
    .fill('A 2 kg cart at 3 m/s stops in 0.1 s. What is the average force?');
  await app.getByRole('button', { name: 'Start with this problem' }).click();
  await expect(app.getByTestId('problem-card')).toContainText('Your problem');
  await tab(app, 'Check my answer').click();
  await app.getByRole('textbox', { name: 'Your answer' }).fill('60 N');
  await app.getByRole('button', { name: 'Check' }).click();
  // No reference yet: the tutor must solve (and pass the checks) first.
  await expect(app.getByRole('alert').or(app.getByTestId('toast')).first()).toContainText('solve it first');
});
