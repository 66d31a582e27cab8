/**
 * The default B2B playbook for HubSpot's default sales stages, as a sales manager would set it:
 * each stage has one job, and its required criteria are the evidence that the job is done.
 */
import type { StageTemplate } from './templates.js';
import {
  AMOUNT_SET,
  CLOSE_DATE_AHEAD,
  DECISION_MAKER,
  contacts,
  handoffChecklist,
  lostReview,
  meetingHeld,
  taskDone,
  timeLimit,
} from './templates.js';

/** Templates by HubSpot's default stage id. */
export const DEFAULT_SALES_STAGES: Readonly<Record<string, () => StageTemplate>> = {
  appointmentscheduled: () => ({
    goal: 'Hold the first meeting and agree there is a problem worth solving.',
    guidance: 'Confirm the meeting the day before. Come with a point of view on their business, not a demo.',
    criteria: [
      meetingHeld(
        'first-meeting',
        'First meeting held',
        'Hold the first meeting and log its outcome as Completed.',
        30,
        'required',
      ),
      contacts(
        'contact-added',
        'Contact on the deal',
        'Associate the person you are meeting with the deal.',
        1,
        'required',
      ),
      timeLimit(
        'time',
        14,
        'Reschedule now or close the deal lost: first meetings that slip twice rarely happen.',
      ),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  qualifiedtobuy: () => ({
    goal: 'Qualify: budget, authority, need and timeline confirmed.',
    guidance:
      'Run discovery before any demo. Leave with the pain in their words, its cost, who decides and by when.',
    criteria: [
      meetingHeld(
        'discovery',
        'Discovery meeting held',
        'Run the discovery meeting and log it as Completed.',
        30,
        'required',
      ),
      AMOUNT_SET('required'),
      DECISION_MAKER('recommended'),
      CLOSE_DATE_AHEAD('recommended'),
      {
        id: 'discovery-notes',
        label: 'Discovery notes logged',
        hint: 'Write a note with the pain, its impact, the decision process and the timeline.',
        level: 'recommended',
        kind: 'activity',
        type: 'notes',
        minCount: 1,
        days: 30,
      },
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  presentationscheduled: () => ({
    goal: 'Show the solution to the buying group and agree the path to a decision.',
    guidance:
      'Tailor the demo to the pains from discovery. End by agreeing the next meeting and who else must see it.',
    criteria: [
      meetingHeld(
        'demo-held',
        'Presentation held',
        'Hold the presentation and log it as Completed.',
        21,
        'required',
      ),
      contacts(
        'two-stakeholders',
        'Two or more stakeholders on the deal',
        'Engage a second stakeholder and associate them with the deal.',
        2,
        'required',
      ),
      {
        id: 'multithreaded-email',
        label: 'Two or more contacts emailed in 14 days',
        hint: 'Send the recap to every stakeholder, not only your champion.',
        level: 'recommended',
        kind: 'activity',
        type: 'emails',
        minCount: 2,
        days: 14,
        minDistinctContacts: 2,
      },
      CLOSE_DATE_AHEAD('required'),
      timeLimit(
        'time',
        21,
        'Book the next meeting with the decision maker, or ask directly what is blocking.',
      ),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  decisionmakerboughtin: () => ({
    goal: 'The decision maker agrees to buy and the proposal is out.',
    guidance:
      'Confirm the decision maker’s criteria and the paper process (legal, procurement, security) before you send the proposal.',
    criteria: [
      DECISION_MAKER('required'),
      taskDone(
        'proposal-sent',
        'Proposal sent',
        'Send the proposal and complete the proposal task.',
        'proposal',
        30,
        'required',
      ),
      AMOUNT_SET('required'),
      contacts(
        'vp-sponsor',
        'VP-level sponsor on the deal',
        'Find a VP-level sponsor and associate them with the deal.',
        1,
        'recommended',
        [{ property: 'jobtitle', op: 'contains', value: 'VP' }],
      ),
      meetingHeld(
        'dm-meeting',
        'Meeting held in the last 30 days',
        'Meet the decision maker to walk through the proposal.',
        30,
        'recommended',
      ),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  contractsent: () => ({
    goal: 'Get the contract signed.',
    guidance:
      'Agree a signing date. Follow up every few days; offer a call with legal rather than trading redlines by email.',
    criteria: [
      CLOSE_DATE_AHEAD('required'),
      taskDone(
        'contract-sent',
        'Contract sent',
        'Send the contract and complete the contract task.',
        'contract',
        30,
        'required',
      ),
      AMOUNT_SET('required'),
      {
        id: 'follow-up',
        label: 'Followed up in the last 7 days',
        hint: 'Email the signer to check on the contract and offer help with legal questions.',
        level: 'recommended',
        kind: 'activity',
        type: 'emails',
        minCount: 1,
        days: 7,
      },
      timeLimit('time', 14, 'Ask the signer what stands between the contract and a signature.'),
    ],
    resources: [],
    trainingModuleIds: [],
  }),
  closedwon: handoffChecklist,
  closedlost: lostReview,
};
