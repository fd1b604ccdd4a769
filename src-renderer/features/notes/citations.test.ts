import { describe, expect, it } from 'vitest';
import type { NoteCitation } from '../../../src-shared/notes';
import { citationParts, passagePreview, sourcePlace, sourceWhere } from './citations';

const source = (changes: Partial<NoteCitation> = {}): NoteCitation => ({
  chunkId: 1,
  noteId: 4,
  title: 'Waves',
  headingPath: ['Doppler'],
  lineStart: 12,
  lineEnd: 18,
  pageStart: null,
  pageEnd: null,
  text: 'The pitch rises as the source comes closer.',
  number: 1,
  ...changes,
});

describe('citation markers in an answer', () => {
  const known = (number: number) => number >= 1 && number <= 3;

  it('cuts the text around markers of known sources', () => {
    expect(citationParts('Sound waves [1] and light [2, 3].', known)).toEqual([
      'Sound waves ',
      { cited: [1] },
      ' and light ',
      { cited: [2, 3] },
      '.',
    ]);
    expect(citationParts('[1][2]', known)).toEqual([{ cited: [1] }, { cited: [2] }]);
  });

  it('leaves a marker of a source that does not exist as text', () => {
    expect(citationParts('As noted [7].', known)).toBeNull();
    expect(citationParts('Both [1] and [1, 9].', known)).toEqual(['Both ', { cited: [1] }, ' and [1, 9].']);
  });

  it('does not take other brackets or long numbers for markers', () => {
    expect(citationParts('an array [a] or a year [2024] or [ ]', known)).toBeNull();
    expect(citationParts('no markers at all', known)).toBeNull();
  });
});

describe('a source as a card shows it', () => {
  it('names the note, the headings and the lines', () => {
    expect(sourcePlace(source())).toBe('Waves › Doppler');
    expect(sourcePlace(source({ title: ' ', headingPath: [] }))).toBe('Untitled');
    expect(sourcePlace(source({ headingPath: ['waves', 'Doppler'] }))).toBe('Waves › Doppler');
    expect(sourceWhere(source())).toBe('lines 12–18');
    expect(sourceWhere(source({ lineEnd: 12 }))).toBe('line 12');
  });

  it('names the pages of a PDF', () => {
    expect(sourceWhere(source({ pageStart: 3, pageEnd: 3 }))).toBe('page 3');
    expect(sourceWhere(source({ pageStart: 3, pageEnd: 4 }))).toBe('pages 3–4');
  });

  it('shows the first words of the passage, without its heading lines', () => {
    expect(passagePreview('## Doppler\nThe pitch   rises\nas it comes.')).toBe(
      'The pitch rises as it comes.',
    );
    const long = passagePreview('word '.repeat(60));
    expect(long.length).toBeLessThanOrEqual(121);
    expect(long.endsWith('word…')).toBe(true);
    expect(passagePreview('# Only a heading')).toBe('# Only a heading');
  });
});
