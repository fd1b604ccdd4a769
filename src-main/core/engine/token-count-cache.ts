/**
 * Token counts of rendered prompt blocks (a turn, the system text), remembered so that fitting a
 * conversation into the context tokenizes each turn once instead of on every call (TEST-CATALOG I15).
 * Counts belong to one tokenizer: keep one cache per loaded model and drop it with the model. When full,
 * the least recently used blocks go first.
 */

/** What context fitting needs to count tokens. */
export interface TokenCounter {
  /** Tokens in a block that recurs from call to call; may be remembered. */
  block(text: string): number;
  /** Tokens in a whole prompt, counted afresh: it changes every turn and would only evict blocks. */
  prompt(text: string): number;
}

export interface TokenCountLimits {
  maxEntries: number;
  /** Characters of block text kept in all, bounding memory whatever the block sizes. */
  maxChars: number;
}

/** A fit touches at most a context's worth of blocks (each a token or more): room for many conversations. */
export const defaultTokenCountLimits: TokenCountLimits = { maxEntries: 16_384, maxChars: 8_000_000 };

export class TokenCountCache implements TokenCounter {
  #count: (text: string) => number;
  #limits: TokenCountLimits;
  /** In use order, oldest first (a Map iterates in insertion order). */
  #counts = new Map<string, number>();
  #chars = 0;

  constructor(count: (text: string) => number, limits: TokenCountLimits = defaultTokenCountLimits) {
    this.#count = count;
    this.#limits = limits;
  }

  get size(): number {
    return this.#counts.size;
  }

  block(text: string): number {
    if (text === '') return 0;
    const known = this.#counts.get(text);
    if (known !== undefined) {
      this.#counts.delete(text);
      this.#counts.set(text, known);
      return known;
    }
    const tokens = this.#count(text);
    this.#remember(text, tokens);
    return tokens;
  }

  prompt(text: string): number {
    return text === '' ? 0 : this.#count(text);
  }

  #remember(text: string, tokens: number): void {
    if (text.length > this.#limits.maxChars) return;
    this.#counts.set(text, tokens);
    this.#chars += text.length;
    for (const oldest of this.#counts.keys()) {
      if (this.#counts.size <= this.#limits.maxEntries && this.#chars <= this.#limits.maxChars) break;
      this.#counts.delete(oldest);
      this.#chars -= oldest.length;
    }
  }
}
