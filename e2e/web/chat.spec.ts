/**
 * Chat end to end: the real renderer in Chromium, the real web host, the generated Phi-2 model through
 * the real node-llama-cpp, and the real SQLite history.
 */
import fs from 'node:fs';
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { endlessTestModel, slowEndlessTestModel } from '../support/test-models';
import type { Page } from '@playwright/test';
import type { RunningWebHost } from '../support/web-host';

test.describe.configure({ mode: 'serial' });

async function prepare(webHost: RunningWebHost, maxTokens = 40): Promise<void> {
  const state = await hostCall<{ model: unknown }>(webHost, 'engine.status', {});
  if (!state.model) await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  await hostCall(webHost, 'settings.update', { maxTokens, sampling: { seed: 7 } });
}

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const answers = (page: Page) => page.getByTestId('message-assistant');

async function ask(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(page.getByTestId('message-user').filter({ hasText: text })).toBeVisible();
}

async function answered(page: Page): Promise<void> {
  await expect(answers(page).last()).not.toHaveAttribute('data-status', 'streaming', { timeout: 30_000 });
}

test('sends a message and streams the answer into a new conversation', async ({ app, webHost }) => {
  await prepare(webHost, 1500);
  await app.getByRole('link', { name: 'Chat' }).click();
  await ask(app, 'What is momentum? (first)');
  // While it streams: the cursor, live stats and a Stop button.
  await expect(answers(app).last()).toHaveAttribute('data-status', 'streaming');
  await expect(app.getByRole('button', { name: 'Stop (Esc)' })).toBeVisible();
  await answered(app);
  await expect(answers(app).last()).toHaveAttribute('data-status', 'complete');
  await expect(app.getByTestId('message-stats').last()).toHaveText(
    /to first token · [\d.]+ tok\/s · 1500 tokens · reached the length limit/,
  );
  await expect(app).toHaveURL(/#\/chat\/\d+$/);
  const sidebar = app.getByTestId('conversation-list');
  await expect(sidebar.getByRole('region', { name: 'Today' })).toContainText('What is momentum? (first)');
  await expect(app.getByTestId('announcer')).toHaveText('Answer complete.');
  await expect(app.getByTestId('context-meter')).toContainText('/ 2,048 tokens');
});

test('stops mid-answer with Esc, keeps the partial text, and continues it', async ({ app, webHost }) => {
  // The slow model: on the fast one a continuation fills the context before Stop can be clicked.
  await hostCall(webHost, 'engine.load', { path: slowEndlessTestModel() });
  try {
    await prepare(webHost, 4000);
    await app.getByRole('link', { name: 'Chat' }).click();
    await app.getByRole('button', { name: /New chat/ }).click();
    await ask(app, 'Tell me everything (stop me)');
    await expect(answers(app).last().locator('.markdown')).not.toBeEmpty();
    await app.keyboard.press('Escape');
    await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
    await expect(answers(app).last()).toContainText('Stopped.');
    // Compared as saved: random text renders differently as Markdown once more follows it.
    const savedAnswer = async () => {
      const { items } = await hostCall<{ items: { id: number }[] }>(webHost, 'conversations.list', {
        limit: 1,
      });
      const detail = await hostCall<{ messages: { content: string }[] }>(webHost, 'conversations.get', {
        id: items[0]!.id,
      });
      return detail.messages.at(-1)!.content;
    };
    const partial = await savedAnswer();
    expect(partial.length).toBeGreaterThan(0);
    const shownLength = ((await answers(app).last().locator('.markdown').textContent()) ?? '').length;

    await answers(app).last().getByRole('button', { name: 'Continue' }).click();
    await expect(answers(app).last()).toHaveAttribute('data-status', 'streaming');
    // The continuation streams after the kept text.
    await expect
      .poll(async () => ((await answers(app).last().locator('.markdown').textContent()) ?? '').length)
      .toBeGreaterThan(shownLength);
    await app.getByRole('button', { name: 'Stop (Esc)' }).click();
    await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
    const continued = await savedAnswer();
    expect(continued.startsWith(partial)).toBe(true);
    expect(continued.length).toBeGreaterThan(partial.length);
  } finally {
    await hostCall(webHost, 'engine.load', { path: endlessTestModel() });
  }
});

test('regenerates, edits and switches between the versions', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Original question');
  await answered(app);

  await answers(app).last().hover();
  await answers(app).last().getByRole('button', { name: 'Regenerate' }).click();
  await answered(app);
  await expect(answers(app).last().getByTestId('branch-switcher')).toContainText('2/2');
  await answers(app).last().getByRole('button', { name: 'Previous version' }).click();
  await expect(answers(app).last().getByTestId('branch-switcher')).toContainText('1/2');

  const question = app.getByTestId('message-user').last();
  await question.hover();
  await question.getByRole('button', { name: 'Edit and resend' }).click();
  await app.getByRole('textbox', { name: 'Edit message' }).fill('Edited question');
  await app.getByRole('textbox', { name: 'Edit message' }).press('Enter');
  await expect(app.getByTestId('message-user').last()).toContainText('Edited question');
  await answered(app);
  await expect(app.getByTestId('message-user').last().getByTestId('branch-switcher')).toContainText('2/2');
  await app.getByTestId('message-user').last().getByRole('button', { name: 'Previous version' }).click();
  await expect(app.getByTestId('message-user').last()).toContainText('Original question');
  // Back on the original question, the newest of its answers shows.
  await expect(answers(app).last().getByTestId('branch-switcher')).toContainText('2/2');
});

test('renames, pins, deletes with undo, and deletes several at once', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  for (const text of ['Alpha topic', 'Beta topic', 'Gamma topic']) {
    await app.getByRole('button', { name: /New chat/ }).click();
    await ask(app, text);
    await answered(app);
  }
  const sidebar = app.getByTestId('conversation-list');
  const item = (title: string) => sidebar.getByTestId('conversation-item').filter({ hasText: title });

  await item('Alpha topic').hover();
  await item('Alpha topic').getByRole('button', { name: 'Rename' }).click();
  await app.getByRole('textbox', { name: 'Conversation title' }).fill('Renamed alpha');
  await app.getByRole('textbox', { name: 'Conversation title' }).press('Enter');
  // A rename is a change, so it moves to the top: hover once it is there, not where it was.
  await expect(sidebar.getByTestId('conversation-item').first()).toContainText('Renamed alpha');

  await item('Renamed alpha').hover();
  await item('Renamed alpha').getByRole('button', { name: 'Pin' }).click();
  await expect(sidebar.getByRole('region', { name: 'Pinned' })).toContainText('Renamed alpha');

  await item('Beta topic').hover();
  await item('Beta topic').getByRole('button', { name: 'Delete' }).click();
  await expect(item('Beta topic')).toHaveCount(0);
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(item('Beta topic')).toBeVisible();

  await app.getByRole('button', { name: 'Select' }).click();
  await app.getByRole('checkbox', { name: 'Select Beta topic' }).check();
  await app.getByRole('checkbox', { name: 'Select Gamma topic' }).check();
  await app.getByRole('button', { name: 'Delete 2' }).click();
  await expect(item('Beta topic')).toHaveCount(0);
  await expect(item('Gamma topic')).toHaveCount(0);
  await expect(app.getByRole('status').filter({ hasText: '2 conversations deleted.' })).toBeVisible();
});

test('searches across chats with highlighted snippets and jumps to the message', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Remember the word xylophonic please');
  await answered(app);
  await app.getByRole('button', { name: /New chat/ }).click();
  await app.keyboard.press('Control+k');
  await app.getByRole('textbox', { name: 'Search' }).fill('xylophon');
  const result = app.getByTestId('search-results').getByRole('option').first();
  await expect(result).toContainText('Remember the word');
  await expect(result.locator('mark')).toHaveText('xylophonic');
  await app.getByRole('textbox', { name: 'Search' }).press('Enter');
  await expect(app.getByTestId('message-user').filter({ hasText: 'xylophonic' })).toBeInViewport();
  await expect(app).toHaveURL(/#\/chat\/\d+$/);
});

test('exports a conversation as Markdown', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Export this question');
  await answered(app);
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Export as Markdown' }).click();
  const file = await (await download).path();
  const markdown = fs.readFileSync(file, 'utf8');
  expect(markdown).toContain('# Export this question');
  expect(markdown).toContain('## You\n\nExport this question');
  expect(markdown).toContain('## Phidesk');
});

test('keeps the history across a reload', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Survive a reload');
  await answered(app);
  const answer = await answers(app).last().locator('.markdown').innerHTML();
  await app.reload();
  await expect(app.getByTestId('message-user').filter({ hasText: 'Survive a reload' })).toBeVisible();
  expect(await answers(app).last().locator('.markdown').innerHTML()).toBe(answer);
  await expect(app.getByTestId('conversation-list')).toContainText('Survive a reload');
});

test('refuses empty and oversized messages in the composer (I3, I14)', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await composer(app).fill('   \n  ');
  await expect(app.getByRole('button', { name: 'Send' })).toBeDisabled();
  await composer(app).fill(' '.repeat(1024 * 1024));
  await expect(app.getByRole('button', { name: 'Send' })).toBeDisabled();
  await expect(app.locator('#composer-hint')).toContainText('Too long: 1,048,576 characters');
  await composer(app).fill('word '.repeat(2500));
  await expect(app.locator('#composer-hint')).toContainText(/Too long for the model: [\d,]+ tokens/);
  await expect(app.getByRole('button', { name: 'Send' })).toBeDisabled();
});

test('Ctrl+N starts a new chat', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByTestId('conversation-item').first().locator('button.open').click();
  await expect(app).toHaveURL(/#\/chat\/\d+$/);
  await app.keyboard.press('Control+n');
  await expect(app).toHaveURL(/#\/chat$/);
  await expect(app.getByRole('heading', { name: 'What would you like to know?' })).toBeVisible();
  await expect(composer(app)).toBeFocused();
});

test('imports a conversation from JSON and renders its Markdown and math', async ({ app }) => {
  await app.getByRole('link', { name: 'Chat' }).click();
  const chooser = app.waitForEvent('filechooser');
  await app.getByRole('button', { name: 'Import', exact: true }).click();
  await (await chooser).setFiles('e2e/data/skier-conversation.json');
  await expect(app.getByRole('heading', { level: 1, name: 'Skier on a frictionless slope' })).toBeVisible();
  const answer = answers(app).last();
  await expect(answer.locator('.katex-display')).toHaveCount(1);
  await expect(answer.locator('.code-block')).toContainText('sqrt(2 * g * H)');
  for (const scheme of ['light', 'dark'] as const) {
    await app.emulateMedia({ colorScheme: scheme });
    await app.screenshot({ path: `e2e/screenshots/chat-conversation-${scheme}.png` });
  }
  await app.keyboard.press('Control+k');
  await app.getByRole('textbox', { name: 'Search' }).fill('frictionless');
  await expect(app.getByTestId('search-results')).toBeVisible();
  await app.screenshot({ path: 'e2e/screenshots/search-dark.png' });
  await app.keyboard.press('Escape');
});

/** The chat view as it is now, at a desktop and a small window size, in light and dark. */
async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [800, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `e2e/screenshots/${name}-${width}x${height}-${scheme}.png` });
    }
  }
  await page.setViewportSize({ width: 1200, height: 780 });
  await page.emulateMedia({ colorScheme: null });
}

const conversationId = (page: Page) => Number(/#\/chat\/(\d+)$/.exec(page.url())?.[1]);

test('deleting the open conversation closes it, and the next message starts a new conversation', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  const sidebar = app.getByTestId('conversation-list');
  const item = (title: string) => sidebar.getByTestId('conversation-item').filter({ hasText: title });
  const welcome = app.getByRole('heading', { name: 'What would you like to know?' });
  const closed = async (view = 'chat') => {
    await expect(app).toHaveURL(new RegExp(`#/${view}$`));
    if (view === 'chat') {
      await expect(welcome).toBeVisible();
      await expect(app.getByRole('heading', { level: 1 })).toHaveText('New chat');
      await expect(app.getByTestId('message-user')).toHaveCount(0);
    }
  };

  // From its own row in the sidebar.
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Doomed by its own row');
  await answered(app);
  const deletedId = conversationId(app);
  await item('Doomed by its own row').hover();
  await item('Doomed by its own row').getByRole('button', { name: 'Delete' }).click();
  await closed();
  await screenshots(app, 'chat-after-deleting-the-open-one');
  // Undo brings it back into the list; it stays closed.
  await app.getByRole('button', { name: 'Undo' }).click();
  await expect(item('Doomed by its own row')).toBeVisible();
  await closed();

  // The next message is a new conversation, and nothing fails.
  await ask(app, 'A fresh start');
  await answered(app);
  await expect(app).toHaveURL(/#\/chat\/\d+$/);
  expect(conversationId(app)).not.toBe(deletedId);
  await expect(app.getByTestId('message-user')).toHaveCount(1);

  // Several at once with Select, the open one among them.
  await app.getByRole('button', { name: 'Select' }).click();
  await app.getByRole('checkbox', { name: 'Select A fresh start' }).check();
  await app.getByRole('checkbox', { name: 'Select Doomed by its own row' }).check();
  await app.getByRole('button', { name: 'Delete 2' }).click();
  await closed();

  // From another window.
  await ask(app, 'Deleted elsewhere');
  await answered(app);
  await hostCall(webHost, 'conversations.delete', { ids: [conversationId(app)] });
  await closed();
  await expect(item('Deleted elsewhere')).toHaveCount(0);

  // The tutor's view follows the same rule.
  const session = await hostCall<{ conversationId: number }>(webHost, 'tutor.start', {
    problemId: 'energy-skier-slope',
  });
  await app.reload(); // Starting a session does not announce itself to the list.
  const tutorRow = sidebar.locator(`[data-conversation-id="${session.conversationId}"]`);
  await tutorRow.locator('button.open').click();
  await expect(app).toHaveURL(new RegExp(`#/tutor/${session.conversationId}$`));
  await expect(app.getByTestId('problem-statement')).toContainText('40 m');
  await tutorRow.hover();
  await tutorRow.getByRole('button', { name: 'Delete' }).click();
  await closed('tutor');
  await expect(app.getByTestId('problem-statement')).toHaveCount(0);
  await expect(app.getByRole('heading', { name: 'Your own problem' })).toBeVisible();

  await expect(app.getByRole('alert')).toHaveCount(0);
});

test('a send never shows an id: a conversation deleted unseen is named in words', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  // This window misses the news of one conversation's deletion (it was asleep, say).
  let unheard: number | null = null;
  await app.routeWebSocket(/\/rpc$/, (page) => {
    const server = page.connectToServer();
    server.onMessage((message) => {
      if (unheard !== null && typeof message === 'string') {
        const data = JSON.parse(message) as { type: string; name?: string; payload?: { ids?: number[] } };
        if (data.name === 'conversations.changed' && data.payload?.ids?.includes(unheard)) return;
      }
      page.send(message);
    });
  });
  await app.reload();
  await expect(app.getByTestId('connection-status')).toHaveText('Connected');
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Soon deleted without a word');
  await answered(app);
  const id = conversationId(app);
  unheard = id;
  await hostCall(webHost, 'conversations.delete', { ids: [id] });

  await composer(app).fill('Into the void');
  await composer(app).press('Enter');
  const alert = app.getByRole('alert');
  await expect(alert).toHaveText('This conversation was deleted.');
  await expect(alert).not.toContainText(/\d/);
  // The view closed; the message is back in the composer, and sending it starts a new conversation.
  await expect(app).toHaveURL(/#\/chat$/);
  await expect(app.getByRole('heading', { name: 'What would you like to know?' })).toBeVisible();
  await expect(composer(app)).toHaveValue('Into the void');
  await composer(app).press('Enter');
  await expect(app.getByTestId('message-user').filter({ hasText: 'Into the void' })).toBeVisible();
  await answered(app);
  await expect(app).toHaveURL(/#\/chat\/\d+$/);
  expect(conversationId(app)).not.toBe(id);

  // Opening it by its address says so in words too, and shows the new-chat state.
  await app.evaluate((gone) => (location.hash = `#/chat/${gone}`), id);
  await expect(alert.last()).toHaveText('This conversation no longer exists. It may have been deleted.');
  await expect(app).toHaveURL(/#\/chat$/);
  await expect(app.getByRole('heading', { name: 'What would you like to know?' })).toBeVisible();
  for (const text of await alert.allTextContents()) expect(text).not.toMatch(/\d|does not exist/);
});

test('renaming the open conversation changes its header at once, and so does a rename elsewhere', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Header before the rename');
  await answered(app);
  const header = app.getByRole('heading', { level: 1 });
  await expect(header).toHaveText('Header before the rename');
  const row = app.getByTestId('conversation-item').filter({ hasText: 'Header before the rename' });

  // Inline, with a double-click in the sidebar.
  await row.locator('button.open').dblclick();
  await app.getByRole('textbox', { name: 'Conversation title' }).fill('Renamed inline');
  await app.getByRole('textbox', { name: 'Conversation title' }).press('Enter');
  await expect(header).toHaveText('Renamed inline');
  await expect(app.getByTestId('conversation-item').filter({ hasText: 'Renamed inline' })).toBeVisible();
  await screenshots(app, 'chat-after-rename');

  // From another window: the change event renames it here too.
  await hostCall(webHost, 'conversations.rename', { id: conversationId(app), title: 'Renamed elsewhere' });
  await expect(header).toHaveText('Renamed elsewhere');
  await expect(app.getByTestId('conversation-item').filter({ hasText: 'Renamed elsewhere' })).toBeVisible();
  // The messages stayed as they were.
  await expect(app.getByTestId('message-user')).toHaveCount(1);
  await expect(app.getByTestId('message-user')).toContainText('Header before the rename');
  await expect(app.getByRole('alert')).toHaveCount(0);
});
