/**
 * npm run bench:engine — the engine's overhead and levers, measured side by side on one generated model
 * (768 wide, 12 layers, Q4_0; random weights that never emit end-of-text):
 *   (a) raw node-llama-cpp decoding in this process vs (b) the app path (a chat.send over the contract:
 *       chat service, answer service, the engine in its own process behind the message boundary, its
 *       queue, the answer saved to SQLite as it streams, its events routed to the connection that follows
 *       it and serialised), ratio b/a ≥ 0.97
 *   (c) time to first token of turn 6, with vs without prefix reuse (through the engine process), ≤ 0.3
 *   (d) 1 vs 2 llama.cpp threads
 *   (e) switching back to a conversation: kept in its own sequence, saved to and restored from a state
 *       file, or evaluated again — the choice behind SessionPool
 *   (f) loading the model through the engine process vs in this process (both with llama.cpp running)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  getLlama,
  LlamaLogLevel,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { ensureTestModel } from '../scripts/test-model/ensure-test-model';
import type { ServerMessage } from '../src-shared/wire';
import type { AnswerEnded, ChatTurn } from '../src-shared/types';
import { AnswerService } from '../src-main/core/answers/answer-service';
import { ChatService } from '../src-main/core/chat/chat-service';
import { databaseFileName, Store } from '../src-main/core/store/store';
import { AnswerStream } from '../src-main/core/engine/answer-stream';
import { DeltaBuffer } from '../src-main/core/engine/delta-buffer';
import { defaultSampling } from '../src-shared/settings';
import { LocalEngine } from '../src-main/core/engine/local-engine';
import { LlamaRuntime } from '../src-main/core/engine/llama-runtime';
import { EngineClient } from '../src-main/core/engine/process/engine-client';
import { forkEngine } from '../src-main/core/engine/process/launch';
import { phi2StopTriggers, renderPhi2Prompt } from '../src-main/core/engine/phi2-format';
import { defaultThreads } from '../src-main/core/engine/threads';
import { EventBus } from '../src-main/core/event-bus';
import { createLogger } from '../src-main/core/log';
import { RpcServer } from '../src-main/core/rpc/rpc-server';
import { engineEntry } from '../src-main/test-support/core';
import { handlersWith } from '../src-main/test-support/handlers';
import { interleave, median, verdict } from './support';

const tokensPerRun = 256;
/** Rounds per comparison, after one warm-up round; ratios are taken within a round, then the median. */
const rounds = 9;
const question: ChatTurn[] = [
  { role: 'user', content: 'Explain how a skier speeds up on a frictionless slope.' },
];

/**
 * (a) The baseline: the least a node-llama-cpp program does to stream text — its decode loop with the
 * same sampling (repeat penalty included), turning each token into text. Like the engine, it keeps one
 * context and reuses it run after run.
 */
async function rawDecoder(model: LlamaModel, threads: number) {
  const context = await model.createContext({ contextSize: 2048, threads });
  const sequence = context.getSequence();
  const prompt = model.tokenize(renderPhi2Prompt(undefined, question));
  const { temperature, topP, topK, minP, repeatPenalty } = defaultSampling;
  return {
    tokensPerSecond: async (): Promise<number> => {
      await sequence.clearHistory();
      const generated: Token[] = [];
      let text = '';
      let firstAt = 0;
      const evaluation = sequence.evaluate(prompt, {
        temperature,
        topP,
        topK,
        minP,
        seed: 1,
        repeatPenalty: {
          punishTokens: () => generated.slice(-64),
          maxPunishTokens: 64,
          penalty: repeatPenalty,
        },
      });
      for await (const token of evaluation) {
        if (generated.length === 0) firstAt = performance.now();
        generated.push(token);
        text += model.detokenize([token]);
        if (generated.length >= tokensPerRun) break;
      }
      void text;
      return (generated.length - 1) / ((performance.now() - firstAt) / 1000);
    },
    dispose: () => context.dispose(),
  };
}

/**
 * The engine's own per-token work (assembling text, watching for stop triggers, coalescing deltas) timed
 * alone on recorded tokens: free of the machine's noise, in microseconds per token.
 */
function perTokenJsMicros(model: LlamaModel): number {
  const tokens = model.tokenize('The skier slides down the slope and speeds up. '.repeat(40));
  let sink = 0;
  const started = performance.now();
  for (let repeat = 0; repeat < 20; repeat++) {
    const answer = new AnswerStream((pending) => model.detokenize(pending), phi2StopTriggers, true);
    const deltas = new DeltaBuffer(1_000_000, (text) => (sink += text.length));
    for (const token of tokens) deltas.push(answer.push(token));
    deltas.flush();
  }
  void sink;
  return ((performance.now() - started) * 1000) / (tokens.length * 20);
}

/**
 * (b) The app path, as a chat message takes it: sent over the contract, saved first, answered through the
 * answer service and the engine's queue, written to the history database as it grows, its events routed to
 * the connection that started it and serialised for the socket (as the web host does).
 */
function appPath(rpc: RpcServer) {
  let sentBytes = 0;
  let nextId = 1;
  const byRequest = new Map<number, (ended: AnswerEnded) => void>();
  const byMessage = new Map<number, (ended: AnswerEnded) => void>();
  const connection = rpc.connect((message: ServerMessage) => {
    sentBytes += JSON.stringify(message).length;
    if (message.type === 'response') {
      const resolve = byRequest.get(message.id);
      byRequest.delete(message.id);
      if (!message.ok) throw new Error(message.error.message);
      if (resolve) byMessage.set((message.result as { messageId: number }).messageId, resolve);
    } else if (message.name === 'answer.ended') {
      const ended = message.payload as AnswerEnded;
      byMessage.get(ended.messageId)?.(ended);
      byMessage.delete(ended.messageId);
    }
  });
  return {
    sentBytes: () => sentBytes,
    tokensPerSecond: async (): Promise<number> => {
      const id = nextId++;
      const ended = new Promise<AnswerEnded>((resolve) => byRequest.set(id, resolve));
      connection.receive({
        type: 'request',
        id,
        method: 'chat.send',
        params: { text: question[0]!.content, settings: { maxTokens: tokensPerRun, sampling: { seed: 1 } } },
      });
      return (await ended).stats!.tokensPerSecond!;
    },
  };
}

/** Five exchanges of about 110 tokens each (this test vocabulary spends about one token per character). */
function conversation(turns: number): ChatTurn[] {
  return Array.from({ length: turns }, (_, i) => [
    { role: 'user' as const, content: `Q${i + 1}: what changes on part ${i + 1}?` },
    { role: 'assistant' as const, content: `On part ${i + 1}, potential energy turns into kinetic energy.` },
  ]).flat();
}

/** Time to prefill the rest of `turns` and sample one token on a sequence holding `prefix`. */
async function firstTokenMs(
  sequence: LlamaContextSequence,
  model: LlamaModel,
  turns: ChatTurn[],
): Promise<number> {
  const tokens = model.tokenize(renderPhi2Prompt(undefined, turns));
  const started = performance.now();
  await sequence.adaptStateToTokens(tokens.slice(0, -1), false);
  const rest = tokens.slice(sequence.nextTokenIndex);
  for await (const token of sequence.evaluate(rest, { temperature: 0 })) {
    void token;
    break;
  }
  return performance.now() - started;
}

async function measureSwitching(model: LlamaModel, threads: number, turn6: ChatTurn[]) {
  const history = turn6.slice(0, -1);
  const other: ChatTurn[] = [
    { role: 'user', content: 'A different conversation about circuits and resistors.' },
  ];
  const stateFile = path.join(os.tmpdir(), `phidesk-bench-state-${process.pid}.bin`);
  const results = await interleave(3, {
    kept: async () => {
      const context = await model.createContext({ contextSize: 2048, sequences: 2, threads });
      const [a, b] = [context.getSequence(), context.getSequence()];
      await firstTokenMs(a, model, history);
      await firstTokenMs(b, model, other);
      const ms = await firstTokenMs(a, model, turn6);
      await context.dispose();
      return ms;
    },
    stateFile: async () => {
      const context = await model.createContext({ contextSize: 2048, threads });
      const sequence = context.getSequence();
      await firstTokenMs(sequence, model, history);
      const saveStarted = performance.now();
      await sequence.saveStateToFile(stateFile);
      const save = performance.now() - saveStarted;
      await firstTokenMs(sequence, model, other);
      const loadStarted = performance.now();
      await sequence.loadStateFromFile(stateFile, { acceptRisk: true });
      const load = performance.now() - loadStarted;
      const ms = save + load + (await firstTokenMs(sequence, model, turn6));
      lastSaveLoad = { save, load, bytes: fs.statSync(stateFile).size };
      await context.dispose();
      return ms;
    },
    again: async () => {
      const context = await model.createContext({ contextSize: 2048, threads });
      const sequence = context.getSequence();
      await firstTokenMs(sequence, model, history);
      await firstTokenMs(sequence, model, other);
      const ms = await firstTokenMs(sequence, model, turn6);
      await context.dispose();
      return ms;
    },
  });
  fs.rmSync(stateFile, { force: true });
  return {
    kept: median(results.kept),
    stateFile: median(results.stateFile),
    again: median(results.again),
    save: lastSaveLoad.save,
    load: lastSaveLoad.load,
    stateBytes: lastSaveLoad.bytes,
  };
}

let lastSaveLoad = { save: 0, load: 0, bytes: 0 };

async function main(): Promise<void> {
  const file = ensureTestModel({
    embedding: 768,
    layers: 12,
    feedForward: 3072,
    heads: 12,
    type: 'q4_0',
    endOfTextBias: -30,
  });
  const llama = await getLlama({
    gpu: false,
    build: 'never',
    skipDownload: true,
    logLevel: LlamaLogLevel.error,
  });
  const model = await llama.loadModel({ modelPath: file });
  const threads = defaultThreads(llama.cpuMathCores);

  const bus = new EventBus();
  // The engine as the app runs it: in its own process.
  const engine = new EngineClient({
    bus,
    log: createLogger('bench', 'warn'),
    launch: forkEngine(engineEntry),
    gpu: 'cpu',
  });
  const loadOptions = {
    path: file,
    gpu: 'cpu',
    gpuLayers: 'auto',
    contextSize: 'auto',
    threads: 'auto',
    sequences: 2,
  } as const;
  await engine.load(loadOptions);
  const store = Store.open(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-bench-')), databaseFileName),
  );
  const answers = new AnswerService({ store, engine, bus, log: createLogger('bench', 'warn') });
  const chat = new ChatService({ store, engine, answers });
  const rpc = new RpcServer(handlersWith({ 'chat.send': (input) => chat.send(input) }), bus, {
    onInternalError: () => {},
  });
  const app = appPath(rpc);
  // Another window, showing another conversation: the routing must keep this answer's deltas from it.
  let otherWindowEvents = 0;
  rpc.connect(
    (message) => message.type === 'event' && message.name.startsWith('answer.') && otherWindowEvents++,
  );

  console.log(
    `Model: ${file}\nThreads: ${threads} (of ${llama.cpuMathCores} math cores) · ${tokensPerRun} tokens per run · ${rounds} rounds\n`,
  );

  // (a) and (b), interleaved, after a warm-up of each.
  const rawPath = await rawDecoder(model, threads);
  await rawPath.tokensPerSecond();
  await app.tokensPerSecond();
  // CPU time per token in this process (all its threads): the raw loop's whole cost, and the app's share
  // outside the engine process (contract, answers, store), steadier than wall time on a shared machine.
  const cpu = { raw: [] as number[], app: [] as number[] };
  const withCpu = (key: keyof typeof cpu, run: () => Promise<number>) => async () => {
    const before = process.cpuUsage();
    const tokensPerSecond = await run();
    const used = process.cpuUsage(before);
    cpu[key].push((used.user + used.system) / tokensPerRun);
    return tokensPerSecond;
  };
  const decode = await interleave(rounds, {
    raw: withCpu('raw', () => rawPath.tokensPerSecond()),
    app: withCpu('app', () => app.tokensPerSecond()),
  });
  const cpuShare = median(cpu.app.map((value, round) => value / cpu.raw[round]!));
  await rawPath.dispose();
  const jsMicros = perTokenJsMicros(model);
  const raw = median(decode.raw);
  const appRate = median(decode.app);
  const pathRatio = median(decode.app.map((value, round) => value / decode.raw[round]!));
  console.log(`(a) raw node-llama-cpp     ${raw.toFixed(1)} tok/s`);
  console.log(
    `(b) app path               ${appRate.toFixed(1)} tok/s   (${(app.sentBytes() / 1024).toFixed(0)} KB sent to the following window, ${otherWindowEvents} answer events to the other)`,
  );
  console.log(
    `    ratio b/a              ${pathRatio.toFixed(3)}   (median of per-round ratios) target ≥ 0.97: ${verdict(pathRatio >= 0.97)}`,
  );
  console.log(
    `    CPU time per token     raw ${median(cpu.raw).toFixed(0)} µs; the app process (the engine's apart) ${median(cpu.app).toFixed(0)} µs = ${(cpuShare * 100).toFixed(1)}%`,
  );
  console.log(
    `    engine's own JS work   ${jsMicros.toFixed(1)} µs per token = ${((jsMicros / (1e6 / raw)) * 100).toFixed(2)}% of a token's time at (a)'s speed\n`,
  );

  // (c) Turn 6: the same conversation warm (turns 1–5 already evaluated) or cold (nothing reusable).
  const history = conversation(5);
  const turn6: ChatTurn[] = [...history, { role: 'user', content: 'Question 6: and at the bottom?' }];
  const ttft = await interleave(rounds, {
    cold: async () => {
      // A different first token makes the whole prompt new to the context.
      const done = await (
        await engine.generate({
          conversationId: 'cold',
          system: `Run ${Math.random()}`,
          messages: turn6,
          maxTokens: 1,
        })
      ).done;
      return done.stats.timeToFirstTokenMs!;
    },
    warm: async () => {
      // As after turn 5: everything up to the end of its answer is already in the context.
      await (
        await engine.generate({ conversationId: 'warm', messages: history, maxTokens: 1 })
      ).done;
      const done = await (
        await engine.generate({ conversationId: 'warm', messages: turn6, maxTokens: 1 })
      ).done;
      return done.stats.timeToFirstTokenMs!;
    },
  });
  const cold = median(ttft.cold);
  const warm = median(ttft.warm);
  const reuseRatio = median(ttft.warm.map((value, round) => value / ttft.cold[round]!));
  const promptTokens = model.tokenize(renderPhi2Prompt(undefined, turn6)).length;
  console.log(`(c) turn 6 (${promptTokens} prompt tokens), time to first token`);
  console.log(`    without prefix reuse   ${cold.toFixed(0)} ms`);
  console.log(`    with prefix reuse      ${warm.toFixed(0)} ms`);
  console.log(
    `    ratio                  ${reuseRatio.toFixed(3)}   target ≤ 0.3: ${verdict(reuseRatio <= 0.3)}\n`,
  );

  // (d) Threads.
  const [oneThread, twoThreads] = [await rawDecoder(model, 1), await rawDecoder(model, 2)];
  const byThreads = await interleave(3, { one: oneThread.tokensPerSecond, two: twoThreads.tokensPerSecond });
  await oneThread.dispose();
  await twoThreads.dispose();
  const one = median(byThreads.one);
  const two = median(byThreads.two);
  console.log(
    `(d) raw decoding, 1 thread ${one.toFixed(1)} tok/s · 2 threads ${two.toFixed(1)} tok/s · 2/1 = ${(two / one).toFixed(2)}`,
  );
  console.log(`    default here: ${threads} thread${threads > 1 ? 's' : ''}`);

  // (e) Back to conversation A after B used the context: what does A's turn 6 cost?
  const switching = await measureSwitching(model, threads, turn6);
  console.log(`\n(e) back to a conversation after another one, turn 6 time to first token`);
  console.log(`    own sequence (kept)    ${switching.kept.toFixed(0)} ms`);
  console.log(
    `    state file round trip  ${switching.stateFile.toFixed(0)} ms (save ${switching.save.toFixed(0)} + load ${switching.load.toFixed(0)}, ${(switching.stateBytes / 1024 / 1024).toFixed(1)} MB)`,
  );
  console.log(`    evaluated again        ${switching.again.toFixed(0)} ms`);

  // (f) Loading the model: in the engine process (the app's way) or here, each with llama.cpp already up.
  const bench = new EventBus();
  const local = new LocalEngine({
    bus: bench,
    runtime: new LlamaRuntime(bench, 'cpu'),
    log: createLogger('bench', 'warn'),
  });
  await local.load(loadOptions);
  const loads = await interleave(5, {
    child: async () => {
      const started = performance.now();
      await engine.load(loadOptions);
      return performance.now() - started;
    },
    local: async () => {
      const started = performance.now();
      await local.load(loadOptions);
      return performance.now() - started;
    },
  });
  await local.dispose();
  const loadRatio = median(loads.child.map((value, round) => value / loads.local[round]!));
  console.log(
    `\n(f) loading the model      engine process ${median(loads.child).toFixed(0)} ms · in this process ${median(loads.local).toFixed(0)} ms · ratio ${loadRatio.toFixed(2)}`,
  );

  console.log(
    '\n' +
      JSON.stringify({
        rawTokensPerSecond: raw,
        appTokensPerSecond: appRate,
        otherWindowEvents,
        appPathRatio: pathRatio,
        appProcessCpuShare: cpuShare,
        turn6ColdMs: cold,
        turn6WarmMs: warm,
        reuseRatio,
        oneThread: one,
        twoThreads: two,
        switching,
        engineJsMicrosPerToken: jsMicros,
        loadThroughProcessMs: median(loads.child),
        loadInProcessMs: median(loads.local),
        loadRatio,
      }),
  );
  answers.shutdown();
  await engine.dispose();
  store.close();
  await model.dispose();
  await llama.dispose();
}

await main();
