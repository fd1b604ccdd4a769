import path from 'node:path';
import type { AnswerEnded } from '../../src-shared/types';
import { ChatService } from '../core/chat/chat-service';
import { createLogger } from '../core/log';
import { databaseFileName, Store } from '../core/store/store';
import { startTestEngine, tempDir, type TestEngine } from './engine';

export interface TestChat extends TestEngine {
  store: Store;
  chat: ChatService;
  /** Resolves when the answer in this message ends. */
  answered(messageId: number): Promise<AnswerEnded>;
}

/** A real chat: the generated model through the real engine, writing into a real SQLite file. */
export async function startTestChat(model = { endOfTextBias: -30 }): Promise<TestChat> {
  const engine = await startTestEngine(model);
  const store = Store.open(path.join(tempDir('phidesk-chat-'), databaseFileName));
  const chat = new ChatService({ store, engine: engine.engine, bus: engine.bus, log: createLogger('test') });
  return {
    ...engine,
    store,
    chat,
    answered: (messageId) =>
      new Promise((resolve) => {
        const off = engine.bus.subscribe((name, payload) => {
          const answer = payload as AnswerEnded;
          if (name === 'chat.answer' && answer.messageId === messageId && answer.status !== 'streaming') {
            off();
            resolve(answer);
          }
        });
      }),
    dispose: async () => {
      chat.shutdown();
      await engine.dispose();
      store.close();
    },
  };
}
