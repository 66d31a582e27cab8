/**
 * Building blocks of the default playbooks: criterion makers and the engagement values they test.
 */
import type { Criterion, PropertyCondition, StagePlaybook } from '@pillars/contracts';

/** A criterion before its id is prefixed with the stage id (ids must be unique in a playbook). */
export type CriterionTemplate = Criterion;
export type StageTemplate = Omit<StagePlaybook, 'criteria'> & { criteria: CriterionTemplate[] };

/** Roles of HubSpot's hs_buying_role that can say yes to a purchase. */
export const DECIDER_ROLES = ['DECISION_MAKER', 'BUDGET_HOLDER', 'EXECUTIVE_SPONSOR'];

export const MEETING_COMPLETED: PropertyCondition = {
  property: 'hs_meeting_outcome',
  op: 'eq',
  value: 'COMPLETED',
};
export const TASK_COMPLETED: PropertyCondition = { property: 'hs_task_status', op: 'eq', value: 'COMPLETED' };

type Level = Criterion['level'];

/** At least one completed meeting in the last `days` days. */
export function meetingHeld(id: string, label: string, hint: string, days: number, level: Level): Criterion {
  return {
    id,
    label,
    hint,
    level,
    kind: 'activity',
    type: 'meetings',
    minCount: 1,
    days,
    where: [MEETING_COMPLETED],
  };
}

/** A completed task whose subject mentions `word`, in the last `days` days. */
export function taskDone(
  id: string,
  label: string,
  hint: string,
  word: string,
  days: number,
  level: Level,
): Criterion {
  return {
    id,
    label,
    hint,
    level,
    kind: 'activity',
    type: 'tasks',
    minCount: 1,
    days,
    where: [TASK_COMPLETED, { property: 'hs_task_subject', op: 'contains', value: word }],
  };
}

export function dealProperty(
  id: string,
  label: string,
  hint: string,
  condition: PropertyCondition,
  level: Level,
): Criterion {
  return { id, label, hint, level, kind: 'property', condition };
}

export function contacts(
  id: string,
  label: string,
  hint: string,
  minCount: number,
  level: Level,
  where?: PropertyCondition[],
): Criterion {
  return { id, label, hint, level, kind: 'association', minCount, ...(where ? { where } : {}) };
}

export function timeLimit(id: string, days: number, hint: string): Criterion {
  return { id, label: `At most ${days} days in this stage`, hint, level: 'recommended', kind: 'time', days };
}

export const AMOUNT_SET = (level: Level) =>
  dealProperty(
    'amount-set',
    'Amount set',
    'Agree a budget range and set the deal amount.',
    { property: 'amount', op: 'gt', value: 0 },
    level,
  );

export const CLOSE_DATE_AHEAD = (level: Level) =>
  dealProperty(
    'close-date-ahead',
    'Close date set and in the future',
    'Agree a realistic close date with the buyer and set it on the deal.',
    { property: 'closedate', op: 'inFuture' },
    level,
  );

export const DECISION_MAKER = (level: Level) =>
  contacts(
    'decision-maker',
    'Decision maker identified',
    'Find who signs off and associate them with the deal, buying role Decision maker.',
    1,
    level,
    [{ property: 'hs_buying_role', op: 'in', values: DECIDER_ROLES }],
  );

/** What a rep hands to onboarding once the deal is won (closedwon and any won stage). */
export function handoffChecklist(): StageTemplate {
  return {
    goal: 'Hand the customer to onboarding without losing what was promised.',
    guidance:
      'Within a week of signature: write the handoff note, introduce the account manager, and make sure the customer contacts are on the record.',
    criteria: [
      {
        id: 'handoff-note',
        label: 'Handoff note written',
        hint: 'Write a note starting "Handoff": goals, stakeholders, promises made, risks.',
        level: 'recommended',
        kind: 'activity',
        type: 'notes',
        minCount: 1,
        days: 14,
        where: [{ property: 'hs_note_body', op: 'contains', value: 'handoff' }],
      },
      contacts(
        'customer-contacts',
        'Customer contacts with email',
        'Associate the customer contacts onboarding will work with.',
        2,
        'recommended',
        [{ property: 'email', op: 'set' }],
      ),
      AMOUNT_SET('recommended'),
      taskDone(
        'intro-am',
        'Account manager introduced',
        'Introduce the account manager by email and complete the intro task.',
        'intro',
        14,
        'recommended',
      ),
    ],
    resources: [],
    trainingModuleIds: [],
  };
}

/** What to learn from a lost deal. */
export function lostReview(): StageTemplate {
  return {
    goal: 'Learn why the deal was lost.',
    guidance: 'Record the real reason; it feeds the team meeting and the win-loss review.',
    criteria: [
      dealProperty(
        'lost-reason',
        'Lost reason recorded',
        'Set the closed lost reason on the deal.',
        { property: 'closed_lost_reason', op: 'set' },
        'recommended',
      ),
    ],
    resources: [],
    trainingModuleIds: [],
  };
}
