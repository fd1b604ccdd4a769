/**
 * Tutor sessions: one problem, three ways to work on it — a checked step-by-step solution, a ladder of hints,
 * and a check of the student's own answer. A session is a conversation of kind `tutor`; what the model
 * writes streams and is saved like any chat answer, and the session's state (the problem, the hint level,
 * which answer is which, the answer checks) lives in the conversation's state column.
 *
 * Verify first, then explain: every solution is re-checked line by line, and answers are compared with the
 * reference by the checker, never by the model.
 */
import { AppError } from '../../../src-shared/errors';
import type {
  CustomProblem,
  HintLevel,
  Problem,
  Quantity,
  TutorAnswerCheck,
  TutorReply,
  TutorSession,
} from '../../../src-shared/tutor';
import type { ChatStarted, ConversationSettings, MessageView } from '../../../src-shared/types';
import type { ChatService } from '../chat/chat-service';
import type { Store } from '../store/store';
import { titleFromText } from '../title';
import { checkSolution, compareAnswer, formatQuantity } from './checker';
import { readFinalAnswer } from './final-answer';
import type { ProblemBank } from './problem-bank';
import type { PromptLibrary, PromptName, RenderedPrompt } from './prompts';
import { tutorStateSchema, type TutorState } from './saved-state';

/** Low temperature: solving and hinting reward the likeliest text, not variety (DESIGN section 3). */
export const tutorSampling = { temperature: 0.2, topP: 0.95, topK: 40, minP: 0.05, repeatPenalty: 1.1 };
const solveTokens = 450;
const hintTokens = 180;
/** How much of the earlier hints the next one is shown, so it builds on them without crowding the context. */
const previousHintChars = 600;
const keptAnswerChecks = 50;

const hintPrompts: Record<HintLevel, PromptName> = {
  1: 'tutor-hint-nudge',
  2: 'tutor-hint-principle',
  3: 'tutor-hint-next-step',
  // The last rung is the full solution: the only hint that asks the model to solve the problem.
  4: 'tutor-solve',
};
const hintLabels: Record<HintLevel, string> = {
  1: 'Hint 1 of 4: a nudge',
  2: 'Hint 2 of 4: the principle',
  3: 'Hint 3 of 4: the next step',
  4: 'Hint 4 of 4: the full solution',
};

export interface TutorServiceOptions {
  store: Store;
  chat: ChatService;
  bank: ProblemBank;
  prompts: PromptLibrary;
}

export class TutorService {
  #store: Store;
  #chat: ChatService;
  #bank: ProblemBank;
  #prompts: PromptLibrary;

  constructor(options: TutorServiceOptions) {
    this.#store = options.store;
    this.#chat = options.chat;
    this.#bank = options.bank;
    this.#prompts = options.prompts;
  }

  /** A new session on a bank problem (or a variant of one), or on a problem the user typed. */
  start(input: { problemId: string } | { statement: string }): TutorSession {
    const problem = 'problemId' in input ? this.#problem(input.problemId) : customProblem(input.statement);
    const state: TutorState = {
      version: 1,
      problem: problem.id === null ? { custom: problem.statement, title: problem.title } : { id: problem.id },
      hintLevel: 0,
      replies: [],
      answerChecks: [],
    };
    const id = this.#store.transaction(() => {
      const id = this.#store.conversations.create({ kind: 'tutor', title: problem.title });
      this.#store.conversations.setState(id, state);
      return id;
    });
    return this.get(id);
  }

  get(conversationId: number): TutorSession {
    const { state, messages } = this.#read(conversationId);
    const problem = this.#problemOf(state);
    const byId = new Map(messages.map((message) => [message.id, message]));
    const replies = state.replies.flatMap((reply): TutorReply[] => {
      const message = byId.get(reply.messageId);
      return message ? [this.#reply(problem, reply, message)] : [];
    });
    return {
      conversationId,
      problem,
      hintLevel: state.hintLevel as TutorSession['hintLevel'],
      replies,
      answerChecks: state.answerChecks,
    };
  }

  /** A full step-by-step solution, streamed like a chat answer; its lines are checked once it is written. */
  solve(conversationId: number): Promise<ChatStarted> {
    return this.#ask(conversationId, { mode: 'solve', level: null }, 'Solve step by step');
  }

  /**
   * The next rung of the hint ladder (or `level` again, to retry it). One rung at a time: a level more than
   * one above the highest shown is refused, so the full solution is only ever asked for at the last rung.
   */
  async hint(conversationId: number, level?: number): Promise<ChatStarted> {
    const { state } = this.#read(conversationId);
    const next = level ?? state.hintLevel + 1;
    if (next > 4) throw new AppError('invalid_input', 'All four hints have been shown.');
    if (next > state.hintLevel + 1)
      throw new AppError(
        'invalid_input',
        `Hints come one at a time: the next one is hint ${state.hintLevel + 1}.`,
      );
    return this.#ask(
      conversationId,
      { mode: 'hint', level: next as HintLevel },
      hintLabels[next as HintLevel],
    );
  }

  /**
   * Compares the student's final answer with the reference (a bank problem) or with the tutor's own solution
   * once the checker has passed it (a typed problem). The feedback never states the expected value.
   */
  checkAnswer(conversationId: number, answer: string): TutorAnswerCheck {
    const session = this.get(conversationId);
    const expected = this.#expectedAnswer(session);
    const check: TutorAnswerCheck = {
      ...compareAnswer(answer, expected.quantity),
      answer: answer.trim(),
      against: expected.against,
      at: Date.now(),
    };
    this.#update(conversationId, (state) => ({
      ...state,
      answerChecks: [...state.answerChecks, check].slice(-keptAnswerChecks),
    }));
    return check;
  }

  #ask(
    conversationId: number,
    request: { mode: 'solve' | 'hint'; level: HintLevel | null },
    shown: string,
  ): Promise<ChatStarted> {
    const { state, messages } = this.#read(conversationId);
    const problem = this.#problemOf(state);
    const { prompt, settings } = tutorPrompt(
      this.#prompts,
      request.level,
      problem.statement,
      previousHints(state, messages, request.level ?? 0),
    );
    return this.#chat.askWith({
      conversationId,
      shown,
      prompt,
      settings,
      // Saved with the messages, in one transaction: the state always knows which answer is which.
      record: (assistantId) =>
        this.#update(conversationId, (current) => ({
          ...current,
          hintLevel: Math.max(current.hintLevel, request.level ?? 0),
          replies: [...current.replies, { messageId: assistantId, ...request, prompt: prompt.id }],
        })),
    });
  }

  #reply(
    problem: Problem | CustomProblem,
    reply: TutorState['replies'][number],
    message: MessageView,
  ): TutorReply {
    const written = message.status !== 'streaming' && message.content.trim() !== '';
    const solves = reply.mode === 'solve' || reply.level === 4;
    const givens = problem.id === null ? {} : problem.givens;
    const findings = written ? checkSolution(message.content, { givens }) : null;
    const finalAnswer = written && solves ? readFinalAnswer(message.content) : null;
    return {
      message,
      mode: reply.mode,
      level: (reply.level ?? null) as HintLevel | null,
      prompt: reply.prompt,
      findings,
      finalAnswer,
      referenceCheck:
        finalAnswer && problem.id !== null
          ? compareAnswer(formatQuantity(finalAnswer.value, finalAnswer.unit, 6), problem.answer)
          : null,
    };
  }

  #expectedAnswer(session: TutorSession): {
    quantity: Quantity & { sigFigs: number };
    against: TutorAnswerCheck['against'];
  } {
    if (session.problem.id !== null) return { quantity: session.problem.answer, against: 'reference' };
    // A typed problem has no reference: the tutor's latest solution stands in once nothing in it is wrong.
    const checked = session.replies
      .filter((reply) => reply.finalAnswer && reply.findings && reply.findings.errors === 0)
      .at(-1);
    if (!checked?.finalAnswer) {
      throw new AppError(
        'invalid_input',
        'This problem has no reference answer yet. Ask the tutor to solve it first: once its solution passes the checks, your answer is compared with it.',
      );
    }
    return { quantity: { ...checked.finalAnswer, sigFigs: 3 }, against: 'solution' };
  }

  #problem(id: string): Problem {
    const problem = this.#bank.get(id);
    if (!problem) throw new AppError('not_found', `There is no problem ${id} in the bank.`);
    return problem;
  }

  /** The session's problem; one the bank no longer has is still shown, from what the session saved. */
  #problemOf(state: TutorState): Problem | CustomProblem {
    if ('custom' in state.problem)
      return { id: null, title: state.problem.title, statement: state.problem.custom };
    return (
      this.#bank.get(state.problem.id) ?? {
        id: null,
        title: state.problem.id,
        statement: `Problem ${state.problem.id} is no longer in the problem bank.`,
      }
    );
  }

  #read(conversationId: number): { state: TutorState; messages: MessageView[] } {
    const conversation = this.#store.conversations.get(conversationId);
    if (conversation.kind !== 'tutor')
      throw new AppError('invalid_input', `Conversation ${conversationId} is not a tutor session.`);
    const state = tutorStateSchema.safeParse(conversation.state);
    if (!state.success)
      throw new AppError(
        'invalid_input',
        `Tutor session ${conversationId} was saved in a form this version cannot read.`,
      );
    return {
      state: state.data,
      messages: this.#store.messages.branch(conversationId, conversation.leafMessageId),
    };
  }

  #update(conversationId: number, change: (state: TutorState) => TutorState): void {
    this.#store.conversations.setState(conversationId, change(this.#read(conversationId).state));
  }
}

/**
 * The prompt and settings for a solution (`level` null) or a hint: the same for a session, the evaluation
 * and the command line. Only the last rung of the ladder (and Solve) use the template that solves.
 */
export function tutorPrompt(
  prompts: PromptLibrary,
  level: HintLevel | null,
  statement: string,
  previous = '',
): { prompt: RenderedPrompt; settings: ConversationSettings } {
  const name = level ? hintPrompts[level] : 'tutor-solve';
  const values: Record<string, string> = { problem: statement };
  if (name === 'tutor-hint-principle' || name === 'tutor-hint-next-step')
    values.previous = previous || 'none yet.';
  return {
    prompt: prompts.render(name, values),
    settings: { sampling: tutorSampling, maxTokens: name === 'tutor-solve' ? solveTokens : hintTokens },
  };
}

/** A typed problem: its first line (shortened) is its title. */
export function customProblem(statement: string): CustomProblem {
  const text = statement.trim();
  return { id: null, title: titleFromText(text), statement: text };
}

/** The hints below `level` already written, oldest first, for the next hint to build on. */
function previousHints(state: TutorState, messages: MessageView[], level: number): string {
  const text = state.replies
    .filter((reply) => reply.mode === 'hint' && (reply.level ?? 0) < level)
    .map((reply) => messages.find((message) => message.id === reply.messageId)?.content.trim() ?? '')
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ');
  if (!text) return '';
  return text.length > previousHintChars ? `${text.slice(0, previousHintChars - 1)}…` : text;
}
