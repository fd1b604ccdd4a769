/**
 * Keeps recent conversations' evaluated prefixes in the KV cache: one context sequence each, so switching
 * back to a conversation costs nothing (measured in bench/engine.ts against re-evaluating). When every
 * sequence is taken, the least recently used one is handed over; its tokens are only replaced where the
 * new prompt differs, so a shared system preamble is still reused.
 */
import type { LlamaContextSequence } from 'node-llama-cpp';
import type { EvaluatedText } from './prompt-tokens';

export interface Session {
  sequence: LlamaContextSequence;
  /** First turn kept in the model's view last time (see context-window.ts). */
  keptFrom: number;
  /** What this conversation left in the sequence, token by token (see prompt-tokens.ts). */
  evaluated: EvaluatedText | null;
}

interface Slot extends Session {
  key: string | null;
  lastUsed: number;
}

export class SessionPool {
  #slots: Slot[];
  #clock = 0;

  constructor(sequences: LlamaContextSequence[]) {
    this.#slots = sequences.map((sequence) => ({
      sequence,
      key: null,
      keptFrom: 0,
      evaluated: null,
      lastUsed: 0,
    }));
  }

  /** The session of a conversation, if it still has a sequence. */
  peek(key: string): Session | undefined {
    return this.#slots.find((candidate) => candidate.key === key);
  }

  acquire(key: string): Session {
    let slot = this.#slots.find((candidate) => candidate.key === key);
    if (!slot) {
      slot = this.#slots.reduce((oldest, candidate) =>
        candidate.lastUsed < oldest.lastUsed ? candidate : oldest,
      );
      slot.key = key;
      slot.keptFrom = 0;
      slot.evaluated = null;
    }
    slot.lastUsed = ++this.#clock;
    return slot;
  }
}
