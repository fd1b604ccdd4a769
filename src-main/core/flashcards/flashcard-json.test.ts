import { describe, expect, it } from 'vitest';
import {
  cardBounds,
  cardsMarkdown,
  cardsMaxTokens,
  cardsSchema,
  leastAnswerTokens,
  readCards,
  type CardBounds,
} from './flashcard-json';

const bounds: CardBounds = { cards: 3, frontChars: 50, backChars: 100 };
const answer = (...cards: unknown[]) => ({ cards });
const good = { front: 'What is λ?', back: 'The wavelength, v/f.', source: 2 };

describe('the flashcards JSON schema', () => {
  it('asks for as many cards as fit, at full length when there is room', () => {
    expect(cardBounds(5000, 2)).toEqual({ cards: 2, frontChars: 200, backChars: 400 });
    const tight = cardBounds(900, 10)!;
    expect(tight.cards).toBeLessThan(10);
    expect(tight.frontChars).toBeGreaterThanOrEqual(40);
    expect(tight.backChars).toBeGreaterThanOrEqual(80);
    expect(cardBounds(leastAnswerTokens(1) - 1, 5)).toBeNull();
    expect(cardBounds(leastAnswerTokens(1), 5)).toMatchObject({ cards: 1 });
  });

  it('keeps the longest answer the grammar allows within the room it was sized for', () => {
    for (const room of [200, 450, 900, 1200, 1800, 4000])
      for (const wanted of [1, 3, 5, 10]) {
        const sized = cardBounds(room, wanted);
        if (sized) expect(cardsMaxTokens(sized), `${room}/${wanted}`).toBeLessThanOrEqual(room);
      }
  });

  it('bounds every part: the count, each text, and the source to the passages given', () => {
    expect(cardsSchema(bounds, 4)).toEqual({
      type: 'object',
      properties: {
        cards: {
          type: 'array',
          minItems: 1,
          maxItems: 3,
          items: {
            type: 'object',
            properties: {
              front: { type: 'string', minLength: 1, maxLength: 50 },
              back: { type: 'string', minLength: 1, maxLength: 100 },
              source: { enum: [1, 2, 3, 4] },
            },
          },
        },
      },
    });
  });
});

describe('reading the model’s cards back', () => {
  it('takes cards within bounds, tidied', () => {
    expect(
      readCards(answer(good, { front: '  Unit of\nfrequency? ', back: 'hertz\t(Hz)', source: 1 }), bounds, 2),
    ).toEqual([good, { front: 'Unit of frequency?', back: 'hertz (Hz)', source: 1 }]);
  });

  it('refuses a source that is not one of the passages', () => {
    for (const source of [0, 3, -1, 1.5, '1', null])
      expect(() => readCards(answer({ ...good, source }), bounds, 2), String(source)).toThrow();
  });

  it('leaves out cards with an empty question or answer, and refuses an answer left with none', () => {
    const blank = { front: ' \n ', back: 'x', source: 1 };
    expect(readCards(answer(blank, good, { ...good, front: 'Q', back: '' }), bounds, 2)).toEqual([good]);
    expect(() => readCards(answer(blank), bounds, 2)).toThrow(/empty/);
    expect(() => readCards(answer(), bounds, 2)).toThrow();
  });

  it('keeps a question asked twice once', () => {
    expect(readCards(answer(good, { ...good, front: 'WHAT IS λ?', back: 'other' }), bounds, 2)).toEqual([
      good,
    ]);
  });

  it('refuses what the grammar should have prevented: too many cards, too long, other shapes', () => {
    expect(() => readCards(answer(good, good, good, good), bounds, 2)).toThrow();
    expect(() => readCards(answer({ ...good, front: 'x'.repeat(51) }), bounds, 2)).toThrow();
    expect(() => readCards(answer({ ...good, back: 'x'.repeat(101) }), bounds, 2)).toThrow();
    expect(() => readCards(answer({ ...good, extra: 1 }), bounds, 2)).toThrow();
    expect(() => readCards(answer({ front: 'Q', back: 'A' }), bounds, 2)).toThrow();
    expect(() => readCards({ cards: good }, bounds, 2)).toThrow();
    expect(() => readCards([good], bounds, 2)).toThrow();
    expect(() => readCards('{"cards": []}', bounds, 2)).toThrow();
  });

  it('lists the cards as Markdown whose text cannot become links or code', () => {
    expect(cardsMarkdown([good])).toBe('Made 1 flashcard:\n\n- **What is λ?** — The wavelength, v/f.');
    expect(cardsMarkdown([{ front: '[x](http://a) *b*', back: '`c` <i>' }, good])).toBe(
      'Made 2 flashcards:\n\n- **\\[x\\](http://a) \\*b\\*** — \\`c\\` \\<i\\>\n- **What is λ?** — The wavelength, v/f.',
    );
  });
});
