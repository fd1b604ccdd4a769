import path from 'node:path';
import { MistakeService } from '../core/tutor/mistake-service';
import { loadProblemBank, type ProblemBank } from '../core/tutor/problem-bank';
import { PromptLibrary } from '../core/tutor/prompts';
import { TutorService } from '../core/tutor/tutor-service';
import { answerEnded, startTestChat, type TestChat } from './chat';
import { resourcesDir } from './core';

export interface TestTutor extends TestChat {
  bank: ProblemBank;
  prompts: PromptLibrary;
  tutor: TutorService;
  mistakes: MistakeService;
  /** Resolves when the analysis of this mistake check ends. */
  analysed(conversationId: number): Promise<void>;
}

/** The tutor and the mistake check on the real engine (generated model), store, bank and prompts. */
export async function startTestTutor(): Promise<TestTutor> {
  const chat = await startTestChat();
  const bank = loadProblemBank(path.join(resourcesDir, 'problems'));
  const prompts = PromptLibrary.load(resourcesDir);
  const tutor = new TutorService({ store: chat.store, chat: chat.chat, bank, prompts });
  const mistakes = new MistakeService({
    store: chat.store,
    engine: chat.engine,
    answers: chat.answers,
    bank,
    prompts,
    bus: chat.bus,
  });
  return {
    ...chat,
    bank,
    prompts,
    tutor,
    mistakes,
    analysed: async (conversationId) => {
      await answerEnded(chat.bus, (answer) => answer.conversationId === conversationId);
    },
  };
}
