/**
 * Writes an answer to the store while it streams (DESIGN section 5): the row exists as `streaming` before
 * the first token, its text is saved at least every `flushMs` (never per token), and it ends with its
 * final status and stats. A crash loses at most the last interval; startup marks the row `interrupted`.
 *
 * A writer belongs to the database it was opened on: after a restore swaps the database, it can no longer
 * write (the old connection is closed), so it never puts its text into a restored message of the same id.
 */
import type { MessageStats, MessageStatus } from '../../../src-shared/types';
import type { Logger } from '../log';
import type { Messages } from '../store/messages';
import { isBusy } from '../store/sqlite-errors';
import type { Store } from '../store/store';

/** How often a streaming answer is saved. Comfortably inside the 500 ms the design allows. */
export const flushIntervalMs = 300;
/** While another program locks the database, the end of an answer is retried this often, this many times. */
const finishRetryMs = 500;
const finishRetries = 240;

export type AnswerEnd = {
  content: string;
  status: MessageStatus;
  stats?: Partial<MessageStats>;
  error?: string | null;
};

export class StreamingWriter {
  #messages: Messages;
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
    this.#messages = options.store.messages;
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

  /** Starts the text over from `content` (a structured answer written again). */
  restart(content: string): void {
    this.#content = content;
  }

  flush(): void {
    if (this.#content === this.#saved) return;
    try {
      this.#messages.updateStreaming(this.#messageId, this.#content);
      this.#saved = this.#content;
      this.#onFlush(this.#saved.length);
    } catch (error) {
      // Keep streaming to the screen and try again at the next interval; the final write reports failures.
      this.#log.warn(`Could not save answer ${this.#messageId} while streaming`, error);
    }
  }

  /**
   * Ends the answer with its final text, status and stats. While another program holds a lock on the
   * database, the end is saved later, in the background; other failures are thrown.
   */
  finish(end: AnswerEnd): void {
    clearInterval(this.#timer);
    this.#content = end.content;
    try {
      this.#messages.finish(this.#messageId, end);
    } catch (error) {
      if (!isBusy(error)) throw error;
      this.#log.warn(`The database is locked; answer ${this.#messageId} will be saved when it is free`);
      this.#finishLater(end, finishRetries);
    }
  }

  #finishLater(end: AnswerEnd, retries: number): void {
    setTimeout(() => {
      try {
        this.#messages.finish(this.#messageId, end);
      } catch (error) {
        if (isBusy(error) && retries > 1) this.#finishLater(end, retries - 1);
        else this.#log.error(`Could not save the end of answer ${this.#messageId}`, error);
      }
    }, finishRetryMs).unref();
  }
}
