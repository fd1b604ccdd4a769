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

/** Words too common to tell one passage from another. */
const stopWords = new Set(
  `a about an and are as at be by can could did do does for from had has have how i if in into is it its
  me my of on or so than that the their them then there these this to was we were what when where which
  who why will with would you your`.split(/\s+/),
);

/**
 * The words of a question worth searching for, as the index holds them (lower case, accents removed, CJK
 * characters apart), without common words; at most 32, each once.
 */
export function questionWords(input: string): string[] {
  const words = prepareSearchText(input.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''))
    .split(/[^\p{L}\p{N}\u200B]+|\u200B/u)
    .filter((word) => word.length > 0 && !stopWords.has(word) && /[\p{L}\p{N}]/u.test(word));
  return [...new Set(words)].slice(0, 32);
}

/**
 * An FTS5 query matching passages with any of these words (bm25 then ranks those with more, and rarer,
 * words first), for retrieval rather than search as you type; null without words.
 */
export function anyWordQuery(words: readonly string[]): string | null {
  return words.length === 0 ? null : words.map((word) => `"${word.replace(/"/g, '')}"`).join(' OR ');
}
