/**
 * The weekly snapshot job: compute one local week's metrics for every rep of a portal through the
 * activity-metrics function, then write them in one transaction (idempotent upserts keyed by
 * portal, owner and week). A failure anywhere leaves the previous snapshot of that week untouched.
 */
import type { ActivityMetricsInput, MetricsReport } from '@pillars/contracts';
import type { FunctionContext, PillarsFunction } from '../functions/context.js';
import { lastCompleteWeekStart } from '../core/time/index.js';
import type { SnapshotStore } from '../store/ports.js';
import type { ScheduledJob } from './scheduler.js';

export interface SnapshotWeekResult {
  portalId: number;
  weekStart: string;
  owners: number;
}

/** Snapshot the week containing `week` (a local date) for the context's portal. */
export async function snapshotWeek(
  week: string,
  ctx: FunctionContext,
  deps: { activityMetrics: PillarsFunction<ActivityMetricsInput, MetricsReport>; snapshots: SnapshotStore },
): Promise<SnapshotWeekResult> {
  const report = await deps.activityMetrics({ week }, ctx);
  const rows = report.reps.map((r) => ({ ownerId: r.ownerId, metrics: r.metrics }));
  await deps.snapshots.replaceWeek(ctx.portalId, report.period.from, rows, ctx.now());
  ctx.logger.info(
    { portalId: ctx.portalId, weekStart: report.period.from, owners: rows.length },
    'weekly snapshot written',
  );
  return { portalId: ctx.portalId, weekStart: report.period.from, owners: rows.length };
}

/** The weekly job: period = the last complete local week (its Monday); runs once that week has ended. */
export function weeklySnapshotJob(deps: Parameters<typeof snapshotWeek>[2]): ScheduledJob {
  return {
    name: 'weekly-snapshots',
    leaseMs: 30 * 60_000,
    periodAt: (now, timeZone) => lastCompleteWeekStart(now.getTime(), timeZone),
    run: (ctx, period) => snapshotWeek(period, ctx, deps),
  };
}
