/** p50, p99 and max of a sample, in its own unit; null for no sample. */
export interface Spread {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/**
 * Nearest-rank percentiles: with thousands of frames per row the choice of
 * interpolation changes nothing visible, and nearest-rank always reports a
 * value that was actually measured.
 */
export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;

  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

  return {
    p50: rank(0.5),
    p99: rank(0.99),
    max: sorted[sorted.length - 1]!,
    count: sorted.length,
  };
}

/** CPU time from `process.cpuUsage()`, user plus system, in ms. */
export function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}
