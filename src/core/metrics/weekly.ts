/**
 * Week-by-week series for trend charts: per owner, and per team (totals and the median baseline).
 */
import type { WeeklyPoint } from '@pillars/contracts';
import type { Owner } from '../crm.js';
import { AppError } from '../errors.js';
import type { WeekBucket } from '../time/period.js';
import type { AccumulatorResult } from './accumulator.js';
import { hasAnyCount, withRates, zeroCounts } from './counts.js';
import { buildRoster } from './roster.js';
import { teamMedian, teamTotals } from './teams.js';

/** Per-week metrics, one point per week in week order. */
export interface WeeklySeries {
  /** Same rows as the report: every active owner, plus archived or unknown owners with items in any week. */
  owners: Map<string, WeeklyPoint[]>;
  /** Per team: the median over its active members, week by week. */
  teamMedians: Map<string, WeeklyPoint[]>;
  /** Per team: the totals over its listed members, week by week. */
  teamTotals: Map<string, WeeklyPoint[]>;
  unassigned: WeeklyPoint[];
}

/**
 * Split an accumulator result whose buckets are `weeks` (from splitIntoWeeks, same order) into series.
 * `owners` (active and archived) decides rows and teams as in the report; without it only owners with items
 * get rows and there are no teams.
 */
export function buildWeeklySeries(
  result: AccumulatorResult,
  weeks: readonly WeekBucket[],
  owners: readonly Owner[] = [],
): WeeklySeries {
  if (
    result.buckets.length !== weeks.length ||
    result.buckets.some((b, i) => b.startMs !== weeks[i].startMs || b.endMs !== weeks[i].endMs)
  ) {
    throw new AppError(
      'INTERNAL',
      'buildWeeklySeries needs an accumulator result whose buckets are the weeks',
    );
  }

  const counted = new Set<string>();
  for (const bucket of result.buckets) {
    for (const [ownerId, counts] of bucket.owners) if (hasAnyCount(counts)) counted.add(ownerId);
  }
  const roster = buildRoster(owners, counted);

  // metrics[week] : ownerId -> metrics of that week
  const perWeek = result.buckets.map(
    (bucket) =>
      new Map(roster.reps.map((r) => [r.ownerId, withRates(bucket.owners.get(r.ownerId) ?? zeroCounts())])),
  );
  const point = (i: number, metrics: WeeklyPoint['metrics']): WeeklyPoint => ({
    weekStart: weeks[i].weekStart,
    metrics,
  });

  const series: WeeklySeries = {
    owners: new Map(),
    teamMedians: new Map(),
    teamTotals: new Map(),
    unassigned: result.buckets.map((b, i) => point(i, withRates(b.unassigned))),
  };
  for (const rep of roster.reps) {
    series.owners.set(
      rep.ownerId,
      perWeek.map((m, i) => point(i, m.get(rep.ownerId) ?? withRates(zeroCounts()))),
    );
  }
  for (const team of roster.teams) {
    const metricsOf = (week: number, ownerId: string) =>
      perWeek[week].get(ownerId) ?? withRates(zeroCounts());
    series.teamMedians.set(
      team.teamId,
      weeks.map((_, i) => point(i, teamMedian(team.activeOwnerIds.map((id) => metricsOf(i, id))))),
    );
    series.teamTotals.set(
      team.teamId,
      weeks.map((_, i) => point(i, teamTotals(team.ownerIds.map((id) => metricsOf(i, id))))),
    );
  }
  return series;
}
