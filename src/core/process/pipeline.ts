/**
 * Reading a pipeline's stages: order, probability, outcome, and the post-sale rule.
 */
import type { Pipeline, PipelineStage } from '../crm.js';

/** The stage outcome a deal in it has. */
export type StageOutcome = 'open' | 'won' | 'lost';

/** Active stages in display order (archived stages hold no deals worth guiding). */
export function orderedStages(pipeline: Pipeline): PipelineStage[] {
  return pipeline.stages.filter((s) => s.archived !== true).sort((a, b) => a.displayOrder - b.displayOrder);
}

/** The stage's probability metadata in [0, 1], or null when absent or not a number. */
export function stageProbability(stage: PipelineStage): number | null {
  const raw = stage.metadata.probability;
  if (raw === undefined || raw.trim() === '') return null;
  const p = Number(raw);
  return Number.isFinite(p) && p >= 0 && p <= 1 ? p : null;
}

/**
 * Open, won or lost. HubSpot marks closed stages with isClosed "true"; a closed stage with
 * probability 0 is lost, any other closed stage is won (HubSpot's closed-won stages carry 1.0).
 */
export function stageOutcome(stage: PipelineStage): StageOutcome {
  if (stage.metadata.isClosed !== 'true') return 'open';
  return stageProbability(stage) === 0 ? 'lost' : 'won';
}

// Words that name work after the sale. Matched on the pipeline label and every stage label.
const POST_SALE_WORDS =
  /\b(onboard\w*|implement\w*|post[- ]?sales?|customer success|kick-?off|hand-?off|go[- ]live|renewals?|activation|adoption)\b/i;

/**
 * A pipeline is post-sale when its label or any stage label names post-sale work (onboarding,
 * implementation, post-sale, customer success, kickoff, handoff, go-live, renewal, activation,
 * adoption), or when no stage carries probability metadata (HubSpot fills it for every sales stage,
 * so its absence means the pipeline does not forecast revenue).
 */
export function isPostSalePipeline(pipeline: Pipeline): boolean {
  if (POST_SALE_WORDS.test(pipeline.label)) return true;
  const stages = orderedStages(pipeline);
  if (stages.some((s) => POST_SALE_WORDS.test(s.label))) return true;
  return stages.length > 0 && stages.every((s) => stageProbability(s) === null);
}

/** Where an open stage sits in the pipeline's journey, for templates and default timing. */
export type StagePosition = 'early' | 'middle' | 'late';

/**
 * The position of an open stage: by its probability when it has one strictly between 0 and 1
 * (below 0.35 early, below 0.7 middle, else late), otherwise by its rank among open stages
 * (first third early, last third late).
 */
export function stagePosition(pipeline: Pipeline, stageId: string): StagePosition {
  const open = orderedStages(pipeline).filter((s) => stageOutcome(s) === 'open');
  const i = open.findIndex((s) => s.id === stageId);
  const stage = open[i];
  if (stage === undefined) return 'late';
  const p = stageProbability(stage);
  if (p !== null && p > 0 && p < 1) return p < 0.35 ? 'early' : p < 0.7 ? 'middle' : 'late';
  if (open.length === 1) return 'middle';
  const at = i / (open.length - 1);
  return at < 1 / 3 ? 'early' : at <= 2 / 3 ? 'middle' : 'late';
}
