/**
 * Child process for TEST-CATALOG F1: opens the real store, loads the generated model in the real engine
 * and streams one answer into the store, reporting each save on stdout. The test kills it with SIGKILL.
 *   tsx stream-then-die.ts <dataDir> <model.gguf> <prompt> <seed>
 */
import path from 'node:path';
import { AnswerService } from '../../core/answers/answer-service';
import { ChatService } from '../../core/chat/chat-service';
import { LocalEngine } from '../../core/engine/local-engine';
import { LlamaRuntime } from '../../core/engine/llama-runtime';
import { EventBus } from '../../core/event-bus';
import { createLogger } from '../../core/log';
import { databaseFileName, Store } from '../../core/store/store';

const [dataDir, model, prompt, seed] = process.argv.slice(2) as [string, string, string, string];
const say = (line: string) => process.stdout.write(`${line}\n`);

const bus = new EventBus();
const log = createLogger('child', 'error');
const store = Store.open(path.join(dataDir, databaseFileName));
const engine = new LocalEngine({ bus, runtime: new LlamaRuntime(bus, 'cpu'), log });
await engine.load({
  path: model,
  gpu: 'cpu',
  gpuLayers: 'auto',
  contextSize: 'auto',
  threads: 1,
  sequences: 1,
});
const answers = new AnswerService({
  store,
  engine,
  bus,
  log,
  onFlush: (id, length) => say(`FLUSH ${id} ${length}`),
});
const chat = new ChatService({ store, engine, answers });
bus.subscribe((name) => {
  if (name === 'answer.ended') {
    say('DONE');
    store.close();
    process.exit(0);
  }
});
const started = await chat.send({
  text: prompt,
  settings: { maxTokens: 1200, sampling: { seed: Number(seed) } },
});
say(`STARTED ${started.conversationId} ${started.userMessageId} ${started.messageId}`);
