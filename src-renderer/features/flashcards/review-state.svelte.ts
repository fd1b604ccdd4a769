import type { ReviewGrade, ReviewStep } from '../../../src-shared/flashcards';
import type { RpcClient } from '../../../src-shared/rpc-client';
import { errorText } from '../../lib/state/error-text';

/** One review sitting over a deck (or every deck): the card shown, whether its back is shown, and grading. */
export class ReviewState {
  step = $state<ReviewStep | null>(null);
  flipped = $state(false);
  /** A grade is being saved: keys and buttons wait for it. */
  grading = $state(false);
  reviewed = $state(0);
  error = $state<string | null>(null);
  readonly deck: string | undefined;

  #api: RpcClient;

  constructor(api: RpcClient, deck: string | undefined) {
    this.#api = api;
    this.deck = deck;
  }

  get card() {
    return this.step?.card ?? null;
  }

  /** Reads the next card to review (its front shown first). */
  async load(): Promise<void> {
    try {
      this.step = await this.#api.call('flashcards.next', this.deck === undefined ? {} : { deck: this.deck });
      this.flipped = false;
      this.error = null;
    } catch (error) {
      this.error = `Could not read the next card: ${errorText(error)}`;
    }
  }

  flip(): void {
    if (this.card) this.flipped = true;
  }

  /** Grades the card shown (its back must be showing), then moves on to the next. */
  async grade(grade: ReviewGrade): Promise<void> {
    const card = this.card;
    if (!card || !this.flipped || this.grading) return;
    this.grading = true;
    try {
      await this.#api.call('flashcards.review', { id: card.id, grade });
      this.reviewed += 1;
      await this.load();
    } catch (error) {
      this.error = `Could not save the grade: ${errorText(error)}`;
    } finally {
      this.grading = false;
    }
  }
}
