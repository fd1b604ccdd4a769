import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/engine';
import { registerSearchFunctions } from './search-text';
import { openSqlite } from './sqlite';
import { databaseFileName, Store } from './store';

const newStore = () => Store.open(path.join(tempDir('phidesk-notes-store-'), databaseFileName));
const note = (title: string, folder = '', tags: string[] = [], body = `${title} body`) => ({
  title,
  body,
  tags,
  folder,
});
const titles = (store: Store, filter: Partial<Parameters<Store['notes']['list']>[0]> = {}) =>
  store.notes.list({ sort: 'title', limit: 100, ...filter }).notes.map((summary) => summary.title);

describe('notes in the store', () => {
  it('lists by folder (with sub-folders), tag and words, sorted as asked', () => {
    const store = newStore();
    store.notes.create(note('Doppler', 'Physics/Waves', ['exam'], 'frequency shift'));
    store.notes.create(note('Newton', 'Physics', ['exam'], 'force and mass'));
    store.notes.create(note('Essay', 'Physicsy', [], 'not a sub-folder of Physics'));
    store.notes.create(note('', '', [], 'untitled last when sorted by title'));
    expect(titles(store)).toEqual(['Doppler', 'Essay', 'Newton', '']);
    expect(titles(store, { folder: 'Physics' })).toEqual(['Doppler', 'Newton']);
    expect(titles(store, { folder: 'Physics/Waves' })).toEqual(['Doppler']);
    expect(titles(store, { tag: 'exam' })).toEqual(['Doppler', 'Newton']);
    expect(titles(store, { query: 'freq' })).toEqual(['Doppler']);
    expect(titles(store, { sort: 'created' })).toEqual(['', 'Essay', 'Newton', 'Doppler']);
    const list = store.notes.list({ sort: 'updated', limit: 10 });
    expect(list.folders).toEqual(['Physics', 'Physics/Waves', 'Physicsy']);
    expect(list.tags).toEqual([{ tag: 'exam', count: 2 }]);
    expect(list.notes[0]).not.toHaveProperty('body');
    store.close();
  });

  it('bumps the revision only when the title or body changes', () => {
    const store = newStore();
    const created = store.notes.create(note('A'));
    expect(store.notes.update(created.id, { tags: ['x'], folder: 'F' }).revision).toBe(created.revision);
    const edited = store.notes.update(created.id, { body: 'new' });
    expect(edited).toMatchObject({ revision: created.revision + 1, body: 'new', tags: ['x'], folder: 'F' });
    store.close();
  });

  it('deletes into a bin that Undo empties back, and the next start purges', () => {
    const store = newStore();
    const kept = store.notes.create(note('Kept'));
    const binned = store.notes.create(note('Binned'));
    expect(store.notes.delete([binned.id])).toBe(1);
    expect(titles(store)).toEqual(['Kept']);
    expect(store.search.search('Binned', 10)).toEqual([]);
    expect(() => store.notes.get(binned.id)).toThrow(/does not exist/);
    expect(store.notes.restore([binned.id])).toBe(1);
    expect(titles(store)).toEqual(['Binned', 'Kept']);
    store.notes.delete([binned.id]);
    const file = store.file;
    store.close();
    const reopened = Store.open(file);
    expect(titles(reopened)).toEqual(['Kept']);
    expect(reopened.notes.restore([binned.id])).toBe(0);
    expect(reopened.notes.get(kept.id).title).toBe('Kept');
    reopened.close();
  });

  it('duplicates a note as a written one beside the original', () => {
    const store = newStore();
    const { id } = store.notes.createImported({
      title: 'Slides',
      body: 'page one',
      folder: 'Lectures',
      source: { path: '/x/slides.pdf', kind: 'pdf', sha256: 'abc' },
      pageLines: [1],
    });
    const copy = store.notes.duplicate(id);
    expect(copy).toMatchObject({
      title: 'Slides (copy)',
      body: 'page one',
      folder: 'Lectures',
      source: null,
    });
    store.close();
  });

  it('finds an imported note by its file, bringing one back from the bin', () => {
    const store = newStore();
    const source = { path: '/notes/a.md', kind: 'md' as const, sha256: 'one' };
    const { id } = store.notes.createImported({ title: 'A', body: 'x', folder: '', source, pageLines: null });
    store.notes.delete([id]);
    expect(store.notes.findBySource('/notes/a.md')).toEqual({ id, sha256: 'one' });
    expect(titles(store)).toEqual(['A']);
    store.notes.updateImported(id, {
      title: 'A2',
      body: 'y',
      source: { ...source, sha256: 'two' },
      pageLines: null,
    });
    expect(store.notes.get(id)).toMatchObject({
      title: 'A2',
      body: 'y',
      source: { sha256: 'two' },
      revision: 2,
    });
    expect(store.notes.findBySource('/elsewhere.md')).toBeNull();
    store.close();
  });

  it('reads damaged tags and page lines back as none instead of failing', () => {
    const store = newStore();
    const created = store.notes.create(note('A', '', ['ok']));
    const other = openSqlite(store.file, undefined);
    registerSearchFunctions(other);
    other
      .prepare(`UPDATE notes SET tags = '{not json', page_lines = '[0, "x"]' WHERE id = ?`)
      .run(created.id);
    other.close();
    expect(store.notes.get(created.id)).toMatchObject({ tags: [], pageLines: null });
    expect(store.notes.list({ sort: 'updated', limit: 10 }).tags).toEqual([]);
    store.close();
  });
});
