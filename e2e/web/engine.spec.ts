import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '../fixtures';
import { installPageRpc, pageCall, pageEvents } from '../support/page-rpc';
import { endlessTestModel } from '../support/test-models';

// The real engine behind the web host: the generated Phi-2 model through node-llama-cpp, driven over the
// contract from the page (a script's own connection: it follows the answers it starts).
test.describe.configure({ mode: 'serial' });

test('loads the test model through the contract and streams an answer into the page', async ({ app }) => {
  await installPageRpc(app);
  const loaded = await pageCall(app, 'engine.load', { path: endlessTestModel(), sequences: 1 });
  expect(loaded).toMatchObject({ ok: true, result: { backend: 'cpu', contextSize: 2048 } });
  await expect(app.getByTestId('model-status')).toHaveText(/Phidesk test model .*\(F32\)/);

  const started = await pageCall(app, 'chat.send', {
    text: 'What is a newton?',
    settings: { maxTokens: 40, sampling: { seed: 5 } },
  });
  expect(started).toMatchObject({ ok: true, result: { queuePosition: 0 } });
  const { conversationId, messageId } = started.result as { conversationId: number; messageId: number };

  await expect.poll(async () => (await pageEvents(app, 'answer.ended')).length).toBe(1);
  const [ended] = (await pageEvents(app, 'answer.ended')) as {
    payload: { messageId: number; status: string; stats: { stopReason: string } };
  }[];
  const deltas = (await pageEvents(app, 'answer.delta')) as {
    payload: { conversationId: number; messageId: number; text: string };
  }[];
  expect(ended!.payload).toMatchObject({
    messageId,
    status: 'complete',
    stats: { stopReason: 'max_tokens' },
  });
  expect(deltas.length).toBeGreaterThan(0);
  expect(deltas.every((delta) => delta.payload.messageId === messageId)).toBe(true);
  const saved = await pageCall(app, 'conversations.get', { id: conversationId });
  const answer = (saved.result as { messages: { id: number; content: string }[] }).messages.find(
    (message) => message.id === messageId,
  );
  expect(
    deltas
      .map((delta) => delta.payload.text)
      .join('')
      .trimEnd(),
  ).toBe(answer!.content);
});

test('refuses empty and whitespace-only messages in main, with no model call (I3)', async ({ app }) => {
  await installPageRpc(app);
  for (const text of ['', '   \n\t ', ' '.repeat(1024 * 1024)]) {
    expect(await pageCall(app, 'chat.send', { text })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const outcome = await pageCall(app, 'engine.generate', { messages: [{ role: 'user', content: text }] });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  }
  expect(await pageEvents(app, 'answer.started')).toEqual([]);
});

test('stops an answer from the page and keeps the partial text (C2)', async ({ app }) => {
  await installPageRpc(app);
  const started = await pageCall(app, 'chat.send', { text: 'Keep going.', settings: { maxTokens: 4000 } });
  const { conversationId, messageId } = started.result as { conversationId: number; messageId: number };
  await expect.poll(async () => (await pageEvents(app, 'answer.delta')).length).toBeGreaterThan(0);
  expect(await pageCall(app, 'answers.stop', { conversationId })).toMatchObject({
    ok: true,
    result: { stopped: true },
  });
  await expect.poll(async () => (await pageEvents(app, 'answer.ended')).length).toBe(1);
  const [ended] = (await pageEvents(app, 'answer.ended')) as {
    payload: { messageId: number; status: string; stats: { outputTokens: number } };
  }[];
  expect(ended!.payload).toMatchObject({ messageId, status: 'stopped' });
  expect(ended!.payload.stats.outputTokens).toBeGreaterThan(0);
});

test('a bad model file gets a typed error and the loaded model stays (M2)', async ({ app }) => {
  await installPageRpc(app);
  // An HTML error page saved under a model's name, as a failed download leaves it.
  const htmlPage = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-m2-')), 'phi-2.Q4_K_M.gguf');
  fs.writeFileSync(htmlPage, '<!doctype html><title>404 Not Found</title>');
  const outcome = await pageCall(app, 'engine.load', { path: htmlPage });
  expect(outcome).toMatchObject({ ok: false, error: { code: 'model_invalid' } });
  // A file that is not even named like a model is refused by the path rules first.
  expect(await pageCall(app, 'engine.load', { path: '/etc/hostname' })).toMatchObject({
    ok: false,
    error: { code: 'invalid_input' },
  });
  await expect(app.getByTestId('model-status')).toHaveText(/Phidesk test model/);
});
