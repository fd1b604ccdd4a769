/**
 * Chat on top of the engine and the store: every turn is saved before it is answered, and every answer is
 * saved as it streams (StreamingWriter). Edits and regenerations become branches; stopped or interrupted
 * answers can be continued. Tutor and mistake-check conversations use the same path.
 */
import { AppError } from '../../../src-shared/errors';
import type {
  ActiveAnswer,
  ChatStarted,
  ChatTurn,
  ConversationKind,
  ConversationSettings,
  GenerationDone,
  MessageStatus,
  MessageView,
  RunningAnswer,
} from '../../../src-shared/types';
import type { Engine } from '../engine/engine';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';
import type { StoredConversation } from '../store/conversations';
import type { Store } from '../store/store';
import { titleFromText } from '../title';
import { StreamingWriter } from './streaming-writer';

interface Running extends ActiveAnswer {
  writer: StreamingWriter;
  /** Resolves once the answer's end is saved. */
  ended: Promise<void>;
  markEnded: () => void;
}

export interface ChatServiceOptions {
  store: Store;
  engine: Engine;
  bus: EventBus;
  log: Logger;
  /** The settings a request uses when it brings none (the chosen system prompt, sampling). */
  defaults?: () => ConversationSettings;
  /** Observes each save of a streaming answer (the crash tests compare against it). */
  onFlush?: (messageId: number, length: number) => void;
}

export class ChatService {
  #store: Store;
  #engine: Engine;
  #bus: EventBus;
  #log: Logger;
  #onFlush: ChatServiceOptions['onFlush'];
  #defaults: () => ConversationSettings;
  #running = new Map<number, Running>();

  constructor(options: ChatServiceOptions) {
    this.#store = options.store;
    this.#engine = options.engine;
    this.#bus = options.bus;
    this.#log = options.log;
    this.#onFlush = options.onFlush;
    this.#defaults = options.defaults ?? (() => ({}));
  }

  /** A new user message, and its answer. Starts a conversation when none is given. */
  send(input: {
    conversationId?: number | undefined;
    kind?: ConversationKind;
    text: string;
    settings?: ConversationSettings;
  }): ChatStarted {
    this.#requireCanAnswer();
    const conversation =
      input.conversationId === undefined
        ? this.#store.conversations.get(
            this.#store.conversations.create({
              kind: input.kind ?? 'chat',
              title: titleFromText(input.text),
              settings: input.settings ?? {},
            }),
          )
        : this.#store.conversations.get(input.conversationId);
    this.#requireIdle(conversation.id);
    const history = this.#store.messages.branch(conversation.id, conversation.leafMessageId);
    return this.#ask(conversation, history.at(-1)?.id ?? null, history, input.text, {
      settings: this.#settingsFor(conversation, input.settings),
    });
  }

  /**
   * A turn whose prompt the caller builds (the tutor's templates): `shown` is saved as the user's message and
   * `prompt` is what the model reads; a trailing assistant turn in it is the answer's start, saved with it.
   * `record` runs in the transaction that saves both messages, so a caller's state never misses one.
   */
  askWith(input: {
    conversationId: number;
    shown: string;
    prompt: { system: string; turns: ChatTurn[] };
    settings: ConversationSettings;
    record?: (assistantId: number) => void;
  }): ChatStarted {
    this.#requireCanAnswer();
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#requireIdle(conversation.id);
    const history = this.#store.messages.branch(conversation.id, conversation.leafMessageId);
    return this.#ask(conversation, history.at(-1)?.id ?? null, history, input.shown, {
      settings: this.#settingsFor(conversation, { ...input.settings, system: input.prompt.system }),
      prompt: input.prompt.turns,
      record: input.record,
    });
  }

  /** How full the context would be with `draft` sent next (null without a model). */
  contextUsage(conversationId: number | undefined, draft: string) {
    const conversation = conversationId === undefined ? null : this.#store.conversations.get(conversationId);
    const history = conversation
      ? this.#store.messages.branch(conversation.id, conversation.leafMessageId)
      : [];
    const settings = conversation ? this.#settingsFor(conversation) : this.#defaults();
    const turns = [...toTurns(history), ...(draft.trim() ? [{ role: 'user' as const, content: draft }] : [])];
    if (turns.length === 0) turns.push({ role: 'user', content: ' ' });
    const key = conversation ? engineKey(conversation.id) : '';
    return this.#engine.measure(
      { system: settings.system, messages: turns, maxTokens: settings.maxTokens },
      this.#engine.keptFrom(key),
    );
  }

  /** A new version of a user message (a sibling branch), and its answer. */
  edit(input: { conversationId: number; messageId: number; text: string }): ChatStarted {
    this.#requireCanAnswer();
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#requireIdle(conversation.id);
    const original = this.#messageIn(conversation.id, input.messageId, 'user');
    const history =
      original.parent_id === null ? [] : this.#store.messages.branch(conversation.id, original.parent_id);
    return this.#ask(conversation, original.parent_id, history, input.text, {
      settings: this.#settingsFor(conversation),
    });
  }

  /** Another answer to the same user message, kept beside the earlier ones. */
  regenerate(input: { conversationId: number; messageId: number }): ChatStarted {
    this.#requireCanAnswer();
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#requireIdle(conversation.id);
    const answer = this.#messageIn(conversation.id, input.messageId, 'assistant');
    if (answer.parent_id === null)
      throw new AppError('invalid_input', 'This answer has no question to answer again.');
    const history = this.#store.messages.branch(conversation.id, answer.parent_id);
    const assistantId = this.#store.transaction(() => {
      const id = this.#store.messages.insert({
        conversationId: conversation.id,
        parentId: answer.parent_id,
        role: 'assistant',
        content: '',
        status: 'streaming',
      });
      this.#store.conversations.touch(conversation.id, id);
      return id;
    });
    return this.#answer(
      { ...conversation, settings: this.#settingsFor(conversation) },
      answer.parent_id,
      assistantId,
      toTurns(history),
      '',
    );
  }

  /** Picks up a stopped or interrupted answer where it ended. */
  continue(input: { conversationId: number; messageId: number }): ChatStarted {
    this.#requireCanAnswer();
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#requireIdle(conversation.id);
    const answer = this.#messageIn(conversation.id, input.messageId, 'assistant');
    if (answer.status !== 'stopped' && answer.status !== 'interrupted') {
      throw new AppError('invalid_input', 'Only a stopped or interrupted answer can be continued.');
    }
    const history = this.#store.messages.branch(conversation.id, answer.id);
    this.#store.transaction(() => {
      this.#store.messages.finish(answer.id, { content: answer.content, status: 'streaming' });
      this.#store.conversations.touch(conversation.id, answer.id);
    });
    return this.#answer(
      { ...conversation, settings: this.#settingsFor(conversation) },
      answer.parent_id ?? answer.id,
      answer.id,
      toTurns(history),
      answer.content,
    );
  }

  /** Stops the answer being written in a conversation, keeping its text. */
  stop(conversationId: number): boolean {
    const running = this.#running.get(conversationId);
    return running ? this.#engine.stop(running.requestId) : false;
  }

  /** Answers being written, with their text so far; deltas sent after this reply continue them. */
  running(): RunningAnswer[] {
    return [...this.#running.values()].map((running) => ({
      ...pick(running),
      content: running.writer.content,
    }));
  }

  /** Shows another version of a turn: the newest branch under the chosen message. */
  switchBranch(conversationId: number, messageId: number): void {
    this.#store.conversations.get(conversationId);
    this.#messageIn(conversationId, messageId);
    this.#store.conversations.setLeaf(conversationId, this.#store.messages.newestLeafUnder(messageId));
  }

  /** Deletes a message and what followed it on its branches; the view moves to what is left. */
  deleteMessage(conversationId: number, messageId: number): void {
    const conversation = this.#store.conversations.get(conversationId);
    this.#requireIdle(conversationId);
    const message = this.#messageIn(conversationId, messageId);
    this.#store.transaction(() => {
      const onActiveBranch = this.#store.messages
        .branch(conversationId, conversation.leafMessageId)
        .some((m) => m.id === messageId);
      this.#store.messages.delete(messageId);
      if (onActiveBranch && message.parent_id !== null)
        this.#store.conversations.setLeaf(conversationId, message.parent_id);
    });
  }

  /** Stops every answer being written and resolves once each is saved, as `stopped` (before a restore). */
  async settle(): Promise<void> {
    const running = [...this.#running.values()];
    for (const answer of running) this.#engine.stop(answer.requestId);
    await Promise.all(running.map((answer) => answer.ended));
  }

  /** On quit (TEST-CATALOG C3): every answer being written is saved as it stands and marked interrupted. */
  shutdown(): void {
    for (const running of this.#running.values()) {
      this.#engine.stop(running.requestId);
      this.#end(running, { content: running.writer.content, status: 'interrupted' });
    }
  }

  #ask(
    conversation: StoredConversation,
    parentId: number | null,
    history: MessageView[],
    text: string,
    options: {
      settings?: ConversationSettings | undefined;
      /** The turns the model reads, when not the history plus `text`. */
      prompt?: ChatTurn[] | undefined;
      record?: ((assistantId: number) => void) | undefined;
    },
  ): ChatStarted {
    const used = options.settings ?? this.#settingsFor(conversation);
    // The question and an empty answer row are saved together, before any generation starts.
    const { userId, assistantId } = this.#store.transaction(() => {
      const userId = this.#store.messages.insert({
        conversationId: conversation.id,
        parentId,
        role: 'user',
        content: text,
        status: 'complete',
      });
      const assistantId = this.#store.messages.insert({
        conversationId: conversation.id,
        parentId: userId,
        role: 'assistant',
        content: '',
        status: 'streaming',
      });
      this.#store.conversations.touch(conversation.id, assistantId, {
        model: this.#modelName(),
        settings: used,
      });
      options.record?.(assistantId);
      return { userId, assistantId };
    });
    const turns: ChatTurn[] = options.prompt ?? [...toTurns(history), { role: 'user', content: text }];
    // A prompt ending in a partial answer primes it: the answer is saved starting with that text.
    const last = turns.at(-1);
    const start = options.prompt && last?.role === 'assistant' ? last.content : '';
    return this.#answer({ ...conversation, settings: used }, userId, assistantId, turns, start);
  }

  #answer(
    conversation: StoredConversation,
    userMessageId: number,
    assistantId: number,
    turns: ChatTurn[],
    prefix: string,
  ): ChatStarted {
    const writer = new StreamingWriter({
      store: this.#store,
      log: this.#log,
      messageId: assistantId,
      content: prefix,
      onFlush: (length) => this.#onFlush?.(assistantId, length),
    });
    let handle;
    try {
      handle = this.#engine.generate(
        {
          conversationId: engineKey(conversation.id),
          system: conversation.settings.system,
          messages: turns,
          sampling: conversation.settings.sampling,
          maxTokens: conversation.settings.maxTokens,
        },
        { onDelta: (text) => writer.append(text) },
      );
    } catch (error) {
      // Refused before it started (too long, busy): the question stays, the answer says why.
      writer.finish({
        content: prefix,
        status: 'error',
        error: error instanceof Error ? error.message : String(error),
      });
      this.#bus.emit('chat.answer', {
        conversationId: conversation.id,
        messageId: assistantId,
        requestId: '',
        status: 'error',
      });
      throw error;
    }
    let markEnded!: () => void;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const running: Running = {
      conversationId: conversation.id,
      messageId: assistantId,
      requestId: handle.requestId,
      writer,
      ended,
      markEnded,
    };
    this.#running.set(conversation.id, running);
    this.#bus.emit('chat.answer', { ...pick(running), status: 'streaming' });
    this.#bus.emit('conversations.changed', { ids: [conversation.id] });
    void handle.done.then((done) => this.#finished(running, prefix, done));
    return {
      conversationId: conversation.id,
      messageId: assistantId,
      requestId: handle.requestId,
      userMessageId,
      answerStart: prefix,
    };
  }

  #finished(running: Running, prefix: string, done: GenerationDone): void {
    // Already ended by shutdown().
    if (this.#running.get(running.conversationId) !== running) return;
    const status: MessageStatus =
      done.stopReason === 'user_stop' ? 'stopped' : done.stopReason === 'error' ? 'error' : 'complete';
    this.#end(running, {
      content: prefix + done.text,
      status,
      stats: {
        promptTokens: done.stats.promptTokens,
        outputTokens: done.stats.outputTokens,
        timeToFirstTokenMs: done.stats.timeToFirstTokenMs,
        tokensPerSecond: done.stats.tokensPerSecond,
        stopReason: done.stopReason,
      },
      error: done.error?.message ?? null,
    });
  }

  #end(running: Running, end: Parameters<StreamingWriter['finish']>[0]): void {
    this.#running.delete(running.conversationId);
    try {
      running.writer.finish(end);
    } catch (error) {
      this.#log.error(`Could not save the end of answer ${running.messageId}`, error);
    }
    running.markEnded();
    this.#bus.emit('chat.answer', { ...pick(running), status: end.status });
  }

  /**
   * The one rule for the settings an answer uses, on every path (send, edit, regenerate, continue, and the
   * context meter): a chat follows the app's current settings, so a change in Settings applies to the next
   * answer; a tutor session or mistake check keeps the settings its feature saved with it. What the request
   * brings goes over either, field by field (sampling too).
   */
  #settingsFor(conversation: StoredConversation, requested: ConversationSettings = {}): ConversationSettings {
    const base = conversation.kind === 'chat' ? this.#defaults() : conversation.settings;
    return {
      ...base,
      ...requested,
      sampling: { ...base.sampling, ...requested.sampling },
    };
  }

  #requireCanAnswer(): void {
    if (this.#store.restoring)
      throw new AppError('busy', 'The history is being restored from a backup. Try again in a moment.');
    if (!this.#engine.state.model)
      throw new AppError('model_not_loaded', 'No model is loaded. Load one in Models.');
  }

  #requireIdle(conversationId: number): void {
    if (this.#running.has(conversationId)) {
      throw new AppError('busy', 'An answer is still being written in this conversation. Stop it or wait.');
    }
  }

  #messageIn(conversationId: number, messageId: number, role?: 'user' | 'assistant') {
    const message = this.#store.messages.get(messageId);
    if (message.conversation_id !== conversationId || (role && message.role !== role)) {
      throw new AppError(
        'not_found',
        `Message ${messageId} is not a ${role ?? ''} message of conversation ${conversationId}.`,
      );
    }
    return message;
  }

  #modelName(): string | null {
    const file = this.#engine.state.model?.file;
    return file ? (file.name ?? file.path.split(/[\\/]/).pop() ?? null) : null;
  }
}

/** The engine keeps each conversation's KV cache under this key. */
function engineKey(conversationId: number): string {
  return `conversation:${conversationId}`;
}

function pick(running: Running): ActiveAnswer {
  return {
    conversationId: running.conversationId,
    messageId: running.messageId,
    requestId: running.requestId,
  };
}

function toTurns(history: MessageView[]): ChatTurn[] {
  return history.flatMap((message) =>
    message.role === 'system' || (message.role === 'assistant' && message.content === '')
      ? []
      : [{ role: message.role, content: message.content }],
  );
}
