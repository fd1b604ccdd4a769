/**
 * Collects streamed text and hands it on at most once per interval, so a fast model sends one message
 * per frame rather than one per token (DESIGN section 7).
 */
export class DeltaBuffer {
  #pending = '';
  #timer: NodeJS.Timeout | null = null;
  #intervalMs: number;
  #emit: (text: string) => void;

  constructor(intervalMs: number, emit: (text: string) => void) {
    this.#intervalMs = intervalMs;
    this.#emit = emit;
  }

  push(text: string): void {
    if (!text) return;
    this.#pending += text;
    this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs);
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.#pending) return;
    const text = this.#pending;
    this.#pending = '';
    this.#emit(text);
  }
}
