/**
 * Flashcards end to end: the panel in the real Notes view in Chromium, the real web host, store, engine
 * and the generated test model. Cards
 * are made from a note, reviewed by keyboard on FSRS's schedule, edited and deleted; due counts are
 * checked through the contract as well as on screen. The random model's words are not read: only that
 * every card it made is a checked one, linked to lines of the note.
 */
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel } from '../support/test-models';
import type { Page } from '@playwright/test';
import type { DeckSummary, Flashcard } from '../../src-shared/flashcards';
import type { Note } from '../../src-shared/notes';

test.describe.configure({ mode: 'serial' });

const body = [
  '# Waves',
  '',
  '## Doppler',
  '',
  'The observed frequency rises as the source approaches and falls as it recedes.',
  '',
  '## Interference',
  '',
  'Two slits give bright fringes where path differences are whole wavelengths.',
].join('\n');

let note: Note;

/** The panel beside the note, from the note's toolbar. */
async function openPanel(app: Page): Promise<void> {
  await app.getByRole('link', { name: 'Notes' }).click();
  await app.getByTestId('note-row').filter({ hasText: 'Waves' }).first().click();
  const toggle = app.getByRole('button', { name: 'Flashcards', exact: true }).last();
  if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
  await expect(app.getByRole('heading', { name: 'Flashcards' })).toBeVisible();
}

/** The cited lines highlighted in the note's editor. */
const citedLines = (page: Page) => page.getByTestId('note-editor').locator('.cm-cited-line');
const panel = (page: Page) => page.getByTestId('flashcards-panel');
const deck = (page: Page, name: string) =>
  page.getByTestId('deck').and(page.locator(`[data-deck="${name}"]`));

test('makes flashcards from a note, each a checked card linked to lines of the note', async ({
  app,
  webHost,
}, testInfo) => {
  await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  note = await hostCall<Note>(webHost, 'notes.create', { title: 'Waves', body, folder: 'Physics' });
  await openPanel(app);
  await expect(panel(app)).toContainText('No flashcards yet.');

  // A generation may make a single card: ask until there are two to review.
  for (let attempt = 0; attempt < 3; attempt++) {
    const made = await hostCall<Flashcard[]>(webHost, 'flashcards.list', { noteId: note.id });
    if (made.length >= 2) break;
    await app.getByRole('button', { name: 'Make flashcards from this note' }).click();
    const status = app.getByTestId('generation-status');
    await expect(status).toHaveText(/Made \d+ flashcards?\./, { timeout: 45_000 });
  }
  await app.screenshot({ path: testInfo.outputPath('decks.png') });

  const cards = await hostCall<Flashcard[]>(webHost, 'flashcards.list', { noteId: note.id });
  expect(cards.length).toBeGreaterThanOrEqual(2);
  const lines = body.split('\n').length;
  for (const card of cards) {
    expect(card).toMatchObject({ deck: 'Physics', state: 'new', reps: 0 });
    expect(card.front.trim().length).toBeGreaterThan(0);
    expect(card.back.trim().length).toBeGreaterThan(0);
    expect(card.source).toMatchObject({ noteId: note.id, title: 'Waves' });
    expect(card.source!.lineStart).toBeGreaterThanOrEqual(1);
    expect(card.source!.lineEnd).toBeLessThanOrEqual(lines);
  }
  const decks = await hostCall<DeckSummary[]>(webHost, 'flashcards.decks', {});
  expect(decks).toEqual([{ deck: 'Physics', total: cards.length, due: cards.length, nextDueAt: null }]);
  await expect(deck(app, 'Physics').getByTestId('deck-counts')).toHaveText(
    `${cards.length} cards · ${cards.length} due`,
  );
  await expect(app.getByRole('button', { name: `${cards.length} cards from this note` })).toBeVisible();
});

test('reviews by keyboard: Space flips, 1–4 grade, until all are caught up', async ({
  app,
  webHost,
}, testInfo) => {
  await openPanel(app);
  const total = (await hostCall<Flashcard[]>(webHost, 'flashcards.list', { noteId: note.id })).length;
  await deck(app, 'Physics').getByRole('button', { name: 'Review' }).click();
  const review = app.getByTestId('review-session');
  await expect(review.getByTestId('review-left')).toHaveText(`${total} left today`);
  await expect(review.getByTestId('flashcard-back')).toHaveCount(0);

  await app.keyboard.press('Space');
  await expect(review.getByTestId('flashcard-back')).toBeVisible();
  // A new card: FSRS's first steps, each on its button.
  await expect(review.getByTestId('grade-1')).toHaveText(/^Again · 1 min/);
  await expect(review.getByTestId('grade-3')).toHaveText(/^Good · 10 min/);
  await expect(review.getByTestId('grade-4')).toHaveText(/^Easy · \d+ days/);
  await app.screenshot({ path: testInfo.outputPath('review-back.png') });

  // Its source opens the note at its lines, highlighted.
  await review.getByRole('button', { name: /^From Waves › / }).click();
  await expect(citedLines(app).first()).toBeVisible();

  const firstFront = await review.getByTestId('flashcard-front').textContent();
  await app.keyboard.press('3');
  await expect(review.getByTestId('flashcard-back')).toHaveCount(0);
  await expect(review.getByTestId('flashcard-front')).not.toHaveText(firstFront ?? '');
  // Space flips even with the source button focused, and never presses that button.
  await app.keyboard.press('Space');
  await expect(review.getByTestId('flashcard-back')).toBeVisible();
  await app.keyboard.press('1');
  await expect(review.getByTestId('flashcard-back')).toHaveCount(0);

  // Two cards reviewed: none is due now, though both come back within the sitting (learning steps).
  const decks = await hostCall<DeckSummary[]>(webHost, 'flashcards.decks', {});
  expect(decks[0]).toMatchObject({ deck: 'Physics', total, due: total - 2 });
  const reviewed = (await hostCall<Flashcard[]>(webHost, 'flashcards.list', { noteId: note.id })).filter(
    (card) => card.reps > 0,
  );
  expect(reviewed.map((card) => card.state)).toEqual(['learning', 'learning']);

  // Easy on everything left graduates each card to days away.
  for (let shown = 0; shown < 2 * total; shown++) {
    if (await review.getByTestId('review-done').isVisible()) break;
    await expect(review.getByTestId('flashcard-front')).toBeVisible();
    await app.keyboard.press('Space');
    await expect(review.getByTestId('grade-4')).toBeEnabled();
    await app.keyboard.press('4');
    await expect(review.getByTestId('grade-4')).toHaveCount(0);
  }
  await expect(review.getByTestId('review-done')).toHaveText(/^All caught up — next card due in \d+ days?$/);
  await expect(review.getByTestId('review-left')).toHaveText('Nothing left today');
  await app.screenshot({ path: testInfo.outputPath('caught-up.png') });

  await review.getByRole('button', { name: 'End review' }).click();
  await expect(deck(app, 'Physics').getByTestId('deck-counts')).toHaveText(`${total} cards · none due`);
  const after = await hostCall<DeckSummary[]>(webHost, 'flashcards.decks', {});
  expect(after).toEqual([{ deck: 'Physics', total, due: 0, nextDueAt: expect.any(Number) }]);
  expect(after[0]!.nextDueAt).toBeGreaterThan(Date.now() + 20 * 60_000);
});

test('edits a card inline, and deletes one with Undo', async ({ app, webHost }, testInfo) => {
  await openPanel(app);
  await deck(app, 'Physics').getByRole('button', { name: 'Cards' }).click();
  const list = app.getByTestId('card-list');
  const items = list.getByTestId('flashcard-item');
  const total = await items.count();
  expect(total).toBeGreaterThanOrEqual(2);

  await items.first().getByRole('button', { name: 'Edit card' }).click();
  await list.getByLabel('Question').fill('What happens to the observed frequency as a source approaches?');
  await list.getByLabel('Answer').fill('It rises.');
  await app.screenshot({ path: testInfo.outputPath('edit.png') });
  await list.getByRole('button', { name: 'Save' }).click();
  await expect(items.first()).toContainText('What happens to the observed frequency as a source approaches?');
  const cards = await hostCall<Flashcard[]>(webHost, 'flashcards.list', { deck: 'Physics' });
  expect(cards[0]).toMatchObject({ back: 'It rises.', deck: 'Physics' });

  await items.first().getByRole('button', { name: 'Delete card' }).click();
  await expect(items).toHaveCount(total - 1);
  expect(await hostCall<Flashcard[]>(webHost, 'flashcards.list', { deck: 'Physics' })).toHaveLength(
    total - 1,
  );
  await list.getByRole('button', { name: 'Undo' }).click();
  await expect(items).toHaveCount(total);
  await expect(items.first()).toContainText('It rises.');
});

test('says why no flashcards were made when no model is loaded', async ({ app, webHost }) => {
  await hostCall(webHost, 'engine.unload', {});
  await openPanel(app);
  await app.getByRole('button', { name: 'Make flashcards from this note' }).click();
  await expect(app.getByTestId('generation-status')).toHaveText(
    'Could not make flashcards: No model is loaded. Load one in Models.',
  );
});
