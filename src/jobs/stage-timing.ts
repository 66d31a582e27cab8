/**
 * The stage-timing job (issue 3 item 4): once a day per portal, recompute every active pipeline's
 * stage timing from the team's won deals of the last 12 months and store it, so card views never
 * pay for it (the deal-guidance function recomputes on a view only when the stored timing is
 * missing or older than 24 h, e.g. before the first run).
 */
import type { FunctionContext } from '../functions/context.js';
import type { DealGuidanceFunction } from '../functions/deal-guidance/deal-guidance.js';
import { localDateOf } from '../core/time/index.js';
import type { ScheduledJob } from './scheduler.js';

/** What one run did, per pipeline: the stages timed from history and those on the fallback. */
export interface StageTimingSummary {
  pipelines: { id: string; fromHistory: number; fallback: number; sample: number }[];
}

/** Recompute and store every active pipeline's stage timing; cached guidances of the portal are dropped. */
export async function refreshAllStageTimings(
  ctx: FunctionContext,
  dealGuidance: Pick<DealGuidanceFunction, 'refreshStageTiming' | 'invalidatePortal'>,
): Promise<StageTimingSummary> {
  const pipelines = (await ctx.hubspot.listDealPipelines()).filter((p) => p.archived !== true);
  const summary: StageTimingSummary = { pipelines: [] };
  for (const pipeline of pipelines) {
    const timing = await dealGuidance.refreshStageTiming(ctx, pipeline.id);
    const stages = Object.values(timing.stages);
    summary.pipelines.push({
      id: pipeline.id,
      fromHistory: stages.filter((s) => s.source === 'history').length,
      fallback: stages.filter((s) => s.source !== 'history').length,
      sample: Math.max(0, ...stages.map((s) => s.sampleSize)),
    });
  }
  dealGuidance.invalidatePortal(ctx.portalId);
  return summary;
}

/** The daily job: period = the portal's local date. */
export function stageTimingJob(
  dealGuidance: Pick<DealGuidanceFunction, 'refreshStageTiming' | 'invalidatePortal'>,
): ScheduledJob {
  return {
    name: 'stage-timing',
    leaseMs: 15 * 60_000,
    periodAt: (now, timeZone) => localDateOf(now.getTime(), timeZone),
    run: (ctx) => refreshAllStageTimings(ctx, dealGuidance),
  };
}
