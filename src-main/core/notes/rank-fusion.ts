/**
 * Merges ranked lists (full-text bm25 and vector search) by reciprocal rank fusion: each item scores
 * Σ 1/(k + rank) over the lists it is in, rank counted from 1. Only ranks count, never the lists' own
 * scores, so lists scored on different scales merge fairly; k = 60 (the usual choice) keeps one first
 * place from outweighing agreement between lists.
 */

export interface FusedItem {
  id: number;
  score: number;
  /** Its rank in each list (1-based), null where it is absent; in the order of the lists given. */
  ranks: (number | null)[];
}

export const defaultFusionK = 60;

/** Best first; equal scores keep the order of first appearance, reading the lists in the order given. */
export function fuseRanks(lists: readonly (readonly { id: number }[])[], k = defaultFusionK): FusedItem[] {
  const fused = new Map<number, FusedItem>();
  lists.forEach((list, listIndex) => {
    list.forEach(({ id }, index) => {
      let item = fused.get(id);
      if (!item) {
        item = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, item);
      }
      // An id listed twice in one list counts once, at its better rank.
      if (item.ranks[listIndex] !== null) return;
      const rank = index + 1;
      item.ranks[listIndex] = rank;
      item.score += 1 / (k + rank);
    });
  });
  // Map order is insertion order and Array.prototype.sort is stable: ties stay in order of appearance.
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
