/**
 * Count metrics as plain objects, and rates derived from them (METRICS.md §2).
 */
import { COUNT_METRICS, METRIC_NAMES, RATE_METRICS } from '@pillars/contracts';
import type { CountMetric, Metrics, RateMetric } from '@pillars/contracts';

/** Every count metric of one owner, team or bucket. */
export type CountMetrics = Record<CountMetric, number>;

/** Position of each count metric in COUNT_METRICS (the layout of the accumulator's rows). */
export const COUNT_INDEX: Readonly<Record<CountMetric, number>> = Object.fromEntries(
  COUNT_METRICS.map((name, i) => [name, i]),
) as Record<CountMetric, number>;

/** A count object with every count metric at zero. */
export function zeroCounts(): CountMetrics {
  const out = {} as CountMetrics;
  for (const name of COUNT_METRICS) out[name] = 0;
  return out;
}

/** True when any count is non-zero, i.e. at least one item was counted. */
export function hasAnyCount(counts: Readonly<CountMetrics>): boolean {
  for (const name of COUNT_METRICS) if (counts[name] !== 0) return true;
  return false;
}

/** `numerator / denominator`, or null when the denominator is 0 (METRICS.md: rates are null, not 0). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** The rates of a set of counts, unrounded; null when the denominator is 0. */
export function ratesOf(counts: Readonly<CountMetrics>): Record<RateMetric, number | null> {
  return {
    connectRate: ratio(counts.connects, counts.dials),
    meetingHeldRate: ratio(counts.meetingsHeld, counts.meetingsHeld + counts.meetingsNoShow),
    winRate: ratio(counts.dealsWon, counts.dealsWon + counts.dealsLost),
  };
}

/** All 20 metrics from counts: the counts as given, rates recomputed from them; keys in METRIC_NAMES order. */
export function withRates(counts: Readonly<CountMetrics>): Metrics {
  const rates = ratesOf(counts);
  const out: Record<string, number | null> = {};
  for (const name of METRIC_NAMES) {
    out[name] = isRate(name) ? rates[name] : counts[name];
  }
  return out as Metrics;
}

const RATE_SET: ReadonlySet<string> = new Set(RATE_METRICS);

/** Whether a metric name is one of the rates. */
export function isRate(name: string): name is RateMetric {
  return RATE_SET.has(name);
}
