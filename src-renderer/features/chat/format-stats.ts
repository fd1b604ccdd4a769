import type { MessageStats, StopReason } from '../../../src-shared/types';
import type { LiveAnswer } from '../../lib/state/answer-follower.svelte';

const stopLabels: Record<StopReason, string> = {
  end_token: 'finished',
  stop_trigger: 'finished at a stop sequence',
  max_tokens: 'reached the length limit',
  user_stop: 'stopped',
  error: 'error',
  crashed: 'the model stopped unexpectedly',
};

export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "0.8 s to first token · 14.2 tok/s · 312 tokens · finished" (whatever is known). */
export function formatStats(stats: MessageStats): string {
  const parts: string[] = [];
  if (stats.timeToFirstTokenMs !== null) parts.push(`${seconds(stats.timeToFirstTokenMs)} to first token`);
  if (stats.tokensPerSecond !== null) parts.push(`${stats.tokensPerSecond.toFixed(1)} tok/s`);
  if (stats.outputTokens !== null)
    parts.push(`${stats.outputTokens} token${stats.outputTokens === 1 ? '' : 's'}`);
  if (stats.stopReason) parts.push(stopLabels[stats.stopReason]);
  return parts.join(' · ');
}

/**
 * Tokens per second of an answer being written, from the engine's own figures only: the tokens after the
 * first over the time since it. Null until that means something.
 */
export function liveTokensPerSecond(live: LiveAnswer): number | null {
  const { outputTokens, elapsedMs, firstTokenMs } = live;
  if (firstTokenMs === null || outputTokens <= 1 || elapsedMs <= firstTokenMs) return null;
  return (outputTokens - 1) / ((elapsedMs - firstTokenMs) / 1000);
}

/** The same while the answer is written, so a slow model and a stuck one look different (RIVALS). */
export function formatLiveStats(live: LiveAnswer): string {
  if (live.queuePosition > 0) return '';
  if (live.firstTokenMs === null) return 'Reading the prompt…';
  const rate = liveTokensPerSecond(live);
  return [
    `${seconds(live.firstTokenMs)} to first token`,
    ...(rate === null ? [] : [`${rate.toFixed(1)} tok/s`]),
    `${live.outputTokens} token${live.outputTokens === 1 ? '' : 's'}`,
  ].join(' · ');
}
