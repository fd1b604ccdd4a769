import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { readSchedule, scheduleJson, type Schedule } from '../flashcards/flashcard-schedule';
import { parseJson } from './rows';
import { write } from './sqlite-errors';

/** A card as a generation saves it: made from lines of a note, with a fresh schedule. */
export interface FlashcardToSave {
  noteId: number;
  lineStart: number;
  lineEnd: number;
  headingPath: string[];
  deck: string;
  front: string;
  back: string;
  schedule: Schedule;
}

export interface StoredFlashcard {
  id: number;
  /** Null once the note was deleted for good. */
  noteId: number | null;
  /** The note's title now; null when it is gone or in the bin. */
  noteTitle: string | null;
  lineStart: number | null;
  lineEnd: number | null;
  headingPath: string[];
  deck: string;
  front: string;
  back: string;
  schedule: Schedule;
  dueAt: number;
  reps: number;
  createdAt: number;
  updatedAt: number;
}

export interface DeckCounts {
  deck: string;
  total: number;
  due: number;
  /** The soonest due time of the cards not due yet. */
  nextDueAt: number | null;
}

interface FlashcardRow {
  id: number;
  note_id: number | null;
  note_title: string | null;
  line_start: number | null;
  line_end: number | null;
  heading_path: string;
  deck: string;
  front: string;
  back: string;
  schedule: string;
  due_at: number;
  reps: number;
  created_at: number;
  updated_at: number;
}

const columns = `f.id, f.note_id, n.title AS note_title, f.line_start, f.line_end, f.heading_path, f.deck, f.front,
  f.back, f.schedule, f.due_at, f.reps, f.created_at, f.updated_at`;
/** The note's title only while it is live: a card of a note in the bin shows no source. */
const withNote = `flashcards f LEFT JOIN notes n ON n.id = f.note_id AND n.deleted_at IS NULL`;
/** A deck filter that is off when the deck is null (every deck). */
const inDeck = `(@deck IS NULL OR f.deck = @deck)`;

/** Flashcards in decks, each with its FSRS schedule; deleted cards wait in a bin until the next start. */
export class Flashcards {
  #db: Database.Database;
  #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      insert: db.prepare(
        `INSERT INTO flashcards (note_id, line_start, line_end, heading_path, deck, front, back, schedule, due_at,
                                 reps, created_at, updated_at)
         VALUES (@noteId, @lineStart, @lineEnd, @headingPath, @deck, @front, @back, @schedule, @dueAt, 0, @now, @now)`,
      ),
      get: db.prepare<[number], FlashcardRow>(
        `SELECT ${columns} FROM ${withNote} WHERE f.id = ? AND f.deleted_at IS NULL`,
      ),
      list: db.prepare<{ deck: string | null; noteId: number | null }, FlashcardRow>(
        `SELECT ${columns} FROM ${withNote}
         WHERE f.deleted_at IS NULL AND ${inDeck} AND (@noteId IS NULL OR f.note_id = @noteId)
         ORDER BY f.deck, f.created_at, f.id`,
      ),
      update: db.prepare(
        `UPDATE flashcards SET front = @front, back = @back, deck = @deck, updated_at = @now
         WHERE id = @id AND deleted_at IS NULL`,
      ),
      saveReview: db.prepare(
        `UPDATE flashcards SET schedule = @schedule, due_at = @dueAt, reps = reps + 1, updated_at = @now
         WHERE id = @id AND deleted_at IS NULL`,
      ),
      binCard: db.prepare(`UPDATE flashcards SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL`),
      unbinCard: db.prepare(
        `UPDATE flashcards SET deleted_at = NULL WHERE id = @id AND deleted_at IS NOT NULL`,
      ),
      purge: db.prepare(`DELETE FROM flashcards WHERE deleted_at IS NOT NULL`),
      decks: db.prepare<
        { now: number },
        { deck: string; total: number; due: number; next_due_at: number | null }
      >(
        `SELECT deck, count(*) AS total, coalesce(sum(due_at <= @now), 0) AS due,
                min(CASE WHEN due_at > @now THEN due_at END) AS next_due_at
         FROM flashcards WHERE deleted_at IS NULL GROUP BY deck ORDER BY deck COLLATE NOCASE`,
      ),
      nextDue: db.prepare<{ deck: string | null; until: number }, FlashcardRow>(
        `SELECT ${columns} FROM ${withNote}
         WHERE f.deleted_at IS NULL AND ${inDeck} AND f.due_at <= @until ORDER BY f.due_at, f.id LIMIT 1`,
      ),
      countDue: db
        .prepare<{ deck: string | null; until: number }, number>(
          `SELECT count(*) FROM flashcards f WHERE f.deleted_at IS NULL AND ${inDeck} AND f.due_at <= @until`,
        )
        .pluck(),
      soonestAfter: db
        .prepare<{ deck: string | null; after: number }, number | null>(
          `SELECT min(f.due_at) FROM flashcards f WHERE f.deleted_at IS NULL AND ${inDeck} AND f.due_at > @after`,
        )
        .pluck(),
    };
  }

  /** Saves cards made together, all or none; returns their ids in order. */
  insert(cards: readonly FlashcardToSave[], now: number): number[] {
    return write(() =>
      this.#db.transaction(() =>
        cards.map((card) =>
          Number(
            this.#statements.insert.run({
              noteId: card.noteId,
              lineStart: card.lineStart,
              lineEnd: card.lineEnd,
              headingPath: JSON.stringify(card.headingPath),
              deck: card.deck,
              front: card.front,
              back: card.back,
              schedule: scheduleJson(card.schedule),
              dueAt: card.schedule.due.getTime(),
              now,
            }).lastInsertRowid,
          ),
        ),
      )(),
    );
  }

  get(id: number): StoredFlashcard {
    const row = this.#statements.get.get(id);
    if (!row) throw new AppError('not_found', `Flashcard ${id} does not exist.`);
    return toStored(row);
  }

  /** Cards in a deck, or made from a note, or all; by deck, then in the order they were made. */
  list(filter: { deck?: string | undefined; noteId?: number | undefined } = {}): StoredFlashcard[] {
    return this.#statements.list
      .all({ deck: filter.deck ?? null, noteId: filter.noteId ?? null })
      .map(toStored);
  }

  /** Changes what `patch` gives; the rest stays. */
  update(id: number, patch: { front?: string; back?: string; deck?: string }, now: number): StoredFlashcard {
    const current = this.get(id);
    write(() =>
      this.#statements.update.run({
        id,
        front: patch.front ?? current.front,
        back: patch.back ?? current.back,
        deck: patch.deck ?? current.deck,
        now,
      }),
    );
    return this.get(id);
  }

  /** Saves a review's new schedule (and counts the review). */
  saveReview(id: number, schedule: Schedule, now: number): StoredFlashcard {
    const changed = write(() =>
      this.#statements.saveReview.run({
        id,
        schedule: scheduleJson(schedule),
        dueAt: schedule.due.getTime(),
        now,
      }),
    ).changes;
    if (changed === 0) throw new AppError('not_found', `Flashcard ${id} does not exist.`);
    return this.get(id);
  }

  /** Moves cards to the bin; returns how many were there to move. */
  delete(ids: readonly number[], now: number): number {
    return this.#each(ids, (id) => this.#statements.binCard.run({ id, now }).changes);
  }

  /** Takes cards back out of the bin (Undo). */
  restore(ids: readonly number[]): number {
    return this.#each(ids, (id) => this.#statements.unbinCard.run({ id }).changes);
  }

  /** Empties the bin (at startup, once no Undo can come). */
  purgeDeleted(): number {
    return write(() => this.#statements.purge.run()).changes;
  }

  /** Every deck with its card counts at `now`, by name. */
  decks(now: number): DeckCounts[] {
    return this.#statements.decks.all({ now }).map((row) => ({
      deck: row.deck,
      total: row.total,
      due: row.due,
      nextDueAt: row.next_due_at,
    }));
  }

  /** The card due soonest, if it is due by `until` (null deck: any deck). */
  nextDue(deck: string | null, until: number): StoredFlashcard | null {
    const row = this.#statements.nextDue.get({ deck, until });
    return row ? toStored(row) : null;
  }

  countDue(deck: string | null, until: number): number {
    return this.#statements.countDue.get({ deck, until }) ?? 0;
  }

  /** The soonest due time after `after`, or null when no card is due later. */
  soonestDueAfter(deck: string | null, after: number): number | null {
    return this.#statements.soonestAfter.get({ deck, after }) ?? null;
  }

  /** Runs `change` on each card in one transaction; returns how many it changed. */
  #each(ids: readonly number[], change: (id: number) => number): number {
    return write(() => this.#db.transaction(() => ids.reduce((changed, id) => changed + change(id), 0))());
  }
}

function toStored(row: FlashcardRow): StoredFlashcard {
  return {
    id: row.id,
    noteId: row.note_id,
    noteTitle: row.note_title,
    lineStart: row.line_start,
    lineEnd: row.line_end,
    headingPath: readHeadingPath(row.heading_path),
    deck: row.deck,
    front: row.front,
    back: row.back,
    schedule: readSchedule(row.schedule, row.due_at),
    dueAt: row.due_at,
    reps: row.reps,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const headingPathSchema = z.array(z.string()).max(20);

function readHeadingPath(text: string): string[] {
  const parsed = headingPathSchema.safeParse(parseJson<unknown>(text, []));
  return parsed.success ? parsed.data : [];
}
