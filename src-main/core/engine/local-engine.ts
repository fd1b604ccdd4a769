/**
 * The engine on node-llama-cpp in this process (see engine.ts; the app runs it in the engine process).
 * Requests queue, run one at a time on the conversation's own context sequence, report their place in the
 * queue and their text to the caller's hooks, and end with a stop reason and stats. It announces only its
 * own state; answers are the answer service's to announce.
 */
import { randomUUID } from 'node:crypto';
import {
  isLlamaText,
  LlamaGrammarEvaluationState,
  LlamaVocabularyType,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import { defaultMaxTokens, defaultSampling, samplingSchema } from '../../../src-shared/settings';
import type {
  ContextUsage,
  EngineState,
  GenerationDone,
  LoadedModel,
  LoadModelOptions,
  StopReason,
} from '../../../src-shared/types';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';
import { AnswerStream } from './answer-stream';
import { fitToContext } from './context-window';
import { DeltaBuffer } from './delta-buffer';
import type { Engine, GenerateRequest, GenerationHandle, GenerationHooks } from './engine';
import { GenerationQueue } from './generation-queue';
import type { LlamaRuntime } from './llama-runtime';
import { ModelHost, type LoadedSession } from './model-host';
import { phi2StopTriggers } from './phi2-format';
import { promptTokens, textPieces } from './prompt-tokens';
import { SessionPool, type Session } from './session-pool';
import { TokenCountCache } from './token-count-cache';

/** Prompt tokens evaluated between checks for Stop, bounding stop latency while a long prompt is read. */
const prefillChunkTokens = 64;
const deltaIntervalMs = 33;
/** Recent tokens the repeat penalty looks at. */
const repeatPenaltyWindow = 64;
const scratchSession = '\u0000scratch';

export class LocalEngine implements Engine {
  #bus: EventBus;
  #log: Logger;
  #host: ModelHost;
  #queue: GenerationQueue;
  #sessions: SessionPool | null = null;
  /** Requests accepted and not yet ended: how to stop each, whom to tell, and the place last told. */
  #requests = new Map<string, { controller: AbortController; hooks: GenerationHooks; position: number }>();
  /** Grammars made for requests (JSON schemas, GBNF), by their source; they go with the model. */
  #grammars = new Map<string, Promise<LlamaGrammar>>();
  /** Block token counts per loaded model (another model, another tokenizer); they go with the model. */
  #tokenCounts = new WeakMap<LlamaModel, TokenCountCache>();

  constructor(options: { bus: EventBus; runtime: LlamaRuntime; log: Logger; maxQueued?: number }) {
    this.#bus = options.bus;
    this.#log = options.log;
    this.#host = new ModelHost(options.runtime, () => this.#announce());
    this.#queue = new GenerationQueue(options.maxQueued ?? limits.queuedGenerations, () => {
      this.#tellPositions();
      this.#announce();
    });
  }

  get state(): EngineState {
    return {
      model: this.#host.loaded?.info ?? null,
      loading: this.#host.loading,
      running: this.#queue.running,
      queued: this.#queue.waiting,
      process: null,
    };
  }

  countTokens(texts: readonly string[]): Promise<number[]> {
    const { model } = this.#requireModel();
    return Promise.resolve(texts.map((text) => model.tokenize(text).length));
  }

  async load(options: LoadModelOptions): Promise<LoadedModel> {
    const session = await this.#host.load(options, async () => {
      // The new file is good: whatever runs or waits for the old model stops now.
      this.#stopEverything();
      await this.#queue.idle();
      this.#sessions = null;
      this.#grammars.clear();
    });
    this.#sessions = new SessionPool(session.sequences);
    this.#announce();
    this.#log.info(
      `Loaded ${session.info.file.path} (${session.info.backend}, ${session.info.contextSize} tokens)`,
    );
    return session.info;
  }

  cancelLoad(): boolean {
    return this.#host.cancelLoad();
  }

  async unload(): Promise<boolean> {
    this.#stopEverything();
    await this.#queue.idle();
    this.#sessions = null;
    this.#grammars.clear();
    return this.#host.unload();
  }

  async generate(request: GenerateRequest, hooks: GenerationHooks = {}): Promise<GenerationHandle> {
    if (this.#host.loading) throw new AppError('busy', 'A model is loading; ask again once it is ready.');
    checkGenerationLimits(request);
    this.#assertCanFit(request);
    // Awaited only when there is one: plain requests keep the order they were asked in.
    const grammar = request.json || request.gbnf ? await this.#grammarFor(request) : null;
    const requestId = randomUUID();
    const controller = new AbortController();
    let resolveDone!: (done: GenerationDone) => void;
    const done = new Promise<GenerationDone>((resolve) => (resolveDone = resolve));
    const finish = (result: GenerationDone) => {
      this.#requests.delete(requestId);
      resolveDone(result);
    };
    this.#requests.set(requestId, { controller, hooks, position: -1 });
    let queuePosition;
    try {
      queuePosition = this.#queue.enqueue({
        id: requestId,
        run: async () => finish(await this.#run(requestId, request, grammar, hooks, controller.signal)),
        cancelled: () => finish(emptyResult(requestId, 'user_stop')),
      });
    } catch (error) {
      this.#requests.delete(requestId);
      throw error;
    }
    return { requestId, queuePosition, done };
  }

  /**
   * How a request would fit the context if sent now: prompt size after older turns are left out (from
   * `keptFrom`, by default where the conversation's sequence last cut), and whether the last message alone
   * is too long. Null without a model.
   */
  measure(request: GenerateRequest, keptFrom?: number): Promise<ContextUsage | null> {
    return Promise.resolve(this.#measure(request, keptFrom));
  }

  #measure(
    request: GenerateRequest,
    keptFrom = request.conversationId === undefined
      ? 0
      : (this.#sessions?.peek(request.conversationId)?.keptFrom ?? 0),
  ): ContextUsage | null {
    const loaded = this.#host.loaded;
    if (!loaded) return null;
    const contextSize = loaded.context.contextSize;
    const answerTokens = request.maxTokens ?? defaultMaxTokens;
    try {
      const fitted = fitToContext({
        system: request.system,
        turns: request.messages,
        maxTokens: answerTokens,
        contextSize,
        keptFrom,
        tokens: this.#tokenCounter(loaded.model),
      });
      return {
        promptTokens: fitted.promptTokens,
        answerTokens: fitted.maxTokens,
        contextSize,
        droppedTurns: fitted.keptFrom,
        tooLong: false,
      };
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'too_long') throw error;
      const { promptTokens } = error.details as { promptTokens: number };
      return { promptTokens, answerTokens: 0, contextSize, droppedTurns: 0, tooLong: true };
    }
  }

  /** Stops a running answer (keeping its text) or drops a waiting one. False if it is neither. */
  stop(requestId: string): boolean {
    if (this.#queue.cancel(requestId)) return true;
    const accepted = this.#requests.get(requestId);
    if (!accepted || this.#queue.running !== requestId) return false;
    accepted.controller.abort();
    return true;
  }

  async dispose(): Promise<void> {
    await this.unload();
  }

  #stopEverything(): void {
    this.#queue.cancelAll();
    for (const { controller } of this.#requests.values()) controller.abort();
  }

  /** Refuses at once (before queueing) a request whose last message alone cannot fit (TEST-CATALOG I1). */
  #assertCanFit(request: GenerateRequest): void {
    const { model, context } = this.#requireModel();
    fitToContext({
      system: request.system,
      turns: request.messages.slice(-1),
      maxTokens: request.maxTokens ?? defaultMaxTokens,
      contextSize: context.contextSize,
      keptFrom: 0,
      tokens: this.#tokenCounter(model),
    });
  }

  /** The grammar a request asks for, made once per source while the model stays. */
  #grammarFor(request: GenerateRequest): Promise<LlamaGrammar> {
    const source = request.json ? `json:${JSON.stringify(request.json)}` : `gbnf:${request.gbnf}`;
    const { llama } = this.#requireModel();
    let grammar = this.#grammars.get(source);
    if (!grammar) {
      grammar = request.json
        ? llama.createGrammarForJsonSchema(request.json as never)
        : llama.createGrammar({ grammar: request.gbnf! });
      // A grammar that does not compile is refused now and not kept.
      grammar.catch(() => this.#grammars.delete(source));
      this.#grammars.set(source, grammar);
    }
    return grammar.catch((error: unknown) => {
      throw new AppError('invalid_input', `The grammar is not valid: ${(error as Error).message}`);
    });
  }

  #tokenCounter(model: LlamaModel): TokenCountCache {
    let counter = this.#tokenCounts.get(model);
    if (!counter) {
      counter = new TokenCountCache((text) => model.tokenize(text).length);
      this.#tokenCounts.set(model, counter);
    }
    return counter;
  }

  #requireModel(): LoadedSession {
    const loaded = this.#host.loaded;
    if (!loaded || !this.#sessions)
      throw new AppError('model_not_loaded', 'No model is loaded. Load one in Models.');
    return loaded;
  }

  #announce(): void {
    this.#bus.emit('engine.state', this.state);
  }

  /** Tells each accepted request its place in the queue when it has changed. */
  #tellPositions(): void {
    for (const [id, accepted] of this.#requests) {
      const position = this.#queue.position(id);
      if (position === null || position === accepted.position) continue;
      accepted.position = position;
      accepted.hooks.onQueued?.(position);
    }
  }

  async #run(
    requestId: string,
    request: GenerateRequest,
    grammar: LlamaGrammar | null,
    hooks: GenerationHooks,
    signal: AbortSignal,
  ): Promise<GenerationDone> {
    const startedAt = performance.now();
    const stats = { promptTokens: 0, reusedTokens: 0, contextSize: 0, droppedTurns: 0 };
    let outputTokens = 0;
    let firstTokenAt: number | null = null;
    const deltas = new DeltaBuffer(deltaIntervalMs, (text) =>
      hooks.onDelta?.({
        text,
        outputTokens,
        elapsedMs: Math.round(performance.now() - startedAt),
        firstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - startedAt),
      }),
    );
    let answer: AnswerStream | null = null;
    let sequence: LlamaContextSequence | null = null;
    let session: Session | null = null;

    const result = (stopReason: StopReason, error?: AppError): GenerationDone => {
      if (answer) deltas.push(answer.finish());
      deltas.flush();
      const endedAt = performance.now();
      const decodeSeconds = firstTokenAt === null ? 0 : (endedAt - firstTokenAt) / 1000;
      return {
        requestId,
        text: answer?.text.trimEnd() ?? '',
        stopReason,
        stats: {
          ...stats,
          outputTokens,
          timeToFirstTokenMs: firstTokenAt === null ? null : Math.round(firstTokenAt - startedAt),
          // The first token's time is the prompt's; the rate is over the tokens after it.
          tokensPerSecond: outputTokens > 1 && decodeSeconds > 0 ? (outputTokens - 1) / decodeSeconds : null,
          durationMs: Math.round(endedAt - startedAt),
          contextUsed: sequence?.nextTokenIndex ?? 0,
        },
        ...(error ? { error: error.toWire() } : {}),
      };
    };

    try {
      const { model } = this.#requireModel();
      session = this.#sessions!.acquire(request.conversationId ?? scratchSession);
      sequence = session.sequence;
      const fitted = fitToContext({
        system: request.system,
        turns: request.messages,
        maxTokens: request.maxTokens ?? defaultMaxTokens,
        contextSize: sequence.contextSize,
        keptFrom: session.keptFrom,
        tokens: this.#tokenCounter(model),
      });
      session.keptFrom = fitted.keptFrom;
      const tokens = promptTokens(session.evaluated, fitted.prompt, (text) => model.tokenize(text));
      const maxTokens = Math.min(fitted.maxTokens, sequence.contextSize - tokens.length);
      if (maxTokens < 1) throw new AppError('too_long', `Too long for the model: ${tokens.length} tokens.`);
      Object.assign(stats, {
        promptTokens: tokens.length,
        // The last prompt token is always evaluated again, to sample from it.
        reusedTokens: Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1),
        contextSize: sequence.contextSize,
        droppedTurns: fitted.keptFrom,
      });
      hooks.onStarted?.({ requestId, ...stats });

      await prefill(sequence, tokens.slice(0, -1), signal, hooks);
      if (signal.aborted) return result('user_stop');

      const continuing = request.messages.at(-1)?.role === 'assistant';
      // Byte-level BPE (Phi-2) decodes each token alone; SentencePiece needs the tokens before it.
      const needsContext = model.vocabularyType === LlamaVocabularyType.spm;
      answer = new AnswerStream(
        (pending, lastTokens) => model.detokenize(pending, false, needsContext ? lastTokens : undefined),
        stopTriggersFor(request, grammar),
        !continuing,
      );
      const generated: Token[] = [];
      const sampling = { ...defaultSampling, ...request.sampling };
      const evaluation = sequence.evaluate(tokens.slice(-1), {
        temperature: sampling.temperature,
        topP: sampling.topP,
        topK: sampling.topK,
        minP: sampling.minP,
        seed: sampling.seed ?? Math.floor(Math.random() * 2 ** 31),
        ...(sampling.repeatPenalty > 1
          ? {
              repeatPenalty: {
                punishTokens: () => generated.slice(-repeatPenaltyWindow),
                maxPunishTokens: repeatPenaltyWindow,
                penalty: sampling.repeatPenalty,
              },
            }
          : {}),
        ...(grammar ? { grammarEvaluationState: new LlamaGrammarEvaluationState({ model, grammar }) } : {}),
      });

      // The evaluation ends by itself only on an end-of-generation token.
      let stopReason: StopReason = 'end_token';
      for await (const token of evaluation) {
        firstTokenAt ??= performance.now();
        outputTokens += 1;
        generated.push(token);
        deltas.push(answer.push(token));
        if (answer.stopped) {
          stopReason = 'stop_trigger';
          break;
        }
        if (signal.aborted) {
          stopReason = 'user_stop';
          break;
        }
        if (outputTokens >= maxTokens) {
          stopReason = 'max_tokens';
          break;
        }
      }
      return result(stopReason);
    } catch (error) {
      if (signal.aborted) return result('user_stop');
      const appError =
        error instanceof AppError
          ? error
          : new AppError('internal', `Generation failed: ${(error as Error).message}`);
      if (!(error instanceof AppError)) this.#log.error('Generation failed', error);
      return result('error', appError);
    } finally {
      // Remember what the sequence now holds, so the next turn reuses it token for token.
      if (session && sequence && !sequence.disposed) {
        const { model } = this.#requireModel();
        const contextTokens = sequence.contextTokens;
        session.evaluated = {
          tokens: contextTokens,
          pieces: textPieces(contextTokens, (tokens) => model.detokenize(tokens)),
        };
      }
    }
  }
}

const samplingLimits = samplingSchema.partial();
const maxTokensLimit = z.int().min(1).max(limits.maxTokens).optional();

/**
 * The engine's own boundary: whatever its caller (saved settings, an imported file, the API), sampling
 * values that are not finite numbers in range never reach llama.cpp, whose sampler throws outside any
 * promise the engine can catch (TEST-CATALOG I13).
 */
function checkGenerationLimits(request: GenerateRequest): void {
  const checks = [
    { name: 'sampling', result: samplingLimits.safeParse(request.sampling ?? {}) },
    { name: 'maxTokens', result: maxTokensLimit.safeParse(request.maxTokens) },
  ];
  for (const { name, result } of checks) {
    const issue = result.error?.issues[0];
    if (!result.success)
      throw new AppError(
        'invalid_input',
        `Invalid ${[name, ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'out of range'}. Check the settings.`,
      );
  }
}

/** Phi-2's stop triggers for chat; a grammar brings its own end (plus any triggers it declares). */
function stopTriggersFor(request: GenerateRequest, grammar: LlamaGrammar | null): readonly string[] {
  if (request.stopTriggers) return request.stopTriggers;
  if (!grammar) return phi2StopTriggers;
  return grammar.stopGenerationTriggers.flatMap((trigger) =>
    typeof trigger === 'string' ? [trigger] : isLlamaText(trigger) ? [trigger.toString()] : [],
  );
}

/** Evaluates the prompt in small chunks, checking for Stop and telling how far it got between them. */
async function prefill(
  sequence: LlamaContextSequence,
  tokens: Token[],
  signal: AbortSignal,
  hooks: GenerationHooks,
): Promise<void> {
  await sequence.adaptStateToTokens(tokens, false);
  for (
    let next = sequence.nextTokenIndex;
    next < tokens.length && !signal.aborted;
    next = sequence.nextTokenIndex
  ) {
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(next, next + prefillChunkTokens));
    hooks.onReading?.({ evaluated: sequence.nextTokenIndex, total: tokens.length + 1 });
  }
}

function emptyResult(requestId: string, stopReason: StopReason): GenerationDone {
  return {
    requestId,
    text: '',
    stopReason,
    stats: {
      promptTokens: 0,
      reusedTokens: 0,
      outputTokens: 0,
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
      durationMs: 0,
      contextUsed: 0,
      contextSize: 0,
      droppedTurns: 0,
    },
  };
}
