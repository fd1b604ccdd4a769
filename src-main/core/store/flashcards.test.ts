import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/engine';
import { newSchedule, reviewed } from '../flashcards/flashcard-schedule';
import type { FlashcardToSave } from './flashcards';
import { openSqlite } from './sqlite';
import { databaseFileName, Store } from './store';

const newStore = () => Store.open(path.join(tempDir('phidesk-flashcards-store-'), databaseFileName));
const t0 = Date.UTC(2025, 0, 6, 9, 0);
const minute = 60_000;

function card(noteId: number, fields: Partial<FlashcardToSave> = {}): FlashcardToSave {
  return {
    noteId,
    lineStart: 3,
    lineEnd: 7,
    headingPath: ['Doppler'],
    deck: 'Physics',
    front: 'What shifts in the Doppler effect?',
    back: 'The observed frequency.',
    schedule: newSchedule(t0),
    ...fields,
  };
}

describe('flashcards in the store', () => {
  it('saves cards with their source lines and reads them back by deck and by note', () => {
    const store = newStore();
    const waves = store.notes.create({ title: 'Waves', body: 'a\nb', tags: [], folder: 'Physics' });
    const essay = store.notes.create({ title: 'Essay', body: 'c', tags: [], folder: '' });
    const [first, second] = store.flashcards.insert([card(waves.id), card(waves.id, { front: 'Q2' })], t0);
    store.flashcards.insert([card(essay.id, { deck: 'Essay', front: 'Q3' })], t0);

    expect(store.flashcards.get(first!)).toMatchObject({
      noteId: waves.id,
      noteTitle: 'Waves',
      lineStart: 3,
      lineEnd: 7,
      headingPath: ['Doppler'],
      deck: 'Physics',
      dueAt: t0,
      reps: 0,
      schedule: { state: 0, reps: 0 },
    });
    expect(store.flashcards.list({ deck: 'Physics' }).map((c) => c.id)).toEqual([first, second]);
    expect(store.flashcards.list({ noteId: essay.id }).map((c) => c.front)).toEqual(['Q3']);
    expect(store.flashcards.list().map((c) => c.deck)).toEqual(['Essay', 'Physics', 'Physics']);

    const edited = store.flashcards.update(second!, { back: 'A2', deck: 'Waves' }, t0 + minute);
    expect(edited).toMatchObject({ front: 'Q2', back: 'A2', deck: 'Waves', updatedAt: t0 + minute });
    store.close();
  });

  it('counts cards due per deck, and finds the one due soonest', () => {
    const store = newStore();
    const note = store.notes.create({ title: 'Waves', body: '', tags: [], folder: '' });
    const later = newSchedule(t0 + 60 * minute);
    store.flashcards.insert(
      [
        card(note.id, { deck: 'Waves', front: 'due now' }),
        card(note.id, { deck: 'Waves', front: 'due in an hour', schedule: later }),
        card(note.id, { deck: 'Optics', front: 'also due now' }),
      ],
      t0,
    );
    expect(store.flashcards.decks(t0)).toEqual([
      { deck: 'Optics', total: 1, due: 1, nextDueAt: null },
      { deck: 'Waves', total: 2, due: 1, nextDueAt: t0 + 60 * minute },
    ]);
    expect(store.flashcards.nextDue('Waves', t0)?.front).toBe('due now');
    expect(store.flashcards.countDue(null, t0)).toBe(2);
    expect(store.flashcards.countDue('Waves', t0 + 60 * minute)).toBe(2);
    expect(store.flashcards.soonestDueAfter('Waves', t0)).toBe(t0 + 60 * minute);
    expect(store.flashcards.soonestDueAfter('Optics', t0)).toBeNull();

    // A review moves the card along its schedule and counts it.
    const id = store.flashcards.nextDue('Waves', t0)!.id;
    const saved = store.flashcards.saveReview(id, reviewed(newSchedule(t0), 3, t0), t0);
    expect(saved.reps).toBe(1);
    expect(saved.dueAt).toBeGreaterThan(t0);
    expect(store.flashcards.decks(t0).find((deck) => deck.deck === 'Waves')?.due).toBe(0);
    store.close();
  });

  it('reads a damaged schedule as a new card, due when the card was due', () => {
    const store = newStore();
    const note = store.notes.create({ title: 'Waves', body: '', tags: [], folder: '' });
    const [id] = store.flashcards.insert([card(note.id)], t0);
    store.flashcards.saveReview(id!, reviewed(newSchedule(t0), 4, t0), t0);
    const dueAt = store.flashcards.get(id!).dueAt;
    for (const damage of ['{not json', '{"due":"yesterday","state":9}', '[]', 'null']) {
      const other = openSqlite(store.file, undefined);
      other.prepare(`UPDATE flashcards SET schedule = ? WHERE id = ?`).run(damage, id);
      other.close();
      const read = store.flashcards.get(id!);
      expect(read.schedule, damage).toMatchObject({ state: 0, reps: 0, stability: 0 });
      expect(read.schedule.due.getTime()).toBe(dueAt);
      // The review count is the card's own, not the schedule's.
      expect(read.reps).toBe(1);
    }
    store.close();
  });

  it('keeps a note’s cards when the note is deleted for good, without their source', () => {
    const store = newStore();
    const note = store.notes.create({ title: 'Waves', body: '', tags: [], folder: '' });
    const [id] = store.flashcards.insert([card(note.id)], t0);
    store.notes.delete([note.id]);
    // In the bin: the card stays linked (an Undo brings its source back), but shows no title.
    expect(store.flashcards.get(id!)).toMatchObject({ noteId: note.id, noteTitle: null });
    store.notes.purgeDeleted();
    expect(store.flashcards.get(id!)).toMatchObject({ noteId: null, noteTitle: null, front: card(0).front });
    store.close();
  });

  it('moves deleted cards to a bin that Undo empties and the next start purges', () => {
    const store = newStore();
    const note = store.notes.create({ title: 'Waves', body: '', tags: [], folder: '' });
    const [kept, binned] = store.flashcards.insert([card(note.id), card(note.id, { front: 'Q2' })], t0);
    expect(store.flashcards.delete([binned!, 999], t0)).toBe(1);
    expect(store.flashcards.delete([binned!], t0)).toBe(0);
    expect(store.flashcards.list().map((c) => c.id)).toEqual([kept]);
    expect(store.flashcards.decks(t0)).toEqual([{ deck: 'Physics', total: 1, due: 1, nextDueAt: null }]);
    expect(() => store.flashcards.get(binned!)).toThrow(/does not exist/);
    expect(store.flashcards.restore([binned!])).toBe(1);
    expect(store.flashcards.list()).toHaveLength(2);

    store.flashcards.delete([binned!], t0);
    const file = store.file;
    store.close();
    const reopened = Store.open(file);
    expect(reopened.flashcards.restore([binned!])).toBe(0);
    expect(reopened.flashcards.list().map((c) => c.id)).toEqual([kept]);
    reopened.close();
  });
});
