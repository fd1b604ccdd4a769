/**
 * Writes an answer to the store while it streams (DESIGN section 5): the row exists as `streaming` before
 * the first token, its text is saved at least every `flushMs` (never per token), and it ends with its
 * final status and stats. A crash loses at most the last interval; startup marks the row `interrupted`.
 */
import type { MessageStats, MessageStatus } from '../../../src-shared/types';
import type { Logger } from '../log';
import type { Store } from '../store/store';

/** How often a streaming answer is saved. Comfortably inside the 500 ms the design allows. */
export const flushIntervalMs = 300;

export class StreamingWriter {
  #store: Store;
  #log: Logger;
  #messageId: number;
  #content: string;
  #saved: string;
  #timer: NodeJS.Timeout;
  #onFlush: (length: number) => void;

  constructor(options: {
    store: Store;
    log: Logger;
    messageId: number;
    content: string;
    onFlush?: (length: number) => void;
  }) {
    this.#store = options.store;
    this.#log = options.log;
    this.#messageId = options.messageId;
    this.#content = options.content;
    this.#saved = options.content;
    this.#onFlush = options.onFlush ?? (() => {});
    this.#timer = setInterval(() => this.flush(), flushIntervalMs);
  }

  get content(): string {
    return this.#content;
  }

  append(text: string): void {
    this.#content += text;
  }

  flush(): void {
    if (this.#content === this.#saved) return;
    try {
      this.#store.messages.updateStreaming(this.#messageId, this.#content);
      this.#saved = this.#content;
      this.#onFlush(this.#saved.length);
    } catch (error) {
      // Keep streaming to the screen; the final write will report the problem.
      this.#log.warn(`Could not save answer ${this.#messageId} while streaming`, error);
    }
  }

  /** Ends the answer with its final text, status and stats. */
  finish(end: {
    content: string;
    status: MessageStatus;
    stats?: Partial<MessageStats>;
    error?: string | null;
  }): void {
    clearInterval(this.#timer);
    this.#content = end.content;
    this.#store.messages.finish(this.#messageId, end);
  }
}
