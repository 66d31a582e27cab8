/**
 * Generic stage templates by position, for custom sales pipelines and post-sale pipelines.
 */
import type { StagePosition } from './pipeline.js';
import type { StageTemplate } from './templates.js';
import {
  AMOUNT_SET,
  CLOSE_DATE_AHEAD,
  DECISION_MAKER,
  contacts,
  meetingHeld,
  taskDone,
  timeLimit,
} from './templates.js';

/** Custom sales pipelines: early stages qualify, middle stages evaluate, late stages close. */
export const GENERIC_SALES: Readonly<Record<StagePosition, () => StageTemplate>> = {
  early: () => ({
    goal: 'Meet the buyer and qualify the opportunity.',
    guidance: 'Find the pain, who decides and by when before investing more time.',
    criteria: [
      contacts(
        'contact-added',
        'Contact on the deal',
        'Associate your main contact with the deal.',
        1,
        'required',
      ),
      meetingHeld(
        'meeting-held',
        'Meeting held in the last 30 days',
        'Hold a meeting and log it as Completed.',
        30,
        'required',
      ),
      timeLimit('time', 21, 'Qualify the deal out or move it forward.'),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  middle: () => ({
    goal: 'Show value to the buying group and size the deal.',
    guidance: 'Tie every part of the demo or proposal to a pain the buyer named.',
    criteria: [
      meetingHeld(
        'meeting-held',
        'Meeting held in the last 30 days',
        'Hold a meeting and log it as Completed.',
        30,
        'required',
      ),
      AMOUNT_SET('required'),
      contacts(
        'two-stakeholders',
        'Two or more stakeholders on the deal',
        'Engage a second stakeholder and associate them with the deal.',
        2,
        'recommended',
      ),
      CLOSE_DATE_AHEAD('recommended'),
      timeLimit('time', 35, 'Agree the next step with the buyer, or ask what is blocking.'),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  late: () => ({
    goal: 'Secure the decision and the signature.',
    guidance: 'Keep the decision maker engaged and agree the signing date.',
    criteria: [
      CLOSE_DATE_AHEAD('required'),
      AMOUNT_SET('required'),
      DECISION_MAKER('recommended'),
      contacts(
        'two-stakeholders',
        'Two or more stakeholders on the deal',
        'Engage a second stakeholder and associate them with the deal.',
        2,
        'recommended',
      ),
      {
        id: 'follow-up',
        label: 'Followed up in the last 7 days',
        hint: 'Email the buyer to keep the decision moving.',
        level: 'recommended',
        kind: 'activity',
        type: 'emails',
        minCount: 1,
        days: 7,
      },
      timeLimit('time', 30, 'Ask the signer what stands between you and a signature.'),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
};

/** Post-sale pipelines: early stages are the handoff, middle the kickoff, late the first value. */
export const POST_SALE: Readonly<Record<StagePosition, () => StageTemplate>> = {
  early: () => ({
    goal: 'Handoff: onboarding knows what was sold and to whom.',
    guidance: 'Read the sales handoff note, then welcome the customer within two working days.',
    criteria: [
      {
        id: 'handoff-note',
        label: 'Handoff note on record',
        hint: 'Ask the rep for the handoff note (goals, stakeholders, promises) and log it on the deal.',
        level: 'required',
        kind: 'activity',
        type: 'notes',
        minCount: 1,
        days: 30,
      },
      contacts(
        'customer-contact',
        'Customer contact on the deal',
        'Associate the customer’s onboarding lead with the deal.',
        1,
        'required',
      ),
      {
        id: 'welcome-email',
        label: 'Welcome email sent',
        hint: 'Send the welcome email with the kickoff date options.',
        level: 'recommended',
        kind: 'activity',
        type: 'emails',
        minCount: 1,
        days: 14,
      },
      timeLimit('time', 7, 'Welcome the customer and book the kickoff this week.'),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  middle: () => ({
    goal: 'Kickoff held and an onboarding plan agreed.',
    guidance: 'Agree success criteria, owners and dates at the kickoff; send the plan the same day.',
    criteria: [
      meetingHeld(
        'kickoff-held',
        'Kickoff meeting held',
        'Hold the kickoff and log it as Completed.',
        30,
        'required',
      ),
      taskDone(
        'plan-sent',
        'Onboarding plan sent',
        'Send the onboarding plan and complete the plan task.',
        'plan',
        30,
        'recommended',
      ),
      {
        id: 'two-contacts-reached',
        label: 'Two or more customer contacts emailed',
        hint: 'Involve the day-to-day users as well as the sponsor.',
        level: 'recommended',
        kind: 'activity',
        type: 'emails',
        minCount: 2,
        days: 30,
        minDistinctContacts: 2,
      },
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  late: () => ({
    goal: 'First value: the customer gets the outcome they bought.',
    guidance: 'Review the success criteria from the kickoff with the sponsor and confirm they are met.',
    criteria: [
      meetingHeld(
        'value-review',
        'Value review held',
        'Hold a value review with the sponsor and log it as Completed.',
        30,
        'required',
      ),
      {
        id: 'outcome-note',
        label: 'Outcome recorded',
        hint: 'Write a note with the outcome the customer reached, in their words.',
        level: 'recommended',
        kind: 'activity',
        type: 'notes',
        minCount: 1,
        days: 30,
      },
      DECISION_MAKER('recommended'),
      timeLimit('time', 30, 'Escalate the blocker to the sponsor.'),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
};
