import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../src-shared/types';
import { groupByDate } from './date-groups';

const now = new Date(2026, 10, 26, 15, 0).getTime();
const at = (daysAgo: number, hour = 10) => new Date(2026, 10, 26 - daysAgo, hour).getTime();
const item = (id: number, updatedAt: number, pinned = false): ConversationSummary => ({
  id,
  kind: 'chat',
  title: `c${id}`,
  pinned,
  createdAt: updatedAt,
  updatedAt,
  model: null,
});

describe('groupByDate', () => {
  it('puts pinned first, then today, yesterday, the last week, month, and older', () => {
    const groups = groupByDate(
      [
        item(1, at(0)),
        item(2, at(1)),
        item(3, at(5)),
        item(4, at(20)),
        item(5, at(100)),
        item(6, at(200), true),
      ],
      now,
    );
    expect(groups.map((group) => [group.label, group.items.map((i) => i.id)])).toEqual([
      ['Pinned', [6]],
      ['Today', [1]],
      ['Yesterday', [2]],
      ['Previous 7 days', [3]],
      ['Previous 30 days', [4]],
      ['Older', [5]],
    ]);
  });

  it('counts from midnight, not from now', () => {
    expect(groupByDate([item(1, at(1, 23))], now)[0]!.label).toBe('Yesterday');
    expect(groupByDate([item(1, at(0, 0))], now)[0]!.label).toBe('Today');
  });

  it('leaves out empty groups', () => {
    expect(groupByDate([], now)).toEqual([]);
  });
});
