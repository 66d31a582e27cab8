/**
 * A rule metric's value in one week, and the team's weekly median of it (METRICS.md §3: counts include
 * zeros; rates only members with a non-zero denominator). A rate week counts only when the rep's
 * denominator reaches the step's weekly minimum (funnel.ts): 1 connect of 4 dials is not a weekly rate.
 */
import type { Metrics } from '@pillars/contracts';
import type { RuleMetric } from '@pillars/contracts';
import { stepOfMetric } from '../coaching/funnel.js';
import { medianOf } from '../coaching/stats.js';

/** The value of `metric` in one week; null when it is a rate without a denominator. */
export function weekValue(metric: RuleMetric, m: Metrics): number | null {
  const step = stepOfMetric(metric);
  if (step) {
    const den = step.denominator(m);
    return den > 0 ? step.numerator(m) / den : null;
  }
  return m[metric as keyof Metrics] ?? null;
}

/** True when a rep's week has enough sample for `metric` to be judged (counts: always). */
export function weekJudgeable(metric: RuleMetric, m: Metrics): boolean {
  const step = stepOfMetric(metric);
  return step === undefined || step.denominator(m) >= step.minWeekly;
}

/** The team's median of `metric` in one week over its members' metrics of that week. */
export function weekMedian(metric: RuleMetric, members: readonly Metrics[]): number | null {
  return medianOf(members.map((m) => weekValue(metric, m)).filter((v): v is number => v !== null));
}
