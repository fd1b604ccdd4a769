import { describe, expect, it } from 'vitest';
import { caughtUpText, deckCountText, generationText, gradeText, leftText } from './review-words';

const minute = 60_000;
const day = 24 * 60 * minute;

describe('the words of the flashcard views', () => {
  it('counts what is left and says when the next card is due', () => {
    expect(leftText(3)).toBe('3 left today');
    expect(leftText(0)).toBe('Nothing left today');
    expect(caughtUpText(1000 + 2 * day, 1000)).toBe('All caught up — next card due in 2 days');
    expect(caughtUpText(500, 1000)).toBe('All caught up — next card due in 1 min');
    expect(caughtUpText(null, 1000)).toBe('No cards to review yet.');
    expect(deckCountText({ total: 12, due: 3 })).toBe('12 cards · 3 due');
    expect(deckCountText({ total: 1, due: 0 })).toBe('1 card · none due');
  });

  it('labels each grade with the interval it gives', () => {
    expect(gradeText({ grade: 1, label: 'Again', dueAt: minute, intervalMs: minute })).toBe('Again · 1 min');
    expect(gradeText({ grade: 3, label: 'Good', dueAt: 3 * day, intervalMs: 3 * day })).toBe('Good · 3 days');
  });

  it('says where a generation stands', () => {
    expect(generationText({ state: 'idle' })).toBeNull();
    const running = { state: 'running', noteId: 1, conversationId: 2, messageId: 3 } as const;
    expect(generationText({ ...running, queuePosition: 2, outputTokens: 0 })).toBe(
      'Waiting for the model: 2 answers ahead…',
    );
    expect(generationText({ ...running, queuePosition: 0, outputTokens: 42 })).toBe(
      'Writing flashcards… 42 tokens so far',
    );
    expect(generationText({ state: 'done', noteId: 1, made: 4 })).toBe('Made 4 flashcards.');
    expect(generationText({ state: 'failed', noteId: 1, error: 'No model is loaded.' })).toBe(
      'Could not make flashcards: No model is loaded.',
    );
  });
});
