/**
 * Static mocks and factories for the deal card tests. Guidance is built from a typical open deal
 * plus the fields a test cares about, so each test states only what it checks. Nothing here mocks
 * a module: the card takes `fetchGuidance` as a prop.
 */
import type { CriterionResult, Evidence, Risk } from '@pillars/contracts';
import type { FetchGuidance, Guidance, GuidanceRequest, PipelineStage } from '../../api';
import type { DealCardContext } from '../../DealGuidanceCard';

export const BACKEND = 'https://api.pillars.example.com';
export const DEAL_ID = '4242';

export const STAGES: PipelineStage[] = [
  { id: 'appointmentscheduled', label: 'Appointment scheduled' },
  { id: 'qualifiedtobuy', label: 'Qualified to buy' },
  { id: 'presentationscheduled', label: 'Presentation scheduled' },
  { id: 'decisionmakerboughtin', label: 'Decision maker bought in' },
  { id: 'contractsent', label: 'Contract sent' },
  { id: 'closedwon', label: 'Closed won' },
  { id: 'closedlost', label: 'Closed lost' },
];

export function makeEvidence(summary: string, overrides: Partial<Evidence> = {}): Evidence {
  return {
    summary,
    engagements: [],
    contacts: [],
    property: null,
    found: null,
    needed: null,
    ...overrides,
  };
}

export function makeCriterion(
  id: string,
  status: CriterionResult['status'],
  overrides: Partial<CriterionResult> = {},
): CriterionResult {
  return {
    id,
    label: `Criterion ${id}`,
    kind: 'activity',
    level: 'required',
    status,
    hint: `Do ${id}.`,
    evidence: makeEvidence(''),
    waiver: null,
    ...overrides,
  };
}

/** Discovery call held (met), economic buyer unmet, MAP waived: the three statuses side by side. */
export function qualifiedCriteria(): CriterionResult[] {
  return [
    makeCriterion('discovery-call', 'met', {
      label: 'Discovery call held',
      evidence: makeEvidence('Discovery call held 12 Nov with Ana Diaz', { found: 1, needed: 1 }),
    }),
    makeCriterion('economic-buyer', 'unmet', {
      label: 'Economic buyer identified',
      kind: 'association',
      hint: 'Add the economic buyer as a contact on the deal.',
      evidence: makeEvidence('0 of 1 contacts with a buying role', { found: 0, needed: 1 }),
    }),
    makeCriterion('mutual-plan', 'waived', {
      label: 'Mutual action plan shared',
      level: 'recommended',
      kind: 'property',
      evidence: makeEvidence('Property "map_shared" is not set'),
      waiver: { reason: 'Small deal, no MAP needed', userId: '9001', at: '2026-11-20T10:00:00.000Z' },
    }),
  ];
}

export function makeGuidance(overrides: Partial<Guidance> = {}): Guidance {
  return {
    dealId: DEAL_ID,
    pipeline: { id: 'default', label: 'Sales pipeline', stages: STAGES },
    stage: {
      id: 'qualifiedtobuy',
      label: 'Qualified to buy',
      index: 1,
      count: STAGES.length,
      probability: 0.4,
      outcome: 'open',
      enteredAt: '2026-11-07T09:00:00.000Z',
      daysInStage: 21.3,
      age: 'stalled',
      timing: { stageId: 'qualifiedtobuy', sampleSize: 76, p50: 11, p75: 15, p90: 19.5, source: 'history' },
    },
    goal: 'Confirm there is a budget, a buyer and a reason to act.',
    guidance: 'Book the discovery call in the first week; bring the pricing sheet.',
    resources: [{ title: 'Discovery call script', url: 'https://docs.example.com/discovery' }],
    trainingModuleIds: [],
    criteria: qualifiedCriteria(),
    nextStep: {
      kind: 'criterion',
      text: 'Add the economic buyer as a contact on the deal.',
      criterionId: 'economic-buyer',
      nextStageId: null,
    },
    risks: [],
    evaluatedAt: '2026-11-28T09:00:00.000Z',
    ...overrides,
  };
}

/** The stage part of a guidance, with overrides (the most common change in the tests). */
export function withStage(overrides: Partial<Guidance['stage']>, rest: Partial<Guidance> = {}): Guidance {
  const base = makeGuidance(rest);
  return { ...base, stage: { ...base.stage, ...overrides } };
}

export function makeRisk(code: Risk['code'], severity: Risk['severity'], message: string): Risk {
  return { code, severity, message };
}

/** HubSpot's context for a deal record tab, with the profile variable the card needs. */
export function makeContext(
  overrides: { variables?: DealCardContext['variables']; objectId?: number } = {},
): DealCardContext {
  return {
    user: {
      id: 9001,
      email: 'ana@example.com',
      emails: ['ana@example.com'],
      firstName: 'Ana',
      lastName: 'Diaz',
      roles: [],
      teams: [{ id: 7, name: 'East', teammates: [9002] }],
      locale: 'en-us',
      permissions: [],
    },
    crm: { objectId: overrides.objectId ?? Number(DEAL_ID), objectTypeId: '0-3' },
    variables: 'variables' in overrides ? overrides.variables : { BACKEND_ORIGIN: BACKEND },
  };
}

interface PendingCall {
  request: GuidanceRequest;
  resolve: (guidance: Guidance) => void;
  reject: (error: unknown) => void;
}

/** A fetchGuidance whose answers the test releases one by one, in any order. */
export function controllableFetch(): { fetchGuidance: FetchGuidance; calls: PendingCall[] } {
  const calls: PendingCall[] = [];
  const fetchGuidance: FetchGuidance = (request) =>
    new Promise<Guidance>((resolve, reject) => {
      calls.push({ request, resolve, reject });
    });
  return { fetchGuidance, calls };
}

/** A fetchGuidance that answers every request with the same guidance. */
export function answering(guidance: Guidance): {
  fetchGuidance: FetchGuidance;
  requests: GuidanceRequest[];
} {
  const requests: GuidanceRequest[] = [];
  return {
    requests,
    fetchGuidance: async (request) => {
      requests.push(request);
      return guidance;
    },
  };
}
