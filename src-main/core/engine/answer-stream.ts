/**
 * Turns generated tokens into the answer's text as it streams: characters split across tokens are held
 * until complete (TEST-CATALOG I5), text that might be the start of a stop trigger is held until it is
 * known not to be, and the answer ends cleanly before a trigger, which never reaches the user.
 */
import type { Token } from 'node-llama-cpp';

export type Detokenize = (tokens: readonly Token[], lastTokens: readonly Token[]) => string;

/** The longest a UTF-8 character can be, in (byte) tokens. */
const maxCharacterTokens = 4;
const replacementCharacter = /\uFFFD/g;

export class AnswerStream {
  #detokenize: Detokenize;
  #triggers: readonly string[];
  #longestTrigger: number;
  #tokens: Token[] = [];
  /** Tokens from here on are not text yet (an incomplete character). */
  #pendingFrom = 0;
  #text = '';
  #released = 0;
  #trimLeading: boolean;
  #stopped = false;

  /**
   * @param trimLeading drop whitespace before the first visible character: Phi-2 starts answers with a
   *   space after `Output:`. A continued answer keeps it.
   */
  constructor(detokenize: Detokenize, stopTriggers: readonly string[], trimLeading: boolean) {
    this.#detokenize = detokenize;
    this.#triggers = stopTriggers.filter((trigger) => trigger.length > 0);
    this.#longestTrigger = Math.max(0, ...this.#triggers.map((trigger) => trigger.length));
    this.#trimLeading = trimLeading;
  }

  /** True once a stop trigger has appeared. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The answer so far, up to any trigger. */
  get text(): string {
    return this.#text;
  }

  /** Adds one generated token; returns the text that can be shown now. */
  push(token: Token): string {
    this.#tokens.push(token);
    const pending = this.#tokens.slice(this.#pendingFrom);
    const piece = this.#detokenize(
      pending,
      this.#tokens.slice(Math.max(0, this.#pendingFrom - 8), this.#pendingFrom),
    );
    // An incomplete character decodes to U+FFFD at the end: wait for the rest of its bytes. Bytes that never
    // form a character (random output) are dropped rather than shown as U+FFFD.
    if (piece.endsWith('\uFFFD') && pending.length < maxCharacterTokens) return '';
    this.#pendingFrom = this.#tokens.length;
    const scanFrom = Math.max(0, this.#text.length - this.#longestTrigger);
    this.#text += piece.replace(replacementCharacter, '');
    if (this.#trimLeading && this.#released === 0) this.#text = this.#text.trimStart();

    const stopAt = this.#firstTrigger(scanFrom);
    if (stopAt !== null) {
      this.#stopped = true;
      this.#text = this.#text.slice(0, stopAt);
      return this.#release(this.#text.length);
    }
    return this.#release(this.#text.length - this.#heldForTrigger());
  }

  /** Ends the stream: text held back for a trigger that never came is released. */
  finish(): string {
    return this.#release(this.#text.length);
  }

  #release(end: number): string {
    if (end <= this.#released) return '';
    const text = this.#text.slice(this.#released, end);
    this.#released = end;
    return text;
  }

  #firstTrigger(from: number): number | null {
    let first: number | null = null;
    for (const trigger of this.#triggers) {
      const index = this.#text.indexOf(trigger, from);
      if (index >= 0 && (first === null || index < first)) first = index;
    }
    return first;
  }

  /** Length of the longest end of the text that could still grow into a trigger. */
  #heldForTrigger(): number {
    const tail = this.#text.slice(-this.#longestTrigger);
    for (let length = Math.min(tail.length, this.#longestTrigger - 1); length > 0; length--) {
      const suffix = tail.slice(-length);
      if (this.#triggers.some((trigger) => trigger.startsWith(suffix))) return length;
    }
    return 0;
  }
}
