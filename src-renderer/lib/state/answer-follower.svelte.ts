import type { RpcClient } from '../../../src-shared/rpc-client';
import type { AnswerEnded, ChatStarted, RunningAnswer } from '../../../src-shared/types';
import type { ErrorAction } from './error-text';
import type { FollowedConversations } from './followed-conversations';
import type { ToastState } from './toasts.svelte';

/** The answer being written in the followed conversation, as far as this window has seen it. */
export interface LiveAnswer {
  messageId: number;
  text: string;
  /** Requests ahead of it in the engine's queue (0: the model is on it). */
  queuePosition: number;
  /** The engine's own figures since the model began on it (never this window's clock). */
  outputTokens: number;
  elapsedMs: number;
  firstTokenMs: number | null;
}

/** What a view shows of its conversation, read from the store. */
export interface ConversationView<T> {
  read(conversationId: number): Promise<T>;
  /** Shows what was read (null: no conversation, or it could not be opened). */
  show(data: T | null): void;
  /** Reading it again failed (default: a toast). */
  failed?(error: unknown): void;
  /** An answer in it ended; it is read again next. */
  ended?(ended: AnswerEnded): void;
  /** Names what failed when it cannot be opened. */
  openAction?: ErrorAction;
}

/** What a view that follows answers works with (one of each per window). */
export interface FollowerServices {
  api: RpcClient;
  followed: FollowedConversations;
  toasts: ToastState;
}

const liveAnswer = (answer: RunningAnswer): LiveAnswer => ({
  messageId: answer.messageId,
  text: answer.content,
  queuePosition: answer.queuePosition,
  outputTokens: answer.outputTokens,
  elapsedMs: answer.elapsedMs,
  firstTokenMs: answer.firstTokenMs,
});

/**
 * Follows the answer being written in one conversation (the one a view shows), from the store and the
 * event stream: it attaches to a running answer on open, takes over one this window started, applies its
 * deltas, re-attaches after a reload or a reconnect, stops it, and has the view re-read the store when it
 * ends. The only place the renderer handles `answer.*` events.
 */
export class AnswerFollower<T = unknown> {
  conversationId = $state<number | null>(null);
  live = $state<LiveAnswer | null>(null);

  #api: RpcClient;
  #followed: FollowedConversations;
  #toasts: ToastState;
  #view: ConversationView<T>;
  /** The latest request for what is running: only its answer is applied. */
  #attachSeq = 0;
  #attaching = false;

  constructor({ api, followed, toasts }: FollowerServices, view: ConversationView<T>) {
    this.#api = api;
    this.#followed = followed;
    this.#toasts = toasts;
    this.#view = view;
    api.on('answer.started', (started) => {
      if (started.conversationId !== this.conversationId) return;
      if (this.live?.messageId === started.messageId) this.live.queuePosition = started.queuePosition;
      else this.#unknown();
    });
    api.on('answer.delta', (delta) => {
      if (delta.conversationId !== this.conversationId) return;
      const live = this.live;
      if (live?.messageId !== delta.messageId) return this.#unknown();
      live.text = delta.restart ? delta.text : live.text + delta.text;
      live.queuePosition = 0;
      live.outputTokens = delta.outputTokens;
      live.elapsedMs = delta.elapsedMs;
      live.firstTokenMs = delta.firstTokenMs;
    });
    api.on('answer.ended', (ended) => {
      if (ended.conversationId === this.conversationId) void this.#end(ended);
    });
    api.onStatus((status) => {
      if (status === 'open' && this.conversationId !== null) void this.#resync();
    });
  }

  get busy(): boolean {
    return this.live !== null;
  }

  /**
   * Shows this conversation's answers (null: none), attached to the one being written, if any. The backend
   * is told at once, so a read of the store sent right after this call is followed by every later event.
   */
  async follow(conversationId: number | null): Promise<void> {
    this.#setConversation(conversationId);
    await this.#attach();
  }

  /**
   * Opens a conversation in the view: follows it, and reads what the view shows of it once the backend
   * follows it (so an answer that ends after the read is announced here). A read that fails shows nothing
   * (said in a toast; the view then follows nothing); one overtaken by another open is dropped.
   */
  async open(conversationId: number | null): Promise<void> {
    const following = this.follow(conversationId);
    if (conversationId === null) return this.#view.show(null);
    try {
      const [data] = await Promise.all([this.#view.read(conversationId), following]);
      if (conversationId === this.conversationId) this.#view.show(data);
    } catch (error) {
      if (conversationId !== this.conversationId) return;
      this.#view.show(null);
      void this.follow(null);
      this.#toasts.error(error, this.#view.openAction);
    }
  }

  /** Reads the open conversation again (after an action, or when it changed), keeping what is followed. */
  async reload(): Promise<void> {
    const conversationId = this.conversationId;
    if (conversationId === null) return;
    try {
      const data = await this.#view.read(conversationId);
      if (conversationId === this.conversationId) this.#view.show(data);
    } catch (error) {
      if (conversationId !== this.conversationId) return;
      if (this.#view.failed) this.#view.failed(error);
      else this.#toasts.error(error);
    }
  }

  /** Takes over an answer this window started, at once, then checks what was written meanwhile. */
  take(started: ChatStarted): void {
    this.#setConversation(started.conversationId);
    if (this.live?.messageId !== started.messageId) {
      this.live = {
        messageId: started.messageId,
        text: started.answerStart,
        queuePosition: started.queuePosition,
        outputTokens: 0,
        elapsedMs: 0,
        firstTokenMs: null,
      };
    }
    // Deltas sent before this window knew the conversation (a new one) are in the text so far.
    void this.#attach();
  }

  /** Stops the answer (or cancels it while it waits in the queue); its text so far is kept. */
  async stop(): Promise<void> {
    const conversationId = this.conversationId;
    if (conversationId === null) return;
    try {
      await this.#api.call(
        'answers.stop',
        this.live ? { messageId: this.live.messageId } : { conversationId },
      );
    } catch (error) {
      this.#toasts.error(error, 'stop');
    }
  }

  #setConversation(conversationId: number | null): void {
    if (conversationId === this.conversationId) return;
    this.conversationId = conversationId;
    this.live = null;
    this.#followed.set(this, conversationId);
  }

  /**
   * An event about an answer not known here: started in another window (the view has not read its
   * messages yet), or by this one before the start's reply came.
   */
  #unknown(): void {
    if (this.#attaching) return;
    void this.#attach().then((found) => {
      if (found === 'new') return this.reload();
    });
  }

  /**
   * Reads what is running in the conversation and follows it from there: `new` when it is another answer
   * than the one shown, `ended` when the one shown had ended meanwhile (the conversation was re-read).
   */
  async #attach(): Promise<'new' | 'same' | 'ended' | 'none'> {
    const conversationId = this.conversationId;
    if (conversationId === null) return 'none';
    const seq = ++this.#attachSeq;
    this.#attaching = true;
    try {
      // The backend must send this conversation's events before its text so far is read.
      this.#followed.flush();
      await this.#followed.told();
      const running = await this.#api.call('answers.running', { conversationId });
      if (seq !== this.#attachSeq || conversationId !== this.conversationId) return 'none';
      const shown = this.live?.messageId;
      const answer = running.find((item) => item.messageId === shown) ?? running[0];
      if (answer) {
        this.live = liveAnswer(answer);
        return answer.messageId === shown ? 'same' : 'new';
      }
      if (this.live) {
        await this.#end(null);
        return 'ended';
      }
    } catch {
      // The connection dropped: everything is read again once it is back.
    } finally {
      if (seq === this.#attachSeq) this.#attaching = false;
    }
    return 'none';
  }

  /** Back after a dropped connection (the backend may have restarted): re-attach, re-read the store. */
  async #resync(): Promise<void> {
    if ((await this.#attach()) !== 'ended') await this.reload();
  }

  async #end(ended: AnswerEnded | null): Promise<void> {
    const messageId = ended?.messageId ?? this.live?.messageId ?? null;
    try {
      if (ended) this.#view.ended?.(ended);
      await this.reload();
    } finally {
      if (this.live && this.live.messageId === messageId) this.live = null;
    }
  }
}
