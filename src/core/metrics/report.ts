/**
 * The metrics report (METRICS.md §4): one row per rep, one entry per team, unassigned and skipped.
 */
import type { Metrics, MetricsReport, RepReport, TeamReport } from '@pillars/contracts';
import type { Owner } from '../crm.js';
import { AppError } from '../errors.js';
import type { ResolvedPeriod } from '../time/period.js';
import type { AccumulatorResult } from './accumulator.js';
import { hasAnyCount, withRates, zeroCounts } from './counts.js';
import type { CountMetrics } from './counts.js';
import { buildRoster } from './roster.js';
import { teamMedian, teamTotals } from './teams.js';

/** Narrowing of a report to some owners or one team (see buildMetricsReport). */
export interface MetricsReportFilter {
  ownerIds?: readonly string[];
  teamId?: string;
}

export interface MetricsReportInput {
  portalId: number;
  timeZone: string;
  period: ResolvedPeriod;
  /** Active and archived owners. */
  owners: readonly Owner[];
  /** An accumulator result with exactly one bucket: the period. */
  accumulatorResult: AccumulatorResult;
  filter?: MetricsReportFilter;
}

/**
 * Build the report. Reps: every active owner (zeros included) plus every archived or unknown owner with at
 * least one counted item, sorted by ownerId as a string; an unknown owner has name and email null,
 * archived false and no teams. Teams: every team of a listed owner, sorted by teamId; `ownerIds` are its
 * listed members, `totals` sum them, `median` is over its active members.
 *
 * Filter: `ownerIds` keeps only those reps (ids without a row are ignored) and the teams any of them
 * belongs to; `teamId` keeps only that team and its members. Both together must both hold. A team's totals
 * and median are ALWAYS over the whole team, so a rep can be compared with their team. `unassigned` and
 * `skipped` are the portal's, unaffected by filters.
 */
export function buildMetricsReport(input: MetricsReportInput): MetricsReport {
  const { period, accumulatorResult: result } = input;
  const bucket = result.buckets.length === 1 ? result.buckets[0] : undefined;
  if (bucket === undefined || bucket.startMs !== period.startMs || bucket.endMs !== period.endMs) {
    throw new AppError(
      'INTERNAL',
      'buildMetricsReport needs an accumulator result with one bucket: the period',
    );
  }

  const counted = [...bucket.owners].filter(([, counts]) => hasAnyCount(counts)).map(([id]) => id);
  const roster = buildRoster(input.owners, counted);
  const countsOf = (ownerId: string): CountMetrics => bucket.owners.get(ownerId) ?? zeroCounts();
  const metricsById = new Map<string, Metrics>(
    roster.reps.map((r) => [r.ownerId, withRates(countsOf(r.ownerId))]),
  );
  const metricsOf = (ownerId: string): Metrics => metricsById.get(ownerId) ?? withRates(zeroCounts());

  const wantedOwners = input.filter?.ownerIds ? new Set(input.filter.ownerIds) : null;
  const wantedTeam = input.filter?.teamId;

  const reps: RepReport[] = roster.reps
    .filter((r) => wantedOwners === null || wantedOwners.has(r.ownerId))
    .filter((r) => wantedTeam === undefined || r.teamIds.includes(wantedTeam))
    .map((r) => ({ ...r, metrics: metricsOf(r.ownerId) }));

  const teams: TeamReport[] = roster.teams
    .filter((t) => wantedTeam === undefined || t.teamId === wantedTeam)
    .filter((t) => wantedOwners === null || t.ownerIds.some((id) => wantedOwners.has(id)))
    .map((t) => ({
      teamId: t.teamId,
      name: t.name,
      ownerIds: t.ownerIds,
      totals: teamTotals(t.ownerIds.map(countsOf)),
      median: teamMedian(t.activeOwnerIds.map(metricsOf)),
    }));

  return {
    portalId: input.portalId,
    timeZone: input.timeZone,
    period: { from: period.from, to: period.to, startUtc: period.startUtc, endUtc: period.endUtc },
    reps,
    teams,
    unassigned: withRates(bucket.unassigned),
    skipped: result.skipped,
  };
}
