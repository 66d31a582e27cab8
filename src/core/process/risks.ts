/**
 * Deal risks the card warns about, independent of the playbook's criteria.
 */
import type { CrmRecord } from '../crm.js';
import { parseInstant } from '../time/index.js';
import { propertyValue } from './conditions.js';
import type { Risk, StageAge } from '@pillars/contracts';
import type { CriterionContext } from './criteria.js';

/** A stage at or past this probability is "late": one contact there is a single point of failure. */
export const LATE_STAGE_PROBABILITY = 0.6;

/**
 * True when HubSpot's "next activity date" of the deal (`notes_next_activity_date`, maintained by
 * HubSpot from the deal's scheduled meetings, calls and tasks) is after now, or when a meeting (not
 * canceled) or an open task read with the deal is dated after now.
 */
export function hasNextActivity(ctx: Pick<CriterionContext, 'deal' | 'engagements' | 'nowMs'>): boolean {
  const next = parseInstant(ctx.deal.properties.notes_next_activity_date);
  if (next !== null && next > ctx.nowMs) return true;
  const future = (e: CrmRecord) => {
    const at = parseInstant(e.properties.hs_timestamp);
    return at !== null && at > ctx.nowMs;
  };
  const meeting = (ctx.engagements.meetings ?? []).some((m) => {
    const outcome = propertyValue(m, 'hs_meeting_outcome');
    const start = parseInstant(m.properties.hs_meeting_start_time) ?? parseInstant(m.properties.hs_timestamp);
    return outcome !== 'CANCELED' && start !== null && start > ctx.nowMs;
  });
  if (meeting) return true;
  return (ctx.engagements.tasks ?? []).some(
    (t) => propertyValue(t, 'hs_task_status') !== 'COMPLETED' && future(t),
  );
}

/**
 * The deal's associated contacts: those read with it, else HubSpot's `num_associated_contacts`
 * (the contacts are only read when a criterion needs them); null when neither is known.
 */
export function contactCount(
  ctx: Pick<CriterionContext, 'deal' | 'contacts' | 'contactsRead'>,
): number | null {
  if (ctx.contactsRead !== false) return ctx.contacts.length;
  const raw = ctx.deal.properties.num_associated_contacts;
  const n = raw === null || raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

export interface RiskInput {
  ctx: CriterionContext;
  probability: number | null;
  age: StageAge | null;
  stageLabel: string;
}

/** Risks of an open deal, most urgent first. */
export function dealRisks({ ctx, probability, age, stageLabel }: RiskInput): Risk[] {
  const risks: Risk[] = [];
  const days = ctx.daysInStage === null ? '' : ` (${Math.floor(ctx.daysInStage)} days)`;
  if (age === 'stalled') {
    risks.push({
      code: 'stalledInStage',
      severity: 'critical',
      message: `Stalled in ${stageLabel}${days}: longer than 90% of the team's won deals.`,
    });
  } else if (age === 'slow') {
    risks.push({
      code: 'slowInStage',
      severity: 'warning',
      message: `Slow in ${stageLabel}${days}: longer than 75% of the team's won deals.`,
    });
  }
  const close = parseInstant(ctx.deal.properties.closedate);
  if (close !== null && close < ctx.nowMs) {
    risks.push({
      code: 'closeDatePast',
      severity: 'critical',
      message: `Close date ${new Date(close).toISOString().slice(0, 10)} has passed: update it or close the deal.`,
    });
  }
  if (!hasNextActivity(ctx)) {
    risks.push({
      code: 'noNextActivity',
      severity: 'warning',
      message: 'No next step scheduled: book a meeting or set a task with a due date.',
    });
  }
  const contacts = contactCount(ctx);
  if (probability !== null && probability >= LATE_STAGE_PROBABILITY && contacts !== null && contacts <= 1) {
    risks.push({
      code: 'singleThreaded',
      severity: 'warning',
      message:
        contacts === 0
          ? 'No contact associated in a late stage: add the buying group.'
          : 'Only one contact in a late stage: reach another stakeholder.',
    });
  }
  return risks;
}
