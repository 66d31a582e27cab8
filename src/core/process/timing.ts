/**
 * Stage timing from the team's own won deals, and how old a deal is in its stage against it.
 */
import type { CrmRecord, Pipeline } from '../crm.js';
import { parseInstant } from '../time/index.js';
import type { Playbook, StageAge, StageTiming, StageTimingEntry } from '@pillars/contracts';
import { orderedStages, stageOutcome, stagePosition } from './pipeline.js';
import type { StagePosition } from './pipeline.js';
import { DAY_MS, enteredStageAt, exitedStageAt } from './stage-dates.js';

/** Fewer won deals than this through a stage and its percentiles are noise: use a fallback. */
export const MIN_HISTORY_SAMPLES = 10;
/** Won deals closed within this many days count as history. */
export const HISTORY_WINDOW_DAYS = 365;

/**
 * Expected days in stage by position when history is thin and the playbook sets no SLA: [p50, p75, p90].
 * Mid-market B2B norms: early stages (first meeting, qualification) move in about a week and stall
 * past three; middle stages (demo, evaluation) wait on the buyer's calendar, so two to five weeks;
 * late stages (sign-off, contract) move in about a week but legal review can take a month.
 */
export const DEFAULT_STAGE_DAYS: Readonly<Record<StagePosition, readonly [number, number, number]>> = {
  early: [7, 14, 21],
  middle: [10, 21, 35],
  late: [7, 14, 30],
};

/**
 * From a playbook SLA of S days: p50 = S/2, p75 = S, p90 = 1.5 S. The SLA is the time a deal should
 * normally take at most, so it marks "slow"; half as long again marks "stalled".
 */
export function slaTiming(slaDays: number): [number, number, number] {
  return [slaDays / 2, slaDays, slaDays * 1.5];
}

/**
 * The p-quantile (p in [0, 1]) of ascending `sorted` by linear interpolation between closest ranks
 * (numpy's default, Hyndman-Fan type 7): h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function percentile(sorted: readonly number[], p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, n - 1)] as number;
  return a + (h - lo) * (b - a);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** True for a deal won in `pipeline` and closed within the window before `nowMs`. */
function isRecentWin(deal: CrmRecord, pipeline: Pipeline, wonStages: Set<string>, nowMs: number): boolean {
  const p = deal.properties;
  if (p.pipeline != null && p.pipeline !== pipeline.id) return false;
  const won = p.hs_is_closed_won === 'true' || (p.dealstage != null && wonStages.has(p.dealstage));
  if (!won) return false;
  const closed = parseInstant(p.closedate);
  return closed !== null && closed <= nowMs && closed > nowMs - HISTORY_WINDOW_DAYS * DAY_MS;
}

export interface StageTimingInput {
  /** Won deals of the pipeline closed within the last 12 months (others are filtered out here too). */
  deals: readonly CrmRecord[];
  pipeline: Pipeline;
  now: Date;
  playbook?: Playbook;
}

/** Per open stage: days won deals spent there (p50/p75/p90), or a documented fallback under 10 samples. */
export function computeStageTiming(input: StageTimingInput): StageTiming {
  const { deals, pipeline, now, playbook } = input;
  const nowMs = now.getTime();
  const stages = orderedStages(pipeline);
  const wonStages = new Set(stages.filter((s) => stageOutcome(s) === 'won').map((s) => s.id));
  const wins = deals.filter((d) => isRecentWin(d, pipeline, wonStages, nowMs));
  const out: Record<string, StageTimingEntry> = {};
  for (const stage of stages) {
    if (stageOutcome(stage) !== 'open') continue;
    const samples: number[] = [];
    for (const deal of wins) {
      const entered = enteredStageAt(deal, stage.id);
      const exited = exitedStageAt(deal, stage.id);
      if (entered !== null && exited !== null && exited >= entered) samples.push((exited - entered) / DAY_MS);
    }
    samples.sort((a, b) => a - b);
    out[stage.id] = timingEntry(stage.id, samples, pipeline, playbook);
  }
  return {
    pipelineId: pipeline.id,
    computedAt: now.toISOString(),
    windowDays: HISTORY_WINDOW_DAYS,
    stages: out,
  };
}

function timingEntry(
  stageId: string,
  samples: readonly number[],
  pipeline: Pipeline,
  playbook: Playbook | undefined,
): StageTimingEntry {
  const sampleSize = samples.length;
  if (sampleSize >= MIN_HISTORY_SAMPLES) {
    const [p50, p75, p90] = [0.5, 0.75, 0.9].map((p) => round1(percentile(samples, p))) as [
      number,
      number,
      number,
    ];
    return { stageId, sampleSize, p50, p75, p90, source: 'history' };
  }
  const sla = playbook?.pipelineId === pipeline.id ? playbook.stages[stageId]?.slaDays : undefined;
  if (sla !== undefined) {
    const [p50, p75, p90] = slaTiming(sla);
    return { stageId, sampleSize, p50, p75, p90, source: 'playbook' };
  }
  const [p50, p75, p90] = DEFAULT_STAGE_DAYS[stagePosition(pipeline, stageId)];
  return { stageId, sampleSize, p50, p75, p90, source: 'default' };
}

/** ok up to p75, slow past p75, stalled past p90. */
export function classifyStageAge(days: number, timing: Pick<StageTimingEntry, 'p75' | 'p90'>): StageAge {
  if (days > timing.p90) return 'stalled';
  if (days > timing.p75) return 'slow';
  return 'ok';
}
