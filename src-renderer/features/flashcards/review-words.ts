/** The words the flashcard views show for counts, intervals and a generation's progress. */
import { formatInterval, type DeckSummary, type GradeChoice } from '../../../src-shared/flashcards';
import type { GenerationStatus } from './generation.svelte';

const cards = (count: number) => (count === 1 ? '1 card' : `${count} cards`);

/** "3 left today". */
export function leftText(left: number): string {
  return left === 0 ? 'Nothing left today' : `${left} left today`;
}

/** What the review says once no card is due: when the next one is, or that the deck is empty. */
export function caughtUpText(nextDueAt: number | null, now: number): string {
  if (nextDueAt === null) return 'No cards to review yet.';
  return `All caught up — next card due in ${formatInterval(Math.max(0, nextDueAt - now))}`;
}

/** "Good · 3 days". */
export function gradeText(choice: GradeChoice): string {
  return `${choice.label} · ${formatInterval(choice.intervalMs)}`;
}

/** "12 cards · 3 due". */
export function deckCountText(deck: Pick<DeckSummary, 'total' | 'due'>): string {
  return `${cards(deck.total)} · ${deck.due === 0 ? 'none due' : `${deck.due} due`}`;
}

/** A generation's progress or end in words, or null when there is nothing to say. */
export function generationText(status: GenerationStatus): string | null {
  switch (status.state) {
    case 'idle':
      return null;
    case 'starting':
      return 'Asking the model for flashcards…';
    case 'running':
      if (status.queuePosition > 0)
        return `Waiting for the model: ${status.queuePosition} ${status.queuePosition === 1 ? 'answer' : 'answers'} ahead…`;
      return status.outputTokens > 0
        ? `Writing flashcards… ${status.outputTokens} tokens so far`
        : 'Writing flashcards…';
    case 'done':
      if (status.made === 0) return 'No new flashcards: the model only repeated questions this note has.';
      return status.made === 1 ? 'Made 1 flashcard.' : `Made ${status.made} flashcards.`;
    case 'stopped':
      return 'Stopped: no flashcards were made.';
    case 'failed':
      return `Could not make flashcards: ${status.error}`;
  }
}
