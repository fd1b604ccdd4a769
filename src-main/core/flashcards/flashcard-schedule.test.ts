import { describe, expect, it } from 'vitest';
import {
  gradeChoices,
  newSchedule,
  readSchedule,
  reviewed,
  scheduleJson,
  stateOf,
} from './flashcard-schedule';

const t0 = Date.UTC(2025, 0, 6, 9, 0);
const day = 24 * 60 * 60_000;

describe('FSRS schedules', () => {
  it('moves a new card due later for Good than for Again, and later still for Easy', () => {
    const card = newSchedule(t0);
    expect(stateOf(card)).toBe('new');
    const due = (grade: 1 | 2 | 3 | 4) => reviewed(card, grade, t0).due.getTime();
    expect(due(1)).toBeGreaterThan(t0);
    expect(due(3)).toBeGreaterThan(due(1));
    expect(due(4)).toBeGreaterThan(due(3));
    expect(stateOf(reviewed(card, 3, t0))).toBe('learning');
    expect(stateOf(reviewed(card, 4, t0))).toBe('review');
  });

  it('offers each grade with the due time that grade gives, Again to Easy', () => {
    const learnt = reviewed(reviewed(newSchedule(t0), 3, t0), 3, t0 + 10 * 60_000);
    const at = t0 + 2 * day;
    const choices = gradeChoices(learnt, at);
    expect(choices.map((choice) => choice.label)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    for (const choice of choices) {
      expect(choice.dueAt).toBe(reviewed(learnt, choice.grade, at).due.getTime());
      expect(choice.intervalMs).toBe(choice.dueAt - at);
    }
    const intervals = choices.map((choice) => choice.intervalMs);
    expect(intervals).toEqual([...intervals].sort((a, b) => a - b));
  });

  it('reads a saved schedule back as it was, and a damaged one as a new card', () => {
    const card = reviewed(reviewed(newSchedule(t0), 3, t0), 4, t0 + day);
    const read = readSchedule(scheduleJson(card), 0);
    expect(read).toEqual(card);
    expect(read.due).toBeInstanceOf(Date);
    expect(reviewed(read, 3, t0 + 5 * day)).toEqual(reviewed(card, 3, t0 + 5 * day));

    const { last_review: _last, ...neverReviewed } = newSchedule(t0);
    expect(readSchedule(JSON.stringify(neverReviewed), 0)).toEqual(newSchedule(t0));
    for (const damaged of ['', '{', '{"due":"2025-01-06T09:00:00.000Z"}', '{"state":"review"}', '7'])
      expect(readSchedule(damaged, t0 + day), damaged).toEqual(newSchedule(t0 + day));
  });
});
