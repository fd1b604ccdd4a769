import { describe, expect, it } from 'vitest';
import { formatInterval, sourceLabel } from './flashcards';

const minute = 60_000;
const day = 24 * 60 * minute;

describe('flashcard words', () => {
  it('says a review interval in a few characters', () => {
    expect(formatInterval(0)).toBe('1 min');
    expect(formatInterval(minute)).toBe('1 min');
    expect(formatInterval(10 * minute)).toBe('10 min');
    expect(formatInterval(59.6 * minute)).toBe('1 h');
    expect(formatInterval(5 * 60 * minute)).toBe('5 h');
    expect(formatInterval(day - 10 * minute)).toBe('1 day');
    expect(formatInterval(day)).toBe('1 day');
    expect(formatInterval(3 * day)).toBe('3 days');
    expect(formatInterval(65 * day)).toBe('2 mo');
    expect(formatInterval(359 * day)).toBe('1 yr');
    expect(formatInterval(365 * day)).toBe('1 yr');
    expect(formatInterval(548 * day)).toBe('1.5 yr');
  });

  it('names a card’s source by note, headings and lines, the title said once', () => {
    const source = { noteId: 1, title: 'Waves', headingPath: ['Doppler'], lineStart: 12, lineEnd: 18 };
    expect(sourceLabel(source)).toBe('From Waves › Doppler, lines 12–18');
    expect(sourceLabel({ ...source, headingPath: ['Waves', 'Doppler'] })).toBe(
      'From Waves › Doppler, lines 12–18',
    );
    expect(sourceLabel({ ...source, title: '', headingPath: [], lineEnd: 12 })).toBe(
      'From Untitled, line 12',
    );
  });
});
