/**
 * evaluateDeal: the deal's stage in the team's playbook, each criterion checked against CRM
 * evidence, the next step and the risks. Pure: the caller fetches everything it reads.
 */
import type { CrmRecord, EngagementType, Pipeline } from '../crm.js';
import { invalidInput } from '../errors.js';
import type {
  CriterionResult,
  DealGuidance,
  NextStep,
  Playbook,
  StageTiming,
  Waiver,
} from '@pillars/contracts';
import { checkCriterion } from './criteria.js';
import type { CriterionContext, DealEngagement } from './criteria.js';
import { orderedStages, stageOutcome, stageProbability } from './pipeline.js';
import type { StageOutcome } from './pipeline.js';
import { dealRisks } from './risks.js';
import { DAY_MS, enteredStageAt } from './stage-dates.js';
import { classifyStageAge } from './timing.js';

export interface EvaluateDealInput {
  deal: CrmRecord;
  pipeline: Pipeline;
  playbook: Playbook;
  /** Engagements associated with the deal, each with its associated contact ids. */
  engagements: Readonly<Partial<Record<EngagementType, readonly DealEngagement[]>>>;
  /** Contacts associated with the deal. */
  contacts: readonly CrmRecord[];
  /** False when the contacts were not read; the risks then count the deal's `num_associated_contacts`. */
  contactsRead?: boolean;
  waivers: readonly Waiver[];
  now: Date;
  stageTiming?: StageTiming;
}

/** The latest waiver per criterion id (a newer decision replaces an older one). */
function latestWaivers(waivers: readonly Waiver[]): Map<string, Waiver> {
  const out = new Map<string, Waiver>();
  for (const w of waivers) {
    const prev = out.get(w.criterionId);
    if (!prev || Date.parse(w.at) >= Date.parse(prev.at)) out.set(w.criterionId, w);
  }
  return out;
}

/** Guidance for one deal: stage, criteria with evidence, next step, risks (see DealGuidance); the playbook must be the pipeline's. */
export function evaluateDeal(input: EvaluateDealInput): DealGuidance {
  const { deal, pipeline, playbook, now } = input;
  // A playbook of another pipeline would silently show no criteria: a caller bug worth surfacing.
  if (playbook.pipelineId !== pipeline.id) {
    throw invalidInput(`playbook is for pipeline ${playbook.pipelineId}, not ${pipeline.id}`, {
      field: 'playbook',
    });
  }
  const nowMs = now.getTime();
  const stages = orderedStages(pipeline);
  const stageId = deal.properties.dealstage ?? '';
  const index = stages.findIndex((s) => s.id === stageId);
  const stage = stages[index];
  const outcome: StageOutcome = stage
    ? stageOutcome(stage)
    : deal.properties.hs_is_closed === 'true'
      ? deal.properties.hs_is_closed_won === 'true'
        ? 'won'
        : 'lost'
      : 'open';
  const label = stage?.label ?? stageId;
  const probability = stage ? stageProbability(stage) : null;

  const enteredMs = enteredStageAt(deal, stageId);
  const daysInStage =
    enteredMs === null ? null : Math.max(0, Math.round(((nowMs - enteredMs) / DAY_MS) * 10) / 10);
  const timing = outcome === 'open' ? (input.stageTiming?.stages[stageId] ?? null) : null;
  const age = timing && daysInStage !== null ? classifyStageAge(daysInStage, timing) : null;

  const ctx: CriterionContext = {
    deal,
    engagements: input.engagements,
    contacts: input.contacts,
    contactsRead: input.contactsRead !== false,
    nowMs,
    daysInStage,
  };
  const stagePlaybook = playbook.stages[stageId];
  const waivers = latestWaivers(input.waivers);
  const criteria: CriterionResult[] = (stagePlaybook?.criteria ?? []).map((c) => {
    const { met, evidence } = checkCriterion(c, ctx);
    const w = waivers.get(c.id);
    // A waiver excuses an unmet criterion; a met one shows as met, its evidence being stronger.
    const status = met ? 'met' : w ? 'waived' : 'unmet';
    return {
      id: c.id,
      label: c.label,
      kind: c.kind,
      level: c.level,
      status,
      hint: c.hint,
      evidence,
      waiver: w ? { reason: w.reason, userId: w.userId, at: w.at } : null,
    };
  });

  const nextStage = stages.slice(index + 1).find((s) => stageOutcome(s) !== 'lost');
  return {
    dealId: deal.id,
    pipeline: {
      id: pipeline.id,
      label: pipeline.label,
      stages: stages.map((s) => ({ id: s.id, label: s.label })),
    },
    stage: {
      id: stageId,
      label,
      index,
      count: stages.length,
      probability,
      outcome,
      enteredAt: enteredMs === null ? null : new Date(enteredMs).toISOString(),
      daysInStage,
      age,
      timing,
    },
    goal: stagePlaybook?.goal ?? null,
    guidance: stagePlaybook?.guidance ?? '',
    resources: stagePlaybook?.resources ?? [],
    trainingModuleIds: stagePlaybook?.trainingModuleIds ?? [],
    criteria,
    nextStep: nextStep(outcome, criteria, index >= 0 ? nextStage : undefined),
    risks: outcome === 'open' ? dealRisks({ ctx, probability, age, stageLabel: label }) : [],
    evaluatedAt: now.toISOString(),
  };
}

function nextStep(
  outcome: StageOutcome,
  criteria: readonly CriterionResult[],
  next: { id: string; label: string } | undefined,
): NextStep {
  const blocking = criteria.find((c) => c.level === 'required' && c.status === 'unmet');
  if (outcome !== 'open') {
    const handoff = outcome === 'won' ? criteria.find((c) => c.status === 'unmet') : undefined;
    const text =
      outcome === 'won'
        ? handoff
          ? `This deal is closed won. Handoff: ${handoff.hint}`
          : 'This deal is closed won; the handoff checklist is complete.'
        : 'This deal is closed lost.';
    return { kind: 'closed', text, criterionId: handoff?.id ?? null, nextStageId: null };
  }
  if (blocking)
    return { kind: 'criterion', text: blocking.hint, criterionId: blocking.id, nextStageId: null };
  return {
    kind: 'advance',
    text: next ? `Ready to advance to ${next.label}.` : 'All required criteria are met.',
    criterionId: null,
    nextStageId: next?.id ?? null,
  };
}
