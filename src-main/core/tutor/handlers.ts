import type { Handlers } from '../rpc/rpc-server';
import { AppError } from '../../../src-shared/errors';
import { checkSolution } from './checker';
import type { MistakeService } from './mistake-service';
import type { ProblemBank } from './problem-bank';
import type { TutorService } from './tutor-service';

type TutorMethods =
  | 'problems.list'
  | 'problems.get'
  | 'problems.variant'
  | 'tutor.checkLines'
  | 'tutor.start'
  | 'tutor.get'
  | 'tutor.solve'
  | 'tutor.hint'
  | 'tutor.checkAnswer'
  | 'mistakes.check'
  | 'mistakes.get'
  | 'mistakes.analyse';

export function tutorHandlers(
  bank: ProblemBank,
  tutor: () => TutorService,
  mistakes: () => MistakeService,
): Pick<Handlers, TutorMethods> {
  const problem = (id: string) => {
    const found = bank.get(id);
    if (!found) throw new AppError('not_found', `There is no problem ${id} in the bank.`);
    return found;
  };
  return {
    'problems.list': () => bank.list(),
    'problems.get': ({ id }) => problem(id),
    'problems.variant': ({ id, seed }) => {
      problem(id);
      return bank.variant(id.split('~')[0]!, seed ?? Math.floor(Math.random() * 2 ** 31));
    },
    'tutor.checkLines': ({ text, problemId }) =>
      checkSolution(text, { givens: problemId === undefined ? {} : problem(problemId).givens }),
    'tutor.start': (input) => tutor().start(input),
    'tutor.get': ({ conversationId }) => tutor().get(conversationId),
    'tutor.solve': ({ conversationId }) => tutor().solve(conversationId),
    'tutor.hint': ({ conversationId, level }) => tutor().hint(conversationId, level),
    'tutor.checkAnswer': ({ conversationId, answer }) => tutor().checkAnswer(conversationId, answer),
    'mistakes.check': (input) => mistakes().check(input),
    'mistakes.get': ({ conversationId }) => mistakes().get(conversationId),
    'mistakes.analyse': ({ conversationId }) => mistakes().analyse(conversationId),
  };
}
