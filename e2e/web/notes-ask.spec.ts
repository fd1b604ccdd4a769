/**
 * "Ask my notes" and "Summarise" end to end: the real renderer in Chromium, the web host's notes index and
 * the generated Phi-2 test model (its answers are noise, so only what surrounds them is asserted: sources,
 * citations, the not-found notice, the saved summary).
 */
import type { Page } from '@playwright/test';
import type { NotesIndexStatus } from '../../src-shared/notes';
import type { RunningAnswer } from '../../src-shared/types';
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel } from '../support/test-models';
import type { RunningWebHost } from '../support/web-host';

test.describe.configure({ mode: 'serial' });

const panel = (page: Page) => page.getByTestId('ask-panel');
const question = (page: Page) => page.getByRole('textbox', { name: 'Question' });
const exchanges = (page: Page) => page.getByTestId('ask-exchange');
const rows = (page: Page) => page.getByTestId('note-row');

const waves = [
  '# Waves',
  '',
  'Sound needs a medium to travel through.',
  '',
  '## Doppler',
  '',
  'A siren sounds higher while the ambulance approaches and lower once it recedes.',
  'The pitch shift grows with the speed of the source.',
].join('\n');
const orbits = '# Orbits\n\nKepler found that planets move on ellipses with the sun at one focus.\n';

async function prepare(host: RunningWebHost): Promise<void> {
  const state = await hostCall<{ model: unknown }>(host, 'engine.status', {});
  if (!state.model) await hostCall(host, 'engine.load', { path: endlessTestModel() });
  const { notes } = await hostCall<{ notes: unknown[] }>(host, 'notes.list', {});
  if (notes.length > 0) return;
  await hostCall(host, 'notes.create', { title: 'Waves', body: waves });
  await hostCall(host, 'notes.create', { title: 'Orbits', body: orbits });
  await expect
    .poll(async () => (await hostCall<NotesIndexStatus>(host, 'notes.indexStatus', {})).notes.indexed)
    .toBe(2);
}

// Nothing a test started goes on writing into the next one.
test.afterEach(async ({ webHost }) => {
  for (const answer of await hostCall<RunningAnswer[]>(webHost, 'answers.running', {}))
    await hostCall(webHost, 'answers.stop', { messageId: answer.messageId });
});

async function openNotes(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Notes' }).click();
  await expect(rows(page).filter({ hasText: 'Orbits' }).first()).toBeVisible();
}

async function ask(page: Page, text: string): Promise<void> {
  await question(page).fill(text);
  await question(page).press('Enter');
  await expect(exchanges(page).last()).toContainText(text);
}

/** The last answer has ended (the test model writes until its cap). */
async function answered(page: Page): Promise<void> {
  await expect(exchanges(page).last()).not.toHaveAttribute('data-status', /streaming|waiting/, {
    timeout: 30_000,
  });
}

test('answers from the matching note with a source card that opens the cited lines', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  await openNotes(app);
  await app.getByRole('button', { name: 'Ask my notes' }).click();
  await expect(question(app)).toBeFocused();
  await expect(panel(app).getByTestId('ask-scope')).toHaveText('Answers from all your notes');

  // Shift+Enter is a new line; Enter asks.
  await question(app).pressSequentially('Why does the siren sound');
  await question(app).press('Shift+Enter');
  await question(app).pressSequentially('higher as the ambulance approaches?');
  await expect(question(app)).toHaveValue('Why does the siren sound\nhigher as the ambulance approaches?');
  await question(app).press('Enter');
  await expect(exchanges(app)).toHaveCount(1);
  await expect(panel(app).getByRole('button', { name: 'Stop' })).toBeVisible();
  await answered(app);
  await expect(exchanges(app).last()).toHaveAttribute('data-status', 'complete');
  await expect(panel(app).getByTestId('ask-answer')).not.toBeEmpty();

  const cards = panel(app).getByTestId('source-card');
  await expect(cards.first()).toBeVisible();
  const card = cards.filter({ hasText: 'Waves › Doppler' }).first();
  await expect(card).toContainText(/lines \d+–\d+/);
  await expect(card).toContainText('A siren sounds higher');
  await expect(cards.filter({ hasText: 'Orbits' })).toHaveCount(0);
  // No embedding model in the test data folder: words only, and the way to get one.
  await expect(panel(app).getByTestId('keyword-only')).toContainText('Searched by keywords only');
  await expect(panel(app).getByRole('button', { name: 'Get the notes search model' })).toBeVisible();

  await card.click();
  await expect(app.getByRole('textbox', { name: 'Note title' })).toHaveValue('Waves');
  const cited = app.getByTestId('note-editor').locator('.cm-cited-line');
  await expect(cited.first()).toBeVisible();
  await expect(cited.first()).toContainText('Doppler');
  // 1200 px wide: the panel stays beside the note.
  await expect(panel(app)).toBeVisible();

  // A follow-up that matches nothing: said without asking the model, with no sources.
  await ask(app, 'xylophone quasar');
  await expect(exchanges(app)).toHaveCount(2);
  await expect(exchanges(app).last().getByTestId('ask-not-found')).toContainText('Not found in your notes');
  await expect(exchanges(app).last().getByTestId('source-card')).toHaveCount(0);
});

test('turns [n] markers into chips that open their source; an unknown number stays text', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  // An answer whose text cites its sources, brought in as a conversation file (the model writes noise).
  const started = await hostCall<{ conversationId: number; messageId: number }>(webHost, 'notes.ask', {
    question: 'What does the siren do?',
  });
  await expect
    .poll(async () => (await hostCall<RunningAnswer[]>(webHost, 'answers.running', {})).length)
    .toBe(0);
  const exported = await hostCall<{ content: string }>(webHost, 'conversations.export', {
    id: started.conversationId,
    format: 'json',
  });
  const file = JSON.parse(exported.content) as { messages: { id: number; content: string }[] };
  const answer = file.messages.find((message) => message.id === started.messageId)!;
  answer.content = 'The pitch rises as it approaches [1], as noted [7]; `code [1]` stays code.';
  const imported = await hostCall<{ id: number }>(webHost, 'conversations.import', {
    content: JSON.stringify(file),
  });

  await app.evaluate(
    (id) => sessionStorage.setItem('phidesk.notes.ask', JSON.stringify({ conversationId: id, shown: true })),
    imported.id,
  );
  await app.reload();
  await openNotes(app);
  const text = panel(app).getByTestId('ask-answer');
  await expect(text).toContainText('The pitch rises');
  const chips = text.locator('button.cite');
  await expect(chips).toHaveCount(1);
  await expect(chips.first()).toHaveText('1');
  await expect(chips.first()).toHaveAttribute('aria-label', /Source 1: Waves › Doppler, lines \d+–\d+/);
  await expect(text).toContainText('as noted [7]');
  await expect(text.locator('code')).toHaveText('code [1]');

  // 800 px wide: the panel takes the note's place, and makes way for the note a chip opens.
  await app.setViewportSize({ width: 800, height: 600 });
  await chips.first().click();
  await expect(panel(app)).toHaveCount(0);
  await expect(app.getByRole('textbox', { name: 'Note title' })).toHaveValue('Waves');
  await expect(app.getByTestId('note-editor').locator('.cm-cited-line').first()).toBeVisible();
  // The conversation is kept: the panel shows it again.
  await app.getByRole('button', { name: 'Ask my notes' }).click();
  await expect(panel(app).getByTestId('ask-answer')).toContainText('The pitch rises');
});

test('summarises a note beside it and saves the summary as a new note', async ({ app, webHost }) => {
  await prepare(webHost);
  await openNotes(app);
  await rows(app).filter({ hasText: 'Orbits' }).click();
  await app.getByRole('button', { name: 'Summarise note' }).click();
  await expect(panel(app).getByTestId('ask-scope')).toContainText('About Orbits');
  await expect(exchanges(app).last()).toHaveAttribute('data-kind', 'summary');
  await answered(app);
  await expect(panel(app).getByTestId('source-card')).toHaveCount(0);
  await panel(app).getByRole('button', { name: 'Save as note' }).click();
  await expect(rows(app).filter({ hasText: 'Summary of Orbits' })).toBeVisible();
  await expect(panel(app).getByText('Saved as a note')).toBeVisible();
  await panel(app).getByRole('button', { name: 'Close', exact: true }).click();
  await expect(panel(app)).toHaveCount(0);
});

test('offers the notes search model until it is declined, and says when no model can answer', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  await openNotes(app);
  const offer = app.getByTestId('embedding-offer');
  await expect(offer).toContainText('Search your notes by meaning too');
  await expect(offer.getByRole('button', { name: 'Download' })).toBeVisible();
  await offer.getByRole('button', { name: 'Not now' }).click();
  await expect(offer).toHaveCount(0);
  await app.reload();
  await expect(rows(app)).toHaveCount(3);
  await expect(offer).toHaveCount(0);

  await hostCall(webHost, 'engine.unload', {});
  await app.getByRole('button', { name: 'Ask my notes' }).click();
  await expect(panel(app).getByRole('status').filter({ hasText: 'No model is loaded' })).toBeVisible();
  await expect(panel(app).getByRole('button', { name: 'Go to Models' })).toBeVisible();
  await expect(question(app)).toBeDisabled();
});
