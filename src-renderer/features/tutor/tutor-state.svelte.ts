import type { RpcClient } from '../../../src-shared/rpc-client';
import type { ProblemSummary, TutorAnswerCheck, TutorSession } from '../../../src-shared/tutor';
import type { ChatStarted } from '../../../src-shared/types';
import { AnswerFollower, type FollowerServices } from '../../lib/state/answer-follower.svelte';
import type { ToastState } from '../../lib/state/toasts.svelte';

/**
 * The open tutor session: its problem, the solution and hints the model wrote (read back from core, which
 * checks them), the answer being written, and the bank to pick problems from.
 */
export class TutorState {
  problems = $state<ProblemSummary[]>([]);
  /** Follows the answer being written in the open session; it also holds which one is open. */
  answer: AnswerFollower<TutorSession>;
  session = $state<TutorSession | null>(null);
  /** Set while a session is being opened or started, so the view does not flash the picker. */
  opening = $state(false);

  #api: RpcClient;
  #toasts: ToastState;

  constructor(services: FollowerServices) {
    const { api, toasts } = services;
    this.#api = api;
    this.#toasts = toasts;
    this.answer = new AnswerFollower(services, {
      read: (conversationId) => api.call('tutor.get', { conversationId }),
      show: (session) => (this.session = session),
    });
    api.onStatus((status) => {
      if (status === 'open') void this.loadProblems();
    });
    if (api.status === 'open') void this.loadProblems();
  }

  get conversationId(): number | null {
    return this.answer.conversationId;
  }

  async loadProblems(): Promise<void> {
    try {
      this.problems = await this.#api.call('problems.list', {});
    } catch (error) {
      this.#toasts.error(error);
    }
  }

  async open(id: number | null): Promise<void> {
    this.opening = id !== null;
    await this.answer.open(id);
    this.opening = false;
  }

  /** Starts a session; returns its id, for the URL. */
  async start(input: { problemId: string } | { statement: string }): Promise<number | null> {
    this.opening = true;
    try {
      const session = await this.#api.call('tutor.start', input);
      this.session = session;
      void this.answer.follow(session.conversationId);
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
    await this.#ask((conversationId) => this.#api.call('tutor.solve', { conversationId }));
  }

  async hint(level?: number): Promise<void> {
    await this.#ask((conversationId) =>
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
      await this.answer.reload();
      return check;
    } catch (error) {
      this.#toasts.error(error);
      return null;
    }
  }

  async #ask(call: (conversationId: number) => Promise<ChatStarted>): Promise<void> {
    if (this.conversationId === null) return;
    try {
      this.answer.take(await call(this.conversationId));
    } catch (error) {
      this.#toasts.error(error);
    }
    await this.answer.reload();
  }
}
