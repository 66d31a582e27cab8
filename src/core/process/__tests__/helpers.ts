// Builders shared by the process tests: pipelines like HubSpot's, deals, engagements, contacts.
import type { CrmRecord, Pipeline, PipelineStage } from '../../crm.js';
import type { DealEngagement } from '../criteria.js';

export const NOW = new Date('2026-11-25T17:00:00.000Z');
const DAY = 86_400_000;

/** An ISO instant `days` days before NOW (negative: after). */
export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * DAY).toISOString();
}

function stage(id: string, label: string, i: number, probability?: string, isClosed = false): PipelineStage {
  const metadata: Record<string, string> = { isClosed: String(isClosed) };
  if (probability !== undefined) metadata.probability = probability;
  return { id, label, displayOrder: i, metadata };
}

/** HubSpot's default sales pipeline, as the demo portal and a fresh portal have it. */
export function defaultPipeline(): Pipeline {
  const defs: [string, string, string, boolean][] = [
    ['appointmentscheduled', 'Appointment scheduled', '0.2', false],
    ['qualifiedtobuy', 'Qualified to buy', '0.4', false],
    ['presentationscheduled', 'Presentation scheduled', '0.6', false],
    ['decisionmakerboughtin', 'Decision maker bought-in', '0.8', false],
    ['contractsent', 'Contract sent', '0.9', false],
    ['closedwon', 'Closed won', '1.0', true],
    ['closedlost', 'Closed lost', '0.0', true],
  ];
  return {
    id: 'default',
    label: 'Sales Pipeline',
    displayOrder: 0,
    stages: defs.map(([id, label, p, closed], i) => stage(id, label, i, p, closed)),
  };
}

/** A custom sales pipeline with numeric stage ids, listed out of display order on purpose. */
export function customPipeline(): Pipeline {
  return {
    id: '8812001',
    label: 'Enterprise',
    displayOrder: 2,
    stages: [
      stage('8812005', 'Negotiation', 3, '0.75'),
      stage('8812002', 'Intro call', 0, '0.1'),
      stage('8812003', 'Needs analysis', 1, '0.3'),
      stage('8812004', 'Solution proposal', 2, '0.5'),
      stage('8812006', 'Signed', 4, '1.0', true),
      stage('8812007', 'Lost', 5, '0.0', true),
    ],
  };
}

/** The demo portal's Onboarding pipeline. */
export function onboardingPipeline(): Pipeline {
  return {
    id: '75211345',
    label: 'Onboarding',
    displayOrder: 1,
    stages: [
      stage('75211346', 'Handoff', 0, '0.25'),
      stage('75211347', 'Kickoff', 1, '0.5'),
      stage('75211348', 'First value', 2, '0.75'),
      stage('75211349', 'Live', 3, '1.0', true),
    ],
  };
}

let nextId = 1;
/** A record with the given properties and a fresh id. */
export function rec(properties: Record<string, string | null | undefined>, id?: string): CrmRecord {
  return { id: id ?? String(nextId++), properties };
}

/** An engagement with associated contact ids. */
export function eng(
  properties: Record<string, string | null>,
  contactIds: string[] = [],
  id?: string,
): DealEngagement {
  return { id: id ?? String(nextId++), properties, contactIds };
}

/** A completed meeting `days` ago. */
export function meetingDone(days: number, contactIds: string[] = [], id?: string): DealEngagement {
  return eng({ hs_timestamp: daysAgo(days), hs_meeting_outcome: 'COMPLETED' }, contactIds, id);
}

/** An open deal in `stageId`, entered `enteredDaysAgo` days ago. */
export function openDeal(
  stageId: string,
  enteredDaysAgo: number,
  extra: Record<string, string | null> = {},
): CrmRecord {
  return rec({
    dealstage: stageId,
    pipeline: 'default',
    hs_is_closed: 'false',
    [`hs_v2_date_entered_${stageId}`]: daysAgo(enteredDaysAgo),
    hs_v2_date_entered_current_stage: daysAgo(enteredDaysAgo),
    ...extra,
  });
}
