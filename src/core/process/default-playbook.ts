/**
 * defaultPlaybook: a sensible playbook for any pipeline, before ops writes their own.
 *
 * - HubSpot's default stage ids get the B2B sales templates of default-sales.ts.
 * - Post-sale pipelines (see isPostSalePipeline) get handoff, kickoff and first-value templates by
 *   position; their won stage gets the handoff checklist.
 * - Other stages get early/middle/late templates by probability or order (see stagePosition).
 */
import type { Pipeline } from '../crm.js';
import type { Playbook, StagePlaybook } from '@pillars/contracts';
import { DEFAULT_SALES_STAGES } from './default-sales.js';
import { GENERIC_SALES, POST_SALE } from './default-generic.js';
import { isPostSalePipeline, orderedStages, stageOutcome, stagePosition } from './pipeline.js';
import { handoffChecklist, lostReview } from './templates.js';
import type { StageTemplate } from './templates.js';

function withStageIds(stageId: string, template: StageTemplate): StagePlaybook {
  // Criterion ids only need to be unique in the playbook; the stage id prefix makes them so.
  const prefix = stageId.replace(/[^A-Za-z0-9_-]/g, '_');
  return { ...template, criteria: template.criteria.map((c) => ({ ...c, id: `${prefix}.${c.id}` })) };
}

/** The default playbook of `pipeline` (always passes parsePlaybook). */
export function defaultPlaybook(pipeline: Pipeline): Playbook {
  const postSale = isPostSalePipeline(pipeline);
  const stages: Record<string, StagePlaybook> = {};
  for (const stage of orderedStages(pipeline).slice(0, 50)) {
    const outcome = stageOutcome(stage);
    let template: StageTemplate;
    const known = DEFAULT_SALES_STAGES[stage.id];
    if (outcome === 'won') template = handoffChecklist();
    else if (outcome === 'lost') template = lostReview();
    else if (!postSale && known) template = known();
    else template = (postSale ? POST_SALE : GENERIC_SALES)[stagePosition(pipeline, stage.id)]();
    stages[stage.id] = withStageIds(stage.id, template);
  }
  return { version: 1, pipelineId: pipeline.id, stages };
}
