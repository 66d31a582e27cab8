/**
 * What a deal left behind when its stage changed: the required criteria of the stage it left that
 * were unmet (and not waived) at the time of the change.
 *
 * What is evaluated (kept simple on purpose):
 * - the stage left (`fromStageId`) comes from the caller: the previous stored dealstage change of
 *   the deal (by occurredAt), else HubSpot's `hs_v2_date_exited_<stage>` dates (see inferFromStage);
 * - the deal is read now (one batch read, the deal-guidance property list) and evaluated as if it
 *   were still in the stage left: activity windows, time criteria and "days in stage" are anchored at
 *   the change's occurredAt; property and association criteria see today's values (HubSpot has no
 *   cheap point-in-time read of them), so a field filled in after the move counts as met;
 * - only open stages count (leaving a won or lost stage is a reopen, not a skipped step);
 * - waivers made in the stage left excuse their criterion.
 * HubSpot requests: pipelines (cached), 1 deal read, 1 contact search, 1 search per engagement type
 * the stage's activity criteria need, rarely an associations read.
 */
import { playbookSchema } from '@pillars/contracts';
import type { Playbook } from '@pillars/contracts';
import type { CrmRecord, EngagementType, Pipeline } from '../core/crm.js';
import { defaultPlaybook, evaluateDeal, orderedStages, stageOutcome } from '../core/process/index.js';
import type { DealEngagement } from '../core/process/index.js';
import { parseInstant } from '../core/time/index.js';
import { playbookKey } from '../functions/deal-guidance/deal-guidance.js';
import {
  contactQuery,
  dealProperties,
  engagementPlans,
  typesNeedingContactLinks,
} from '../functions/deal-guidance/queries.js';
import type { HubSpotGateway } from '../hubspot/gateway.js';
import type { SettingsStore } from '../store/ports.js';

/** How far from the event's occurredAt an exit date may be and still name the stage left. */
export const EXIT_DATE_TOLERANCE_MS = 60_000;

export interface StageExitDeps {
  settings: Pick<SettingsStore, 'get'>;
  /** Criterion ids waived for the deal in a stage; omitted, none are. */
  waivedCriteria?: (portalId: number, dealId: string, stageId: string) => Promise<string[]>;
}

/** The deal as read for a stage change, with its pipeline and playbook; null when HubSpot has no such deal. */
export interface DealAtChange {
  deal: CrmRecord;
  pipeline: Pipeline;
  playbook: Playbook;
}

async function readPlaybook(settings: StageExitDeps['settings'], portalId: number, pipeline: Pipeline) {
  const stored = await settings.get(portalId, playbookKey(pipeline.id), playbookSchema);
  return stored !== null && stored.pipelineId === pipeline.id ? stored : defaultPlaybook(pipeline);
}

/** Read the deal (1 request) with its pipeline and that pipeline's playbook. */
export async function readDealAtChange(
  deps: StageExitDeps,
  hubspot: HubSpotGateway,
  portalId: number,
  dealId: string,
): Promise<DealAtChange | null> {
  const pipelines = (await hubspot.listDealPipelines()).filter((p) => p.archived !== true);
  const playbooks = await Promise.all(pipelines.map((p) => readPlaybook(deps.settings, portalId, p)));
  const [deal] = await hubspot.batchRead('deals', [dealId], dealProperties(pipelines, playbooks));
  if (!deal) return null;
  const at = pipelines.findIndex((p) => p.id === deal.properties.pipeline);
  const pipeline = pipelines[at];
  const playbook = playbooks[at];
  return pipeline && playbook ? { deal, pipeline, playbook } : null;
}

/**
 * The stage the deal left at `occurredAt`, from HubSpot's exit dates: the stage (other than
 * `toStageId`) whose `hs_v2_date_exited_` is closest to occurredAt, within the tolerance.
 */
export function inferFromStage(read: DealAtChange, toStageId: string, occurredAt: Date): string | null {
  let best: { id: string; distance: number } | null = null;
  for (const stage of read.pipeline.stages) {
    if (stage.id === toStageId) continue;
    const exited = parseInstant(read.deal.properties[`hs_v2_date_exited_${stage.id}`]);
    if (exited === null) continue;
    const distance = Math.abs(exited - occurredAt.getTime());
    if (distance <= EXIT_DATE_TOLERANCE_MS && (best === null || distance < best.distance)) {
      best = { id: stage.id, distance };
    }
  }
  return best?.id ?? null;
}

/** Unmet, unwaived required criteria of `fromStageId` at occurredAt; [] when none or the stage is not open. */
export async function unmetOnExit(
  deps: StageExitDeps,
  hubspot: HubSpotGateway,
  portalId: number,
  read: DealAtChange,
  fromStageId: string,
  occurredAt: Date,
): Promise<string[]> {
  const { pipeline, playbook } = read;
  const stage = playbook.stages[fromStageId];
  const position = orderedStages(pipeline).find((s) => s.id === fromStageId);
  if (!stage || !position || stageOutcome(position) !== 'open') return [];
  if (!stage.criteria.some((c) => c.level === 'required')) return [];

  const dealId = read.deal.id;
  const deal: CrmRecord = {
    id: dealId,
    properties: {
      ...read.deal.properties,
      dealstage: fromStageId,
      hs_is_closed: 'false',
      hs_is_closed_won: 'false',
    },
  };
  const nowMs = occurredAt.getTime();
  const linked = new Set(typesNeedingContactLinks(stage));
  const plans = engagementPlans(dealId, stage, nowMs);
  const [contacts, waived, ...found] = await Promise.all([
    collect(hubspot, 'contacts', contactQuery(dealId, [playbook])),
    deps.waivedCriteria ? deps.waivedCriteria(portalId, dealId, fromStageId) : Promise.resolve([]),
    ...plans.map(async (plan) => {
      // Only engagements that existed at the change count.
      const records = (await collect(hubspot, plan.type, plan.query)).filter((r) => {
        const at = parseInstant(r.properties.hs_timestamp);
        return at === null || at <= nowMs;
      });
      if (!linked.has(plan.type) || records.length === 0) return records;
      const links = await hubspot.batchReadAssociations(
        plan.type,
        'contacts',
        records.map((r) => r.id),
      );
      return records.map((r): DealEngagement => ({ ...r, contactIds: links.get(r.id) ?? [] }));
    }),
  ]);
  const engagements: Partial<Record<EngagementType, DealEngagement[]>> = {};
  plans.forEach((plan, i) => {
    engagements[plan.type] = found[i] ?? [];
  });
  const guidance = evaluateDeal({
    deal,
    pipeline,
    playbook,
    engagements,
    contacts,
    waivers: waived.map((criterionId) => ({
      criterionId,
      reason: 'waived',
      userId: '0',
      at: occurredAt.toISOString(),
    })),
    now: occurredAt,
  });
  return guidance.criteria.filter((c) => c.level === 'required' && c.status === 'unmet').map((c) => c.id);
}

async function collect(
  hubspot: HubSpotGateway,
  type: Parameters<HubSpotGateway['searchAll']>[0],
  query: Parameters<HubSpotGateway['searchAll']>[1],
): Promise<CrmRecord[]> {
  const out: CrmRecord[] = [];
  await hubspot.searchAll(type, query, (page) => {
    out.push(...page);
  });
  return out;
}
