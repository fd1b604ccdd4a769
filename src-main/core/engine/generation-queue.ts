/**
 * Serves generations one at a time, in order (TEST-CATALOG C1: answers never interleave). A bounded
 * number may wait; beyond that new requests are refused as busy. Waiting requests can be cancelled.
 */
import { AppError } from '../../../src-shared/errors';

export interface QueuedJob {
  id: string;
  run(): Promise<void>;
  /** Called instead of run() when the job is cancelled while waiting. */
  cancelled(): void;
}

export class GenerationQueue {
  #waiting: QueuedJob[] = [];
  #running: QueuedJob | null = null;
  #runningDone: Promise<void> = Promise.resolve();
  #maxWaiting: number;
  #onChange: () => void;

  constructor(maxWaiting: number, onChange: () => void = () => {}) {
    this.#maxWaiting = maxWaiting;
    this.#onChange = onChange;
  }

  get running(): string | null {
    return this.#running?.id ?? null;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** How many requests are ahead of a job (0: it runs), or null when it neither runs nor waits. */
  position(id: string): number | null {
    if (this.#running?.id === id) return 0;
    const index = this.#waiting.findIndex((job) => job.id === id);
    return index < 0 ? null : index + (this.#running ? 1 : 0);
  }

  /** Adds a job; returns how many are ahead of it (0: it starts now). */
  enqueue(job: QueuedJob): number {
    if (this.#running && this.#waiting.length >= this.#maxWaiting) {
      throw new AppError(
        'busy',
        `Busy: ${this.#waiting.length + 1} answers are already waiting. Try again shortly.`,
      );
    }
    this.#waiting.push(job);
    const ahead = this.#waiting.length - 1 + (this.#running ? 1 : 0);
    this.#pump();
    return ahead;
  }

  /** Removes a waiting job. False if it is not waiting (running, finished or unknown). */
  cancel(id: string): boolean {
    const index = this.#waiting.findIndex((job) => job.id === id);
    if (index < 0) return false;
    const [job] = this.#waiting.splice(index, 1);
    job!.cancelled();
    this.#onChange();
    return true;
  }

  /** Cancels everything waiting (e.g. before the model is unloaded). */
  cancelAll(): void {
    for (const job of this.#waiting.splice(0)) job.cancelled();
    this.#onChange();
  }

  /** Resolves once nothing runs or waits. */
  async idle(): Promise<void> {
    while (this.#running) await this.#runningDone;
  }

  #pump(): void {
    if (this.#running) {
      this.#onChange();
      return;
    }
    const job = this.#waiting.shift();
    if (!job) {
      this.#onChange();
      return;
    }
    this.#running = job;
    this.#onChange();
    this.#runningDone = job
      .run()
      .catch(() => {
        // A job reports its own failures; the queue only keeps going.
      })
      .finally(() => {
        this.#running = null;
        this.#pump();
      });
  }
}
