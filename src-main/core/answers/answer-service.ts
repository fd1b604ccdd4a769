/**
 * The one owner of the answers the model writes: chat replies and their continuations, tutor solutions and
 * hints, mistake analyses. A feature saves the question and an empty `streaming` answer row, then says what
 * to ask (prompt, sampling, grammar or JSON schema, stop set) and, when it has more to do with the result,
 * what the row ends as. This service runs it on the engine, saves the text as it streams (StreamingWriter),
 * tells the conversation's followers (`answer.started` / `answer.delta` / `answer.ended`), stops it on
 * request and saves its end. One answer at a time per conversation; the engine's queue orders the rest.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import type {
  AnswerEnded,
  AnswerRef,
  GenerationDone,
  MessageStats,
  RunningAnswer,
} from '../../../src-shared/types';
import type { Engine, GenerateRequest, GenerationHooks, GenerationProgress } from '../engine/engine';
import { generateJson } from '../engine/json-generation';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { StreamingWriter, type AnswerEnd } from './streaming-writer';

export interface AnswerJob<T = unknown> extends AnswerRef {
  /** The text the row already holds: the answer being continued, or the start a prompt template primes. */
  prefix?: string;
  request: Omit<GenerateRequest, 'conversationId'>;
  /** A structured answer: JSON in `schema`, checked by `validate`, written again when it fails (see Engine). */
  json?: { schema: GbnfJsonSchema; validate: (value: unknown) => T } | undefined;
  /**
   * What the row ends as, instead of the text as written (a checked analysis turned into prose); null
   * deletes it. Runs before the end is saved, and may save the feature's own state.
   */
  conclude?: ((outcome: AnswerOutcome<T>) => AnswerEnd | null) | undefined;
  /**
   * The answer is known without asking the model (notes: nothing relevant was found, so it says so rather
   * than invent one): it is written and ended at once, through the same events as any other.
   */
  written?: string | undefined;
}

/**
 * How an answer ended: its text (prefix included) and, for a structured answer, the checked value.
 * `interrupted`: the engine process stopped under it (the text so far is kept, and can be continued).
 */
export interface AnswerOutcome<T> {
  status: AnswerEnded['status'];
  content: string;
  value: T | undefined;
  stats: MessageStats | null;
  error: string | null;
}

interface Running extends AnswerRef {
  prefix: string;
  writer: StreamingWriter;
  controller: AbortController;
  queuePosition: number;
  progress: Omit<GenerationProgress, 'text'>;
  attempts: number;
  /** Resolves once the answer's end is saved. */
  ended: Promise<void>;
  markEnded: () => void;
}

export interface AnswerServiceOptions {
  store: Store;
  engine: Engine;
  bus: EventBus;
  log: Logger;
  /** Observes each save of a streaming answer (the crash tests compare against it). */
  onFlush?: ((messageId: number, length: number) => void) | undefined;
}

export class AnswerService {
  #options: AnswerServiceOptions;
  /** Answers being written, by conversation. */
  #running = new Map<number, Running>();

  constructor(options: AnswerServiceOptions) {
    this.#options = options;
  }

  /** Refuses, before anything is saved, an answer that cannot start now (in this conversation, if given). */
  assertCanStart(conversationId?: number): void {
    if (this.#options.store.restoring)
      throw new AppError('busy', 'The history is being restored from a backup. Try again in a moment.');
    const { process, model } = this.#options.engine.state;
    if (process?.status === 'restarting' || (process?.status === 'starting' && process.lastCrash))
      throw new AppError(
        'engine_restarting',
        'The model stopped unexpectedly and is restarting. Try again in a moment.',
      );
    if (process?.status === 'failed')
      throw new AppError('unavailable', process.failure ?? 'The model is not running.');
    if (!model) throw new AppError('model_not_loaded', 'No model is loaded. Load one in Models.');
    if (conversationId !== undefined && this.#running.has(conversationId))
      throw new AppError('busy', 'An answer is still being written in this conversation. Stop it or wait.');
  }

  isRunning(conversationId: number): boolean {
    return this.#running.has(conversationId);
  }

  /**
   * Starts writing into the job's row; resolves with its place in the queue once the engine has it. A
   * request the engine refuses at once (too long, queue full) ends the row as `error` with the reason, and
   * rejects with it.
   */
  async start<T>(job: AnswerJob<T>): Promise<{ queuePosition: number }> {
    this.assertCanStart(job.conversationId);
    const { store, log } = this.#options;
    const prefix = job.prefix ?? '';
    let markEnded!: () => void;
    const running: Running = {
      conversationId: job.conversationId,
      messageId: job.messageId,
      prefix,
      writer: new StreamingWriter({
        store,
        log,
        messageId: job.messageId,
        content: prefix,
        onFlush: (length) => this.#options.onFlush?.(job.messageId, length),
      }),
      controller: new AbortController(),
      queuePosition: 0,
      progress: { outputTokens: 0, elapsedMs: 0, firstTokenMs: null },
      attempts: 0,
      ended: new Promise<void>((resolve) => (markEnded = resolve)),
      markEnded,
    };
    const request: GenerateRequest = { ...job.request, conversationId: engineKey(job.conversationId) };
    const hooks = {
      onQueued: (position: number) => {
        running.queuePosition = position;
        this.#options.bus.emit('answer.started', { ...ref(running), queuePosition: position });
      },
      onStarted: () => {
        running.attempts += 1;
        if (running.attempts === 1) return;
        running.writer.restart(prefix);
        this.#options.bus.emit('answer.delta', {
          ...ref(running),
          text: prefix,
          restart: true,
          ...running.progress,
        });
      },
      onDelta: ({ text, ...progress }: GenerationProgress) => {
        running.writer.append(text);
        running.progress = progress;
        this.#options.bus.emit('answer.delta', { ...ref(running), text, restart: false, ...progress });
      },
    };
    this.#running.set(job.conversationId, running);
    let outcome: Promise<AnswerOutcome<T>>;
    try {
      outcome =
        job.written !== undefined
          ? this.#write(running, job.written, hooks)
          : job.json
            ? this.#generateJson(running, request, job.json, hooks)
            : (await this.#generateText(running, request, hooks)).outcome;
    } catch (error) {
      // Refused before it started: the question stays, the answer says why.
      this.#end(running, job, {
        status: 'error',
        content: prefix,
        value: undefined,
        stats: null,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    this.#options.bus.emit('conversations.changed', { ids: [job.conversationId] });
    void outcome.then((end) => this.#end(running, job, end));
    return { queuePosition: running.queuePosition };
  }

  /** Stops the answer being written in a conversation or into a message (or drops it from the queue). */
  stop(target: { conversationId: number } | { messageId: number }): boolean {
    const running =
      'conversationId' in target
        ? this.#running.get(target.conversationId)
        : [...this.#running.values()].find((answer) => answer.messageId === target.messageId);
    running?.controller.abort();
    return running !== undefined;
  }

  /** Answers being written, with their text so far; deltas sent after this reply continue them. */
  running(conversationId?: number): RunningAnswer[] {
    return [...this.#running.values()]
      .filter((running) => conversationId === undefined || running.conversationId === conversationId)
      .map((running) => ({
        ...ref(running),
        content: running.writer.content,
        queuePosition: running.queuePosition,
        ...running.progress,
      }));
  }

  /** Stops every answer being written and resolves once each is saved, as `stopped` (before a restore). */
  async settle(): Promise<void> {
    const running = [...this.#running.values()];
    for (const answer of running) answer.controller.abort();
    await Promise.all(running.map((answer) => answer.ended));
  }

  /** On quit (TEST-CATALOG C3): every answer being written is saved as it stands and marked interrupted. */
  shutdown(): void {
    for (const running of this.#running.values()) {
      running.controller.abort();
      this.#save(running, { content: running.writer.content, status: 'interrupted' });
    }
    this.#running.clear();
  }

  async #write<T>(
    running: Running,
    text: string,
    hooks: { onQueued(position: number): void; onDelta(progress: GenerationProgress): void },
  ): Promise<AnswerOutcome<T>> {
    hooks.onQueued(0);
    await Promise.resolve();
    hooks.onDelta({ text, outputTokens: 0, elapsedMs: 0, firstTokenMs: null });
    return { status: 'complete', content: running.prefix + text, value: undefined, stats: null, error: null };
  }

  /** Resolves once the engine has accepted the request, with the answer's end to come. */
  async #generateText(
    running: Running,
    request: GenerateRequest,
    hooks: GenerationHooks,
  ): Promise<{ outcome: Promise<AnswerOutcome<never>> }> {
    const { engine } = this.#options;
    const handle = await engine.generate(request, hooks);
    const stop = () => engine.stop(handle.requestId);
    running.controller.signal.addEventListener('abort', stop);
    if (running.controller.signal.aborted) stop();
    const outcome = handle.done.then((done) => ({
      status: statusOf(done),
      content: running.prefix + done.text,
      value: undefined,
      stats: statsOf(done),
      error: done.error?.message ?? null,
    }));
    return { outcome };
  }

  async #generateJson<T>(
    running: Running,
    request: GenerateRequest,
    json: NonNullable<AnswerJob<T>['json']>,
    hooks: GenerationHooks,
  ): Promise<AnswerOutcome<T>> {
    const ended = (status: AnswerOutcome<T>['status'], value?: T, error?: string) => ({
      status,
      content: running.writer.content,
      value,
      stats: null,
      error: error ?? null,
    });
    try {
      const value = await generateJson<T>(this.#options.engine, request, json.schema, {
        validate: json.validate,
        signal: running.controller.signal,
        hooks,
      });
      return ended('complete', value);
    } catch (error) {
      if (error instanceof AppError && error.code === 'cancelled') return ended('stopped');
      // The engine process stopped under an attempt it had begun: what it wrote so far is kept.
      if (error instanceof AppError && error.code === 'engine_restarting' && running.attempts > 0)
        return ended('interrupted', undefined, error.message);
      this.#options.log.warn(`Answer ${running.messageId}: the structured answer failed`, error);
      return ended('error', undefined, error instanceof Error ? error.message : String(error));
    }
  }

  #end<T>(running: Running, job: AnswerJob<T>, outcome: AnswerOutcome<T>): void {
    // Already ended by shutdown().
    if (this.#running.get(running.conversationId) !== running) return;
    this.#running.delete(running.conversationId);
    const asWritten = { ...outcome, stats: outcome.stats ?? {} };
    let end: AnswerEnd | null = asWritten;
    try {
      end = job.conclude ? job.conclude(outcome) : asWritten;
    } catch (error) {
      this.#options.log.error(`Answer ${running.messageId}: could not conclude it`, error);
    }
    if (end) this.#save(running, end);
    else this.#discard(running);
    running.markEnded();
    this.#options.bus.emit('answer.ended', {
      ...ref(running),
      status: outcome.status,
      stats: outcome.stats,
      error: outcome.error,
    });
    this.#options.bus.emit('conversations.changed', { ids: [running.conversationId] });
  }

  #save(running: Running, end: AnswerEnd): void {
    try {
      running.writer.finish(end);
    } catch (error) {
      // Deleted meanwhile, or the disk is full: nothing more to save.
      this.#options.log.error(`Could not save the end of answer ${running.messageId}`, error);
    }
    running.markEnded();
  }

  /** The feature keeps nothing of this answer: its row goes, and the conversation shows what it answered. */
  #discard(running: Running): void {
    const { store, log } = this.#options;
    running.writer.finish({ content: running.writer.content, status: 'stopped' });
    try {
      store.transaction(() => {
        const parent = store.messages.get(running.messageId).parent_id;
        store.messages.delete(running.messageId);
        if (parent !== null) store.conversations.setLeaf(running.conversationId, parent);
      });
    } catch (error) {
      log.warn(`Could not remove answer ${running.messageId}`, error);
    }
  }
}

/** The engine keeps each conversation's KV cache under this key. */
export function engineKey(conversationId: number): string {
  return `conversation:${conversationId}`;
}

function ref(running: Running): AnswerRef {
  return { conversationId: running.conversationId, messageId: running.messageId };
}

function statusOf(done: GenerationDone): AnswerOutcome<never>['status'] {
  switch (done.stopReason) {
    case 'user_stop':
      return 'stopped';
    case 'error':
      return 'error';
    case 'crashed':
      return 'interrupted';
    default:
      return 'complete';
  }
}

function statsOf(done: GenerationDone): MessageStats {
  return {
    promptTokens: done.stats.promptTokens,
    outputTokens: done.stats.outputTokens,
    timeToFirstTokenMs: done.stats.timeToFirstTokenMs,
    tokensPerSecond: done.stats.tokensPerSecond,
    stopReason: done.stopReason,
  };
}
