/**
 * The process report (issue 3 item 6): per pipeline and criterion of its playbook, how often the
 * team skipped the step and how deals fared when they did.
 *
 * - waived: deals holding a waiver of the criterion made in the period (createdAt in [from, to));
 *   reasonsSample: up to 3 of their reasons, most recent first;
 * - leftUnmet: deals that left the criterion's stage in the period with it unmet and unwaived
 *   (stage exceptions recorded by the webhook processor, occurredAt in [from, to));
 * - winRateWithSkip / winRateWithoutSkip: of the pipeline's deals CLOSED in the period (closedate in
 *   [from, to)), won / closed among those with a waiver or an exception for the criterion (made at
 *   any time) and among the others. Every rate carries its n; the rate is null when n is 0.
 * A waiver or exception belongs to the pipeline whose stage it names (HubSpot stage ids are unique
 * across a portal's pipelines). Only criteria skipped in the period, or skipped by a deal closed in
 * it, appear; most skipped (waived + leftUnmet) first.
 *
 * HubSpot requests: portal details and pipelines (metadata cache), one search of the deals closed in
 * the period (pipeline, hs_is_closed_won), paged by the gateway. Store reads: every waiver and stage
 * exception of the portal (both bounded by the portal's deals and criteria).
 */
import type { Playbook, ProcessReport, ProcessReportCriterion, WinRate } from '@pillars/contracts';
import type { Pipeline } from '../../core/crm.js';
import { resolvePeriod } from '../../core/time/period.js';
import type { SearchQuery } from '../../hubspot/gateway.js';
import type { SettingsStore } from '../../store/ports.js';
import type { WaiverStore } from '../../store/waiver-store.js';
import type { ExceptionStore } from '../../store/webhook-ports.js';
import type { FunctionContext, PillarsFunction } from '../context.js';
import { loadPlaybook } from '../playbook-source.js';

/** Local dates of the portal's time zone; `to` is exclusive. */
export interface ProcessReportInput {
  from: string;
  to: string;
}

export interface ProcessReportDeps {
  settings: Pick<SettingsStore, 'get'>;
  waivers: Pick<WaiverStore, 'listForPortal'>;
  exceptions: Pick<ExceptionStore, 'listForPortal'>;
}

/** Most waiver reasons shown per criterion. */
export const REASONS_SAMPLE = 3;

/** The search of the deals closed in [startMs, endMs). */
export function closedDealsQuery(startMs: number, endMs: number): SearchQuery {
  return {
    filterGroups: [
      {
        filters: [
          { propertyName: 'closedate', operator: 'GTE', value: String(startMs) },
          { propertyName: 'closedate', operator: 'LT', value: String(endMs) },
          { propertyName: 'hs_is_closed', operator: 'EQ', value: 'true' },
        ],
      },
    ],
    properties: ['pipeline', 'hs_is_closed_won'],
  };
}

/** won / n with its n; null rate when n is 0. */
export function winRate(won: number, n: number): WinRate {
  return { n, won, rate: n === 0 ? null : won / n };
}

interface Tally {
  criterionId: string;
  waived: Set<string>;
  reasons: Array<{ at: number; reason: string }>;
  leftUnmet: Set<string>;
  /** Deals skipped at any time (waiver or exception): the "with" group of the win rates. */
  skippedEver: Set<string>;
}

function criterionInfo(playbook: Playbook, criterionId: string): { label: string; stageId: string | null } {
  for (const [stageId, stage] of Object.entries(playbook.stages)) {
    const c = stage.criteria.find((x) => x.id === criterionId);
    if (c) return { label: c.label, stageId };
  }
  return { label: criterionId, stageId: null };
}

/** Build the process-report function over the portal's stores. */
export function createProcessReport(
  deps: ProcessReportDeps,
): PillarsFunction<ProcessReportInput, ProcessReport> {
  return async (input, ctx: FunctionContext) => {
    const { hubspot, portalId } = ctx;
    const details = await hubspot.getPortalDetails();
    const period = resolvePeriod(input?.from ?? '', input?.to ?? '', details.timeZone);
    const inPeriod = (ms: number) => ms >= period.startMs && ms < period.endMs;

    const pipelines: Pipeline[] = (await hubspot.listDealPipelines()).filter((p) => p.archived !== true);
    const [playbooks, waivers, exceptions] = await Promise.all([
      Promise.all(pipelines.map((p) => loadPlaybook(deps.settings, portalId, p))),
      deps.waivers.listForPortal(portalId),
      deps.exceptions.listForPortal(portalId),
    ]);
    const pipelineOfStage = new Map<string, string>();
    for (const p of pipelines) for (const s of p.stages) pipelineOfStage.set(s.id, p.id);

    // Per pipeline, per criterion.
    const tallies = new Map<string, Map<string, Tally>>();
    const tally = (stageId: string, criterionId: string): Tally | null => {
      const pipelineId = pipelineOfStage.get(stageId);
      if (pipelineId === undefined) return null;
      let byCriterion = tallies.get(pipelineId);
      if (!byCriterion) tallies.set(pipelineId, (byCriterion = new Map()));
      let t = byCriterion.get(criterionId);
      if (!t) {
        t = { criterionId, waived: new Set(), reasons: [], leftUnmet: new Set(), skippedEver: new Set() };
        byCriterion.set(criterionId, t);
      }
      return t;
    };
    for (const w of waivers) {
      const t = tally(w.stageId, w.criterionId);
      if (!t) continue;
      t.skippedEver.add(w.dealId);
      const at = w.createdAt.getTime();
      if (inPeriod(at)) {
        t.waived.add(w.dealId);
        t.reasons.push({ at, reason: w.reason });
      }
    }
    for (const e of exceptions) {
      for (const criterionId of e.criterionIds) {
        const t = tally(e.fromStageId, criterionId);
        if (!t) continue;
        t.skippedEver.add(e.dealId);
        if (inPeriod(e.occurredAt.getTime())) t.leftUnmet.add(e.dealId);
      }
    }

    // One search: the deals closed in the period, with their pipeline and outcome.
    const closed = new Map<string, Array<{ id: string; won: boolean }>>();
    await hubspot.searchAll('deals', closedDealsQuery(period.startMs, period.endMs), (page) => {
      for (const d of page) {
        const pipelineId = d.properties.pipeline ?? '';
        let list = closed.get(pipelineId);
        if (!list) closed.set(pipelineId, (list = []));
        list.push({ id: d.id, won: d.properties.hs_is_closed_won === 'true' });
      }
    });

    const report: ProcessReport = {
      portalId,
      timeZone: details.timeZone,
      period: { from: period.from, to: period.to, startUtc: period.startUtc, endUtc: period.endUtc },
      pipelines: pipelines.map((pipeline, i) => {
        const { source, playbook } = playbooks[i] ?? { source: 'default' as const, playbook: undefined };
        const deals = closed.get(pipeline.id) ?? [];
        const criteria: ProcessReportCriterion[] = [];
        for (const t of tallies.get(pipeline.id)?.values() ?? []) {
          let withN = 0;
          let withWon = 0;
          let withoutN = 0;
          let withoutWon = 0;
          for (const d of deals) {
            if (t.skippedEver.has(d.id)) {
              withN += 1;
              if (d.won) withWon += 1;
            } else {
              withoutN += 1;
              if (d.won) withoutWon += 1;
            }
          }
          const skipped = t.waived.size + t.leftUnmet.size;
          if (skipped === 0 && withN === 0) continue;
          const info = playbook
            ? criterionInfo(playbook, t.criterionId)
            : { label: t.criterionId, stageId: null };
          criteria.push({
            criterionId: t.criterionId,
            label: info.label,
            stageId: info.stageId,
            waived: t.waived.size,
            reasonsSample: t.reasons
              .sort((a, b) => b.at - a.at)
              .slice(0, REASONS_SAMPLE)
              .map((r) => r.reason),
            leftUnmet: t.leftUnmet.size,
            skipped,
            winRateWithSkip: winRate(withWon, withN),
            winRateWithoutSkip: winRate(withoutWon, withoutN),
          });
        }
        criteria.sort((a, b) => b.skipped - a.skipped || a.criterionId.localeCompare(b.criterionId));
        return {
          pipelineId: pipeline.id,
          label: pipeline.label,
          playbookSource: source,
          closedDeals: deals.length,
          criteria,
        };
      }),
      generatedAt: ctx.now().toISOString(),
    };
    return report;
  };
}
