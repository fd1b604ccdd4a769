import type { FlashcardsGenerated } from '../../../src-shared/flashcards';
import type { ConversationDetail } from '../../../src-shared/types';

/**
 * How a generation ended, read from its saved conversation (when its end was not heard: the connection was
 * down): null while it is still being written. Its cards are the ids the conversation's state keeps for it.
 */
export function readFlashcardsAnswer(
  detail: ConversationDetail,
  noteId: number,
  messageId: number,
): Omit<FlashcardsGenerated, 'conversationId'> | null {
  const message = detail.messages.find((candidate) => candidate.id === messageId);
  if (!message) return { noteId, messageId, status: 'error', cardIds: [], error: 'The answer was deleted.' };
  if (message.status === 'streaming') return null;
  if (message.status === 'complete')
    return {
      noteId,
      messageId,
      status: 'complete',
      cardIds: savedCardIds(detail.state, messageId),
      error: null,
    };
  if (message.status === 'error')
    return { noteId, messageId, status: 'error', cardIds: [], error: message.error ?? message.content };
  // Stopped, or cut off by a restart of the app: no card was saved either way.
  return { noteId, messageId, status: 'stopped', cardIds: [], error: null };
}

function savedCardIds(state: unknown, messageId: number): number[] {
  const answers = (state as { flashcards?: unknown } | null)?.flashcards;
  if (!Array.isArray(answers)) return [];
  const answer = (answers as { messageId?: unknown; cardIds?: unknown }[]).find(
    (entry) => entry.messageId === messageId,
  );
  return Array.isArray(answer?.cardIds) ? answer.cardIds.filter((id) => typeof id === 'number') : [];
}
