import { describe, expect, it } from 'vitest';
import { formatLiveStats, formatStats } from './format-stats';

describe('formatStats', () => {
  it('says what is known about an answer', () => {
    expect(
      formatStats({
        promptTokens: 30,
        outputTokens: 312,
        timeToFirstTokenMs: 840,
        tokensPerSecond: 14.23,
        stopReason: 'end_token',
      }),
    ).toBe('840 ms to first token · 14.2 tok/s · 312 tokens · finished');
    expect(
      formatStats({
        promptTokens: null,
        outputTokens: 1,
        timeToFirstTokenMs: 2300,
        tokensPerSecond: null,
        stopReason: 'user_stop',
      }),
    ).toBe('2.3 s to first token · 1 token · stopped');
    expect(
      formatStats({
        promptTokens: null,
        outputTokens: null,
        timeToFirstTokenMs: null,
        tokensPerSecond: null,
        stopReason: null,
      }),
    ).toBe('');
  });

  it("shows live progress from the engine's figures only", () => {
    const base = { messageId: 2, text: '', queuePosition: 0 };
    expect(formatLiveStats({ ...base, outputTokens: 0, firstTokenMs: null, elapsedMs: 500 })).toBe(
      'Reading the prompt…',
    );
    expect(formatLiveStats({ ...base, outputTokens: 21, firstTokenMs: 1000, elapsedMs: 3000 })).toBe(
      '1.0 s to first token · 10.0 tok/s · 21 tokens',
    );
    // One token, or no time since the first: no rate rather than an impossible one.
    expect(formatLiveStats({ ...base, outputTokens: 1, firstTokenMs: 800, elapsedMs: 800 })).toBe(
      '800 ms to first token · 1 token',
    );
    expect(formatLiveStats({ ...base, outputTokens: 5, firstTokenMs: 800, elapsedMs: 800 })).toBe(
      '800 ms to first token · 5 tokens',
    );
    // Waiting in the queue: nothing measured yet.
    expect(
      formatLiveStats({ ...base, queuePosition: 2, outputTokens: 0, firstTokenMs: null, elapsedMs: 0 }),
    ).toBe('');
  });
});
