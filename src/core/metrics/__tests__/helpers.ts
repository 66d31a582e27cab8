// Small builders shared by the metrics tests.
import type { CrmRecord, Owner } from '../../crm.js';
import { resolvePeriod } from '../../time/period.js';
import type { ResolvedPeriod, TimeBucket } from '../../time/period.js';
import { createMetricsAccumulator } from '../accumulator.js';
import type { AccumulatorResult } from '../accumulator.js';
import { zeroCounts } from '../counts.js';
import type { CountMetrics } from '../counts.js';
import { connectedOutcomeIds, DEFAULT_CONNECTED_OUTCOME_ID } from '../outcomes.js';
import type { MetricObjectType } from '../properties.js';

export const NY = 'America/New_York';
/** The METRICS.md §4 example week: Monday 2 to Monday 9 November 2026, New York. */
export const WEEK: ResolvedPeriod = resolvePeriod('2026-11-02', '2026-11-09', NY);
/** A moment well inside WEEK (Tuesday 3 November, 09:00 New York). */
export const IN_WEEK = '2026-11-03T14:00:00.000Z';
/** A moment before WEEK. */
export const BEFORE_WEEK = '2026-10-20T14:00:00.000Z';
export const CONNECTED = DEFAULT_CONNECTED_OUTCOME_ID;
export const NOT_CONNECTED = '73a0d17f-1163-4015-bdd5-ec830791da20';

let nextId = 1;
/** A record with the given properties. */
export function rec(properties: Record<string, string | null | undefined>): CrmRecord {
  return { id: String(nextId++), properties };
}

export type Batch = Partial<Record<MetricObjectType, CrmRecord[]>>;

/** Run the accumulator over record batches, one page per type, and return the result. */
export function accumulate(
  batch: Batch,
  buckets: readonly TimeBucket[] = [WEEK],
  connected: ReadonlySet<string> = connectedOutcomeIds([]),
): AccumulatorResult {
  const acc = createMetricsAccumulator({ buckets, connectedOutcomes: connected });
  for (const [type, records] of Object.entries(batch) as [MetricObjectType, CrmRecord[]][])
    acc.add(type, records);
  return acc.result();
}

/** Counts of one owner ('' = unassigned) in one bucket; zeros when absent. */
export function countsOf(result: AccumulatorResult, ownerId: string, bucket = 0): CountMetrics {
  const b = result.buckets[bucket];
  if (ownerId === '') return b.unassigned;
  return b.owners.get(ownerId) ?? zeroCounts();
}

/** Only the non-zero counts, for readable expectations. */
export function nonZero(counts: CountMetrics): Partial<CountMetrics> {
  return Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0));
}

/** An owner with sensible defaults. */
export function owner(id: string, extra: Partial<Owner> = {}): Owner {
  return {
    id,
    userId: null,
    email: `${id}@example.com`,
    firstName: `First${id}`,
    lastName: `Last${id}`,
    archived: false,
    teams: [],
    ...extra,
  };
}

/** A team reference for an owner's teams list. */
export function team(id: string, name = `Team ${id}`, primary = true): Owner['teams'][number] {
  return { id, name, primary };
}
