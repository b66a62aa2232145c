/**
 * A virtual time since the shopper connected, in seconds with exactly three
 * decimals, so that transcripts and messages line up and never change width
 * with the value.
 *
 * @example formatOffset(5632) // '+5.632s'
 */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';

  return `${sign}${(Math.abs(ms) / 1000).toFixed(3)}s`;
}
