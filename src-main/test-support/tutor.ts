import path from 'node:path';
import { createLogger } from '../core/log';
import { MistakeService } from '../core/tutor/mistake-service';
import { loadProblemBank, type ProblemBank } from '../core/tutor/problem-bank';
import { PromptLibrary } from '../core/tutor/prompts';
import { TutorService } from '../core/tutor/tutor-service';
import { startTestChat, type TestChat } from './chat';
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
    bank,
    prompts,
    bus: chat.bus,
    log: createLogger('test', 'error'),
  });
  return {
    ...chat,
    bank,
    prompts,
    tutor,
    mistakes,
    analysed: (conversationId) =>
      new Promise((resolve) => {
        const off = chat.bus.subscribe((name, payload) => {
          if (
            name === 'mistakes.ended' &&
            (payload as { conversationId: number }).conversationId === conversationId
          ) {
            off();
            resolve();
          }
        });
      }),
    dispose: async () => {
      mistakes.shutdown();
      await chat.dispose();
    },
  };
}
