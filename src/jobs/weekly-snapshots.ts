/**
 * The weekly snapshot job: compute one local week's metrics for every rep of a portal through the
 * activity-metrics function, then write them in one transaction (idempotent upserts keyed by
 * portal, owner and week). A failure anywhere leaves the previous snapshot of that week untouched.
 */
import type { ActivityMetricsInput, MetricsReport } from '@pillars/contracts';
import type { FunctionContext, PillarsFunction } from '../functions/context.js';
import type { SnapshotStore } from '../store/ports.js';

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
