import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '../fixtures';
import { installPageRpc, pageCall, pageEvents } from '../support/page-rpc';
import { endlessTestModel } from '../support/test-models';

// The real engine behind the web host: the generated Phi-2 model through node-llama-cpp, driven over the
// contract from the page.
test.describe.configure({ mode: 'serial' });

test('loads the test model through the contract and streams an answer into the page', async ({ app }) => {
  await installPageRpc(app);
  const loaded = await pageCall(app, 'engine.load', { path: endlessTestModel(), sequences: 1 });
  expect(loaded).toMatchObject({ ok: true, result: { backend: 'cpu', contextSize: 2048 } });
  await expect(app.getByTestId('model-status')).toHaveText(/Phidesk test model .*\(F32\)/);

  const started = await pageCall(app, 'engine.generate', {
    messages: [{ role: 'user', content: 'What is a newton?' }],
    maxTokens: 40,
    sampling: { seed: 5 },
  });
  expect(started).toMatchObject({ ok: true, result: { queuePosition: 0 } });
  const requestId = (started.result as { requestId: string }).requestId;

  await expect.poll(async () => (await pageEvents(app, 'generation.done')).length).toBe(1);
  const [done] = (await pageEvents(app, 'generation.done')) as {
    payload: { requestId: string; text: string; stopReason: string };
  }[];
  const deltas = (await pageEvents(app, 'generation.delta')) as {
    payload: { requestId: string; text: string };
  }[];
  expect(done!.payload).toMatchObject({ requestId, stopReason: 'max_tokens' });
  expect(deltas.length).toBeGreaterThan(0);
  expect(deltas.every((delta) => delta.payload.requestId === requestId)).toBe(true);
  expect(
    deltas
      .map((delta) => delta.payload.text)
      .join('')
      .trimEnd(),
  ).toBe(done!.payload.text);
});

test('refuses empty and whitespace-only messages in main, with no model call (I3)', async ({ app }) => {
  await installPageRpc(app);
  for (const content of ['', '   \n\t ', ' '.repeat(1024 * 1024)]) {
    const outcome = await pageCall(app, 'engine.generate', { messages: [{ role: 'user', content }] });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  }
  expect(await pageEvents(app, 'generation.started')).toEqual([]);
});

test('stops an answer from the page and keeps the partial text (C2)', async ({ app }) => {
  await installPageRpc(app);
  const started = await pageCall(app, 'engine.generate', {
    messages: [{ role: 'user', content: 'Keep going.' }],
    maxTokens: 4000,
  });
  const requestId = (started.result as { requestId: string }).requestId;
  await expect.poll(async () => (await pageEvents(app, 'generation.delta')).length).toBeGreaterThan(0);
  expect(await pageCall(app, 'engine.stop', { requestId })).toMatchObject({
    ok: true,
    result: { stopped: true },
  });
  await expect.poll(async () => (await pageEvents(app, 'generation.done')).length).toBe(1);
  const [done] = (await pageEvents(app, 'generation.done')) as {
    payload: { stopReason: string; stats: { outputTokens: number } };
  }[];
  expect(done!.payload.stopReason).toBe('user_stop');
  expect(done!.payload.stats.outputTokens).toBeGreaterThan(0);
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
