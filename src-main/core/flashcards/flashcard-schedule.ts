/**
 * Spaced repetition with FSRS (ts-fsrs): a new card's schedule, what a grade does to it, what each grade
 * would do (for the buttons), and a saved schedule read back through a schema.
 */
import { createEmptyCard, fsrs, State, type Card } from 'ts-fsrs';
import { z } from 'zod';
import {
  gradeLabels,
  reviewGrades,
  type FlashcardState,
  type GradeChoice,
  type ReviewGrade,
} from '../../../src-shared/flashcards';
import { parseJson } from '../store/rows';

/** FSRS's default parameters, without fuzz: a grade always gives the interval its button showed. */
const scheduler = fsrs({ enable_fuzz: false });

export type Schedule = Card;

export function newSchedule(now: number): Schedule {
  return createEmptyCard(new Date(now));
}

/** The schedule after a review graded `grade` at `now`. */
export function reviewed(schedule: Schedule, grade: ReviewGrade, now: number): Schedule {
  return scheduler.next(schedule, new Date(now), grade).card;
}

/** What each grade would schedule if the card were reviewed at `now`, Again to Easy. */
export function gradeChoices(schedule: Schedule, now: number): GradeChoice[] {
  const preview = scheduler.repeat(schedule, new Date(now));
  return reviewGrades.map((grade) => {
    const dueAt = preview[grade].card.due.getTime();
    return { grade, label: gradeLabels[grade], dueAt, intervalMs: dueAt - now };
  });
}

const stateNames: Record<State, FlashcardState> = {
  [State.New]: 'new',
  [State.Learning]: 'learning',
  [State.Review]: 'review',
  [State.Relearning]: 'relearning',
};

export function stateOf(schedule: Schedule): FlashcardState {
  return stateNames[schedule.state];
}

export function scheduleJson(schedule: Schedule): string {
  return JSON.stringify(schedule);
}

const savedDate = z.iso.datetime().transform((text) => new Date(text));
const count = z.int().min(0);
const amount = z.number().min(0);

/** A ts-fsrs Card as JSON.stringify writes it (its dates as ISO strings). */
const scheduleSchema = z.object({
  due: savedDate,
  stability: amount,
  difficulty: amount,
  elapsed_days: amount,
  scheduled_days: amount,
  learning_steps: count,
  reps: count,
  lapses: count,
  state: z.union([
    z.literal(State.New),
    z.literal(State.Learning),
    z.literal(State.Review),
    z.literal(State.Relearning),
  ]),
  last_review: savedDate.optional(),
});

/**
 * A saved schedule read back through the schema. A damaged one reads as a new card due at `dueAt` (the
 * card's due column): its review history is lost, the card and its place in the queue are not.
 */
export function readSchedule(text: string, dueAt: number): Schedule {
  const parsed = scheduleSchema.safeParse(parseJson<unknown>(text, null));
  return parsed.success ? parsed.data : newSchedule(dueAt);
}
