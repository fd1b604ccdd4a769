import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FlashcardsChanged } from '../../../src-shared/flashcards';
import type { NotesAnswerState } from '../../../src-shared/notes';
import { splitLines } from '../../../src-shared/lines';
import type { Note } from '../../../src-shared/notes';
import { startTestChat, type TestChat } from '../../test-support/chat';
import type { AnswerJob, AnswerOutcome } from '../answers/answer-service';
import type { GeneratedCard } from './flashcard-json';
import { flashcardsRequest } from './flashcard-prompt';
import { FlashcardService, learnAheadMs } from './flashcard-service';

const section = (title: string, words: string, repeat = 8) =>
  `## ${title}\n\n${`${words} `.repeat(repeat).trim()}\n`;
const wavesBody = [
  '# Waves',
  '',
  section('Doppler', 'the observed frequency shifts when source and observer move'),
  section('Interference', 'two slits give bright and dark fringes'),
  section('Standing waves', 'nodes and antinodes on a string fixed at both ends'),
].join('\n');

const minute = 60_000;
const day = 24 * 60 * minute;

describe('flashcards from notes (real engine and store)', () => {
  let chat: TestChat;
  let clock: number;
  let service: FlashcardService;
  const changes: FlashcardsChanged[] = [];

  beforeAll(async () => {
    chat = await startTestChat();
    clock = new Date(2025, 0, 6, 9, 0).getTime();
    service = new FlashcardService({
      store: chat.store,
      engine: chat.engine,
      answers: chat.answers,
      bus: chat.bus,
      now: () => clock,
    });
    chat.bus.subscribe((name, payload) => {
      if (name === 'flashcards.changed') changes.push(payload as FlashcardsChanged);
    });
  });
  afterAll(() => chat.dispose());

  const waves = (folder = 'Physics') =>
    chat.store.notes.create({ title: 'Waves', body: wavesBody, tags: [], folder });

  /** The generation's answer job, kept from the model: its check and its end are run by hand. */
  async function capture(note: Note, count: number) {
    let job: AnswerJob<GeneratedCard[]> | undefined;
    const start = vi.spyOn(chat.answers, 'start').mockImplementation((started) => {
      job = started as AnswerJob<GeneratedCard[]>;
      return Promise.resolve({ queuePosition: 0 });
    });
    try {
      const started = await service.generate(note.id, count);
      return { started, job: job! };
    } finally {
      start.mockRestore();
    }
  }

  const outcome = (
    value: GeneratedCard[] | undefined,
    status: AnswerOutcome<unknown>['status'] = 'complete',
  ) => ({
    status,
    content: '',
    value,
    stats: null,
    error:
      status === 'error' ? 'The model did not produce a valid answer (attempt 1: ran out of tokens).' : null,
  });

  it('saves the checked cards in the note’s deck, linked to the lines of the passage each cites', async () => {
    const note = waves();
    const { started, job } = await capture(note, 3);
    expect(job.request.maxTokens).toBeGreaterThan(0);
    // The model's JSON, written by hand: the answer service would run exactly this check and end.
    const cards = job.json!.validate({
      cards: [
        { front: 'What shifts in the Doppler effect?', back: 'The observed frequency.', source: 1 },
        { front: 'What do two slits give?', back: 'Bright and dark fringes.', source: 2 },
      ],
    });
    const end = job.conclude!(outcome(cards));
    expect(end).toMatchObject({ status: 'complete' });
    expect(end!.content).toBe(
      'Made 2 flashcards:\n\n- **What shifts in the Doppler effect?** — The observed frequency.\n' +
        '- **What do two slits give?** — Bright and dark fringes.',
    );

    const saved = service.list({ noteId: note.id });
    expect(saved.map((card) => [card.deck, card.state, card.dueAt, card.reps])).toEqual([
      ['Physics', 'new', clock, 0],
      ['Physics', 'new', clock, 0],
    ]);
    const lines = splitLines(note.body);
    expect(saved[0]!.source).toMatchObject({
      noteId: note.id,
      title: 'Waves',
      headingPath: ['Waves', 'Doppler'],
    });
    expect(lines[saved[0]!.source!.lineStart - 1]).toBe('## Doppler');
    expect(lines[saved[1]!.source!.lineStart - 1]).toBe('## Interference');

    const state = chat.store.conversations.get(started.conversationId).state as NotesAnswerState;
    expect(state).toEqual({
      noteId: note.id,
      answers: [],
      flashcards: [{ messageId: started.messageId, cardIds: saved.map((card) => card.id) }],
    });
    expect(changes.at(-1)).toEqual({
      ids: saved.map((card) => card.id),
      generation: {
        conversationId: started.conversationId,
        messageId: started.messageId,
        noteId: note.id,
        status: 'complete',
        cardIds: saved.map((card) => card.id),
        error: null,
      },
    });
  });

  it('samples anew when asked again, and saves no question twice', async () => {
    const note = waves('Again');
    const first = await capture(note, 2);
    expect(first.job.request.sampling?.seed).toBe(0);
    const cards = [
      { front: 'What shifts?', back: 'The frequency.', source: 1 },
      { front: 'What do slits give?', back: 'Fringes.', source: 2 },
    ];
    first.job.conclude!(outcome(cards));
    const second = await capture(note, 2);
    expect(second.job.request.sampling?.seed).toBe(2);
    const repeated = second.job.conclude!(outcome([{ ...cards[0]!, front: 'what  SHIFTS?' }]));
    expect(repeated).toMatchObject({
      status: 'complete',
      content: expect.stringMatching(/^No new flashcards/),
    });
    expect(changes.at(-1)?.generation).toMatchObject({ status: 'complete', cardIds: [] });
    second.job.conclude!(outcome([cards[1]!, { front: 'What is new?', back: 'This.', source: 3 }]));
    expect(service.list({ noteId: note.id }).map((card) => card.front)).toEqual([
      'What shifts?',
      'What do slits give?',
      'What is new?',
    ]);
  });

  it('refuses JSON that does not fit, and saves nothing for an answer that failed or was stopped', async () => {
    const note = waves('');
    const { job } = await capture(note, 2);
    // The note's three sections are its passages: a card may cite only those.
    expect(job.json!.schema).toMatchObject({
      properties: { cards: { items: { properties: { source: { enum: [1, 2, 3] } } } } },
    });
    expect(() => job.json!.validate({ cards: [{ front: 'Q', back: 'A', source: 4 }] })).toThrow();
    expect(() => job.json!.validate({ cards: [{ front: '', back: ' ', source: 1 }] })).toThrow();
    expect(() =>
      job.json!.validate({ cards: [1, 2, 3].map((source) => ({ front: `Q${source}`, back: 'A', source })) }),
    ).toThrow();

    const failed = job.conclude!(outcome(undefined, 'error'));
    expect(failed).toMatchObject({ status: 'error', error: expect.stringMatching(/valid answer/) });
    expect(failed!.content).toMatch(/^No flashcards were made: /);
    expect(changes.at(-1)?.generation).toMatchObject({ status: 'error', cardIds: [] });
    expect(job.conclude!(outcome(undefined, 'stopped'))).toMatchObject({ status: 'stopped' });
    expect(service.list({ noteId: note.id })).toEqual([]);
    // A note at the top level gives its cards a deck named after it.
    job.conclude!(outcome([{ front: 'Q', back: 'A', source: 3 }]));
    expect(service.list({ noteId: note.id })).toMatchObject([
      { deck: 'Waves', source: { headingPath: ['Waves', 'Standing waves'] } },
    ]);
  });

  it('ends a real generation with cards inside the note, or a clear error, never unchecked cards', async () => {
    const note = waves('Generated');
    const started = await service.generate(note.id, 4);
    const ended = await chat.answered(started.messageId);
    const saved = service.list({ noteId: note.id });
    const message = chat.store.messages.get(started.messageId);
    const lineCount = splitLines(note.body).length;
    if (ended.status === 'complete') {
      expect(saved.length).toBeGreaterThan(0);
      expect(saved.length).toBeLessThanOrEqual(4);
      for (const card of saved) {
        expect(card.front.trim()).toBe(card.front);
        expect(card.front.length).toBeGreaterThan(0);
        expect(card.front.length).toBeLessThanOrEqual(200);
        expect(card.back.length).toBeGreaterThan(0);
        expect(card.back.length).toBeLessThanOrEqual(400);
        expect(card.source!.lineStart).toBeGreaterThanOrEqual(1);
        expect(card.source!.lineEnd).toBeLessThanOrEqual(lineCount);
      }
      expect(message.content).toMatch(/^Made \d+ flashcards?:/);
      const state = chat.store.conversations.get(started.conversationId).state as NotesAnswerState;
      expect(state.flashcards[0]!.cardIds).toEqual(saved.map((card) => card.id));
    } else {
      expect(ended.status).toBe('error');
      expect(saved).toEqual([]);
      expect(ended.error).toMatch(/\w/);
      expect(message.content).toMatch(/^No flashcards were made: /);
    }
    expect(message.status).toBe(ended.status);
  });

  it('stops a generation without saving a card', async () => {
    const note = waves('Stopped');
    const started = await service.generate(note.id, 3);
    const ended = chat.answered(started.messageId);
    expect(chat.answers.stop({ conversationId: started.conversationId })).toBe(true);
    expect((await ended).status).toBe('stopped');
    expect(service.list({ noteId: note.id })).toEqual([]);
    expect(chat.store.messages.get(started.messageId).content).toBe('Stopped before any flashcard was made.');
  });

  it('fits a long note into the context with room for the longest answer it allows', async () => {
    const long = Array.from({ length: 60 }, (_, i) => section(`Part ${i}`, `torque lever arm ${i}`, 40)).join(
      '\n',
    );
    const note = chat.store.notes.create({ title: 'Long', body: long, tags: [], folder: '' });
    for (const wanted of [1, 5, 10]) {
      const { request, passages, bounds } = await flashcardsRequest(chat.engine, note, wanted);
      const usage = (await chat.engine.measure(request))!;
      expect(usage.tooLong).toBe(false);
      expect(usage.promptTokens + request.maxTokens!).toBeLessThanOrEqual(usage.contextSize);
      expect(passages.length).toBeGreaterThan(0);
      expect(passages.map((passage) => passage.number)).toEqual(passages.map((_, i) => i + 1));
      expect(bounds.cards).toBeGreaterThanOrEqual(1);
      expect(bounds.cards).toBeLessThanOrEqual(wanted);
    }
  });

  it('refuses a note with no text, and one that does not exist', async () => {
    const empty = chat.store.notes.create({ title: 'Empty', body: '  \n', tags: [], folder: '' });
    await expect(service.generate(empty.id, 3)).rejects.toThrow(/no text/);
    await expect(service.generate(99_999, 3)).rejects.toThrow(/does not exist/);
  });

  it('reviews a deck on FSRS’s schedule: due counts, grades, what is left and when the next is due', async () => {
    const note = chat.store.notes.create({
      title: 'Optics',
      body: 'lens\nfocal length',
      tags: [],
      folder: 'Review',
    });
    const { job } = await capture(note, 2);
    job.conclude!(
      outcome([
        { front: 'What bends light?', back: 'A lens.', source: 1 },
        { front: 'Where do parallel rays meet?', back: 'At the focal point.', source: 1 },
      ]),
    );
    expect(service.decks().find((deck) => deck.deck === 'Review')).toEqual({
      deck: 'Review',
      total: 2,
      due: 2,
      nextDueAt: null,
    });

    const first = service.next('Review');
    expect(first.leftToday).toBe(2);
    expect(first.card!.front).toBe('What bends light?');
    expect(first.card!.choices.map((choice) => choice.label)).toEqual(['Again', 'Hard', 'Good', 'Easy']);
    const [again, , good] = first.card!.choices;
    expect(good!.dueAt).toBeGreaterThan(again!.dueAt);

    const graded = service.review(first.card!.id, 3);
    expect(graded.dueAt).toBe(good!.dueAt);
    expect(graded).toMatchObject({ reps: 1, state: 'learning' });
    const second = service.next('Review');
    expect(second.card!.front).toBe('Where do parallel rays meet?');
    expect(service.review(second.card!.id, 1).dueAt).toBe(second.card!.choices[0]!.dueAt);
    expect(service.decks().find((deck) => deck.deck === 'Review')).toMatchObject({ total: 2, due: 0 });

    // Nothing due now: a card due within the learn-ahead limit still comes back in this sitting.
    const ahead = service.next('Review');
    expect(ahead.card!.front).toBe('Where do parallel rays meet?');
    expect(ahead.card!.dueAt - clock).toBeLessThanOrEqual(learnAheadMs);
    service.review(ahead.card!.id, 4);
    service.review(first.card!.id, 4);

    const done = service.next('Review');
    expect(done.card).toBeNull();
    expect(done.leftToday).toBe(0);
    expect(done.nextDueAt).toBeGreaterThanOrEqual(clock + day);
    // Days later the cards are due again.
    clock = done.nextDueAt!;
    expect(service.decks().find((deck) => deck.deck === 'Review')!.due).toBeGreaterThanOrEqual(1);
    expect(service.next('Review').card).not.toBeNull();
  });

  it('edits, deletes and restores cards, announcing each change', async () => {
    const note = chat.store.notes.create({ title: 'Edits', body: 'text', tags: [], folder: 'Edits' });
    const { job } = await capture(note, 1);
    job.conclude!(outcome([{ front: 'Q', back: 'A', source: 1 }]));
    const [card] = service.list({ deck: 'Edits' });
    expect(service.update(card!.id, { front: '  Better question? ', deck: 'Edited' })).toMatchObject({
      front: 'Better question?',
      back: 'A',
      deck: 'Edited',
    });
    expect(changes.at(-1)).toEqual({ ids: [card!.id] });
    expect(service.delete([card!.id])).toEqual({ deleted: 1 });
    expect(service.list({ deck: 'Edited' })).toEqual([]);
    expect(service.restore([card!.id])).toEqual({ restored: 1 });
    expect(service.list({ deck: 'Edited' })).toHaveLength(1);
  });
});
