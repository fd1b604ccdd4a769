import type { ConversationSummary } from '../../../src-shared/types';

export interface DateGroup {
  label: string;
  items: ConversationSummary[];
}

const day = 24 * 60 * 60 * 1000;

/** Pinned first, then by when they were last active: today, yesterday, the last 7 and 30 days, older. */
export function groupByDate(items: readonly ConversationSummary[], now: number): DateGroup[] {
  const today = new Date(now);
  const startOfToday = new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime();
  const buckets: [string, (updatedAt: number) => boolean][] = [
    ['Today', (t) => t >= startOfToday],
    ['Yesterday', (t) => t >= startOfToday - day],
    ['Previous 7 days', (t) => t >= startOfToday - 7 * day],
    ['Previous 30 days', (t) => t >= startOfToday - 30 * day],
    ['Older', () => true],
  ];
  const groups: DateGroup[] = [{ label: 'Pinned', items: items.filter((item) => item.pinned) }];
  for (const [label] of buckets) groups.push({ label, items: [] });
  for (const item of items) {
    if (item.pinned) continue;
    const index = buckets.findIndex(([, test]) => test(item.updatedAt));
    groups[index + 1]!.items.push(item);
  }
  return groups.filter((group) => group.items.length > 0);
}
