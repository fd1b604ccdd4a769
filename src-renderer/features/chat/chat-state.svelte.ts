import { isAppError } from '../../../src-shared/errors';
import type { RpcClient } from '../../../src-shared/rpc-client';
import type { ChatStarted, ContextUsage, ConversationDetail } from '../../../src-shared/types';
import type { ErrorAction } from '../../lib/state/error-text';
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
 * on it. The store is the truth: after every answer the conversation is read back from it, and when it
 * changes anywhere (renamed, pinned or deleted here, in another view or in another window) its title is
 * read again — or, once it no longer exists, it is closed.
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
    api.on('conversations.changed', ({ ids }) => {
      const id = this.conversationId;
      // An empty list: the whole history changed (a backup restored).
      if (id !== null && (ids.length === 0 || ids.includes(id))) void this.#refresh(ids.length === 0);
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
      if (id !== this.conversationId) return;
      this.detail = null;
      this.conversationId = null;
      this.#toasts.error(error, 'open-conversation');
    }
  }

  /** Sends a message; returns the conversation it went to (new when none was open). */
  async send(text: string): Promise<number | null> {
    return this.#start('send', () =>
      this.#api.call('chat.send', {
        ...(this.conversationId === null ? {} : { conversationId: this.conversationId }),
        text,
      }),
    );
  }

  async edit(messageId: number, text: string): Promise<void> {
    await this.#start('edit', () =>
      this.#api.call('chat.edit', { conversationId: this.conversationId!, messageId, text }),
    );
  }

  async regenerate(messageId: number): Promise<void> {
    await this.#start('regenerate', () =>
      this.#api.call('chat.regenerate', { conversationId: this.conversationId!, messageId }),
    );
  }

  async continueAnswer(messageId: number): Promise<void> {
    const prefix = this.messages.find((message) => message.id === messageId)?.content ?? '';
    await this.#start(
      'continue',
      () => this.#api.call('chat.continue', { conversationId: this.conversationId!, messageId }),
      prefix,
    );
  }

  async stop(): Promise<void> {
    if (this.conversationId === null || !this.streaming) return;
    await this.#api
      .call('chat.stop', { conversationId: this.conversationId })
      .catch((error: unknown) => this.#toasts.error(error, 'stop'));
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
      await this.#failed(error, 'switch-branch');
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
      await this.#failed(error, 'delete-message');
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

  async #start(action: ErrorAction, call: () => Promise<ChatStarted>, prefix = ''): Promise<number | null> {
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
      // The question may have been saved with an error answer (too long): show it.
      await this.#failed(error, action);
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

  /**
   * An action failed: say so, then read the conversation back — the question may have been saved with an
   * error answer (too long), or the conversation may be gone, which closes it.
   */
  async #failed(error: unknown, action: ErrorAction): Promise<void> {
    this.#toasts.error(error, action);
    await this.#reload();
  }

  async #reload(): Promise<void> {
    const id = this.conversationId;
    if (id === null) return;
    try {
      const detail = await this.#api.call('conversations.get', { id });
      if (id !== this.conversationId) return;
      this.detail = detail;
      this.refreshUsage(this.#draft);
    } catch (error) {
      if (id !== this.conversationId) return;
      if (isAppError(error, 'not_found')) this.#close();
      else this.#toasts.error(error);
    }
  }

  /**
   * The conversation changed somewhere: its title (and pin, model) again, or all of it after the history
   * was replaced. The messages shown are kept as they are, so an answer streaming into them goes on.
   */
  async #refresh(whole: boolean): Promise<void> {
    const id = this.conversationId;
    if (id === null) return;
    try {
      const fresh = await this.#api.call('conversations.get', { id });
      if (id !== this.conversationId) return;
      if (whole || !this.detail) {
        this.detail = fresh;
        this.refreshUsage(this.#draft);
        return;
      }
      this.detail.title = fresh.title;
      this.detail.pinned = fresh.pinned;
      this.detail.model = fresh.model;
      this.detail.updatedAt = fresh.updatedAt;
    } catch (error) {
      // Deleted: nothing is left to show. Other failures (a dropped connection) are the banner's to tell.
      if (id === this.conversationId && isAppError(error, 'not_found')) this.#close();
    }
  }

  /** The open conversation no longer exists: back to a new chat, where the next message starts one. */
  #close(): void {
    this.focusMessageId = null;
    void this.open(null);
  }
}
