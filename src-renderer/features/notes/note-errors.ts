import { isAppError } from '../../../src-shared/errors';
import { errorText } from '../../lib/state/error-text';

/** What the person was doing with notes when a call failed. */
export type NoteAction =
  | 'open'
  | 'save'
  | 'create'
  | 'duplicate'
  | 'delete'
  | 'restore'
  | 'export'
  | 'export-folder'
  | 'import'
  | 'index'
  | 'list'
  | 'ask'
  | 'summarise'
  | 'save-summary';

/** A missing note, in words: the backend's `not_found` names ids ("Note 3 does not exist."). */
const noteGone: Partial<Record<NoteAction, string>> = {
  open: 'This note no longer exists. It may have been deleted.',
  save: 'This note was deleted.',
  duplicate: 'This note was deleted.',
  delete: 'This note was already deleted.',
  restore: 'This note can no longer be restored.',
  export: 'This note was deleted.',
  ask: 'The note or the conversation this question was for no longer exists. Ask a new question.',
  summarise: 'This note no longer exists. It may have been deleted.',
  'save-summary': 'The summarised note was deleted, so the summary has no folder to go in.',
};

/** The text shown for a failed notes call: error-text.ts's words, with a note where it names one. */
export function noteErrorText(error: unknown, action: NoteAction): string {
  if (isAppError(error, 'not_found')) {
    const gone = noteGone[action];
    if (gone) return gone;
    if (action === 'import') return errorText(error, 'import');
  }
  // A refused parameter: the schema's own words ("Too long: a note holds at most …"), not the method's.
  if (isAppError(error, 'invalid_input')) {
    const issue = (error.details as { issues?: { message?: unknown }[] } | undefined)?.issues?.[0];
    if (typeof issue?.message === 'string' && issue.message) return issue.message;
  }
  return errorText(error);
}

/** Failures a retry cannot mend: the note is gone, or the store refuses what was typed (too long). */
export function isPermanentSaveError(error: unknown): boolean {
  return (
    isAppError(error, 'not_found') || isAppError(error, 'invalid_input') || isAppError(error, 'too_long')
  );
}
