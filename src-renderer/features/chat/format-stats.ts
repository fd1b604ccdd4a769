import type { MessageStats, StopReason } from '../../../src-shared/types';
import type { Streaming } from './chat-state.svelte';

const stopLabels: Record<StopReason, string> = {
  end_token: 'finished',
  stop_trigger: 'finished at a stop sequence',
  max_tokens: 'reached the length limit',
  user_stop: 'stopped',
  error: 'error',
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

/** The same while the answer streams, so a slow model and a stuck one look different (RIVALS). */
export function formatLiveStats(streaming: Streaming): string {
  if (streaming.firstTextMs === null) return 'Reading the prompt…';
  const decodeMs = streaming.elapsedMs - streaming.firstTextMs;
  const rate =
    decodeMs > 0 && streaming.outputTokens > 1
      ? `${((streaming.outputTokens - 1) / (decodeMs / 1000)).toFixed(1)} tok/s · `
      : '';
  return `${seconds(streaming.firstTextMs)} to first token · ${rate}${streaming.outputTokens} tokens`;
}
