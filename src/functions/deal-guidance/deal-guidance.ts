/**
 * The deal-guidance function (issue 3 item 5): a deal id in, the DealGuidance the deal card renders
 * out: the deal's stage in the team's playbook, each exit criterion checked against CRM evidence, the
 * next step and the risks.
 *
 * HubSpot requests of one view (see queries.ts for what each asks):
 *   metadata  listDealPipelines, through the gateway's metadata cache (per portal, 5 min in boot.ts);
 *   1         batch read of the deal, with HubSpot's calculated `num_associated_contacts` and
 *             `notes_next_activity_date`, which answer the risks "single-threaded" and "no next
 *             activity" without reading contacts or engagements;
 *   0 or 1    search of the deal's contacts, when a criterion of the stage reads contacts;
 *   1 per type search of each engagement type the stage's activity criteria count;
 *   0 or 1    per type whose criterion counts distinct contacts (minDistinctContacts): one v4
 *             associations batch read engagement → contacts for the engagements found (HubSpot's
 *             search answers carry no associations, and emails carry no contact id);
 *   rare      stage timing: one keyset-paged search of the pipeline's won deals of the last 365 days,
 *             when the stored timing is missing or older than 24 h (the stage-timing job keeps it fresh).
 * Measured (bench/deal-guidance.ts, demo portal): see the README's benchmark table; 0 per warm view.
 * The whole guidance is then kept in-process per (portal, deal) for `cache.ttlMs` (default 60 s), so
 * a warm view makes no HubSpot request.
 *
 * Waivers: the deal's stored waivers (deps.waivers) made in its current stage excuse unmet criteria;
 * one store read per cold view, alongside the deal read. Without a waiver store, none apply.
 */
import { playbookSchema, stageTimingSchema } from '@pillars/contracts';
import type { CriterionResult, DealGuidance, Playbook, StagePlaybook, StageTiming } from '@pillars/contracts';
import type { CrmRecord, EngagementType, Pipeline } from '../../core/crm.js';
import { AppError, invalidInput } from '../../core/errors.js';
import {
  HISTORY_WINDOW_DAYS,
  computeStageTiming,
  defaultPlaybook,
  evaluateDeal,
  orderedStages,
  stageOutcome,
} from '../../core/process/index.js';
import type { DealEngagement } from '../../core/process/index.js';
import type { SettingsStore } from '../../store/ports.js';
import type { WaiverStore } from '../../store/waiver-store.js';
import type { FunctionContext, PillarsFunction } from '../context.js';
import {
  contactQuery,
  criterionProperties,
  dealProperties,
  engagementPlans,
  stageNeedsContacts,
  stageTimingQuery,
  typesNeedingContactLinks,
} from './queries.js';

/** The function's input: a HubSpot deal id (digits). */
export interface DealGuidanceInput {
  dealId: string;
}

/** Default lifetime of a cached guidance: a card reopened within a minute costs no request. */
export const DEFAULT_GUIDANCE_TTL_MS = 60_000;
/** Stored stage timing older than this is recomputed. */
export const STAGE_TIMING_MAX_AGE_MS = 24 * 3_600_000;
/** Cached guidances kept at most (oldest dropped first), so memory stays bounded. */
export const MAX_CACHED_GUIDANCES = 10_000;

/** Settings keys (per portal). */
export const playbookKey = (pipelineId: string): string => `playbook:${pipelineId}`;
export const stageTimingKey = (pipelineId: string): string => `stageTiming:${pipelineId}`;

export interface DealGuidanceDeps {
  settings: SettingsStore;
  /** Stored waivers of deals; omitted, every deal is evaluated with none. */
  waivers?: Pick<WaiverStore, 'listForDeal'>;
  cache?: { ttlMs: number };
  /** Clock for cache expiry (ms); defaults to Date.now. Evaluation time comes from ctx.now(). */
  now?: () => number;
}

/** The function, plus the hooks webhooks and jobs will call. */
export type DealGuidanceFunction = PillarsFunction<DealGuidanceInput, DealGuidance> & {
  /** Drop the cached guidance of a deal (a webhook saw it change). */
  invalidateDeal(portalId: number, dealId: string): void;
  /** Drop every cached guidance of a portal (its playbooks changed). */
  invalidatePortal(portalId: number): void;
  /** Drop every cached guidance (benchmarks, tests). */
  clearCache(): void;
  /** Recompute and store the stage timing of a pipeline (one search of its won deals). */
  refreshStageTiming(ctx: FunctionContext, pipelineId: string): Promise<StageTiming>;
};

const DEAL_ID = /^[1-9]\d{0,19}$/;

const DEAL_NOT_FOUND =
  'This deal was not found in HubSpot. It may have been deleted or merged; reload the record.';

/** Build the deal-guidance function over the portal settings store. */
export function createDealGuidance(deps: DealGuidanceDeps): DealGuidanceFunction {
  const ttlMs = deps.cache?.ttlMs ?? DEFAULT_GUIDANCE_TTL_MS;
  const clock = deps.now ?? Date.now;
  const cache = new Map<string, { at: number; value: Promise<DealGuidance> }>();
  const timingInFlight = new Map<string, Promise<StageTiming>>();

  async function readPlaybook(portalId: number, pipeline: Pipeline, ctx: FunctionContext): Promise<Playbook> {
    const stored = await deps.settings.get(portalId, playbookKey(pipeline.id), playbookSchema);
    if (stored === null) return defaultPlaybook(pipeline);
    if (stored.pipelineId !== pipeline.id) {
      ctx.logger.warn(
        { pipelineId: pipeline.id },
        'stored playbook names another pipeline; using the default',
      );
      return defaultPlaybook(pipeline);
    }
    return stored;
  }

  async function computeTiming(ctx: FunctionContext, pipeline: Pipeline, playbook?: Playbook) {
    const now = ctx.now();
    const deals: CrmRecord[] = [];
    await ctx.hubspot.searchAll(
      'deals',
      stageTimingQuery(pipeline, now.getTime(), HISTORY_WINDOW_DAYS),
      (page) => {
        deals.push(...page);
      },
    );
    const timing = computeStageTiming({ deals, pipeline, now, ...(playbook ? { playbook } : {}) });
    await deps.settings.put(ctx.portalId, stageTimingKey(pipeline.id), timing);
    return timing;
  }

  /** Stored timing when fresh; else one recomputation shared by concurrent views of the pipeline. */
  async function stageTiming(ctx: FunctionContext, pipeline: Pipeline, playbook: Playbook) {
    const stored = await deps.settings.get(ctx.portalId, stageTimingKey(pipeline.id), stageTimingSchema);
    const age = stored ? ctx.now().getTime() - Date.parse(stored.computedAt) : Infinity;
    if (stored && age >= 0 && age < STAGE_TIMING_MAX_AGE_MS) return stored;
    const key = `${ctx.portalId}:${pipeline.id}`;
    let pending = timingInFlight.get(key);
    if (!pending) {
      pending = computeTiming(ctx, pipeline, playbook).finally(() => timingInFlight.delete(key));
      timingInFlight.set(key, pending);
    }
    try {
      return await pending;
    } catch (e) {
      // A stale timing is better than no card; without one the failure is the card's error.
      if (!stored) throw e;
      ctx.logger.warn(
        { pipelineId: pipeline.id, err: String(e) },
        'stage timing refresh failed; using stale',
      );
      return stored;
    }
  }

  async function linkContacts(
    ctx: FunctionContext,
    type: EngagementType,
    records: CrmRecord[],
  ): Promise<DealEngagement[]> {
    if (records.length === 0) return records;
    const links = await ctx.hubspot.batchReadAssociations(
      type,
      'contacts',
      records.map((r) => r.id),
    );
    return records.map((r) => ({ ...r, contactIds: links.get(r.id) ?? [] }));
  }

  async function evaluate(input: DealGuidanceInput, ctx: FunctionContext): Promise<DealGuidance> {
    const { hubspot, portalId } = ctx;
    const now = ctx.now();
    const pipelines = (await hubspot.listDealPipelines()).filter((p) => p.archived !== true);
    const playbooks = await Promise.all(pipelines.map((p) => readPlaybook(portalId, p, ctx)));
    const waiversRead = deps.waivers ? deps.waivers.listForDeal(portalId, input.dealId) : Promise.resolve([]);
    waiversRead.catch(() => undefined); // awaited below, as contactsRead
    const [deal] = await hubspot.batchRead('deals', [input.dealId], dealProperties(pipelines, playbooks));
    if (!deal) {
      throw new AppError('NOT_FOUND', `deal ${input.dealId} not found`, { publicMessage: DEAL_NOT_FOUND });
    }
    const at = pipelines.findIndex((p) => p.id === deal.properties.pipeline);
    const pipeline = pipelines[at];
    const playbook = playbooks[at];
    if (!pipeline || !playbook) {
      throw new AppError('NOT_FOUND', `pipeline ${String(deal.properties.pipeline)} of deal not listed`, {
        publicMessage:
          'This deal is in a pipeline Pillars does not know yet (new or archived). Try again in a few minutes.',
      });
    }
    const stageId = deal.properties.dealstage ?? '';
    const stage = playbook.stages[stageId];
    const current = orderedStages(pipeline).find((s) => s.id === stageId);
    const open = current ? stageOutcome(current) === 'open' : deal.properties.hs_is_closed !== 'true';

    const nowMs = now.getTime();
    const linked = new Set(typesNeedingContactLinks(stage));
    const plans = engagementPlans(deal.id, stage, nowMs);
    const contactsRead = stageNeedsContacts(stage);
    const [stored, contacts, timing, ...found] = await Promise.all([
      waiversRead,
      contactsRead ? collect(ctx, 'contacts', contactQuery(deal.id, playbooks)) : Promise.resolve([]),
      open ? stageTiming(ctx, pipeline, playbook) : Promise.resolve(undefined),
      ...plans.map(async (plan) => {
        const records = await collect(ctx, plan.type, plan.query);
        return linked.has(plan.type) ? linkContacts(ctx, plan.type, records) : records;
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
      contactsRead,
      // A waiver belongs to the stage it was made in: criteria of a later stage start unwaived.
      waivers: stored
        .filter((w) => w.stageId === stageId)
        .map((w) => ({
          criterionId: w.criterionId,
          reason: w.reason,
          userId: String(w.userId),
          at: w.createdAt.toISOString(),
        })),
      now,
      ...(timing ? { stageTiming: timing } : {}),
    });
    return flagMissingProperties(guidance, stage, { deal, contacts, engagements });
  }

  const fn = async (input: DealGuidanceInput, ctx: FunctionContext): Promise<DealGuidance> => {
    const dealId = typeof input?.dealId === 'string' ? input.dealId : '';
    if (!DEAL_ID.test(dealId)) throw invalidInput('dealId must be a HubSpot deal id (digits).');
    const key = `${ctx.portalId}:${dealId}`;
    const t = clock();
    const hit = cache.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    const value = evaluate({ dealId }, ctx).catch((e: unknown) => {
      // Failures are never cached: the next view retries.
      if (cache.get(key)?.value === value) cache.delete(key);
      throw e;
    });
    cache.delete(key);
    cache.set(key, { at: t, value });
    if (cache.size > MAX_CACHED_GUIDANCES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    return value;
  };

  return Object.assign(fn, {
    invalidateDeal(portalId: number, dealId: string): void {
      cache.delete(`${portalId}:${dealId}`);
    },
    invalidatePortal(portalId: number): void {
      const prefix = `${portalId}:`;
      for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
    },
    clearCache(): void {
      cache.clear();
    },
    async refreshStageTiming(ctx: FunctionContext, pipelineId: string): Promise<StageTiming> {
      const pipeline = (await ctx.hubspot.listDealPipelines()).find((p) => p.id === pipelineId);
      if (!pipeline) throw invalidInput(`unknown pipeline id: ${pipelineId}`);
      return computeTiming(ctx, pipeline, await readPlaybook(ctx.portalId, pipeline, ctx));
    },
  });
}

async function collect(
  ctx: FunctionContext,
  type: Parameters<FunctionContext['hubspot']['searchAll']>[0],
  query: Parameters<FunctionContext['hubspot']['searchAll']>[1],
): Promise<CrmRecord[]> {
  const out: CrmRecord[] = [];
  await ctx.hubspot.searchAll(type, query, (page) => {
    out.push(...page);
  });
  return out;
}

/**
 * HubSpot leaves out of its answers the properties a portal does not have (a property that exists
 * but is empty comes back as null). A criterion naming such a property can never be met: report it
 * unmet with a note for ops instead of "not set", whatever its operator (notSet would else pass).
 * On contacts and engagements a property is judged missing only when records came back without it.
 */
export function missingProperties(
  criterion: StagePlaybook['criteria'][number],
  records: {
    deal: CrmRecord;
    contacts: readonly CrmRecord[];
    engagements: Partial<Record<EngagementType, readonly CrmRecord[]>>;
  },
): string[] {
  const names = criterionProperties(criterion);
  const on: readonly CrmRecord[] =
    criterion.kind === 'property'
      ? [records.deal]
      : criterion.kind === 'association'
        ? records.contacts
        : criterion.kind === 'activity'
          ? (records.engagements[criterion.type] ?? [])
          : [];
  if (on.length === 0) return [];
  return names.filter((name) => on.every((r) => !Object.hasOwn(r.properties, name)));
}

/** What a criterion's properties belong to, in words: "deal", "contact", "meeting", ... */
function recordNoun(criterion: StagePlaybook['criteria'][number] | undefined): string {
  if (criterion?.kind === 'activity') return criterion.type.slice(0, -1);
  return criterion?.kind === 'association' ? 'contact' : 'deal';
}

function flagMissingProperties(
  guidance: DealGuidance,
  stage: StagePlaybook | undefined,
  records: Parameters<typeof missingProperties>[1],
): DealGuidance {
  const byId = new Map((stage?.criteria ?? []).map((c) => [c.id, c]));
  let changed = false;
  const criteria: CriterionResult[] = guidance.criteria.map((result) => {
    const criterion = byId.get(result.id);
    const missing = criterion ? missingProperties(criterion, records) : [];
    if (missing.length === 0) return result;
    changed = true;
    const list = missing.map((m) => `"${m}"`).join(', ');
    const summary = `This HubSpot account has no ${recordNoun(criterion)} property ${list}: ask an admin to fix this criterion in the Pillars playbook.`;
    return { ...result, status: 'unmet', evidence: { ...result.evidence, summary } };
  });
  if (!changed) return guidance;
  let nextStep = guidance.nextStep;
  if (guidance.stage.outcome === 'open') {
    const blocking = criteria.find((c) => c.level === 'required' && c.status === 'unmet');
    if (blocking)
      nextStep = { kind: 'criterion', text: blocking.hint, criterionId: blocking.id, nextStageId: null };
  }
  return { ...guidance, criteria, nextStep };
}
