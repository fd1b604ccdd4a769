import type { ConversationDetail } from '../../../src-shared/types';
import { AnswerFollower, type FollowerServices } from '../../lib/state/answer-follower.svelte';
import { errorText } from '../../lib/state/error-text';
import { readFlashcardsAnswer } from './saved-answer';

/** Where a request for flashcards stands, as the panel shows it. */
export type GenerationStatus =
  | { state: 'idle' }
  | { state: 'starting'; noteId: number }
  | {
      state: 'running';
      noteId: number;
      /** Answers ahead of it in the engine's queue (0: the model is on it). */
      queuePosition: number;
      outputTokens: number;
    }
  | { state: 'done'; noteId: number; made: number }
  | { state: 'stopped'; noteId: number }
  | { state: 'failed'; noteId: number; error: string };

/**
 * One request for flashcards from a note, followed to its end with the app's AnswerFollower (like every
 * answer a view shows): its place in the queue and tokens while it is written, then how it ended, read from
 * the saved conversation — also after a reload or a reconnect.
 */
export class FlashcardGeneration {
  #requested = $state<{ noteId: number; messageId: number | null } | null>(null);
  #outcome = $state<GenerationStatus>({ state: 'idle' });
  #answer: AnswerFollower<ConversationDetail>;
  #api: FollowerServices['api'];
  #ended: () => void;

  /** `ended` runs once a generation ends, however it ended (the lists then read the cards again). */
  constructor(services: FollowerServices, ended: () => void) {
    this.#ended = ended;
    this.#api = services.api;
    this.#answer = new AnswerFollower(services, {
      read: (id) => services.api.call('conversations.get', { id }),
      show: (detail) => this.#read(detail),
    });
  }

  get status(): GenerationStatus {
    const requested = this.#requested;
    if (!requested) return this.#outcome;
    const live = this.#answer.live;
    if (requested.messageId === null || !live) return { state: 'starting', noteId: requested.noteId };
    return {
      state: 'running',
      noteId: requested.noteId,
      queuePosition: live.queuePosition,
      outputTokens: live.outputTokens,
    };
  }

  get busy(): boolean {
    return this.#requested !== null;
  }

  async start(noteId: number, count: number): Promise<void> {
    if (this.busy) return;
    this.#requested = { noteId, messageId: null };
    try {
      const started = await this.#api.call('flashcards.generate', { noteId, count });
      this.#requested = { noteId, messageId: started.messageId };
      this.#answer.take(started);
    } catch (error) {
      this.#requested = null;
      this.#outcome = { state: 'failed', noteId, error: errorText(error) };
    }
  }

  stop(): Promise<void> {
    return this.#answer.stop();
  }

  /** Forgets a finished generation's message. */
  dismiss(): void {
    if (!this.busy) this.#outcome = { state: 'idle' };
  }

  /** The conversation as saved: once the awaited answer is no longer being written, it has ended. */
  #read(detail: ConversationDetail | null): void {
    const requested = this.#requested;
    if (!detail || !requested || requested.messageId === null) return;
    const ended = readFlashcardsAnswer(detail, requested.noteId, requested.messageId);
    if (!ended) return;
    const { noteId } = requested;
    this.#requested = null;
    this.#outcome =
      ended.status === 'complete'
        ? { state: 'done', noteId, made: ended.cardIds.length }
        : ended.status === 'stopped'
          ? { state: 'stopped', noteId }
          : { state: 'failed', noteId, error: ended.error ?? 'The model gave no answer.' };
    this.#ended();
  }
}
