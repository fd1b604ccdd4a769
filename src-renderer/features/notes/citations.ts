/**
 * The numbered sources of a notes answer as the panel shows them: where each passage is, a glimpse of it,
 * and the `[1]`, `[2, 3]` markers in the answer's text that become chips. Pure, so it is tested alone; the
 * DOM side is in CitedAnswer.svelte.
 */
import type { NoteCitation } from '../../../src-shared/notes';

/** A run of an answer's text: words as written, or a marker citing sources by number. */
export type CitationPart = string | { cited: number[] };

/** `[1]`, `[12]`, `[1, 2]` (a citation is a few digits; a longer number is something else). */
const marker = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/**
 * The text cut into words and markers, or null when it holds no marker of a known source. A marker with
 * a number no source has (the model invented `[7]`) stays text as written.
 */
export function citationParts(text: string, known: (number: number) => boolean): CitationPart[] | null {
  const parts: CitationPart[] = [];
  let last = 0;
  for (const match of text.matchAll(marker)) {
    const cited = match[1]!.split(',').map((part) => Number(part.trim()));
    if (!cited.every(known)) continue;
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ cited });
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return null;
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** "Waves › Doppler": the note's title, then the headings the passage is under (a top heading that only
 * repeats the title is left out). */
export function sourcePlace(source: NoteCitation): string {
  const title = source.title.trim() || 'Untitled';
  const [first, ...rest] = source.headingPath;
  const headings =
    first !== undefined && first.trim().toLowerCase() === title.toLowerCase() ? rest : source.headingPath;
  return [title, ...headings].join(' › ');
}

/** "lines 12–18", or for a PDF "page 3" / "pages 3–4". */
export function sourceWhere(source: NoteCitation): string {
  if (source.pageStart !== null) {
    const end = source.pageEnd ?? source.pageStart;
    return end !== source.pageStart ? `pages ${source.pageStart}–${end}` : `page ${source.pageStart}`;
  }
  return source.lineEnd !== source.lineStart
    ? `lines ${source.lineStart}–${source.lineEnd}`
    : `line ${source.lineStart}`;
}

/** The passage's first words on one line, without the heading lines the place already names. */
export function passagePreview(text: string, maxChars = 120): string {
  const lines = text.split('\n');
  while (lines.length > 1 && /^\s{0,3}#{1,6}(\s|$)/.test(lines[0]!)) lines.shift();
  const flat = lines.join(' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(' ');
  return `${(space > maxChars * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
