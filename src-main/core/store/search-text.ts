/**
 * Search text preparation and query building, shared by the index (through the SQL function
 * `phidesk_search_text`) and the queries, so both see text the same way.
 */
import type Database from 'better-sqlite3';

/** Ideographs, kana and hangul: scripts written without spaces between words. */
const unspaced = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
/** A zero-width space: the tokenizer splits on it, and it never shows in a snippet. */
const separator = '\u200B';

/** Puts a separator around each CJK character, so each is a token and words inside a run are found. */
export function prepareSearchText(text: string): string {
  return text.replace(unspaced, (character) => `${separator}${character}${separator}`);
}

export function registerSearchFunctions(db: Database.Database): void {
  db.function('phidesk_search_text', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? prepareSearchText(text) : '',
  );
}

/** Highlight markers in snippets (private-use characters the renderer turns into <mark>). */
export const highlightStart = '\uE000';
export const highlightEnd = '\uE001';

/**
 * Turns what a person typed into a safe FTS5 query (TEST-CATALOG I11): every word becomes a quoted
 * string, so `"`, `*`, `NEAR(`, `AND`, `(` are just text; the last word also matches as a prefix, for
 * search as you type. Returns null when nothing searchable is left.
 */
export function buildMatchQuery(input: string): string | null {
  const words = prepareSearchText(input)
    .split(/\s+/u)
    .map((word) => word.replace(/"/g, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}
