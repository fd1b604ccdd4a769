/**
 * Mistake checks: a problem and a student's worked solution in; the checker's findings at once, then the
 * model's analysis as schema-constrained JSON. A check is a conversation of kind `mistake`: the problem and
 * solution are its question, the analysis (as Markdown) its answer, and everything the view needs to show
 * it again — steps, findings, the analysis itself — its state.
 *
 * The checker runs first and its findings go into the prompt: the model explains, the checker verifies.
 */
import { AppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import { solutionSteps } from '../../../src-shared/lines';
import type { AnalysisState, MistakeCheck, Quantity } from '../../../src-shared/tutor';
import type { Engine } from '../engine/engine';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { titleFromText } from '../title';
import { analyseSolution, concludeAnalysis } from './analyse-solution';
import { checkSolution } from './checker';
import { analysisMarkdown } from './mistake-analysis';
import type { ProblemBank } from './problem-bank';
import type { PromptLibrary } from './prompts';
import { readMistakeState, type MistakeState } from './saved-state';

export interface MistakeServiceOptions {
  store: Store;
  engine: Engine;
  bank: ProblemBank;
  prompts: PromptLibrary;
  bus: EventBus;
  log: Logger;
}

export class MistakeService {
  #options: MistakeServiceOptions;
  /** Analyses being written, by conversation: how to stop each, and when it has been saved. */
  #running = new Map<number, { controller: AbortController; saved: Promise<void> }>();
  #closing = false;

  constructor(options: MistakeServiceOptions) {
    this.#options = options;
  }

  /**
   * Checks a solution: the checker's findings are saved with it at once (they need no model), then the
   * model's analysis starts when a model is loaded.
   */
  check(input: { problem: string; solution: string; problemId?: string | undefined }): MistakeCheck {
    const { store, bank } = this.#options;
    const steps = splitSteps(input.solution);
    const problem = input.problemId === undefined ? null : bank.get(input.problemId);
    if (input.problemId !== undefined && !problem)
      throw new AppError('not_found', `There is no problem ${input.problemId} in the bank.`);
    const state: MistakeState = {
      version: 1,
      problem: input.problem.trim(),
      problemId: problem?.id ?? null,
      steps,
      findings: checkSolution(steps.join('\n'), { givens: problem?.givens ?? {} }),
      analysis: { status: 'failed', error: 'Not analysed yet.' },
    };
    const id = store.transaction(() => {
      const id = store.conversations.create({
        kind: 'mistake',
        title: `Check: ${titleFromText(problem?.title ?? state.problem, 50)}`,
      });
      const question = store.messages.insert({
        conversationId: id,
        parentId: null,
        role: 'user',
        content: questionMarkdown(state.problem, steps),
        status: 'complete',
      });
      store.conversations.touch(id, question);
      store.conversations.setState(id, state);
      return id;
    });
    this.#options.bus.emit('conversations.changed', { ids: [id] });
    return this.#options.engine.state.model ? this.analyse(id) : this.#noModel(id);
  }

  get(conversationId: number): MistakeCheck {
    const state = this.#read(conversationId);
    const analysis: AnalysisState =
      state.analysis.status === 'running' && !this.#running.has(conversationId)
        ? { status: 'interrupted' }
        : state.analysis;
    return {
      conversationId,
      problem: state.problem,
      problemId: state.problemId,
      reference: this.#reference(state),
      steps: state.steps,
      findings: state.findings,
      analysis,
    };
  }

  /** Starts (or restarts) the model's analysis; its progress and end arrive as events. */
  analyse(conversationId: number): MistakeCheck {
    const state = this.#read(conversationId);
    if (this.#running.has(conversationId))
      throw new AppError('busy', 'This solution is already being analysed.');
    if (this.#options.store.restoring)
      throw new AppError('busy', 'The history is being restored from a backup. Try again in a moment.');
    if (!this.#options.engine.state.model)
      throw new AppError('model_not_loaded', 'No model is loaded. Load one in Models to get an analysis.');
    const controller = new AbortController();
    this.#save(conversationId, { ...state, analysis: { status: 'running' } });
    const saved = this.#run(conversationId, state, controller.signal).finally(() => {
      this.#running.delete(conversationId);
      this.#options.bus.emit('mistakes.ended', { conversationId });
      this.#options.bus.emit('conversations.changed', { ids: [conversationId] });
    });
    this.#running.set(conversationId, { controller, saved });
    return this.get(conversationId);
  }

  stop(conversationId: number): boolean {
    const running = this.#running.get(conversationId);
    running?.controller.abort();
    return running !== undefined;
  }

  /** Stops every analysis being written and resolves once each is saved, as `stopped` (before a restore). */
  async settle(): Promise<void> {
    const running = [...this.#running.values()];
    for (const { controller } of running) controller.abort();
    await Promise.all(running.map(({ saved }) => saved));
  }

  /** On quit: analyses in progress stop, left as `running` in the store, so they show as interrupted. */
  shutdown(): void {
    this.#closing = true;
    for (const { controller } of this.#running.values()) controller.abort();
  }

  async #run(conversationId: number, state: MistakeState, signal: AbortSignal): Promise<void> {
    const { engine, prompts, bus, log } = this.#options;
    const input = { ...state, reference: this.#reference(state) };
    let analysis: AnalysisState;
    try {
      const result = await analyseSolution(engine, prompts, input, {
        conversationKey: `conversation:${conversationId}`,
        signal,
        hooks: {
          onDelta: (text, outputTokens) =>
            bus.emit('mistakes.progress', { conversationId, outputTokens, text }),
        },
      });
      analysis = concludeAnalysis(input, result.analysis, result.prompt);
    } catch (error) {
      if (error instanceof AppError && error.code === 'cancelled') analysis = { status: 'stopped' };
      else {
        log.warn(`Mistake check ${conversationId}: the analysis failed`, error);
        analysis = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
      }
    }
    this.#finish(conversationId, analysis);
  }

  /** Saves the outcome; a finished analysis is also written as the check's answer, for search and export. */
  #finish(conversationId: number, analysis: AnalysisState): void {
    const { store, log } = this.#options;
    if (this.#closing) return;
    try {
      store.transaction(() => {
        const state = this.#read(conversationId);
        this.#save(conversationId, { ...state, analysis });
        if (analysis.status !== 'done') return;
        const conversation = store.conversations.get(conversationId);
        const answer = store.messages.insert({
          conversationId,
          parentId: conversation.leafMessageId,
          role: 'assistant',
          content: analysisMarkdown(analysis.result),
          status: 'complete',
        });
        store.conversations.touch(conversationId, answer);
      });
    } catch (error) {
      // Deleted meanwhile, or the disk is full: nothing more to save.
      log.warn(`Mistake check ${conversationId}: could not save the analysis`, error);
    }
  }

  #noModel(conversationId: number): MistakeCheck {
    const state = this.#read(conversationId);
    this.#save(conversationId, {
      ...state,
      analysis: { status: 'failed', error: 'No model is loaded. Load one in Models to get an analysis.' },
    });
    return this.get(conversationId);
  }

  #reference(state: MistakeState): (Quantity & { sigFigs: number }) | null {
    if (state.problemId === null) return null;
    const answer = this.#options.bank.get(state.problemId)?.answer;
    return answer ? { value: answer.value, unit: answer.unit, sigFigs: answer.sigFigs } : null;
  }

  #read(conversationId: number): MistakeState {
    const conversation = this.#options.store.conversations.get(conversationId);
    if (conversation.kind !== 'mistake')
      throw new AppError('invalid_input', `Conversation ${conversationId} is not a mistake check.`);
    const state = readMistakeState(conversation.state);
    if (!state)
      throw new AppError(
        'invalid_input',
        `Mistake check ${conversationId} was saved in a form this version cannot read.`,
      );
    return state;
  }

  #save(conversationId: number, state: MistakeState): void {
    this.#options.store.conversations.setState(conversationId, state);
  }
}

/** A solution's steps: its non-empty lines, each trimmed. */
export function splitSteps(solution: string): string[] {
  const steps = solutionSteps(solution);
  if (steps.length === 0)
    throw new AppError('invalid_input', 'The solution is empty: write at least one step.');
  if (steps.length > limits.solutionSteps)
    throw new AppError(
      'invalid_input',
      `The solution has ${steps.length} steps; at most ${limits.solutionSteps} can be checked at once. Check it in parts.`,
    );
  return steps;
}

function questionMarkdown(problem: string, steps: string[]): string {
  return [
    `**Problem:** ${problem}`,
    '',
    "**Student's solution**",
    '',
    ...steps.map((step, i) => `${i + 1}. ${step}`),
  ].join('\n');
}
