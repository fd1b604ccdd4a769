/**
 * Splits a Markdown note into the chunks the notes index retrieves and cites: along its headings first (a
 * chunk never spans two sections, so its heading path is exact), then, within a section longer than a
 * chunk, into pieces of 800–1000 characters that break at a paragraph, a line, a sentence or a word, each
 * starting with the last 10–15 % of the one before (a sentence cut at a boundary is still found whole).
 * Every chunk knows its lines (1-based, inclusive), so a citation can open the note at them.
 *
 * A `#` inside a fenced code block is not a heading. A section with no text of its own (a heading followed
 * at once by a deeper one) gives no chunk: its title is in the heading path of what follows.
 */
import { splitLines } from '../../../src-shared/lines';

export interface NoteChunk {
  text: string;
  /** The titles of the headings it sits under, outermost first. */
  headingPath: string[];
  lineStart: number;
  lineEnd: number;
}

export const chunkChars = { min: 800, max: 1000 };
/** How much of a chunk the next one repeats: at least, at most, and what is aimed for without a boundary. */
const overlap = { min: 0.1, max: 0.15, aim: 0.12 };

interface Section {
  headingPath: string[];
  /** Its lines, from its heading (if any) to the line before the next heading. */
  lines: string[];
  /** The line number of its first line. */
  firstLine: number;
  hasBody: boolean;
}

export function chunkNote(markdown: string): NoteChunk[] {
  return sections(splitLines(markdown)).flatMap((section) => (section.hasBody ? chunkSection(section) : []));
}

const atxHeading = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const fence = /^ {0,3}(`{3,}|~{3,})/;

function sections(lines: string[]): Section[] {
  const found: Section[] = [];
  const path: { level: number; title: string }[] = [];
  let current: Section = { headingPath: [], lines: [], firstLine: 1, hasBody: false };
  let openFence: string | null = null;
  for (const [index, line] of lines.entries()) {
    const fenceMark = fence.exec(line)?.[1];
    if (fenceMark) {
      if (openFence === null) openFence = fenceMark;
      else if (fenceMark[0] === openFence[0] && fenceMark.length >= openFence.length) openFence = null;
    }
    const heading = openFence === null && !fenceMark ? atxHeading.exec(line) : null;
    if (heading) {
      found.push(current);
      const level = heading[1]!.length;
      while (path.length > 0 && path.at(-1)!.level >= level) path.pop();
      path.push({ level, title: (heading[2] ?? '').trim() });
      current = {
        headingPath: path.map((entry) => entry.title),
        lines: [line],
        firstLine: index + 1,
        hasBody: false,
      };
      continue;
    }
    current.lines.push(line);
    if (line.trim()) current.hasBody = true;
  }
  found.push(current);
  return found;
}

function chunkSection(section: Section): NoteChunk[] {
  // Trailing blank lines belong to no chunk.
  const lines = [...section.lines];
  while (lines.length > 0 && !lines.at(-1)!.trim()) lines.pop();
  const text = lines.join('\n');
  const lineOf = lineNumbers(text, section.firstLine);
  const chunks: NoteChunk[] = [];
  let start = 0;
  for (;;) {
    const end = text.length - start <= chunkChars.max ? text.length : breakBefore(text, start);
    chunks.push({
      text: text.slice(start, end),
      headingPath: section.headingPath,
      lineStart: lineOf(start),
      lineEnd: lineOf(end - 1),
    });
    if (end >= text.length) return chunks;
    start = overlapStart(text, start, end);
  }
}

/** Where a chunk starting at `start` ends: the last good break between the least and most it may hold. */
function breakBefore(text: string, start: number): number {
  const window = text.slice(start + chunkChars.min, start + chunkChars.max);
  for (const boundary of ['\n\n', '\n', '. ', ' ']) {
    const at = window.lastIndexOf(boundary);
    if (at >= 0) return start + chunkChars.min + at + boundary.length;
  }
  return start + chunkChars.max;
}

/** Where the next chunk starts: within the last 10–15 % of this one, after a space or line end if any. */
function overlapStart(text: string, start: number, end: number): number {
  const length = end - start;
  const earliest = end - Math.floor(length * overlap.max);
  const latest = end - Math.ceil(length * overlap.min);
  const window = text.slice(earliest, latest);
  const space = window.search(/\s\S/);
  return space >= 0 ? earliest + space + 1 : end - Math.round(length * overlap.aim);
}

/** Maps an offset in `text` to its line number, counting from `firstLine`. */
function lineNumbers(text: string, firstLine: number): (offset: number) => number {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return firstLine + low;
  };
}
