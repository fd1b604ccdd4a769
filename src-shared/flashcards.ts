/** Flashcards made from notes and reviewed with spaced repetition (FSRS), as the contract carries them. */

/** What a person may type into a card or a deck name (the model is held to far less: see flashcard-json). */
export const flashcardLimits = {
  /** Cards one generation may be asked for. */
  perGeneration: 10,
  frontChars: 1000,
  backChars: 4000,
  deckChars: 200,
} as const;

/** FSRS's grades: 1 Again, 2 Hard, 3 Good, 4 Easy (the keys that give them in a review). */
export const reviewGrades = [1, 2, 3, 4] as const;
export type ReviewGrade = (typeof reviewGrades)[number];
export const gradeLabels: Record<ReviewGrade, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

/** Where a card is in its learning (FSRS's states). */
export type FlashcardState = 'new' | 'learning' | 'review' | 'relearning';

/** The lines of the note a card was made from. */
export interface FlashcardSource {
  noteId: number;
  /** The note's title now (it may have been renamed since). */
  title: string;
  /** The headings above the lines when the card was made, outermost first. */
  headingPath: string[];
  /** 1-based, inclusive, in the note's body as it was when the card was made. */
  lineStart: number;
  lineEnd: number;
}

export interface Flashcard {
  id: number;
  deck: string;
  front: string;
  back: string;
  /** Null once the note is deleted (or while it is in the bin): the card stays, without its source. */
  source: FlashcardSource | null;
  state: FlashcardState;
  /** When it is next due for review (ms since the epoch). */
  dueAt: number;
  /** Reviews so far. */
  reps: number;
  createdAt: number;
  updatedAt: number;
}

/** What one grade would do to a card reviewed now: the button shows "Good · 3 days". */
export interface GradeChoice {
  grade: ReviewGrade;
  label: string;
  dueAt: number;
  /** From the moment the choices were worked out to `dueAt`. */
  intervalMs: number;
}

/** A card to review, with what each grade would schedule. */
export interface ReviewCard extends Flashcard {
  choices: GradeChoice[];
}

/** Where a review stands: the card to show next (null: none is due), what is left, when the next is due. */
export interface ReviewStep {
  card: ReviewCard | null;
  /** Cards due before the end of today (local time), the one shown included. */
  leftToday: number;
  /** When the soonest card not reviewable yet is due; null when the deck is empty. */
  nextDueAt: number | null;
}

export interface DeckSummary {
  deck: string;
  total: number;
  /** Cards due now. */
  due: number;
  nextDueAt: number | null;
}

/** How one generation ended, for the view that asked for it. */
export interface FlashcardsGenerated {
  conversationId: number;
  messageId: number;
  noteId: number;
  status: 'complete' | 'stopped' | 'error';
  /** The cards it saved (none unless complete). */
  cardIds: number[];
  error: string | null;
}

/** Cards were made, edited, deleted, restored or reviewed; `generation` when a generation ended. */
export interface FlashcardsChanged {
  ids: number[];
  generation?: FlashcardsGenerated;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** A review interval in a few characters: "1 min", "6 h", "3 days", "2 mo", "1.5 yr". */
export function formatInterval(ms: number): string {
  // Each unit is rounded before the next is chosen: 23 h 59 min is "1 day", not "24 h".
  const minutes = Math.max(1, Math.round(ms / minute));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(ms / hour);
  if (hours < 24) return `${hours} h`;
  const days = Math.round(ms / day);
  if (days < 30) return days === 1 ? '1 day' : `${days} days`;
  const months = Math.round(days / 30);
  if (months < 12) return `${months} mo`;
  return `${Number((days / 365).toFixed(1))} yr`;
}

/** "From Waves › Doppler, lines 12–18": where a card was made from. */
export function sourceLabel(source: FlashcardSource): string {
  const title = source.title || 'Untitled';
  // A note often starts with its title as a heading: it is said once.
  const headings = source.headingPath[0] === title ? source.headingPath.slice(1) : source.headingPath;
  const place = [title, ...headings].join(' › ');
  const lines =
    source.lineStart === source.lineEnd
      ? `line ${source.lineStart}`
      : `lines ${source.lineStart}–${source.lineEnd}`;
  return `From ${place}, ${lines}`;
}
