/**
 * Team totals and baselines (METRICS.md §3).
 */
import { COUNT_METRICS, RATE_METRICS } from '@pillars/contracts';
import type { Metrics } from '@pillars/contracts';
import { withRates, zeroCounts } from './counts.js';
import type { CountMetrics } from './counts.js';

/** Sum of each count over the members; rates recomputed from the sums (not averaged). */
export function teamTotals(memberMetrics: readonly Readonly<CountMetrics>[]): Metrics {
  const sums = zeroCounts();
  for (const member of memberMetrics) {
    for (const name of COUNT_METRICS) sums[name] += member[name];
  }
  return withRates(sums);
}

/** Median of numbers (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Per metric, the median over the given members, who must be the team's ACTIVE (not archived) members:
 * counts include zeros; rates take only non-null values and are null when there are none. With no members
 * at all, counts are 0 and rates null. Counts may be halves (mean of two middle values).
 */
export function teamMedian(activeMemberMetrics: readonly Readonly<Metrics>[]): Metrics {
  const out = withRates(zeroCounts());
  for (const name of COUNT_METRICS) out[name] = median(activeMemberMetrics.map((m) => m[name])) ?? 0;
  for (const name of RATE_METRICS) {
    const values: number[] = [];
    for (const m of activeMemberMetrics) {
      const v = m[name];
      if (v !== null) values.push(v);
    }
    out[name] = median(values);
  }
  return out;
}
