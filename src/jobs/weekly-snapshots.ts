/**
 * The weekly snapshot job: compute one local week's metrics for every rep of a portal through the
 * activity-metrics function, then write them in one transaction (idempotent upserts keyed by
 * portal, owner and week). A failure anywhere leaves the previous snapshot of that week untouched.
 */
import type { ActivityMetricsInput, MetricsReport } from '@pillars/contracts';
import type { FunctionContext, PillarsFunction } from '../functions/context.js';
import { addDays, lastCompleteWeekStart } from '../core/time/index.js';
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

/** Complete weeks the weekly job keeps stored: the coaching panel's trend window. */
export const SNAPSHOT_BACKFILL_WEEKS = 8;

/** What one run of the weekly job wrote. */
export interface WeeklySnapshotSummary {
  portalId: number;
  /** The week the run is for (the last complete week), always rewritten. */
  weekStart: string;
  /** Earlier weeks of the window that had never been written, filled in by this run. */
  backfilled: string[];
  owners: number;
}

/**
 * The weekly job: period = the last complete local week (its Monday), so it runs once that week has
 * ended. It rewrites that week and fills in any of the window's earlier weeks never written, so a
 * freshly installed portal has its coaching trends stored before anyone opens a panel (a panel view
 * computing eight weeks itself would outlast the card's 15 s fetch timeout).
 */
export function weeklySnapshotJob(deps: Parameters<typeof snapshotWeek>[2]): ScheduledJob {
  return {
    name: 'weekly-snapshots',
    leaseMs: 30 * 60_000,
    periodAt: (now, timeZone) => lastCompleteWeekStart(now.getTime(), timeZone),
    async run(ctx, period): Promise<WeeklySnapshotSummary> {
      const latest = await snapshotWeek(period, ctx, deps);
      const backfilled: string[] = [];
      for (let i = 1; i < SNAPSHOT_BACKFILL_WEEKS; i++) {
        const week = addDays(period, -7 * i);
        if ((await deps.snapshots.lastRun(ctx.portalId, week)) !== null) continue;
        await snapshotWeek(week, ctx, deps);
        backfilled.push(week);
      }
      return { portalId: ctx.portalId, weekStart: period, backfilled, owners: latest.owners };
    },
  };
}
