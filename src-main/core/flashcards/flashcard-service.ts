/**
 * Flashcards from notes: made by the model as a structured answer (one note-assistant conversation per
 * generation: "Make flashcards from …" is its question, the cards as Markdown its answer, the cards' ids its
 * state), saved with the lines they were drawn from, edited and deleted by hand, and reviewed on FSRS's
 * schedule. Every change is announced as `flashcards.changed`, and so is the end of a generation (the view
 * that asked may follow other conversations' answers, but always hears this).
 */
import type {
  DeckSummary,
  Flashcard,
  FlashcardsGenerated,
  ReviewCard,
  ReviewGrade,
  ReviewStep,
} from '../../../src-shared/flashcards';
import { flashcardLimits } from '../../../src-shared/flashcards';
import type { Note } from '../../../src-shared/notes';
import type { ChatStarted } from '../../../src-shared/types';
import type { AnswerOutcome, AnswerService } from '../answers/answer-service';
import type { AnswerEnd } from '../answers/streaming-writer';
import type { Engine } from '../engine/engine';
import type { EventBus } from '../event-bus';
import type { StoredFlashcard } from '../store/flashcards';
import type { Store } from '../store/store';
import { cardsMarkdown, type GeneratedCard } from './flashcard-json';
import { flashcardsRequest, type Passage } from './flashcard-prompt';
import { gradeChoices, newSchedule, reviewed, stateOf } from './flashcard-schedule';
import { emptyNotesAnswerState, readNotesAnswerState } from '../notes/answer-state';

/**
 * Once nothing is due, a card due within this long is shown rather than ending the review (Anki's "learn
 * ahead" default), so a card just failed or still being learnt comes back in the same sitting.
 */
export const learnAheadMs = 20 * 60_000;

export interface FlashcardServiceOptions {
  store: Store;
  engine: Engine;
  answers: AnswerService;
  bus: EventBus;
  /** The clock reviews are scheduled and counted by (tests move it). */
  now?: (() => number) | undefined;
}

/** What a generation's end needs to save its cards. */
interface Generation {
  conversationId: number;
  messageId: number;
  note: Note;
  passages: Passage[];
}

export class FlashcardService {
  #store: Store;
  #engine: Engine;
  #answers: AnswerService;
  #bus: EventBus;
  #now: () => number;

  constructor(options: FlashcardServiceOptions) {
    this.#store = options.store;
    this.#engine = options.engine;
    this.#answers = options.answers;
    this.#bus = options.bus;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Asks the model for up to `count` cards from a note. The cards are saved when the answer ends (fewer
   * when the context has room for fewer); an answer that fails its checks ends as an error, saving none.
   */
  async generate(noteId: number, count: number): Promise<ChatStarted> {
    const store = this.#store;
    this.#answers.assertCanStart();
    const note = store.notes.get(noteId);
    // Asked again, the model is sampled anew (by how many cards the note has), so it gives other cards.
    const made = store.flashcards.list({ noteId }).length;
    const { request, json, passages } = await flashcardsRequest(this.#engine, note, count, made);
    const ids = this.#newConversation(note);
    const generation: Generation = { ...ids, note, passages };
    const { queuePosition } = await this.#answers.start<GeneratedCard[]>({
      conversationId: ids.conversationId,
      messageId: ids.messageId,
      request,
      json,
      conclude: (outcome) => this.#conclude(generation, outcome),
    });
    return { ...ids, answerStart: '', queuePosition };
  }

  /** Cards in a deck, or made from a note, or all. */
  list(filter: { deck?: string | undefined; noteId?: number | undefined }): Flashcard[] {
    return this.#store.flashcards.list(filter).map(toFlashcard);
  }

  update(id: number, patch: { front?: string; back?: string; deck?: string }): Flashcard {
    const card = this.#store.flashcards.update(id, trimmed(patch), this.#now());
    this.#changed([id]);
    return toFlashcard(card);
  }

  /** Moves cards to the bin; `restore` brings them back (Undo) until the next start empties it. */
  delete(ids: number[]): { deleted: number } {
    const deleted = this.#store.flashcards.delete(ids, this.#now());
    this.#changed(ids);
    return { deleted };
  }

  restore(ids: number[]): { restored: number } {
    const restored = this.#store.flashcards.restore(ids);
    this.#changed(ids);
    return { restored };
  }

  /** Every deck, with how many cards it holds and how many are due now. */
  decks(): DeckSummary[] {
    return this.#store.flashcards.decks(this.#now());
  }

  /** The card to review next in a deck (or any), with what is left today and when the next is due. */
  next(deck?: string): ReviewStep {
    const now = this.#now();
    const reviewable = now + learnAheadMs;
    const stored = this.#store.flashcards.nextDue(deck ?? null, reviewable);
    return {
      card: stored ? toReviewCard(stored, now) : null,
      leftToday: this.#store.flashcards.countDue(deck ?? null, Math.max(endOfDay(now), reviewable)),
      nextDueAt: this.#store.flashcards.soonestDueAfter(deck ?? null, reviewable),
    };
  }

  /** Grades a review of a card now: FSRS gives its new schedule, returned with the next choices. */
  review(id: number, grade: ReviewGrade): ReviewCard {
    const now = this.#now();
    const card = this.#store.flashcards.get(id);
    const saved = this.#store.flashcards.saveReview(id, reviewed(card.schedule, grade, now), now);
    this.#changed([id]);
    return toReviewCard(saved, now);
  }

  /**
   * The generation's conversation, saved before the model starts: the request as its question, an empty
   * answer being written, and a state the notes views read as a note-assistant conversation's.
   */
  #newConversation(note: Note): { conversationId: number; userMessageId: number; messageId: number } {
    const store = this.#store;
    const title = note.title.trim() || 'Untitled';
    return store.transaction(() => {
      const conversationId = store.conversations.create({
        kind: 'note-assistant',
        title: `Flashcards: ${title}`.slice(0, 80),
      });
      const state = emptyNotesAnswerState(note.id);
      store.conversations.setState(conversationId, state);
      const userMessageId = store.messages.insert({
        conversationId,
        parentId: null,
        role: 'user',
        content: `Make flashcards from "${title}"`,
        status: 'complete',
      });
      const messageId = store.messages.insert({
        conversationId,
        parentId: userMessageId,
        role: 'assistant',
        content: '',
        status: 'streaming',
      });
      store.conversations.touch(conversationId, messageId, { model: this.#modelName() });
      return { conversationId, userMessageId, messageId };
    });
  }

  /** The answer's end: a checked answer's cards are saved and listed; anything else says why none were. */
  #conclude(generation: Generation, outcome: AnswerOutcome<GeneratedCard[]>): AnswerEnd {
    const stats = outcome.stats ?? {};
    if (outcome.status === 'complete' && outcome.value) {
      const cards = this.#newQuestions(generation.note.id, outcome.value);
      const cardIds = this.#save(generation, cards);
      this.#record(generation, cardIds);
      this.#ended(generation, { status: 'complete', cardIds, error: null });
      const content =
        cards.length > 0
          ? cardsMarkdown(cards)
          : 'No new flashcards: every question was one this note already has a card for.';
      return { content, status: 'complete', stats };
    }
    if (outcome.status === 'stopped') {
      this.#ended(generation, { status: 'stopped', cardIds: [], error: null });
      return { content: 'Stopped before any flashcard was made.', status: 'stopped', stats };
    }
    const error = outcome.error ?? 'The model gave no answer.';
    this.#ended(generation, { status: 'error', cardIds: [], error });
    return { content: `No flashcards were made: ${error}`, status: 'error', stats, error };
  }

  /** The cards whose question the note has no card for yet (asked again, a model may repeat itself). */
  #newQuestions(noteId: number, cards: readonly GeneratedCard[]): GeneratedCard[] {
    const asked = new Set(this.#store.flashcards.list({ noteId }).map((card) => questionKey(card.front)));
    return cards.filter((card) => !asked.has(questionKey(card.front)));
  }

  /** Each card with the lines of the passage it cites, in the note's deck, due now for a first review. */
  #save(generation: Generation, cards: readonly GeneratedCard[]): number[] {
    const now = this.#now();
    const deck = deckOf(generation.note);
    return this.#store.flashcards.insert(
      cards.flatMap((card) => {
        const passage = generation.passages[card.source - 1];
        if (!passage) return [];
        return [
          {
            noteId: generation.note.id,
            lineStart: passage.lineStart,
            lineEnd: passage.lineEnd,
            headingPath: passage.headingPath,
            deck,
            front: card.front,
            back: card.back,
            schedule: newSchedule(now),
          },
        ];
      }),
      now,
    );
  }

  /** Keeps the cards' ids with the answer that made them; a conversation deleted meanwhile keeps nothing. */
  #record(generation: Generation, cardIds: number[]): void {
    const { conversationId, messageId } = generation;
    try {
      const current = readNotesAnswerState(this.#store.conversations.get(conversationId).state);
      this.#store.conversations.setState(conversationId, {
        ...current,
        flashcards: [...current.flashcards, { messageId, cardIds }],
      });
    } catch {
      // The cards are saved either way; only the conversation's note of them is lost.
    }
  }

  #ended(generation: Generation, end: Pick<FlashcardsGenerated, 'status' | 'cardIds' | 'error'>): void {
    this.#bus.emit('flashcards.changed', {
      ids: end.cardIds,
      generation: {
        conversationId: generation.conversationId,
        messageId: generation.messageId,
        noteId: generation.note.id,
        ...end,
      },
    });
  }

  #changed(ids: number[]): void {
    this.#bus.emit('flashcards.changed', { ids });
  }

  #modelName(): string | null {
    const file = this.#engine.state.model?.file;
    return file ? (file.name ?? file.path.split(/[\\/]/).pop() ?? null) : null;
  }
}

/** A note's cards go in its folder's deck, or one named after it when it is at the top level. */
export function deckOf(note: Pick<Note, 'folder' | 'title'>): string {
  const name = note.folder || note.title.trim() || 'Untitled';
  return name.slice(0, flashcardLimits.deckChars);
}

/** A question as compared for repeats: case and spacing aside. */
function questionKey(front: string): string {
  return front.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** What a person typed, without the white space around it. */
function trimmed(patch: { front?: string; back?: string; deck?: string }) {
  return {
    ...(patch.front !== undefined ? { front: patch.front.trim() } : {}),
    ...(patch.back !== undefined ? { back: patch.back.trim() } : {}),
    ...(patch.deck !== undefined ? { deck: patch.deck.trim() } : {}),
  };
}

function toFlashcard(card: StoredFlashcard): Flashcard {
  const { noteId, noteTitle, lineStart, lineEnd } = card;
  return {
    id: card.id,
    deck: card.deck,
    front: card.front,
    back: card.back,
    source:
      noteId !== null && noteTitle !== null && lineStart !== null && lineEnd !== null
        ? { noteId, title: noteTitle, headingPath: card.headingPath, lineStart, lineEnd }
        : null,
    state: stateOf(card.schedule),
    dueAt: card.dueAt,
    reps: card.reps,
    createdAt: card.createdAt,
    updatedAt: card.updatedAt,
  };
}

function toReviewCard(card: StoredFlashcard, now: number): ReviewCard {
  return { ...toFlashcard(card), choices: gradeChoices(card.schedule, now) };
}

/** Midnight at the end of `now`'s day, in local time. */
function endOfDay(now: number): number {
  const date = new Date(now);
  date.setHours(24, 0, 0, 0);
  return date.getTime();
}
