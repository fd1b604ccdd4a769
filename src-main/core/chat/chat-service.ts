/**
 * Chat on top of the store and the answer service: every turn is saved before it is answered, and its answer
 * is written by the answer service. Edits and regenerations become branches; stopped or interrupted answers
 * can be continued. Tutor sessions ask through the same path (askWith).
 */
import { AppError } from '../../../src-shared/errors';
import type {
  ChatStarted,
  ChatTurn,
  ContextUsage,
  ConversationKind,
  ConversationSettings,
  MessageView,
} from '../../../src-shared/types';
import { engineKey, type AnswerService } from '../answers/answer-service';
import type { Engine } from '../engine/engine';
import type { StoredConversation } from '../store/conversations';
import type { Store } from '../store/store';
import { titleFromText } from '../title';

export interface ChatServiceOptions {
  store: Store;
  engine: Engine;
  answers: AnswerService;
  /** The settings a request uses when it brings none (the chosen system prompt, sampling). */
  defaults?: () => ConversationSettings;
}

export class ChatService {
  #store: Store;
  #engine: Engine;
  #answers: AnswerService;
  #defaults: () => ConversationSettings;

  constructor(options: ChatServiceOptions) {
    this.#store = options.store;
    this.#engine = options.engine;
    this.#answers = options.answers;
    this.#defaults = options.defaults ?? (() => ({}));
  }

  /** A new user message, and its answer. Starts a conversation when none is given. */
  async send(input: {
    conversationId?: number | undefined;
    kind?: ConversationKind;
    text: string;
    settings?: ConversationSettings;
  }): Promise<ChatStarted> {
    this.#answers.assertCanStart(input.conversationId);
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
  async askWith(input: {
    conversationId: number;
    shown: string;
    prompt: { system: string; turns: ChatTurn[] };
    settings: ConversationSettings;
    record?: (assistantId: number) => void;
    /** The answer, when it is known without the model (see AnswerJob.written). */
    written?: string;
  }): Promise<ChatStarted> {
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#answers.assertCanStart(conversation.id);
    const history = this.#store.messages.branch(conversation.id, conversation.leafMessageId);
    return this.#ask(conversation, history.at(-1)?.id ?? null, history, input.shown, {
      settings: this.#settingsFor(conversation, { ...input.settings, system: input.prompt.system }),
      prompt: input.prompt.turns,
      record: input.record,
      written: input.written,
    });
  }

  /** How full the context would be with `draft` sent next (null without a model). */
  contextUsage(conversationId: number | undefined, draft: string): Promise<ContextUsage | null> {
    const conversation = conversationId === undefined ? null : this.#store.conversations.get(conversationId);
    const history = conversation
      ? this.#store.messages.branch(conversation.id, conversation.leafMessageId)
      : [];
    const settings = conversation ? this.#settingsFor(conversation) : this.#defaults();
    const turns = [...toTurns(history), ...(draft.trim() ? [{ role: 'user' as const, content: draft }] : [])];
    if (turns.length === 0) turns.push({ role: 'user', content: ' ' });
    return this.#engine.measure({
      ...(conversation ? { conversationId: engineKey(conversation.id) } : {}),
      system: settings.system,
      messages: turns,
      maxTokens: settings.maxTokens,
    });
  }

  /** A new version of a user message (a sibling branch), and its answer. */
  async edit(input: { conversationId: number; messageId: number; text: string }): Promise<ChatStarted> {
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#answers.assertCanStart(conversation.id);
    const original = this.#messageIn(conversation.id, input.messageId, 'user');
    const history =
      original.parent_id === null ? [] : this.#store.messages.branch(conversation.id, original.parent_id);
    return this.#ask(conversation, original.parent_id, history, input.text, {
      settings: this.#settingsFor(conversation),
    });
  }

  /** Another answer to the same user message, kept beside the earlier ones. */
  async regenerate(input: { conversationId: number; messageId: number }): Promise<ChatStarted> {
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#answers.assertCanStart(conversation.id);
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
  async continue(input: { conversationId: number; messageId: number }): Promise<ChatStarted> {
    const conversation = this.#store.conversations.get(input.conversationId);
    this.#answers.assertCanStart(conversation.id);
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
      written?: string | undefined;
    },
  ): Promise<ChatStarted> {
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
    return this.#answer(
      { ...conversation, settings: used },
      userId,
      assistantId,
      turns,
      start,
      options.written,
    );
  }

  async #answer(
    conversation: StoredConversation,
    userMessageId: number,
    assistantId: number,
    turns: ChatTurn[],
    prefix: string,
    written?: string,
  ): Promise<ChatStarted> {
    const { queuePosition } = await this.#answers.start({
      conversationId: conversation.id,
      messageId: assistantId,
      prefix,
      written,
      request: {
        system: conversation.settings.system,
        messages: turns,
        sampling: conversation.settings.sampling,
        maxTokens: conversation.settings.maxTokens,
      },
    });
    return {
      conversationId: conversation.id,
      messageId: assistantId,
      userMessageId,
      answerStart: prefix,
      queuePosition,
    };
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

  #requireIdle(conversationId: number): void {
    if (this.#answers.isRunning(conversationId))
      throw new AppError('busy', 'An answer is still being written in this conversation. Stop it or wait.');
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

function toTurns(history: MessageView[]): ChatTurn[] {
  return history.flatMap((message) =>
    message.role === 'system' || (message.role === 'assistant' && message.content === '')
      ? []
      : [{ role: message.role, content: message.content }],
  );
}
