import type { RpcClient } from '../../../src-shared/rpc-client';
import type { ChatStarted, ContextUsage, ConversationDetail } from '../../../src-shared/types';
import type { ToastState } from '../../lib/state/toasts.svelte';

export interface Streaming {
  conversationId: number;
  messageId: number;
  requestId: string;
  text: string;
  outputTokens: number;
  /** Milliseconds from the request to the first streamed text, and to the latest. */
  firstTextMs: number | null;
  elapsedMs: number;
}

/**
 * The open conversation: its messages (the active branch), the answer streaming into it, and the actions
 * on it. The store is the truth: after every answer the conversation is read back from it.
 */
export class ChatState {
  conversationId = $state<number | null>(null);
  detail = $state<ConversationDetail | null>(null);
  streaming = $state<Streaming | null>(null);
  usage = $state<ContextUsage | null>(null);
  /** Read out by a live region when an answer completes. */
  announcement = $state('');
  /** A message to scroll to and highlight (a search result). */
  focusMessageId = $state<number | null>(null);
  messages = $derived(this.detail?.messages ?? []);

  #api: RpcClient;
  #toasts: ToastState;
  #usageTimer: ReturnType<typeof setTimeout> | null = null;
  #draft = '';
  /** Set while this window starts an answer, so its own `chat.answer` event is not mistaken for another's. */
  #starting = false;

  constructor(api: RpcClient, toasts: ToastState) {
    this.#api = api;
    this.#toasts = toasts;
    api.on('generation.delta', (delta) => {
      const streaming = this.streaming;
      if (!streaming || delta.requestId !== streaming.requestId) return;
      streaming.text += delta.text;
      streaming.outputTokens = delta.outputTokens;
      streaming.elapsedMs = delta.elapsedMs;
      streaming.firstTextMs ??= delta.elapsedMs;
    });
    api.on('chat.answer', (answer) => {
      if (answer.conversationId !== this.conversationId) return;
      if (answer.status === 'streaming') {
        // Started elsewhere (another window): follow it.
        if (!this.streaming && !this.#starting) void this.#attach();
        return;
      }
      if (this.streaming?.messageId === answer.messageId) this.streaming = null;
      this.announcement =
        answer.status === 'complete'
          ? 'Answer complete.'
          : answer.status === 'stopped'
            ? 'Answer stopped.'
            : `Answer ${answer.status}.`;
      void this.#reload();
    });
    // After a reload or a dropped connection, read the conversation again and pick up its stream (C4).
    api.onStatus((status) => {
      if (status === 'open' && this.conversationId !== null) void this.open(this.conversationId);
    });
  }

  get busy(): boolean {
    return this.streaming !== null;
  }

  async open(id: number | null): Promise<void> {
    this.conversationId = id;
    this.streaming = null;
    if (id === null) {
      this.detail = null;
      this.refreshUsage(this.#draft);
      return;
    }
    try {
      this.detail = await this.#api.call('conversations.get', { id });
      await this.#attach();
      this.refreshUsage(this.#draft);
    } catch (error) {
      this.detail = null;
      this.conversationId = null;
      this.#toasts.error(error);
    }
  }

  /** Sends a message; returns the conversation it went to (new when none was open). */
  async send(text: string): Promise<number | null> {
    return this.#start(() =>
      this.#api.call('chat.send', {
        ...(this.conversationId === null ? {} : { conversationId: this.conversationId }),
        text,
      }),
    );
  }

  async edit(messageId: number, text: string): Promise<void> {
    await this.#start(() =>
      this.#api.call('chat.edit', { conversationId: this.conversationId!, messageId, text }),
    );
  }

  async regenerate(messageId: number): Promise<void> {
    await this.#start(() =>
      this.#api.call('chat.regenerate', { conversationId: this.conversationId!, messageId }),
    );
  }

  async continueAnswer(messageId: number): Promise<void> {
    const prefix = this.messages.find((message) => message.id === messageId)?.content ?? '';
    await this.#start(
      () => this.#api.call('chat.continue', { conversationId: this.conversationId!, messageId }),
      prefix,
    );
  }

  async stop(): Promise<void> {
    if (this.conversationId === null || !this.streaming) return;
    await this.#api
      .call('chat.stop', { conversationId: this.conversationId })
      .catch((error: unknown) => this.#toasts.error(error));
  }

  async switchBranch(messageId: number): Promise<void> {
    if (this.conversationId === null) return;
    try {
      this.detail = await this.#api.call('chat.switchBranch', {
        conversationId: this.conversationId,
        messageId,
      });
      this.refreshUsage(this.#draft);
    } catch (error) {
      this.#toasts.error(error);
    }
  }

  async deleteMessage(messageId: number): Promise<void> {
    if (this.conversationId === null) return;
    try {
      this.detail = await this.#api.call('chat.deleteMessage', {
        conversationId: this.conversationId,
        messageId,
      });
    } catch (error) {
      this.#toasts.error(error);
    }
  }

  /** How full the context would be with this draft; debounced, as the draft changes with every key. */
  refreshUsage(draft: string): void {
    this.#draft = draft;
    if (this.#usageTimer) clearTimeout(this.#usageTimer);
    this.#usageTimer = setTimeout(() => {
      const conversationId = this.conversationId;
      this.#api
        .call('chat.contextUsage', { ...(conversationId === null ? {} : { conversationId }), draft })
        .then((usage) => {
          if (conversationId === this.conversationId) this.usage = usage;
        })
        .catch(() => (this.usage = null));
    }, 250);
  }

  async #start(call: () => Promise<ChatStarted>, prefix = ''): Promise<number | null> {
    this.#starting = true;
    try {
      const started = await call();
      this.conversationId = started.conversationId;
      this.streaming = {
        conversationId: started.conversationId,
        messageId: started.messageId,
        requestId: started.requestId,
        text: prefix,
        outputTokens: 0,
        firstTextMs: null,
        elapsedMs: 0,
      };
      this.detail = await this.#api.call('conversations.get', { id: started.conversationId });
      return started.conversationId;
    } catch (error) {
      this.#toasts.error(error);
      // The question may have been saved with an error answer (too long): show it.
      if (this.conversationId !== null) await this.#reload();
      return null;
    } finally {
      this.#starting = false;
    }
  }

  /** Follows an answer already streaming in this conversation: its text so far, then the deltas after it. */
  async #attach(): Promise<void> {
    const conversationId = this.conversationId;
    const running = (await this.#api.call('chat.running', {})).find(
      (answer) => answer.conversationId === conversationId,
    );
    if (!running || conversationId !== this.conversationId) return;
    this.streaming = { ...running, text: running.content, outputTokens: 0, firstTextMs: null, elapsedMs: 0 };
  }

  async #reload(): Promise<void> {
    if (this.conversationId === null) return;
    try {
      this.detail = await this.#api.call('conversations.get', { id: this.conversationId });
      this.refreshUsage(this.#draft);
    } catch (error) {
      this.#toasts.error(error);
    }
  }
}
