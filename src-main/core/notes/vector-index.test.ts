import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random';
import { BruteForceVectorIndex, vectorFromBlob, vectorToBlob, type VectorMatch } from './vector-index';

function randomUnitVector(random: () => number, dimensions: number): Float32Array {
  const vector = Float32Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
}

/** The obvious way: score everything, sort everything. */
function naiveSearch(
  vectors: Map<number, Float32Array>,
  query: Float32Array,
  limit: number,
  filter?: (id: number) => boolean,
): VectorMatch[] {
  return [...vectors]
    .filter(([id]) => !filter || filter(id))
    .map(([id, vector]) => ({ id, score: vector.reduce((sum, value, i) => sum + value * query[i]!, 0) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.max(0, limit));
}

function expectSameMatches(actual: VectorMatch[], expected: VectorMatch[]): void {
  expect(actual.map((match) => match.id)).toEqual(expected.map((match) => match.id));
  actual.forEach((match, i) => expect(match.score).toBeCloseTo(expected[i]!.score, 5));
}

describe('BruteForceVectorIndex', () => {
  it('finds exactly the top k a full sort finds, best first', () => {
    const random = seededRandom(7);
    const index = new BruteForceVectorIndex(24);
    const vectors = new Map<number, Float32Array>();
    for (let id = 1; id <= 3000; id++) {
      const vector = randomUnitVector(random, 24);
      vectors.set(id * 3, vector);
      index.set(id * 3, vector);
    }
    expect(index.size).toBe(3000);
    for (let trial = 0; trial < 20; trial++) {
      const query = randomUnitVector(random, 24);
      for (const limit of [1, 5, 37])
        expectSameMatches(index.search(query, limit), naiveSearch(vectors, query, limit));
    }
    const all = index.search(randomUnitVector(random, 24), 10_000);
    expect(all).toHaveLength(3000);
    expect(all.every((match, i) => i === 0 || all[i - 1]!.score >= match.score)).toBe(true);
  });

  it('grows past its first allocation, replaces on set, and swaps the last vector in on delete', () => {
    const random = seededRandom(11);
    const index = new BruteForceVectorIndex(5);
    const vectors = new Map<number, Float32Array>();
    const put = (id: number) => {
      const vector = randomUnitVector(random, 5);
      vectors.set(id, vector);
      index.set(id, vector);
    };
    for (let id = 0; id < 5000; id++) put(id);
    for (let id = 0; id < 5000; id += 3) put(id); // replaced, not added
    expect(index.size).toBe(5000);
    for (let id = 0; id < 5000; id += 2) {
      index.delete(id);
      vectors.delete(id);
    }
    index.delete(2); // already gone
    index.delete(123_456); // never there
    expect(index.size).toBe(vectors.size);
    for (let id = 5000; id < 5500; id++) put(id);
    expect(index.size).toBe(vectors.size);
    for (let trial = 0; trial < 10; trial++) {
      const query = randomUnitVector(random, 5);
      expectSameMatches(index.search(query, 25), naiveSearch(vectors, query, 25));
    }
    const query = randomUnitVector(random, 5);
    expect(
      index
        .search(query, vectors.size)
        .map((match) => match.id)
        .sort((a, b) => a - b),
    ).toEqual([...vectors.keys()].sort((a, b) => a - b));
  });

  it('finds a stored vector first with a score of 1 when asked for it', () => {
    const index = new BruteForceVectorIndex(3);
    index.set(1, Float32Array.of(1, 0, 0));
    index.set(2, Float32Array.of(0, 1, 0));
    index.set(3, Float32Array.of(0.6, 0.8, 0));
    expect(index.search(Float32Array.of(0, 1, 0), 2)).toEqual([
      { id: 2, score: 1 },
      { id: 3, score: expect.closeTo(0.8, 6) },
    ]);
  });

  it('scores only the ids the filter lets through', () => {
    const random = seededRandom(3);
    const index = new BruteForceVectorIndex(8);
    const vectors = new Map<number, Float32Array>();
    for (let id = 0; id < 400; id++) {
      const vector = randomUnitVector(random, 8);
      vectors.set(id, vector);
      index.set(id, vector);
    }
    const even = (id: number) => id % 2 === 0;
    const query = randomUnitVector(random, 8);
    const found = index.search(query, 10, even);
    expect(found.every((match) => even(match.id))).toBe(true);
    expectSameMatches(found, naiveSearch(vectors, query, 10, even));
    expect(index.search(query, 10, () => false)).toEqual([]);
  });

  it('returns nothing for no limit or an empty index, and keeps ties in the order they were added', () => {
    const index = new BruteForceVectorIndex(2);
    expect(index.search(Float32Array.of(1, 0), 5)).toEqual([]);
    for (const id of [9, 4, 7]) index.set(id, Float32Array.of(1, 0));
    expect(index.search(Float32Array.of(1, 0), 0)).toEqual([]);
    expect(index.search(Float32Array.of(1, 0), -1)).toEqual([]);
    expect(index.search(Float32Array.of(1, 0), 2).map((match) => match.id)).toEqual([9, 4]);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.search(Float32Array.of(1, 0), 5)).toEqual([]);
    index.set(1, Float32Array.of(0, 1));
    expect(index.search(Float32Array.of(0, 1), 5)).toEqual([{ id: 1, score: 1 }]);
  });

  it('refuses vectors and queries of another dimension', () => {
    const index = new BruteForceVectorIndex(4);
    expect(() => index.set(1, new Float32Array(3))).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(() => index.search(new Float32Array(5), 1)).toThrow(
      expect.objectContaining({ code: 'invalid_input' }),
    );
    expect(() => new BruteForceVectorIndex(0)).toThrow(expect.objectContaining({ code: 'invalid_input' }));
  });

  it('searches 50,000 vectors of 384 dimensions in milliseconds', () => {
    const random = seededRandom(42);
    const index = new BruteForceVectorIndex(384);
    for (let id = 1; id <= 50_000; id++) index.set(id, randomUnitVector(random, 384));
    const query = randomUnitVector(random, 384);
    for (let i = 0; i < 5; i++) index.search(query, 10); // warm up the JIT
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) index.search(query, 10);
    const ms = (performance.now() - started) / runs;
    console.info(`Vector search: ${ms.toFixed(1)} ms per query over 50,000 × 384`);
    // Generous for slow CI machines; the aim is well under 20 ms.
    expect(ms).toBeLessThan(100);
  });
});

describe('vector BLOBs', () => {
  it('round-trip a vector, also from a Buffer at an odd offset', () => {
    const vector = Float32Array.of(0.25, -1.5, 3e-8, 42);
    const blob = vectorToBlob(vector);
    expect(blob).toHaveLength(16);
    expect(vectorFromBlob(blob, 4)).toEqual(vector);
    const shifted = Buffer.concat([Buffer.from([0]), blob]).subarray(1);
    expect(shifted.byteOffset % 4).not.toBe(0);
    expect(vectorFromBlob(shifted, 4)).toEqual(vector);
  });

  it('copies, so the stored bytes do not follow later changes to the vector', () => {
    const vector = Float32Array.of(1, 2);
    const blob = vectorToBlob(vector);
    vector[0] = 9;
    expect(vectorFromBlob(blob, 2)).toEqual(Float32Array.of(1, 2));
    const view = new Float32Array(Float32Array.of(5, 6, 7).buffer, 4, 2);
    expect(vectorFromBlob(vectorToBlob(view), 2)).toEqual(Float32Array.of(6, 7));
  });

  it('rejects a BLOB of the wrong size, or one holding values that are not numbers', () => {
    const blob = vectorToBlob(Float32Array.of(1, 2, 3));
    expect(vectorFromBlob(blob, 4)).toBeNull();
    expect(vectorFromBlob(blob, 2)).toBeNull();
    expect(vectorFromBlob(blob.subarray(0, 11), 3)).toBeNull();
    expect(vectorFromBlob(Buffer.alloc(0), 0)).toBeNull();
    expect(vectorFromBlob(Buffer.alloc(0), 3)).toBeNull();
    expect(vectorFromBlob(vectorToBlob(Float32Array.of(1, Number.NaN, 3)), 3)).toBeNull();
    expect(vectorFromBlob(vectorToBlob(Float32Array.of(Number.POSITIVE_INFINITY, 0, 0)), 3)).toBeNull();
  });
});
