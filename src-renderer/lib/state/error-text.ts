import { isAppError } from '../../../src-shared/errors';

/**
 * What the person was doing when a call failed. The words shown for an error are chosen from its code and
 * this action, never read out of the backend's message: a `not_found` message names internal ids
 * ("Conversation 3 does not exist."), which mean nothing to the person.
 */
export type ErrorAction =
  | 'open-conversation'
  | 'send'
  | 'rename'
  | 'pin'
  | 'delete'
  | 'restore'
  | 'export'
  | 'stop'
  | 'edit'
  | 'regenerate'
  | 'continue'
  | 'switch-branch'
  | 'delete-message'
  | 'search'
  | 'import'
  | 'model';

const conversationGone = 'This conversation was deleted.';
const messageGone = 'That message no longer exists.';

/**
 * What to say when the thing an action needs is not there; null where the backend's words name what the
 * person chose themselves (a model file's path) rather than an internal id.
 */
const notFound: Record<ErrorAction, string | null> = {
  'open-conversation': 'This conversation no longer exists. It may have been deleted.',
  send: conversationGone,
  rename: conversationGone,
  pin: conversationGone,
  delete: conversationGone,
  restore: 'This conversation can no longer be restored.',
  export: conversationGone,
  stop: conversationGone,
  edit: messageGone,
  regenerate: messageGone,
  continue: messageGone,
  'switch-branch': messageGone,
  'delete-message': messageGone,
  search: 'That search result no longer exists.',
  import: 'The file to import was not found.',
  model: null,
};

/** For a caller that gave no action: still no ids (and it may be a file, so no "deleted" for certain). */
const notFoundUnknown = 'That could not be found. It may have been deleted or moved.';

/** The text shown to the person for an error from a contract call. */
export function errorText(error: unknown, action?: ErrorAction): string {
  if (isAppError(error)) {
    switch (error.code) {
      case 'not_found':
        return action ? (notFound[action] ?? error.message) : notFoundUnknown;
      case 'disconnected':
        return 'The connection to Phidesk was lost. Try again in a moment.';
      default:
        // Every other code's message is written for people (and `internal` is a fixed sentence).
        return error.message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
