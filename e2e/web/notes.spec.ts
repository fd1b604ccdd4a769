/**
 * Notes end to end: the real renderer and CodeMirror in Chromium, the real web host and its notes store,
 * index and importer on a fresh data folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '../fixtures';
import { tinyPdf } from '../../src-main/test-support/note-files';
import { hostCall } from '../support/host-rpc';
import type { Page } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

const title = (page: Page) => page.getByRole('textbox', { name: 'Note title' });
const editor = (page: Page) => page.getByRole('textbox', { name: 'Note text' });
const rows = (page: Page) => page.getByTestId('note-row');
const row = (page: Page, text: string) => rows(page).filter({ hasText: text });
const saved = (page: Page) => expect(page.getByTestId('save-status')).toHaveText('Saved');

async function openNotes(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Notes' }).click();
  await expect(page).toHaveURL(/#\/notes/);
}

/** A new note with a title and a body typed key by key into the editor. */
async function write(page: Page, heading: string, body: string): Promise<void> {
  await page.getByRole('button', { name: 'New note' }).first().click();
  await expect(title(page)).toBeFocused();
  await page.keyboard.type(heading);
  await page.keyboard.press('Enter');
  await expect(editor(page)).toBeFocused();
  await page.keyboard.type(body);
}

test('writes Markdown with math, previews it with KaTeX, and keeps it across a reload', async ({ app }) => {
  await openNotes(app);
  await expect(app.getByRole('heading', { name: 'No notes yet' })).toBeVisible();
  await write(app, 'Energy', '# Kinetic energy\n\nMass and energy: $E = mc^2$ and **more**.');
  // 1200 px wide: Split by default, so the preview renders beside the editor.
  const preview = app.getByTestId('note-preview');
  await expect(preview.locator('.katex')).toHaveCount(1);
  await expect(preview.getByRole('heading', { name: 'Kinetic energy' })).toBeVisible();
  await expect(preview.locator('strong')).toHaveText('more');
  await saved(app);
  await expect(row(app, 'Energy')).toHaveAttribute('aria-current', 'true');

  await app.reload();
  await expect(title(app)).toHaveValue('Energy');
  await expect(editor(app)).toContainText('Mass and energy: $E = mc^2$ and **more**.');
  await expect(app.getByTestId('note-preview').locator('.katex')).toHaveCount(1);
});

test('saves the moment the editor loses focus: a reload at once keeps the last keystrokes', async ({
  app,
}) => {
  await openNotes(app);
  await row(app, 'Energy').click();
  await editor(app).click();
  await app.keyboard.press('Control+End');
  await app.keyboard.type(' Typed just before leaving.');
  // Leaving the editor saves now, not after the debounce; the reload follows straight away.
  await title(app).focus();
  await app.reload();
  await expect(editor(app)).toContainText('Typed just before leaving.');
  await saved(app);
});

test('duplicates, deletes with Undo, and moves a note to a folder shown in the tree', async ({ app }) => {
  await openNotes(app);
  await row(app, 'Energy').click();
  await app.getByRole('button', { name: 'Duplicate note' }).click();
  await expect(title(app)).toHaveValue('Energy (copy)');
  await expect(row(app, 'Energy (copy)')).toHaveAttribute('aria-current', 'true');
  await expect(editor(app)).toContainText('Typed just before leaving.');

  await app.getByRole('button', { name: 'Delete note' }).click();
  await expect(row(app, 'Energy (copy)')).toHaveCount(0);
  await expect(app.getByRole('heading', { name: 'No note open' })).toBeVisible();
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(row(app, 'Energy (copy)')).toBeVisible();
  await expect(title(app)).toHaveValue('Energy (copy)');

  const folder = app.getByRole('combobox', { name: 'Folder' });
  await folder.fill('Physics / Mechanics');
  await folder.press('Enter');
  await saved(app);
  const tree = app.getByTestId('folder-tree');
  await expect(tree.getByRole('button', { name: 'Physics', exact: true })).toBeVisible();
  await tree.getByRole('button', { name: 'Mechanics', exact: true }).click();
  await expect(rows(app)).toHaveCount(1);
  await expect(rows(app).first()).toContainText('Energy (copy)');
  await expect(rows(app).first()).toContainText('Physics/Mechanics');
  await tree.getByRole('button', { name: 'All notes' }).click();
  await expect(rows(app)).toHaveCount(2);
});

test('adds tags and filters the list by a word', async ({ app }) => {
  await openNotes(app);
  await write(app, 'Waves', 'Two slits make an interference pattern.');
  const tag = app.getByRole('combobox', { name: 'Add tag' });
  await tag.fill('optics');
  await tag.press('Enter');
  await expect(app.getByRole('group', { name: 'Tags' }).getByText('optics')).toBeVisible();
  await saved(app);
  await expect(app.getByRole('group', { name: 'Filter by tag' })).toContainText('#optics1');

  const filter = app.getByRole('searchbox', { name: 'Filter notes' });
  await filter.fill('interference');
  await expect(rows(app)).toHaveCount(1);
  await expect(rows(app).first()).toContainText('Waves');
  await filter.fill('xylophone');
  await expect(app.getByTestId('no-matches')).toContainText('No notes match “xylophone”');
  await app.getByRole('button', { name: 'Show all notes' }).click();
  await expect(rows(app)).toHaveCount(3);

  // Ctrl+K finds it from another view and opens it here.
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.keyboard.press('Control+k');
  await app.getByRole('textbox', { name: 'Search' }).fill('interference');
  await expect(app.getByTestId('search-results')).toContainText('Waves');
  await app.getByRole('textbox', { name: 'Search' }).press('Enter');
  await expect(app).toHaveURL(/#\/notes\/\d+$/);
  await expect(title(app)).toHaveValue('Waves');
});

test('closes the open note when it is deleted elsewhere', async ({ app, webHost }) => {
  await openNotes(app);
  await row(app, 'Waves').click();
  const id = Number(await row(app, 'Waves').getAttribute('data-note-id'));
  await hostCall(webHost, 'notes.delete', { ids: [id] });
  await expect(app.getByRole('heading', { name: 'No note open' })).toBeVisible();
  await expect(row(app, 'Waves')).toHaveCount(0);
  await expect(app).toHaveURL(/#\/notes$/);
  await hostCall(webHost, 'notes.restore', { ids: [id] });
  await expect(row(app, 'Waves')).toBeVisible();
});

test('imports a folder with a PDF and reports each file that failed', async ({ app, webHost }) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-notes-import-'));
  fs.writeFileSync(path.join(folder, 'lecture.md'), '# Lecture on momentum\n\np = m v\n');
  fs.writeFileSync(path.join(folder, 'plain.txt'), 'A plain text note about friction.\n');
  fs.writeFileSync(
    path.join(folder, 'slides.pdf'),
    tinyPdf([['Ohm law: V = I R'], ['Capacitors store charge']]),
  );
  fs.writeFileSync(
    path.join(folder, 'broken.md'),
    Buffer.from([0x00, 0xff, 0x00, 0xfe, 0x89, 0x50, 0x00, 0x00]),
  );

  await openNotes(app);
  await app.getByRole('button', { name: 'Import…' }).click();
  const dialog = app.getByRole('dialog', { name: 'Import notes' });
  await dialog.getByRole('textbox', { name: /one per line/ }).fill(folder);
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const report = dialog.getByTestId('import-report');
  await expect(report).toContainText('3 notes imported');
  await expect(report).toContainText('1 failed');
  const failed = report.getByRole('list', { name: 'Files not imported' }).getByRole('listitem');
  await expect(failed).toHaveCount(1);
  await expect(failed.first()).toContainText('broken.md');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(row(app, 'plain')).toBeVisible();
  await expect(row(app, 'Lecture on momentum').or(row(app, 'lecture'))).toBeVisible();
  // The PDF's pages are its text, each page's start kept for citations.
  const pdf = (
    await hostCall<{ notes: { id: number; title: string }[] }>(webHost, 'notes.list', {})
  ).notes.find((note) => note.title === 'slides')!;
  expect(await hostCall(webHost, 'notes.get', { id: pdf.id })).toMatchObject({
    body: 'Ohm law: V = I R\n\nCapacitors store charge',
    pageLines: [1, 3],
    source: { kind: 'pdf' },
  });

  // The index catches up: the footer says so, in words.
  await expect(app.getByTestId('index-status')).toContainText(/All 6 notes indexed/, { timeout: 20_000 });
  const list = await hostCall<{ notes: { source: unknown }[] }>(webHost, 'notes.list', {});
  expect(list.notes.filter((note) => note.source !== null)).toHaveLength(3);
  await expect(app.getByRole('alert')).toHaveCount(0);
  fs.rmSync(folder, { recursive: true, force: true });
});
