import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { GenerationStarted } from '../../../src-shared/types';
import { startTestChat, type TestChat } from '../../test-support/chat';
import type { ConversationSettings } from '../../../src-shared/types';
import type { GenerateRequest } from '../engine/engine';
import { Store } from '../store/store';
import { ChatService } from './chat-service';

/** Another chat service on the same store and engine, whose app settings are `defaults`. */
function withDefaults(t: TestChat, defaults: ConversationSettings): ChatService {
  return new ChatService({
    store: t.store,
    engine: t.engine,
    answers: t.answers,
    defaults: () => defaults,
  });
}

const settings = { maxTokens: 30, sampling: { seed: 3 } };

describe('chat: streaming into the store', () => {
  let t: TestChat;
  beforeAll(async () => (t = await startTestChat()));
  afterAll(() => t.dispose());

  it('commits the question and a streaming answer row before generation starts', async () => {
    let atStart: { user: number; assistant: string } | null = null;
    const off = t.bus.subscribe((name) => {
      if (name !== 'answer.started' || atStart) return;
      const conversation = t.store.conversations.list({ limit: 1 }).items[0]!;
      const messages = t.store.messages.all(conversation.id);
      atStart = {
        user: messages.filter((m) => m.role === 'user').length,
        assistant: messages.find((m) => m.role === 'assistant')!.status,
      };
    });
    const started = await t.chat.send({ text: 'What is work in physics?', settings });
    const ended = await t.answered(started.messageId);
    off();
    expect(atStart).toEqual({ user: 1, assistant: 'streaming' });
    expect(ended.status).toBe('complete');
    const saved = t.store.messages.get(started.messageId);
    expect(saved).toMatchObject({ status: 'complete', output_tokens: 30, stop_reason: 'max_tokens' });
    expect(saved.content.length).toBeGreaterThan(0);
    expect(t.store.conversations.get(started.conversationId)).toMatchObject({
      title: 'What is work in physics?',
      leafMessageId: started.messageId,
      settings,
    });
  });

  it('continues the same conversation with its history and reuses the KV cache', async () => {
    // What the engine reports as each answer starts (the answer service passes on only its place in line).
    const starts: GenerationStarted[] = [];
    const generate = t.engine.generate.bind(t.engine);
    const spy = vi.spyOn(t.engine, 'generate').mockImplementation((request, hooks) =>
      generate(request, {
        ...hooks,
        onStarted: (started) => (starts.push(started), hooks?.onStarted?.(started)),
      }),
    );
    const first = await t.chat.send({ text: 'Define energy.', settings });
    await t.answered(first.messageId);
    const second = await t.chat.send({ conversationId: first.conversationId, text: 'And power?' });
    await t.answered(second.messageId);
    spy.mockRestore();
    // Everything up to the first answer is reused (with Phi-2, the answer too: see prompt-tokens.ts).
    expect(starts[1]!.reusedTokens).toBeGreaterThanOrEqual(starts[0]!.promptTokens);
    const branch = t.store.messages.branch(
      first.conversationId,
      t.store.conversations.get(first.conversationId).leafMessageId,
    );
    expect(branch.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  });

  it('stops an answer and keeps the partial text as stopped (C2)', async () => {
    const started = await t.chat.send({ text: 'Go on at length.', settings: { maxTokens: 4000 } });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(t.answers.stop({ conversationId: started.conversationId })).toBe(true);
    expect((await t.answered(started.messageId)).status).toBe('stopped');
    const saved = t.store.messages.get(started.messageId);
    expect(saved.status).toBe('stopped');
    expect(saved.output_tokens).toBeGreaterThan(0);
    expect(saved.output_tokens).toBeLessThan(4000);
  });

  it('refuses a second answer in the same conversation while one streams', async () => {
    const started = await t.chat.send({ text: 'Long one.', settings: { maxTokens: 4000 } });
    await expect(
      t.chat.send({ conversationId: started.conversationId, text: 'Another' }),
    ).rejects.toMatchObject({ code: 'busy' });
    t.answers.stop({ conversationId: started.conversationId });
    await t.answered(started.messageId);
  });

  it('keeps the question and marks the answer as an error when the prompt is too long (I1)', async () => {
    await expect(t.chat.send({ text: 'word '.repeat(3000) })).rejects.toMatchObject({ code: 'too_long' });
    const conversation = t.store.conversations.list({ limit: 1 }).items[0]!;
    const [user, answer] = t.store.messages.all(conversation.id);
    expect(user!.content.startsWith('word word')).toBe(true);
    expect(answer).toMatchObject({ status: 'error', error: expect.stringMatching(/Too long/) });
  });

  it('saves partial answers as interrupted on shutdown (C3)', async () => {
    const other = await startTestChat();
    const started = await other.chat.send({ text: 'Keep talking.', settings: { maxTokens: 4000 } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    other.answers.shutdown();
    const saved = other.store.messages.get(started.messageId);
    expect(saved.status).toBe('interrupted');
    expect(saved.content.length).toBeGreaterThan(0);
    await other.dispose();
    const reopened = Store.open(other.store.file);
    expect(reopened.messages.get(started.messageId)).toMatchObject({
      status: 'interrupted',
      content: saved.content,
    });
    reopened.close();
  });
});

describe('chat: branches', () => {
  let t: TestChat;
  beforeAll(async () => (t = await startTestChat()));
  afterAll(() => t.dispose());

  it('regenerates as a sibling, edits as a branch, switches between them, and deletes', async () => {
    const first = await t.chat.send({ text: 'Question one', settings });
    await t.answered(first.messageId);
    const id = first.conversationId;

    const again = await t.chat.regenerate({ conversationId: id, messageId: first.messageId });
    await t.answered(again.messageId);
    let branch = t.store.messages.branch(id, t.store.conversations.get(id).leafMessageId);
    expect(branch.map((m) => m.id)).toEqual([first.userMessageId, again.messageId]);
    expect(branch[1]!.branch).toMatchObject({ index: 2, count: 2 });

    const edited = await t.chat.edit({
      conversationId: id,
      messageId: first.userMessageId,
      text: 'Question one, better',
    });
    await t.answered(edited.messageId);
    branch = t.store.messages.branch(id, t.store.conversations.get(id).leafMessageId);
    expect(branch.map((m) => m.content)[0]).toBe('Question one, better');
    expect(branch[0]!.branch).toMatchObject({ index: 2, count: 2 });

    t.chat.switchBranch(id, first.userMessageId);
    branch = t.store.messages.branch(id, t.store.conversations.get(id).leafMessageId);
    expect(branch.map((m) => m.id)).toEqual([first.userMessageId, again.messageId]);

    t.chat.deleteMessage(id, again.messageId);
    branch = t.store.messages.branch(id, t.store.conversations.get(id).leafMessageId);
    expect(branch.map((m) => m.id)).toEqual([first.userMessageId]);
  });

  it('continues a stopped answer from where it ended', async () => {
    const started = await t.chat.send({ text: 'Count slowly.', settings: { maxTokens: 4000 } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.answers.stop({ conversationId: started.conversationId });
    await t.answered(started.messageId);
    const partial = t.store.messages.get(started.messageId).content;
    // A continued chat answer follows the app's current settings: here, a short one.
    const continued = await withDefaults(t, { maxTokens: 20 }).continue({
      conversationId: started.conversationId,
      messageId: started.messageId,
    });
    expect(continued.messageId).toBe(started.messageId);
    await t.answered(started.messageId);
    const after = t.store.messages.get(started.messageId);
    expect(after.status).toBe('complete');
    expect(after.content.startsWith(partial)).toBe(true);
    expect(after.content.length).toBeGreaterThan(partial.length);
    await expect(
      t.chat.continue({ conversationId: started.conversationId, messageId: started.messageId }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('chat: the settings an answer uses', () => {
  let t: TestChat;
  beforeAll(async () => (t = await startTestChat()));
  afterAll(() => t.dispose());

  /** Every request the engine receives while `run` runs. */
  async function requests(run: () => Promise<void>): Promise<GenerateRequest[]> {
    const seen: GenerateRequest[] = [];
    const generate = t.engine.generate.bind(t.engine);
    t.engine.generate = (request, hooks) => (seen.push(request), generate(request, hooks));
    try {
      await run();
    } finally {
      t.engine.generate = generate;
    }
    return seen;
  }

  it('are resolved by one rule on send, edit, regenerate and continue: app settings, then the request', async () => {
    const chat = withDefaults(t, {
      system: 'Be brief.',
      sampling: { temperature: 0.3, seed: 4 },
      maxTokens: 12,
    });
    const seen = await requests(async () => {
      const sent = await chat.send({ text: 'One.', settings: { sampling: { topK: 5 } } });
      await t.answered(sent.messageId);
      const edited = await chat.edit({
        conversationId: sent.conversationId,
        messageId: sent.userMessageId,
        text: 'Two.',
      });
      await t.answered(edited.messageId);
      const again = await chat.regenerate({
        conversationId: sent.conversationId,
        messageId: edited.messageId,
      });
      await t.answered(again.messageId);
      t.store.messages.finish(again.messageId, { content: 'Half', status: 'stopped' });
      const continued = await chat.continue({
        conversationId: sent.conversationId,
        messageId: again.messageId,
      });
      await t.answered(continued.messageId);
    });
    const used = seen.map((request) => ({
      system: request.system,
      temperature: request.sampling?.temperature,
      seed: request.sampling?.seed,
      maxTokens: request.maxTokens,
    }));
    expect(used).toEqual(Array(4).fill({ system: 'Be brief.', temperature: 0.3, seed: 4, maxTokens: 12 }));
    // The request's own sampling goes over the app's, field by field.
    expect(seen[0]!.sampling).toMatchObject({ topK: 5, temperature: 0.3 });
  });

  it("a tutor session keeps the settings its feature saved, whatever the app's are", async () => {
    const chat = withDefaults(t, { system: 'Chat preamble.', sampling: { temperature: 0.9 }, maxTokens: 12 });
    const id = t.store.conversations.create({ kind: 'tutor', title: 'A tutor session' });
    const seen = await requests(async () => {
      const asked = await chat.askWith({
        conversationId: id,
        shown: 'Solve it.',
        prompt: { system: 'A patient tutor.', turns: [{ role: 'user', content: 'Solve it.' }] },
        settings: { sampling: { temperature: 0.2, seed: 2 }, maxTokens: 10 },
      });
      await t.answered(asked.messageId);
      const again = await chat.regenerate({ conversationId: id, messageId: asked.messageId });
      await t.answered(again.messageId);
    });
    for (const request of seen) {
      expect(request).toMatchObject({
        system: 'A patient tutor.',
        maxTokens: 10,
        sampling: { temperature: 0.2 },
      });
    }
    expect(seen).toHaveLength(2);
  });
});

describe('chat: without a model', () => {
  it('refuses before writing anything', async () => {
    const t = await startTestChat();
    await t.engine.unload();
    await expect(t.chat.send({ text: 'hello' })).rejects.toMatchObject({ code: 'model_not_loaded' });
    expect(t.store.conversations.list({ limit: 5 }).items).toEqual([]);
    await t.dispose();
  });
});
