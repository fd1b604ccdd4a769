import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../event-bus';
import { createLogger } from '../log';
import { tempDir } from '../../test-support/engine';
import { databaseFileName, Store } from '../store/store';
import { NoteIndexer, type NoteEmbeddings } from './note-indexer';
import { NoteSearch } from './note-search';
import { BruteForceVectorIndex } from './vector-index';

/**
 * Embeddings that know one meaning: "car" and "automobile" are the same direction, every other word is
 * nothing. Ranking is what is tested here; the real model's path is tested in notes-feature.test.ts.
 */
const synonyms: NoteEmbeddings = {
  loaded: { modelId: 'synonyms', dimensions: 2 },
  embed: (texts) =>
    Promise.resolve(
      texts.map((text) => {
        const cars = text.toLowerCase().match(/\b(car|automobile)\b/g)?.length ?? 0;
        return cars > 0 ? new Float32Array([1, 0]) : new Float32Array([0, 0]);
      }),
    ),
};

describe('hybrid retrieval', () => {
  it('puts a words-only match and a meaning-only match both at the top (RRF)', async () => {
    const store = Store.open(path.join(tempDir('phidesk-search-'), databaseFileName));
    const make = (title: string, body: string) =>
      store.notes.create({ title, body, tags: [], folder: '' }).id;
    const byMeaning = make('Vehicles', 'An automobile has four wheels.');
    const byWords = make('Animals', 'A zebra has stripes.');
    for (let i = 0; i < 10; i++) make(`Other ${i}`, `Unrelated passage number ${i} about optics.`);
    const indexer = new NoteIndexer({
      store,
      bus: new EventBus(),
      log: createLogger('test', 'error'),
      embeddings: synonyms,
      createVectors: (dimensions) => new BruteForceVectorIndex(dimensions),
    });
    indexer.kick();
    await indexer.settled();
    const search = new NoteSearch({ store, indexer, embeddings: synonyms });

    const { hits, retrieval } = await search.search('car zebra', { limit: 5 });
    expect(retrieval).toBe('hybrid');
    expect(
      hits
        .slice(0, 2)
        .map((hit) => hit.noteId)
        .sort(),
    ).toEqual([byMeaning, byWords].sort());
    expect(hits.find((hit) => hit.noteId === byMeaning)?.via).toEqual({ keyword: false, vector: true });
    expect(hits.find((hit) => hit.noteId === byWords)?.via).toEqual({ keyword: true, vector: false });
    // Nothing else is relevant: the other passages share neither words nor meaning.
    expect(hits).toHaveLength(2);

    // Within one note only.
    const inOne = await search.search('car zebra', { limit: 5, noteId: byWords });
    expect(inOne.hits.map((hit) => hit.noteId)).toEqual([byWords]);

    // A note in the bin is never found, by words or by meaning.
    store.notes.delete([byMeaning]);
    expect((await search.search('car', { limit: 5 })).hits).toEqual([]);
    store.close();
  });
});
