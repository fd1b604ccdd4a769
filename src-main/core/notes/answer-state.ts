/**
 * A note-assistant conversation's state (its answers' sources, the cards its flashcards answers made),
 * read back through one schema by the notes answers, the flashcards and an imported export alike.
 */
import { z } from 'zod';
import type { NotesAnswerState } from '../../../src-shared/notes';

const id = z.int().positive().max(Number.MAX_SAFE_INTEGER);
const line = z.int().positive();

const citation = z.strictObject({
  number: z.int().min(1).max(100),
  chunkId: id,
  noteId: id,
  title: z.string().max(1000),
  headingPath: z.array(z.string().max(1000)).max(20),
  lineStart: line,
  lineEnd: line,
  pageStart: line.nullable(),
  pageEnd: line.nullable(),
  text: z.string().max(20_000),
});

export const notesAnswerStateSchema = z.strictObject({
  noteId: id.nullable(),
  answers: z
    .array(
      z.strictObject({
        messageId: id,
        kind: z.enum(['ask', 'summary']),
        sources: z.array(citation).max(100),
        retrieval: z.enum(['hybrid', 'keyword']),
        notFound: z.boolean(),
      }),
    )
    .max(100_000),
  flashcards: z
    .array(z.strictObject({ messageId: id, cardIds: z.array(id).max(100) }))
    .max(100_000)
    .default([]),
});

export const emptyNotesAnswerState = (noteId: number | null): NotesAnswerState => ({
  noteId,
  answers: [],
  flashcards: [],
});

/** The state as saved, or (damaged, or of another kind) an empty one. */
export function readNotesAnswerState(state: unknown): NotesAnswerState {
  const parsed = notesAnswerStateSchema.safeParse(state);
  return parsed.success ? parsed.data : emptyNotesAnswerState(null);
}

/** The same state with its message ids as they are now (after an import renumbered them). */
export function renumberNotesAnswerState(
  state: NotesAnswerState,
  renumbered: Map<number, number>,
): NotesAnswerState {
  return {
    ...state,
    answers: state.answers.map((answer) => ({ ...answer, messageId: renumbered.get(answer.messageId)! })),
    flashcards: state.flashcards.map((made) => ({ ...made, messageId: renumbered.get(made.messageId)! })),
  };
}
