/**
 * The Process pillar's pure core: playbooks, their defaults, deal evaluation and stage timing.
 */
export { parsePlaybook, formatPath } from './parse-playbook.js';
export { defaultPlaybook } from './default-playbook.js';
export { evaluateDeal } from './evaluate.js';
export type { EvaluateDealInput } from './evaluate.js';
export type { DealEngagement } from './criteria.js';
export {
  DEFAULT_STAGE_DAYS,
  HISTORY_WINDOW_DAYS,
  MIN_HISTORY_SAMPLES,
  classifyStageAge,
  computeStageTiming,
  percentile,
  slaTiming,
} from './timing.js';
export type { StageTimingInput } from './timing.js';
export {
  isPostSalePipeline,
  orderedStages,
  stageOutcome,
  stagePosition,
  stageProbability,
} from './pipeline.js';
export type { StageOutcome, StagePosition } from './pipeline.js';
export { matchesCondition } from './conditions.js';
