import type { RpcClient } from '../../../src-shared/rpc-client';
import type { ProblemSummary, TutorAnswerCheck, TutorSession } from '../../../src-shared/tutor';
import type { ChatStarted } from '../../../src-shared/types';
import type { ToastState } from '../../lib/state/toasts.svelte';

export interface TutorStreaming {
  messageId: number;
  requestId: string;
  text: string;
  outputTokens: number;
}

/**
 * The open tutor session: its problem, the solution and hints the model wrote (read back from core, which
 * checks them), the answer being written, and the bank to pick problems from.
 */
export class TutorState {
  problems = $state<ProblemSummary[]>([]);
  conversationId = $state<number | null>(null);
  session = $state<TutorSession | null>(null);
  streaming = $state<TutorStreaming | null>(null);
  /** Set while a session is being opened or started, so the view does not flash the picker. */
  opening = $state(false);

  #api: RpcClient;
  #toasts: ToastState;

  constructor(api: RpcClient, toasts: ToastState) {
    this.#api = api;
    this.#toasts = toasts;
    api.on('generation.delta', (delta) => {
      if (this.streaming?.requestId !== delta.requestId) return;
      this.streaming.text += delta.text;
      this.streaming.outputTokens = delta.outputTokens;
    });
    api.on('chat.answer', (answer) => {
      if (answer.conversationId !== this.conversationId || answer.status === 'streaming') return;
      if (this.streaming?.messageId === answer.messageId) this.streaming = null;
      void this.#reload();
    });
    api.onStatus((status) => {
      if (status !== 'open') return;
      void this.loadProblems();
      if (this.conversationId !== null) void this.open(this.conversationId);
    });
    if (api.status === 'open') void this.loadProblems();
  }

  get busy(): boolean {
    return this.streaming !== null;
  }

  async loadProblems(): Promise<void> {
    try {
      this.problems = await this.#api.call('problems.list', {});
    } catch (error) {
      this.#toasts.error(error);
    }
  }

  async open(id: number | null): Promise<void> {
    this.conversationId = id;
    this.streaming = null;
    if (id === null) {
      this.session = null;
      return;
    }
    this.opening = true;
    try {
      this.session = await this.#api.call('tutor.get', { conversationId: id });
      await this.#attach();
    } catch (error) {
      this.session = null;
      this.conversationId = null;
      this.#toasts.error(error);
    } finally {
      this.opening = false;
    }
  }

  /** Starts a session; returns its id, for the URL. */
  async start(input: { problemId: string } | { statement: string }): Promise<number | null> {
    this.opening = true;
    try {
      const session = await this.#api.call('tutor.start', input);
      this.session = session;
      this.conversationId = session.conversationId;
      this.streaming = null;
      return session.conversationId;
    } catch (error) {
      this.#toasts.error(error);
      return null;
    } finally {
      this.opening = false;
    }
  }

  /** A new session on the same bank problem with new numbers. */
  async practiceVariant(): Promise<number | null> {
    const problem = this.session?.problem;
    if (!problem || problem.id === null) return null;
    try {
      const variant = await this.#api.call('problems.variant', { id: problem.variantOf ?? problem.id });
      return await this.start({ problemId: variant.id });
    } catch (error) {
      this.#toasts.error(error);
      return null;
    }
  }

  async solve(): Promise<void> {
    await this.#follow((conversationId) => this.#api.call('tutor.solve', { conversationId }));
  }

  async hint(level?: number): Promise<void> {
    await this.#follow((conversationId) =>
      this.#api.call('tutor.hint', { conversationId, ...(level === undefined ? {} : { level }) }),
    );
  }

  async checkAnswer(answer: string): Promise<TutorAnswerCheck | null> {
    if (this.conversationId === null) return null;
    try {
      const check = await this.#api.call('tutor.checkAnswer', {
        conversationId: this.conversationId,
        answer,
      });
      await this.#reload();
      return check;
    } catch (error) {
      this.#toasts.error(error);
      return null;
    }
  }

  async stop(): Promise<void> {
    if (this.conversationId === null || !this.streaming) return;
    await this.#api
      .call('chat.stop', { conversationId: this.conversationId })
      .catch((error: unknown) => this.#toasts.error(error));
  }

  async #follow(call: (conversationId: number) => Promise<ChatStarted>): Promise<void> {
    if (this.conversationId === null) return;
    try {
      const started = await call(this.conversationId);
      this.streaming = {
        messageId: started.messageId,
        requestId: started.requestId,
        text: started.answerStart,
        outputTokens: 0,
      };
      await this.#reload();
    } catch (error) {
      this.#toasts.error(error);
      await this.#reload();
    }
  }

  /** Follows an answer already being written in this session (after a reload). */
  async #attach(): Promise<void> {
    const conversationId = this.conversationId;
    const running = (await this.#api.call('chat.running', {})).find(
      (answer) => answer.conversationId === conversationId,
    );
    if (!running || conversationId !== this.conversationId) return;
    this.streaming = {
      messageId: running.messageId,
      requestId: running.requestId,
      text: running.content,
      outputTokens: 0,
    };
  }

  async #reload(): Promise<void> {
    if (this.conversationId === null) return;
    try {
      this.session = await this.#api.call('tutor.get', { conversationId: this.conversationId });
    } catch (error) {
      this.#toasts.error(error);
    }
  }
}
