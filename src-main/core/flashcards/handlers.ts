import type { Handlers } from '../rpc/rpc-server';
import type { FlashcardService } from './flashcard-service';

type FlashcardMethods = Extract<keyof Handlers, `flashcards.${string}`>;

/** Flashcards over the contract; `flashcards()` throws `unavailable` without the history database. */
export function flashcardHandlers(flashcards: () => FlashcardService): Pick<Handlers, FlashcardMethods> {
  return {
    'flashcards.generate': ({ noteId, count }) => flashcards().generate(noteId, count),
    'flashcards.list': (filter) => flashcards().list(filter),
    'flashcards.update': ({ id, ...patch }) => flashcards().update(id, patch),
    'flashcards.delete': ({ ids }) => flashcards().delete(ids),
    'flashcards.restore': ({ ids }) => flashcards().restore(ids),
    'flashcards.decks': () => flashcards().decks(),
    'flashcards.next': ({ deck }) => flashcards().next(deck),
    'flashcards.review': ({ id, grade }) => flashcards().review(id, grade),
  };
}
