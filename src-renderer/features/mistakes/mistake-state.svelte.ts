import { solutionSteps } from '../../../src-shared/lines';
import type { RpcClient } from '../../../src-shared/rpc-client';
import type { CheckReport, MistakeCheck } from '../../../src-shared/tutor';
import { AnswerFollower, type FollowerServices } from '../../lib/state/answer-follower.svelte';
import type { ToastState } from '../../lib/state/toasts.svelte';

/**
 * The Mistake check view: the form (problem and solution, with the checker's findings live as the solution
 * is typed), and the open check with its analysis as it runs and once it is done.
 */
export class MistakeState {
  problem = $state('');
  solution = $state('');
  /** The bank problem the form was filled from, so its reference answer is used. */
  problemId = $state<string | null>(null);
  /** The checker's view of the solution being typed. */
  liveFindings = $state<CheckReport | null>(null);

  /** Follows the analysis being written (its JSON) in the open check; it also holds which one is open. */
  answer: AnswerFollower<MistakeCheck>;
  check = $state<MistakeCheck | null>(null);
  submitting = $state(false);

  #api: RpcClient;
  #toasts: ToastState;
  #liveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(services: FollowerServices) {
    const { api, toasts } = services;
    this.#api = api;
    this.#toasts = toasts;
    this.answer = new AnswerFollower(services, {
      read: (conversationId) => api.call('mistakes.get', { conversationId }),
      show: (check) => (this.check = check),
    });
  }

  get conversationId(): number | null {
    return this.answer.conversationId;
  }

  async open(id: number | null): Promise<void> {
    await this.answer.open(id);
  }

  /** Fills the form with a bank problem and its typical wrong solution. */
  async loadExample(problemId: string): Promise<void> {
    try {
      const problem = await this.#api.call('problems.get', { id: problemId });
      this.problem = problem.statement;
      this.solution = problem.wrongSolution.lines.join('\n');
      this.problemId = problem.id;
      this.refreshFindings();
    } catch (error) {
      this.#toasts.error(error);
    }
  }

  /** The checker's findings for the solution as typed; debounced, as it changes with every key. */
  refreshFindings(): void {
    if (this.#liveTimer) clearTimeout(this.#liveTimer);
    this.#liveTimer = setTimeout(() => {
      // Numbered as the check numbers them: one step per non-empty line.
      const source = this.solution;
      const text = solutionSteps(source).join('\n');
      if (!text) {
        this.liveFindings = null;
        return;
      }
      this.#api
        .call('tutor.checkLines', { text, ...(this.problemId ? { problemId: this.problemId } : {}) })
        .then((findings) => {
          if (source === this.solution) this.liveFindings = findings;
        })
        .catch(() => (this.liveFindings = null));
    }, 200);
  }

  /** Submits the form; returns the new check's id, for the URL. */
  async submit(): Promise<number | null> {
    this.submitting = true;
    try {
      const check = await this.#api.call('mistakes.check', {
        problem: this.problem,
        solution: this.solution,
        ...(this.problemId ? { problemId: this.problemId } : {}),
      });
      this.check = check;
      void this.open(check.conversationId);
      return check.conversationId;
    } catch (error) {
      this.#toasts.error(error);
      return null;
    } finally {
      this.submitting = false;
    }
  }

  async analyse(): Promise<void> {
    const conversationId = this.conversationId;
    if (conversationId === null) return;
    try {
      this.check = await this.#api.call('mistakes.analyse', { conversationId });
      await this.open(conversationId);
    } catch (error) {
      this.#toasts.error(error);
    }
  }

  /** Starts a new check from the open one: the form is filled with it, to edit and check again. */
  editAsNew(): void {
    if (!this.check) return;
    this.problem = this.check.problem;
    this.solution = this.check.steps.join('\n');
    this.problemId = this.check.problemId;
    this.refreshFindings();
  }

  clearForm(): void {
    this.problem = '';
    this.solution = '';
    this.problemId = null;
    this.liveFindings = null;
  }
}
