/**
 * Trends over the trend window (default 8 weeks). Two views, both reported: the least-squares slope of
 * the weekly values (uses every week, robust to where a bad week falls) and first half against second
 * half (what a manager reads: "the last 4 weeks against the 4 before"). Rates in halves are pooled from
 * summed counts, never averaged, so a week with 3 dials cannot swing them. Direction comes from the
 * halves: a relative change of 10 % or more either way; a smaller one is "flat".
 */
import type { MetricName, Metrics, WeeklyPoint } from '@pillars/contracts';
import type { MetricTrend } from '@pillars/contracts';
import { FUNNEL, pooled } from './funnel.js';
import type { StepDefinition } from './funnel.js';
import { leastSquaresSlope } from './stats.js';

/** Metrics the diagnosis shows a trend for by default. */
export const DEFAULT_TREND_METRICS: readonly MetricName[] = [
  'dials',
  'connectRate',
  'meetingsBooked',
  'meetingHeldRate',
  'dealsCreated',
  'winRate',
  'wonAmount',
];

/** Relative change of the halves below which a trend is called flat. */
export const FLAT_BAND = 0.1;

function rateStep(metric: MetricName): StepDefinition | undefined {
  return FUNNEL.find((d) => d.rateMetric === metric);
}

function halfValue(metric: MetricName, weeks: readonly Metrics[]): number | null {
  if (weeks.length === 0) return null;
  const step = rateStep(metric);
  if (step) {
    const { num, den } = pooled(step, weeks);
    return den > 0 ? num / den : null;
  }
  let sum = 0;
  for (const m of weeks) sum += m[metric] ?? 0;
  return sum / weeks.length;
}

/** The trend of one metric over the given weeks (oldest first). */
export function metricTrend(metric: MetricName, points: readonly WeeklyPoint[]): MetricTrend {
  const xy: { x: number; y: number }[] = [];
  points.forEach((p, i) => {
    const y = p.metrics[metric];
    if (y !== null) xy.push({ x: i, y });
  });
  const half = Math.floor(points.length / 2);
  const firstHalf = halfValue(
    metric,
    points.slice(0, half).map((p) => p.metrics),
  );
  const secondHalf = halfValue(
    metric,
    points.slice(points.length - half).map((p) => p.metrics),
  );
  const relativeChange =
    firstHalf !== null && secondHalf !== null && firstHalf !== 0 ? secondHalf / firstHalf - 1 : null;
  const direction =
    relativeChange === null
      ? 'unknown'
      : relativeChange >= FLAT_BAND
        ? 'up'
        : relativeChange <= -FLAT_BAND
          ? 'down'
          : 'flat';
  return {
    metric,
    weeks: points.length,
    slopePerWeek: leastSquaresSlope(xy),
    firstHalf,
    secondHalf,
    relativeChange,
    direction,
  };
}
