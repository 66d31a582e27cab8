/**
 * Checking one playbook criterion against the deal's CRM evidence.
 */
import type { CrmRecord, EngagementType } from '../crm.js';
import { parseInstant } from '../time/index.js';
import { matchesAll, matchesCondition, propertyValue } from './conditions.js';
import type { Criterion, Evidence } from '@pillars/contracts';
import { DAY_MS } from './stage-dates.js';

/** An engagement associated with the deal, with the ids of the contacts it is associated with. */
export interface DealEngagement extends CrmRecord {
  contactIds?: readonly string[];
}

/** Everything a criterion may look at, prepared once per deal. */
export interface CriterionContext {
  deal: CrmRecord;
  engagements: Readonly<Partial<Record<EngagementType, readonly DealEngagement[]>>>;
  contacts: readonly CrmRecord[];
  /** False when the contacts were not read (no criterion of the stage needs them): `contacts` is then empty. */
  contactsRead?: boolean;
  nowMs: number;
  /** Days in the current stage, or null when HubSpot gave no entry date. */
  daysInStage: number | null;
}

export interface CriterionCheck {
  met: boolean;
  evidence: Evidence;
}

// The card lists at most this many engagements or contacts under a criterion; counts stay exact.
const MAX_LISTED = 10;

/**
 * When an engagement happened: a task's completion date when it has one (a task is done when it
 * is completed, not when it was due), a meeting's start time, else hs_timestamp.
 */
export function engagementAt(type: EngagementType, e: CrmRecord): number | null {
  const p = e.properties;
  if (type === 'tasks') return parseInstant(p.hs_task_completion_date) ?? parseInstant(p.hs_timestamp);
  if (type === 'meetings') return parseInstant(p.hs_meeting_start_time) ?? parseInstant(p.hs_timestamp);
  return parseInstant(p.hs_timestamp);
}

/** A contact's display name: first and last name, else email, else null. */
export function contactName(c: CrmRecord): string | null {
  const name = [propertyValue(c, 'firstname'), propertyValue(c, 'lastname')]
    .filter((v) => v !== null)
    .join(' ');
  return name !== '' ? name : propertyValue(c, 'email');
}

function isoDate(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function emptyEvidence(summary: string): Evidence {
  return { summary, engagements: [], contacts: [], property: null, found: null, needed: null };
}

/** Whether `criterion` holds for the deal, and the evidence either way. */
export function checkCriterion(criterion: Criterion, ctx: CriterionContext): CriterionCheck {
  switch (criterion.kind) {
    case 'property':
      return checkProperty(criterion.condition, ctx);
    case 'activity':
      return checkActivity(criterion, ctx);
    case 'association':
      return checkAssociation(criterion, ctx);
    case 'time':
      return checkTime(criterion.days, ctx);
  }
}

function checkProperty(
  condition: Extract<Criterion, { kind: 'property' }>['condition'],
  ctx: CriterionContext,
) {
  const value = propertyValue(ctx.deal, condition.property);
  const met = matchesCondition(ctx.deal, condition, ctx.nowMs);
  const summary = value === null ? `${condition.property} is not set` : `${condition.property} is ${value}`;
  return { met, evidence: { ...emptyEvidence(summary), property: { name: condition.property, value } } };
}

function checkActivity(
  criterion: Extract<Criterion, { kind: 'activity' }>,
  ctx: CriterionContext,
): CriterionCheck {
  const since = ctx.nowMs - criterion.days * DAY_MS;
  const matches: { e: DealEngagement; at: number }[] = [];
  for (const e of ctx.engagements[criterion.type] ?? []) {
    const at = engagementAt(criterion.type, e);
    // Only what already happened counts: a meeting booked for next week is not a meeting held.
    if (at === null || at < since || at > ctx.nowMs) continue;
    if (matchesAll(e, criterion.where, ctx.nowMs)) matches.push({ e, at });
  }
  matches.sort((a, b) => b.at - a.at);
  const touched = new Set<string>();
  for (const { e } of matches) for (const id of e.contactIds ?? []) touched.add(id);
  const distinctOk =
    criterion.minDistinctContacts === undefined || touched.size >= criterion.minDistinctContacts;
  const met = matches.length >= criterion.minCount && distinctOk;

  const byId = new Map(ctx.contacts.map((c) => [c.id, c]));
  const contacts = [...touched].slice(0, MAX_LISTED).map((id) => {
    const c = byId.get(id);
    return { id, name: c ? contactName(c) : null };
  });
  const last = matches[0];
  let summary = `${matches.length} of ${criterion.minCount} ${criterion.type} in the last ${criterion.days} days`;
  if (last) summary += `, last on ${new Date(last.at).toISOString().slice(0, 10)}`;
  if (criterion.minDistinctContacts !== undefined)
    summary += `, ${touched.size} of ${criterion.minDistinctContacts} contacts reached`;
  else if (contacts.length > 0) {
    const names = contacts.map((c) => c.name).filter((n) => n !== null);
    if (names.length > 0) summary += ` with ${names.slice(0, 3).join(', ')}`;
  }
  return {
    met,
    evidence: {
      summary,
      engagements: matches.slice(0, MAX_LISTED).map(({ e, at }) => ({
        id: e.id,
        type: criterion.type,
        at: isoDate(at),
        contactIds: [...(e.contactIds ?? [])],
      })),
      contacts,
      property: null,
      found: criterion.minDistinctContacts === undefined ? matches.length : touched.size,
      needed: criterion.minDistinctContacts ?? criterion.minCount,
    },
  };
}

function checkAssociation(criterion: Extract<Criterion, { kind: 'association' }>, ctx: CriterionContext) {
  const matching = ctx.contacts.filter((c) => matchesAll(c, criterion.where, ctx.nowMs));
  const listed = matching.slice(0, MAX_LISTED).map((c) => ({ id: c.id, name: contactName(c) }));
  const names = listed.map((c) => c.name).filter((n) => n !== null);
  let summary = `${matching.length} of ${criterion.minCount} matching contacts`;
  if (names.length > 0) summary += `: ${names.slice(0, 3).join(', ')}`;
  return {
    met: matching.length >= criterion.minCount,
    evidence: {
      ...emptyEvidence(summary),
      contacts: listed,
      found: matching.length,
      needed: criterion.minCount,
    },
  };
}

function checkTime(maxDays: number, ctx: CriterionContext): CriterionCheck {
  if (ctx.daysInStage === null) return { met: false, evidence: emptyEvidence('Date entered stage unknown') };
  const days = Math.floor(ctx.daysInStage);
  return {
    met: ctx.daysInStage <= maxDays,
    evidence: {
      ...emptyEvidence(`${days} of at most ${maxDays} days in stage`),
      found: days,
      needed: maxDays,
    },
  };
}
