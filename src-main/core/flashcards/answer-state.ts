import { z } from 'zod';
import type { FlashcardsAnswerState } from '../../../src-shared/flashcards';
import type { NotesAnswerSources } from '../../../src-shared/notes';

const id = z.int().positive();

/** Only the shape is checked: the state is written here and read back by this service and the views. */
const stateSchema = z.object({
  noteId: id.nullable(),
  answers: z.array(z.custom<NotesAnswerSources>((value) => typeof value === 'object' && value !== null)),
  // A follow-up question in the notes assistant saves the state without this; it reads as none.
  flashcards: z.array(z.object({ messageId: id, cardIds: z.array(id) })).default([]),
});

/** A flashcard generation's conversation state read back through a schema: anything else reads as empty. */
export function readFlashcardsState(state: unknown): FlashcardsAnswerState {
  const parsed = stateSchema.safeParse(state);
  return parsed.success ? parsed.data : { noteId: null, answers: [], flashcards: [] };
}
