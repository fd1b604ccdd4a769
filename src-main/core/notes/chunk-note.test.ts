import { describe, expect, it } from 'vitest';
import { splitLines } from '../../../src-shared/lines';
import { chunkChars, chunkNote, type NoteChunk } from './chunk-note';

/** A paragraph of about `chars` characters of varied words. */
function paragraph(chars: number, seed = 1): string {
  const words = ['energy', 'force', 'mass', 'the', 'slope', 'is', 'velocity', 'and', 'a', 'friction'];
  let text = '';
  for (let i = 0; text.length < chars; i++)
    text += `${words[(i * 7 + seed) % words.length]}${i % 13 === 12 ? '. ' : ' '}`;
  return text.trimEnd();
}

/** The note's lines a chunk says it covers. */
function linesOf(note: string, chunk: NoteChunk): string {
  return splitLines(note)
    .slice(chunk.lineStart - 1, chunk.lineEnd)
    .join('\n');
}

describe('chunking a note', () => {
  it('keeps a short note whole, with its lines', () => {
    const note = 'Newton’s second law.\n\nF = m a, in newtons.';
    expect(chunkNote(note)).toEqual([{ text: note, headingPath: [], lineStart: 1, lineEnd: 3 }]);
  });

  it('gives nothing for an empty or blank note', () => {
    expect(chunkNote('')).toEqual([]);
    expect(chunkNote(' \n\n\t\n')).toEqual([]);
  });

  it('splits along headings, each chunk under the path of headings it sits in', () => {
    const note = [
      'Intro line.',
      '# Mechanics',
      '## Kinematics',
      'v = u + a t',
      '### Graphs',
      'The slope is the acceleration.',
      '## Dynamics ##',
      'F = m a',
      '# Waves',
      'v = f λ',
    ].join('\n');
    expect(
      chunkNote(note).map(({ headingPath, lineStart, lineEnd }) => ({ headingPath, lineStart, lineEnd })),
    ).toEqual([
      { headingPath: [], lineStart: 1, lineEnd: 1 },
      // "# Mechanics" has no text of its own: it is in the paths below, not a chunk.
      { headingPath: ['Mechanics', 'Kinematics'], lineStart: 3, lineEnd: 4 },
      { headingPath: ['Mechanics', 'Kinematics', 'Graphs'], lineStart: 5, lineEnd: 6 },
      { headingPath: ['Mechanics', 'Dynamics'], lineStart: 7, lineEnd: 8 },
      { headingPath: ['Waves'], lineStart: 9, lineEnd: 10 },
    ]);
  });

  it('does not take a # inside fenced code for a heading', () => {
    const note = [
      '# Code',
      '```python',
      '# a comment, not a heading',
      'x = 1',
      '```',
      'After the code.',
    ].join('\n');
    const chunks = chunkNote(note);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({ headingPath: ['Code'], lineStart: 1, lineEnd: 6 });
    expect(chunkNote('~~~\n# still code\n~~~~\n# Real').map((chunk) => chunk.headingPath)).toEqual([[]]);
  });

  it('cuts a long section into 800–1000 characters at boundaries, each repeating 10–15 % of the one before', () => {
    const note = [
      '# Energy',
      ...Array.from({ length: 12 }, (_, i) => paragraph(300 + i * 40, i) + '\n'),
    ].join('\n');
    const chunks = chunkNote(note);
    expect(chunks.length).toBeGreaterThan(4);
    for (const [index, chunk] of chunks.entries()) {
      expect(chunk.headingPath).toEqual(['Energy']);
      if (index < chunks.length - 1) {
        expect(chunk.text.length).toBeGreaterThanOrEqual(chunkChars.min);
        expect(chunk.text.length).toBeLessThanOrEqual(chunkChars.max);
      }
      // Its lines hold its text, and it starts and ends on whole words.
      expect(linesOf(note, chunk)).toContain(chunk.text.trim());
      expect(chunk.text).toMatch(/^\S/);
      if (index > 0) {
        const previous = chunks[index - 1]!;
        // The longest end of the previous chunk that this one starts with.
        const repeated = [...Array(previous.text.length).keys()]
          .map((n) => previous.text.length - n)
          .find((length) => chunk.text.startsWith(previous.text.slice(-length)));
        expect(repeated).toBeDefined();
        expect(repeated! / previous.text.length).toBeGreaterThanOrEqual(0.1);
        expect(repeated! / previous.text.length).toBeLessThanOrEqual(0.15);
      }
    }
    // Nothing is left out: every word of the section is in some chunk.
    const joined = chunks.map((chunk) => chunk.text).join(' ');
    for (const line of splitLines(note).slice(1))
      for (const word of line.split(/\s+/).filter(Boolean)) expect(joined).toContain(word);
  });

  it('cuts one huge line too, every piece on that line', () => {
    const note = `Title line\n${'x'.repeat(4500)}`;
    const chunks = chunkNote(note);
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(chunks.slice(1).every((chunk) => chunk.lineStart === 2 && chunk.lineEnd === 2)).toBe(true);
    expect(chunks.every((chunk) => chunk.text.length <= chunkChars.max)).toBe(true);
  });

  it('numbers lines the way the rest of the app does: \\r\\n, a bare \\r and \\n each end one', () => {
    const note = '# A\r\nfirst\r# B\nsecond\r\n\r\n# C\rthird';
    expect(
      chunkNote(note).map(({ headingPath, lineStart, lineEnd }) => [headingPath[0], lineStart, lineEnd]),
    ).toEqual([
      ['A', 1, 2],
      ['B', 3, 4],
      ['C', 6, 7],
    ]);
  });
});
