import type { DeckSummary, Flashcard } from '../../../src-shared/flashcards';
import type { RpcClient } from '../../../src-shared/rpc-client';
import type { FollowerServices } from '../../lib/state/answer-follower.svelte';
import { errorText } from '../../lib/state/error-text';
import { FlashcardGeneration } from './generation.svelte';

/** Which cards the card list shows: a deck's, or those made from the panel's note. */
export type CardFilter = { deck: string } | { noteId: number };

export type CardPatch = { front?: string; back?: string; deck?: string };

/**
 * The flashcards panel: the decks with their due counts, the card list open (a deck's or the note's), the
 * card deleted last (for Undo) and the generation asked for here. Everything is read again whenever the
 * backend says cards changed, in this window or another.
 */
export class FlashcardsState {
  decks = $state<DeckSummary[]>([]);
  loaded = $state(false);
  /** Why the decks could not be read, in words. */
  error = $state<string | null>(null);
  filter = $state<CardFilter | null>(null);
  cards = $state<Flashcard[]>([]);
  /** How many cards were made from the panel's note. */
  noteCards = $state(0);
  /** The card deleted last, until it is restored or another goes. */
  deleted = $state<Flashcard | null>(null);
  readonly generation: FlashcardGeneration;
  /** The panel is shown in the Notes view (beside the note, or in its place in a narrow window). */
  shown = $state(false);

  #api: RpcClient;
  #noteId: number | undefined;
  /** A refresh asked for while one runs: it runs again once, after. */
  #refreshing: Promise<void> | null = null;
  #again = false;

  constructor(services: FollowerServices) {
    const { api } = services;
    this.#api = api;
    this.generation = new FlashcardGeneration(services, () => void this.refresh());
    api.on('flashcards.changed', () => void this.refresh());
    api.onStatus((status) => {
      if (status === 'open') void this.refresh();
    });
  }

  get noteId(): number | undefined {
    return this.#noteId;
  }

  /** The note the panel is shown with (undefined: none); its card count is read again. */
  setNote(noteId: number | undefined): void {
    if (noteId === this.#noteId) return;
    this.#noteId = noteId;
    if (this.filter && 'noteId' in this.filter) this.filter = noteId === undefined ? null : { noteId };
    void this.refresh();
  }

  /** Reads the decks, the open list and the note's count again (coalescing calls made meanwhile). */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = this.#read().finally(() => {
      this.#refreshing = null;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      }
    });
    return this.#refreshing;
  }

  async show(filter: CardFilter | null): Promise<void> {
    this.filter = filter;
    this.cards = [];
    await this.refresh();
  }

  /** Saves an edit; returns why it failed, in words, or null. */
  async save(id: number, patch: CardPatch): Promise<string | null> {
    try {
      const saved = await this.#api.call('flashcards.update', { id, ...patch });
      this.cards = this.cards.map((card) => (card.id === id ? saved : card));
      return null;
    } catch (error) {
      return errorText(error);
    }
  }

  async remove(card: Flashcard): Promise<void> {
    try {
      await this.#api.call('flashcards.delete', { ids: [card.id] });
      this.deleted = card;
      this.cards = this.cards.filter((shown) => shown.id !== card.id);
    } catch (error) {
      this.error = errorText(error, 'delete');
    }
  }

  async undo(): Promise<void> {
    const card = this.deleted;
    if (!card) return;
    this.deleted = null;
    try {
      await this.#api.call('flashcards.restore', { ids: [card.id] });
    } catch (error) {
      this.error = errorText(error, 'restore');
    }
  }

  async #read(): Promise<void> {
    const filter = this.filter;
    const noteId = this.#noteId;
    try {
      const [decks, cards, noteCards] = await Promise.all([
        this.#api.call('flashcards.decks', {}),
        filter ? this.#api.call('flashcards.list', filter) : Promise.resolve(null),
        noteId === undefined ? Promise.resolve(null) : this.#api.call('flashcards.list', { noteId }),
      ]);
      this.decks = decks;
      // Only what is still asked for is shown: the list or note may have changed meanwhile.
      if (cards && filter === this.filter) this.cards = cards;
      if (noteId === this.#noteId) this.noteCards = noteCards?.length ?? 0;
      this.error = null;
    } catch (error) {
      this.error = `Could not read the flashcards: ${errorText(error)}`;
    } finally {
      this.loaded = true;
    }
  }
}
