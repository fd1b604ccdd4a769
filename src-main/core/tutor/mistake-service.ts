/**
 * Mistake checks: a problem and a student's worked solution in; the checker's findings at once, then the
 * model's analysis as schema-constrained JSON. A check is a conversation of kind `mistake`: the problem and
 * solution are its question, the analysis (as Markdown) its answer, and everything the view needs to show
 * it again — steps, findings, the analysis itself — its state.
 *
 * The checker runs first and its findings go into the prompt: the model explains, the checker verifies.
 * The analysis is written like any answer (the answer service streams the JSON into the check's answer row);
 * once checked, the row holds it as Markdown and the state holds it in full.
 */
import { AppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import { solutionSteps } from '../../../src-shared/lines';
import type { AnalysisState, MistakeAnalysis, MistakeCheck, Quantity } from '../../../src-shared/tutor';
import type { AnswerOutcome, AnswerService } from '../answers/answer-service';
import type { Engine } from '../engine/engine';
import type { EventBus } from '../event-bus';
import type { Store } from '../store/store';
import { titleFromText } from '../title';
import { analysisRequest, concludeAnalysis } from './analyse-solution';
import { checkSolution } from './checker';
import { analysisMarkdown } from './mistake-analysis';
import type { ProblemBank } from './problem-bank';
import type { PromptLibrary } from './prompts';
import { readMistakeState, type MistakeState } from './saved-state';

export interface MistakeServiceOptions {
  store: Store;
  engine: Engine;
  answers: AnswerService;
  bank: ProblemBank;
  prompts: PromptLibrary;
  bus: EventBus;
}

export class MistakeService {
  #options: MistakeServiceOptions;

  constructor(options: MistakeServiceOptions) {
    this.#options = options;
  }

  /**
   * Checks a solution: the checker's findings are saved with it at once (they need no model), then the
   * model's analysis starts when a model is loaded.
   */
  async check(input: {
    problem: string;
    solution: string;
    problemId?: string | undefined;
  }): Promise<MistakeCheck> {
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
      state.analysis.status === 'running' && !this.#options.answers.isRunning(conversationId)
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

  /** Starts (or restarts) the model's analysis; it streams and ends as an answer (`answer.*` events). */
  async analyse(conversationId: number): Promise<MistakeCheck> {
    const { store, engine, answers, prompts } = this.#options;
    const state = this.#read(conversationId);
    if (answers.isRunning(conversationId))
      throw new AppError('busy', 'This solution is already being analysed.');
    answers.assertCanStart(conversationId);
    const input = { ...state, reference: this.#reference(state) };
    const { request, json, prompt } = await analysisRequest(engine, prompts, input);
    const messageId = store.transaction(() => {
      const question = this.#question(conversationId);
      const messageId = store.messages.insert({
        conversationId,
        parentId: question,
        role: 'assistant',
        content: '',
        status: 'streaming',
      });
      store.conversations.touch(conversationId, messageId);
      this.#save(conversationId, { ...state, analysis: { status: 'running' } });
      return messageId;
    });
    await answers.start<MistakeAnalysis>({
      conversationId,
      messageId,
      request,
      json,
      conclude: (outcome) => {
        const analysis = this.#analysisOf(input, outcome, prompt);
        this.#save(conversationId, { ...this.#read(conversationId), analysis });
        // Only a checked analysis is kept as the check's answer (for search and export); JSON cut short is not.
        return analysis.status === 'done'
          ? { content: analysisMarkdown(analysis.result), status: 'complete', stats: outcome.stats ?? {} }
          : null;
      },
    });
    return this.get(conversationId);
  }

  #analysisOf(
    input: Parameters<typeof concludeAnalysis>[0],
    outcome: AnswerOutcome<MistakeAnalysis>,
    prompt: string,
  ): AnalysisState {
    if (outcome.status === 'complete' && outcome.value) return concludeAnalysis(input, outcome.value, prompt);
    if (outcome.status === 'stopped') return { status: 'stopped' };
    return { status: 'failed', error: outcome.error ?? 'The analysis failed.' };
  }

  /**
   * The check's question, where every analysis hangs as a version of the answer; an earlier analysis cut
   * short (the app quit while it was written) is removed first.
   */
  #question(conversationId: number): number {
    const { store } = this.#options;
    const messages = store.messages.all(conversationId);
    const question = messages.find((message) => message.role === 'user');
    if (!question) throw new AppError('invalid_input', 'This mistake check has no solution to analyse.');
    for (const message of messages)
      if (message.role === 'assistant' && message.status !== 'complete') store.messages.delete(message.id);
    return question.id;
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
