/**
 * The HubSpot reads behind one deal's guidance, built from the pipeline and the stage's playbook so
 * that each asks for only what the evaluation reads:
 *
 * - the deal (batch read): the deal fields evaluateDeal and the risks read (HubSpot's calculated
 *   `num_associated_contacts` and `notes_next_activity_date` answer "single-threaded?" and "next
 *   activity scheduled?" without reading contacts or engagements), the stage-date properties of the
 *   pipelines' stages, and every deal property a property criterion names;
 * - the deal's contacts (one search, `associations.deal EQ dealId`), only when a criterion of the
 *   stage reads them (association criteria, and distinct contacts for their names): names, email,
 *   job title, buying role, and every contact property an association criterion names;
 * - one search per engagement type the stage's activity criteria need, scoped to the deal and to
 *   the time window (`≥ now − the longest criterion window`);
 * - the won deals of the pipeline for stage timing (rare: stored for 24 h).
 */
import type { Criterion, Playbook, PropertyCondition, StagePlaybook } from '@pillars/contracts';
import type { EngagementType, Pipeline } from '../../core/crm.js';
import type { SearchFilter, SearchFilterGroup, SearchQuery } from '../../hubspot/gateway.js';

const DAY_MS = 86_400_000;

/** Deal properties every view reads (evaluateDeal, the risks and the card header). */
export const DEAL_BASE_PROPERTIES = [
  'dealname',
  'dealstage',
  'pipeline',
  'amount',
  'closedate',
  'createdate',
  'hs_is_closed',
  'hs_is_closed_won',
  'hubspot_owner_id',
  'num_associated_contacts',
  'notes_next_activity_date',
  'hs_v2_date_entered_current_stage',
] as const;

/** Contact properties every view reads (names for evidence, roles for the default criteria). */
export const CONTACT_BASE_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'jobtitle',
  'hs_buying_role',
] as const;

/**
 * Engagement properties the core reads whatever the criteria: the date an engagement happened
 * (criteria.ts engagementAt) and what "next activity scheduled" needs (risks.ts).
 */
export const ENGAGEMENT_BASE_PROPERTIES: Readonly<Record<EngagementType, readonly string[]>> = {
  calls: ['hs_timestamp'],
  emails: ['hs_timestamp'],
  meetings: ['hs_timestamp', 'hs_meeting_start_time', 'hs_meeting_outcome'],
  notes: ['hs_timestamp'],
  tasks: ['hs_timestamp', 'hs_task_completion_date', 'hs_task_status'],
};

/** Per engagement type, the other date properties that can place an engagement in the window. */
const ALSO_DATED_BY: Readonly<Partial<Record<EngagementType, string>>> = {
  meetings: 'hs_meeting_start_time',
  tasks: 'hs_task_completion_date',
};

function uniq(values: Iterable<string>): string[] {
  return [...new Set(values)];
}

/** The stage-date properties of every stage of the pipeline (entered and exited). */
export function stageDateProperties(pipeline: Pipeline): string[] {
  return pipeline.stages.flatMap((s) => [`hs_v2_date_entered_${s.id}`, `hs_v2_date_exited_${s.id}`]);
}

function conditionProperties(conditions: readonly PropertyCondition[] | undefined): string[] {
  return (conditions ?? []).map((c) => c.property);
}

/** Properties a criterion reads from the deal, its contacts or one engagement type. */
export function criterionProperties(criterion: Criterion): string[] {
  switch (criterion.kind) {
    case 'property':
      return [criterion.condition.property];
    case 'activity':
    case 'association':
      return conditionProperties(criterion.where);
    case 'time':
      return [];
  }
}

/**
 * The deal batch read's properties. The deal's pipeline is only known once the deal is read, so the
 * one read asks for the stage dates of every pipeline and for every deal property a property
 * criterion of any playbook names: a longer property list costs nothing, a second request does.
 */
export function dealProperties(pipelines: readonly Pipeline[], playbooks: readonly Playbook[]): string[] {
  const named = playbooks.flatMap((p) =>
    Object.values(p.stages).flatMap((s) =>
      s.criteria.filter((c) => c.kind === 'property').flatMap(criterionProperties),
    ),
  );
  return uniq([...DEAL_BASE_PROPERTIES, ...pipelines.flatMap(stageDateProperties), ...named]);
}

/**
 * The contacts search: the deal's contacts with the base properties and those the association
 * criteria of the playbooks name. It does not depend on the deal's stage, so it runs alongside the
 * deal read (every pipeline's playbook is asked for, as for the deal's properties).
 */
export function contactQuery(dealId: string, playbooks: readonly Playbook[]): SearchQuery {
  const named = playbooks.flatMap((p) =>
    Object.values(p.stages).flatMap((s) =>
      s.criteria.filter((c) => c.kind === 'association').flatMap(criterionProperties),
    ),
  );
  return {
    filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: dealId }] }],
    properties: uniq([...CONTACT_BASE_PROPERTIES, ...named]),
  };
}

/** One engagement search: its type, the query and the start of its window. */
export interface EngagementPlan {
  type: EngagementType;
  /** Start of the window in ms; engagements dated at or after it (future ones included) are read. */
  sinceMs: number;
  query: SearchQuery;
}

/**
 * One plan per engagement type the stage's activity criteria need; the window of a type starts
 * `max(days)` of its criteria before now (future engagements included).
 */
export function engagementPlans(
  dealId: string,
  stage: StagePlaybook | undefined,
  nowMs: number,
): EngagementPlan[] {
  const days = new Map<EngagementType, number>();
  const props = new Map<EngagementType, string[]>();
  for (const c of stage?.criteria ?? []) {
    if (c.kind !== 'activity') continue;
    days.set(c.type, Math.max(days.get(c.type) ?? 0, c.days));
    props.set(c.type, [...(props.get(c.type) ?? []), ...criterionProperties(c)]);
  }
  const plans: EngagementPlan[] = [];
  for (const [type, d] of days) {
    const sinceMs = nowMs - d * DAY_MS;
    const byDeal: SearchFilter = { propertyName: 'associations.deal', operator: 'EQ', value: dealId };
    const dated = (property: string): SearchFilterGroup => ({
      filters: [byDeal, { propertyName: property, operator: 'GTE', value: String(sinceMs) }],
    });
    const filterGroups = [dated('hs_timestamp')];
    const also = ALSO_DATED_BY[type];
    // A task completed in the window but due before it, or a meeting whose start differs from its timestamp.
    if (also !== undefined && d > 0) filterGroups.push(dated(also));
    plans.push({
      type,
      sinceMs,
      query: {
        filterGroups,
        properties: uniq([...ENGAGEMENT_BASE_PROPERTIES[type], ...(props.get(type) ?? [])]),
      },
    });
  }
  return plans.sort((a, b) => a.type.localeCompare(b.type));
}

/** Whether the stage's criteria read the deal's contacts: association criteria, or distinct contacts reached. */
export function stageNeedsContacts(stage: StagePlaybook | undefined): boolean {
  return (stage?.criteria ?? []).some(
    (c) => c.kind === 'association' || (c.kind === 'activity' && c.minDistinctContacts !== undefined),
  );
}

/** Engagement types whose contacts a criterion counts (minDistinctContacts): only these need links. */
export function typesNeedingContactLinks(stage: StagePlaybook | undefined): EngagementType[] {
  const types = new Set<EngagementType>();
  for (const c of stage?.criteria ?? [])
    if (c.kind === 'activity' && c.minDistinctContacts !== undefined) types.add(c.type);
  return [...types].sort();
}

/** Won deals of the pipeline closed in the last `windowDays` days, with the stage dates. */
export function stageTimingQuery(pipeline: Pipeline, nowMs: number, windowDays: number): SearchQuery {
  return {
    filterGroups: [
      {
        filters: [
          { propertyName: 'pipeline', operator: 'EQ', value: pipeline.id },
          { propertyName: 'hs_is_closed_won', operator: 'EQ', value: 'true' },
          { propertyName: 'closedate', operator: 'GTE', value: String(nowMs - windowDays * DAY_MS) },
          { propertyName: 'closedate', operator: 'LTE', value: String(nowMs) },
        ],
      },
    ],
    properties: uniq([
      'pipeline',
      'dealstage',
      'hs_is_closed_won',
      'closedate',
      ...stageDateProperties(pipeline),
    ]),
  };
}
