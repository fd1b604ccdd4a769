import { isAppError } from '../../../src-shared/errors';
import type { RpcClient } from '../../../src-shared/rpc-client';
import type { AnswerEnded, ChatStarted, ContextUsage, ConversationDetail } from '../../../src-shared/types';
import { AnswerFollower, type FollowerServices } from '../../lib/state/answer-follower.svelte';
import type { ErrorAction } from '../../lib/state/error-text';
import type { ToastState } from '../../lib/state/toasts.svelte';

const endings: Record<AnswerEnded['status'], string> = {
  complete: 'Answer complete.',
  stopped: 'Answer stopped.',
  interrupted: 'Answer interrupted.',
  error: 'Answer error.',
};

/**
 * The open conversation: its messages (the active branch), the answer being written into it, and the
 * actions on it. The store is the truth: after every answer the conversation is read back from it, and when
 * it changes anywhere (renamed, pinned or deleted here, in another view or in another window) its title is
 * read again — or, once it no longer exists, it is closed.
 */
export class ChatState {
  /** Follows the answer being written in the open conversation; it also holds which one is open. */
  answer: AnswerFollower<ConversationDetail>;
  detail = $state<ConversationDetail | null>(null);
  usage = $state<ContextUsage | null>(null);
  /** Read out by a live region when an answer ends. */
  announcement = $state('');
  /** A message to scroll to and highlight (a search result). */
  focusMessageId = $state<number | null>(null);
  messages = $derived(this.detail?.messages ?? []);

  #api: RpcClient;
  #toasts: ToastState;
  #usageTimer: ReturnType<typeof setTimeout> | null = null;
  #draft = '';

  constructor(services: FollowerServices) {
    const { api, toasts } = services;
    this.#api = api;
    this.#toasts = toasts;
    this.answer = new AnswerFollower(services, {
      read: (id) => this.#api.call('conversations.get', { id }),
      show: (detail) => {
        this.detail = detail;
        this.refreshUsage(this.#draft);
      },
      // Gone (deleted anywhere): nothing is left to show. Other failures are worth saying.
      failed: (error) => (isAppError(error, 'not_found') ? this.#close() : this.#toasts.error(error)),
      ended: (ended) => (this.announcement = endings[ended.status]),
      openAction: 'open-conversation',
    });
    api.on('conversations.changed', ({ ids }) => {
      const id = this.conversationId;
      // An empty list: the whole history changed (a backup restored).
      if (id !== null && (ids.length === 0 || ids.includes(id))) void this.#refresh(ids.length === 0);
    });
  }

  get conversationId(): number | null {
    return this.answer.conversationId;
  }

  async open(id: number | null): Promise<void> {
    await this.answer.open(id);
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
    await this.#start('continue', () =>
      this.#api.call('chat.continue', { conversationId: this.conversationId!, messageId }),
    );
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

  async #start(action: ErrorAction, call: () => Promise<ChatStarted>): Promise<number | null> {
    try {
      const started = await call();
      this.answer.take(started);
      this.detail = await this.#api.call('conversations.get', { id: started.conversationId });
      return started.conversationId;
    } catch (error) {
      // The question may have been saved with an error answer (too long): show it.
      await this.#failed(error, action);
      return null;
    }
  }

  /**
   * An action failed: say so, then read the conversation back — the question may have been saved with an
   * error answer (too long), or the conversation may be gone, which closes it.
   */
  async #failed(error: unknown, action: ErrorAction): Promise<void> {
    this.#toasts.error(error, action);
    await this.answer.reload();
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
