import { describe, expect, it } from 'vitest';
import { fuseRanks } from './rank-fusion';

const list = (...ids: number[]) => ids.map((id) => ({ id }));

describe('fuseRanks', () => {
  it('scores Σ 1/(k + rank) with ranks from 1, and says where each item was in each list', () => {
    expect(fuseRanks([list(10, 20), list(20, 30)])).toEqual([
      { id: 20, score: expect.closeTo(1 / 62 + 1 / 61, 12), ranks: [2, 1] },
      { id: 10, score: expect.closeTo(1 / 61, 12), ranks: [1, null] },
      { id: 30, score: expect.closeTo(1 / 62, 12), ranks: [null, 2] },
    ]);
    expect(fuseRanks([list(1, 2)], 0)[1]).toEqual({ id: 2, score: 0.5, ranks: [2] });
  });

  it('brings the first of each list to the top, even when each is in one list only', () => {
    const fused = fuseRanks([list(1, 2, 3), list(4, 5, 6)]);
    expect(fused.slice(0, 2).map((item) => item.id)).toEqual([1, 4]);
    expect(fused.map((item) => item.id)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(fused[0]!.ranks).toEqual([1, null]);
    expect(fused[1]!.ranks).toEqual([null, 1]);
  });

  it('lets agreement between lists outweigh one first place, as k = 60 intends', () => {
    const fused = fuseRanks([list(1, 2, 3, 4, 9), list(5, 6, 7, 8, 9)]);
    expect(fused[0]).toMatchObject({ id: 9, ranks: [5, 5] });
  });

  it('keeps ties in order of first appearance, the earlier list first', () => {
    expect(fuseRanks([list(7, 8), list(8, 7)]).map((item) => item.id)).toEqual([7, 8]);
    expect(fuseRanks([list(), list(3), list(2)]).map((item) => item.id)).toEqual([3, 2]);
  });

  it('counts an id listed twice in one list once, at its better rank', () => {
    expect(fuseRanks([list(5, 6, 5)])).toEqual([
      { id: 5, score: expect.closeTo(1 / 61, 12), ranks: [1] },
      { id: 6, score: expect.closeTo(1 / 62, 12), ranks: [2] },
    ]);
  });

  it('fuses nothing into nothing', () => {
    expect(fuseRanks([])).toEqual([]);
    expect(fuseRanks([list(), list()])).toEqual([]);
  });
});
