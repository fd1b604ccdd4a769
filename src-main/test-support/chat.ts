import path from 'node:path';
import type { AnswerEnded } from '../../src-shared/types';
import type { EventBus } from '../core/event-bus';
import { AnswerService } from '../core/answers/answer-service';
import { ChatService } from '../core/chat/chat-service';
import { createLogger } from '../core/log';
import { databaseFileName, Store } from '../core/store/store';
import { startTestEngine, tempDir, type TestEngine } from './engine';

export interface TestChat extends TestEngine {
  store: Store;
  answers: AnswerService;
  chat: ChatService;
  /** Resolves when the answer in this message ends. */
  answered(messageId: number): Promise<AnswerEnded>;
}

/** A real chat: the generated model through the real engine, writing into a real SQLite file. */
export async function startTestChat(model = { endOfTextBias: -30 }): Promise<TestChat> {
  const engine = await startTestEngine(model);
  const store = Store.open(path.join(tempDir('phidesk-chat-'), databaseFileName));
  const answers = new AnswerService({
    store,
    engine: engine.engine,
    bus: engine.bus,
    log: createLogger('test', 'error'),
  });
  const chat = new ChatService({ store, engine: engine.engine, answers });
  return {
    ...engine,
    store,
    answers,
    chat,
    answered: (messageId) => answerEnded(engine.bus, (answer) => answer.messageId === messageId),
    dispose: async () => {
      answers.shutdown();
      await engine.dispose();
      store.close();
    },
  };
}

/** Resolves with the first `answer.ended` that matches. */
export function answerEnded(bus: EventBus, matches: (answer: AnswerEnded) => boolean): Promise<AnswerEnded> {
  return new Promise((resolve) => {
    const off = bus.subscribe((name, payload) => {
      if (name === 'answer.ended' && matches(payload as AnswerEnded)) {
        off();
        resolve(payload as AnswerEnded);
      }
    });
  });
}
