/**
 * Following answers end to end (TEST-CATALOG C1, C4, C5): the renderer's AnswerFollower against the real
 * web host and the generated Phi-2 model, slow enough that its answers are still being written while the
 * page is opened, reloaded or cut off from the host.
 */
import type { Page, WebSocketRoute } from '@playwright/test';
import type { ChatStarted, ConversationDetail, RunningAnswer } from '../../src-shared/types';
import { expect, test } from '../fixtures';
import { hostCall } from '../support/host-rpc';
import { slowEndlessTestModel } from '../support/test-models';
import { startWebHost, type RunningWebHost } from '../support/web-host';

test.describe.configure({ mode: 'serial' });

/** The slow model and long answers, so each one is still being written when the test acts on it. */
async function prepare(host: RunningWebHost): Promise<void> {
  const state = await hostCall<{ model: { file: { path: string } } | null }>(host, 'engine.status', {});
  if (state.model?.file.path !== slowEndlessTestModel())
    await hostCall(host, 'engine.load', { path: slowEndlessTestModel() });
  await hostCall(host, 'settings.update', { maxTokens: 4000, sampling: { seed: 7 } });
}

// Nothing a test started goes on writing into the next one.
test.afterEach(async ({ webHost }) => {
  if (!webHost.isRunning()) return;
  for (const answer of await hostCall<RunningAnswer[]>(webHost, 'answers.running', {}))
    await hostCall(webHost, 'answers.stop', { messageId: answer.messageId });
});

const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });
const answers = (page: Page) => page.getByTestId('message-assistant');
const stopButton = (page: Page) => page.getByRole('button', { name: 'Stop (Esc)' });
const shown = async (page: Page) => (await answers(page).last().locator('.markdown').textContent()) ?? '';

async function ask(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(page.getByTestId('message-user').filter({ hasText: text })).toBeVisible();
}

/** Waits until the last answer shows text, and returns it. */
async function writing(page: Page): Promise<string> {
  await expect(answers(page).last()).toHaveAttribute('data-status', 'streaming');
  await expect(answers(page).last().locator('.markdown')).not.toBeEmpty();
  return shown(page);
}

/** The last answer keeps growing: it is followed, not a snapshot. */
async function growing(page: Page): Promise<void> {
  const before = (await shown(page)).length;
  await expect.poll(async () => (await shown(page)).length).toBeGreaterThan(before);
}

const openConversation = (page: Page, id: number) =>
  page.evaluate((conversation) => (location.hash = `#/chat/${conversation}`), id);

/** The live figures under the answer being written: tokens so far and, once measurable, tokens/s. */
async function liveFigures(page: Page): Promise<{ tokens: number; rate: number | null }> {
  const stats = (await page.getByTestId('message-stats').last().textContent()) ?? '';
  const tokens = /(\d+) tokens?/.exec(stats);
  const rate = /([\d.]+) tok\/s/.exec(stats);
  return { tokens: tokens ? Number(tokens[1]) : 0, rate: rate ? Number(rate[1]) : null };
}

/** The chat as it is now, at a desktop and a small window size, in light and dark. */
async function screenshots(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize();
  for (const [width, height] of [
    [1280, 800],
    [800, 600],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({
        path: `e2e/screenshots/${name}-${width}x${height}-${scheme}.png`,
        animations: 'disabled',
      });
    }
  }
  if (viewport) await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: null });
}

test('opening a conversation whose answer is being written follows it, and so does one started elsewhere', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  // Started by another window: this page has never heard of it.
  const started = await hostCall<ChatStarted>(webHost, 'chat.send', { text: 'Written for another window' });
  await openConversation(app, started.conversationId);
  await expect(app.getByTestId('message-user')).toHaveText('Written for another window');
  await writing(app);
  await growing(app);
  // This page can stop it where it runs: the text stays.
  await stopButton(app).click();
  await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
  await expect(answers(app).last().locator('.markdown')).not.toBeEmpty();

  // Another window asks again in the conversation open here: the question and its answer appear.
  await hostCall<ChatStarted>(webHost, 'chat.send', {
    conversationId: started.conversationId,
    text: 'Asked again elsewhere',
  });
  await expect(app.getByTestId('message-user').last()).toHaveText('Asked again elsewhere');
  await expect(answers(app)).toHaveCount(2);
  await writing(app);
  await growing(app);
  await hostCall(webHost, 'answers.stop', { conversationId: started.conversationId });
  await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
  await expect(stopButton(app)).toHaveCount(0);
});

test('a reload mid-answer picks the stream up with its text so far (C4)', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Long answer across a reload');
  const before = await writing(app);
  await app.reload();
  // The same answer, with the text written so far (not only what came after the reload), still growing.
  await expect(answers(app).last()).toHaveAttribute('data-status', 'streaming');
  await expect.poll(async () => (await shown(app)).length).toBeGreaterThanOrEqual(before.length);
  // Rendered Markdown can regroup as text arrives (a trailing line break goes); the first words stay.
  expect((await shown(app)).startsWith(before.trim().slice(0, 10))).toBe(true);
  await growing(app);
  // Still under the page's control.
  await app.keyboard.press('Escape');
  await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
  await expect(app.getByTestId('message-stats').last()).toContainText('stopped');
});

test('a dropped connection: the answer says so, then the page re-follows it with what was written meanwhile (C4)', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  // The page's socket to the host, which the test can cut and keep cut.
  let down = false;
  let socket: WebSocketRoute | null = null;
  await app.routeWebSocket(/\/rpc$/, (route) => {
    if (down) return void route.close();
    route.connectToServer();
    socket = route;
  });
  await app.reload();
  await expect(app.getByTestId('connection-status')).toHaveText('Connected');
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Keep writing while I am away');
  await writing(app);

  down = true;
  await (socket as WebSocketRoute | null)?.close();
  await expect(answers(app).last().getByText('Connection lost')).toBeVisible();
  await expect(app.getByTestId('connection-status')).toHaveText('Connection lost — reconnecting…');
  await expect(app.getByTestId('connection-banner')).toContainText('Connection lost — reconnecting…');
  await expect(stopButton(app)).toBeDisabled();
  // Nothing is shown arriving while the page cannot hear the host.
  const cutOff = (await shown(app)).length;
  const conversationId = Number(/#\/chat\/(\d+)$/.exec(app.url())?.[1]);
  await expect
    .poll(async () => {
      const detail = await hostCall<ConversationDetail>(webHost, 'conversations.get', { id: conversationId });
      return detail.messages.at(-1)!.content.length;
    })
    .toBeGreaterThan(cutOff + 20);
  expect((await shown(app)).length).toBe(cutOff);

  down = false;
  await expect(app.getByTestId('connection-status')).toHaveText('Connected', { timeout: 20_000 });
  await expect(app.getByTestId('connection-banner')).toHaveCount(0);
  // What was written meanwhile is there at once, and it goes on.
  await expect.poll(async () => (await shown(app)).length).toBeGreaterThan(cutOff + 20);
  await expect(answers(app).last()).toHaveAttribute('data-status', 'streaming');
  await growing(app);
  await expect(stopButton(app)).toBeEnabled();
  await stopButton(app).click();
  await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
});

test('a second answer waits for the model: "1 ahead", and Cancel takes it out of the queue (C1)', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  const first = await hostCall<ChatStarted>(webHost, 'chat.send', { text: 'Hold the model for a while' });
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Behind the other one');
  const answer = answers(app).last();
  const queued = answer.getByTestId('answer-queued');
  await expect(queued).toHaveText(/Waiting for the model \(1 ahead\)/);
  await expect(answer).toHaveAttribute('data-status', 'streaming');
  await expect(answer.locator('.markdown')).toHaveCount(0);
  await screenshots(app, 'chat-queued');
  await queued.getByRole('button', { name: 'Cancel' }).click();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer.getByTestId('answer-queued')).toHaveCount(0);
  await expect(stopButton(app)).toHaveCount(0);

  // Queued again, it starts once the answer ahead of it ends.
  await ask(app, 'Behind it once more');
  await expect(answers(app).last().getByTestId('answer-queued')).toHaveText(/1 ahead/);
  await hostCall(webHost, 'answers.stop', { conversationId: first.conversationId });
  await expect(answers(app).last().getByTestId('answer-queued')).toHaveCount(0);
  await writing(app);
  await growing(app);
});

test('Stop keeps the text written so far, and the answer is saved as stopped', async ({ app, webHost }) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Stop me halfway');
  await writing(app);
  await growing(app);
  const before = await shown(app);
  await stopButton(app).click();
  const answer = answers(app).last();
  await expect(answer).toHaveAttribute('data-status', 'stopped');
  await expect(answer).toContainText('Stopped.');
  await expect(app.getByTestId('message-stats').last()).toContainText('stopped');
  // The text shown when Stop was pressed is kept (with what came before the stop arrived).
  expect((await shown(app)).startsWith(before.trim().slice(0, 20))).toBe(true);
  const conversationId = Number(/#\/chat\/(\d+)$/.exec(app.url())?.[1]);
  const saved = await hostCall<ConversationDetail>(webHost, 'conversations.get', { id: conversationId });
  expect(saved.messages.at(-1)).toMatchObject({ status: 'stopped' });
  expect(saved.messages.at(-1)!.content.length).toBeGreaterThanOrEqual(before.trim().length / 2);
});

test('live figures after re-attaching are the engine’s: no count reset, no impossible speed', async ({
  app,
  webHost,
}) => {
  await prepare(webHost);
  await app.getByRole('link', { name: 'Chat' }).click();
  await app.getByRole('button', { name: /New chat/ }).click();
  await ask(app, 'Count my tokens across a reload');
  await writing(app);
  await expect.poll(async () => (await liveFigures(app)).rate).not.toBeNull();
  const before = await liveFigures(app);
  // Every figure the reloaded page shows, from the first one on (a wrong one may last a single frame).
  await app.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { statsSeen: string[] }).statsSeen = seen;
    new MutationObserver(() => {
      const text = [...document.querySelectorAll('[data-testid="message-stats"]')].at(-1)?.textContent;
      if (text && text !== seen.at(-1)) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await app.reload();
  await expect(answers(app).last()).toHaveAttribute('data-status', 'streaming');
  for (let i = 0; i < 5; i++) await growing(app);
  await stopButton(app).click();
  await expect(answers(app).last()).toHaveAttribute('data-status', 'stopped');
  const conversationId = Number(/#\/chat\/(\d+)$/.exec(app.url())?.[1]);
  const saved = await hostCall<ConversationDetail>(webHost, 'conversations.get', { id: conversationId });
  const final = saved.messages.at(-1)!.stats;
  expect(final.tokensPerSecond).toBeGreaterThan(0);

  const seen = await app.evaluate(() => (window as unknown as { statsSeen: string[] }).statsSeen);
  const live = seen
    .filter((text) => !text.includes('stopped'))
    .map((text) => ({
      tokens: Number(/(\d+) tokens?/.exec(text)?.[1]),
      rate: /([\d.]+) tok\/s/.test(text) ? Number(/([\d.]+) tok\/s/.exec(text)![1]) : null,
    }));
  expect(live.length).toBeGreaterThan(5);
  // The count carries on from the engine's (never starts again at the reload), and only grows.
  expect(live[0]!.tokens).toBeGreaterThanOrEqual(before.tokens);
  for (const [index, figures] of live.entries()) {
    if (index > 0) expect(figures.tokens).toBeGreaterThanOrEqual(live[index - 1]!.tokens);
    expect(figures.tokens).toBeLessThanOrEqual(final.outputTokens!);
    // Each speed agrees with the engine's own for the whole answer (a count reset at attach or a client
    // clock gave 375 tok/s settling at 14).
    expect(figures.rate).not.toBeNull();
    expect(figures.rate!).toBeLessThan(final.tokensPerSecond! * 3);
    expect(figures.rate!).toBeGreaterThan(final.tokensPerSecond! / 3);
  }
});

test('the host is killed mid-answer: "Connection lost" at once, nothing can be sent; restarted, the same page shows it interrupted (C5)', async ({
  page,
}) => {
  const first = await startWebHost();
  let second: RunningWebHost | null = null;
  try {
    await prepare(first);
    await page.goto(first.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await page.getByRole('link', { name: 'Chat' }).click();
    await ask(page, 'Interrupted by a crash');
    await writing(page);
    const address = page.url();
    // Killed once some of it is saved (every 300 ms), so the restarted host has text to show.
    const [running] = await hostCall<RunningAnswer[]>(first, 'answers.running', {});
    await expect
      .poll(async () => {
        const detail = await hostCall<ConversationDetail>(first, 'conversations.get', {
          id: running!.conversationId,
        });
        return detail.messages.find((message) => message.id === running!.messageId)?.content.length ?? 0;
      })
      .toBeGreaterThan(0);

    await first.kill();
    const answer = answers(page).last();
    await expect(answer.getByText('Connection lost')).toBeVisible({ timeout: 2000 });
    await expect(answer.locator('.cursor')).toHaveCount(0);
    await expect(stopButton(page)).toBeDisabled();
    await expect(stopButton(page)).toHaveAttribute('title', 'Not connected to Phidesk — reconnecting…');
    await expect(page.getByTestId('composer-offline')).toHaveText('Not connected to Phidesk — reconnecting…');
    await expect(page.getByTestId('connection-status')).toHaveText('Connection lost — reconnecting…');
    await expect(page.getByTestId('connection-banner')).toBeVisible();
    await screenshots(page, 'chat-connection-lost');
    // A new chat cannot be sent either.
    await page.keyboard.press('Control+n');
    await composer(page).fill('Sent into the void?');
    await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Send' })).toHaveAttribute(
      'title',
      'Not connected to Phidesk — reconnecting…',
    );
    await page.goBack();
    expect(page.url()).toBe(address);

    // Back on its data folder and port: the page reconnects by itself, and the store says what happened.
    second = await startWebHost({ dataDir: first.dataDir, port: first.port });
    await expect(page.getByTestId('connection-status')).toHaveText('Connected', { timeout: 20_000 });
    expect(page.url()).toBe(address);
    await expect(answer).toHaveAttribute('data-status', 'interrupted');
    await expect(answer).toContainText('Interrupted');
    await expect(answer.getByText('Connection lost')).toHaveCount(0);
    await expect(page.getByTestId('connection-banner')).toHaveCount(0);
    await expect(stopButton(page)).toHaveCount(0);
    await expect(answer.locator('.markdown')).not.toBeEmpty();
    await expect(answer.getByRole('button', { name: 'Continue' })).toBeEnabled();
  } finally {
    await second?.stop();
    await first.stop();
  }
});
