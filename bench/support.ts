/** Helpers for benchmarks: they print ratios measured side by side in one run, never absolute targets. */

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs the variants in turn, round after round, so drift on a noisy machine hits them alike. */
export async function interleave<K extends string>(
  rounds: number,
  variants: Record<K, () => Promise<number>>,
): Promise<Record<K, number[]>> {
  const results = Object.fromEntries(Object.keys(variants).map((key) => [key, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(variants) as K[]) results[key].push(await variants[key]());
  }
  return results;
}

export function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES TARGET';
}

/** The value below which `p` percent of `values` fall. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
