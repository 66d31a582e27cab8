/**
 * Fixtures for the settings page tests: the answers of each settings route, typed against the
 * contracts, HubSpot's context of a settings page, and a fake `hubspot.fetch` that answers by method
 * and path (or holds an answer until the test releases it) and records every request it got. The
 * page runs the real api.ts client over it, so the tests also check URLs, methods, bodies and timeouts.
 */
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import type {
  CatalogueSetting,
  CoachesSetting,
  Playbook,
  RulesSetting,
  TargetsSetting,
} from '@pillars/contracts';
import type { Connection, Directory, HubSpotFetch, Pipeline } from '../../api';
import type { SettingsPageContext } from '../../SettingsPage';

export const BACKEND = 'https://api.pillars.example.com';

export function makePlaybook(overrides: Partial<Playbook> = {}): Playbook {
  return {
    version: 1,
    pipelineId: 'default',
    stages: {
      appointmentscheduled: {
        goal: 'Book a discovery call with the buyer.',
        guidance: 'Call within a day of the inbound request.',
        criteria: [
          {
            id: 'discovery-call',
            label: 'Discovery call held',
            level: 'required',
            hint: 'Log the discovery call.',
            kind: 'activity',
            type: 'meetings',
            minCount: 1,
            days: 30,
          },
          {
            id: 'amount-set',
            label: 'Amount set',
            level: 'recommended',
            hint: 'Set the expected amount.',
            kind: 'property',
            condition: { property: 'amount', op: 'gt', value: 0 },
          },
        ],
        resources: [{ title: 'Discovery script', url: 'https://docs.example.com/discovery' }],
        trainingModuleIds: [],
        slaDays: 7,
      },
      qualifiedtobuy: {
        goal: 'Confirm budget, buyer and reason to act.',
        guidance: '',
        criteria: [
          {
            id: 'economic-buyer',
            label: 'Economic buyer on the deal',
            level: 'required',
            hint: 'Add the economic buyer as a contact.',
            kind: 'association',
            minCount: 1,
            where: [{ property: 'hs_buying_role', op: 'in', values: ['BUDGET_HOLDER'] }],
          },
        ],
        resources: [],
        trainingModuleIds: [],
      },
      closedwon: {
        goal: 'Hand the customer over to onboarding.',
        guidance: '',
        criteria: [],
        resources: [],
        trainingModuleIds: [],
      },
    },
    ...overrides,
  };
}

export const TARGETS: TargetsSetting = {
  default: [
    { metric: 'dials', perWeek: 60 },
    { metric: 'meetingsBooked', perWeek: 4 },
  ],
  teams: { '4271': [{ metric: 'dials', perWeek: 80 }] },
};

export const CATALOGUE: CatalogueSetting = {
  modules: [
    {
      id: 'discovery-basics',
      title: 'Discovery basics',
      url: 'https://learn.example.com/discovery',
      skillTags: ['discovery'],
      format: 'video',
      minutes: 12,
      version: '1',
    },
    {
      id: 'q3-release',
      title: 'What is new in Q3',
      url: 'https://learn.example.com/q3',
      skillTags: ['product', 'release'],
      format: 'article',
      minutes: 5,
      version: '2',
      release: { name: 'Q3 release', stageIds: ['presentationscheduled'] },
      retired: true,
    },
  ],
};

export const RULES: RulesSetting = {
  rules: [
    {
      id: 'booking',
      metric: 'bookingRate',
      comparator: 'belowTeamMedian',
      weeks: 3,
      outOf: 4,
      moduleTag: 'booking',
    },
  ],
  releaseRules: true,
  monthlyCap: 2,
};

export const COACHES: CoachesSetting = { teams: { '4271': ['9001', '9002'], '5000': [] } };

export const CONNECTION: Connection = {
  portalId: 123456,
  hubDomain: 'acme.hubspot.com',
  installedAt: '2026-11-01T09:30:00.000Z',
  scopes: ['crm.objects.deals.read', 'oauth'],
  status: 'active',
};

/** The answer of GET /api/v1/settings/pipelines: the sales pipeline and a renewals pipeline. */
export const PIPELINES: Pipeline[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    stages: [
      { id: 'appointmentscheduled', label: 'Appointment scheduled', closed: false },
      { id: 'qualifiedtobuy', label: 'Qualified to buy', closed: false },
      { id: 'presentationscheduled', label: 'Presentation scheduled', closed: false },
      { id: 'closedwon', label: 'Closed won', closed: true },
      { id: 'closedlost', label: 'Closed lost', closed: true },
    ],
  },
  {
    id: 'renewals',
    label: 'Renewals',
    stages: [
      { id: 'renewal-due', label: 'Renewal due', closed: false },
      { id: 'renewed', label: 'Renewed', closed: true },
    ],
  },
];

/** The answer of GET /api/v1/settings/directory. */
export const DIRECTORY: Directory = {
  teams: [
    { id: '4271', name: 'East sales', userIds: ['9001', '9002', '9003'] },
    { id: '5000', name: 'West sales', userIds: [] },
    { id: '6000', name: 'Partners', userIds: ['9004'] },
  ],
  users: [
    { id: '9002', email: 'ben@example.com', superAdmin: false },
    { id: '9001', email: 'ana@example.com', superAdmin: true },
    { id: '9003', email: 'cara@example.com', superAdmin: false },
    { id: '9004', email: 'dev@example.com', superAdmin: false },
  ],
};

/** HubSpot's context of the settings page, with the profile variable the page needs. */
export function makeContext(
  overrides: { variables?: SettingsPageContext['variables'] } = {},
): SettingsPageContext {
  return {
    user: {
      id: 9001,
      email: 'ana@example.com',
      emails: ['ana@example.com'],
      firstName: 'Ana',
      lastName: 'Diaz',
      roles: [],
      teams: [],
      locale: 'en-us',
      permissions: [],
    },
    variables: 'variables' in overrides ? overrides.variables : { BACKEND_ORIGIN: BACKEND },
    portal: { timezone: 'UTC' },
  };
}

/** An answer of the fake backend. */
export type Answer =
  | { status?: number; body: unknown }
  /** Wait until the test calls `release` on the pending request. */
  | 'hold'
  /** No answer at all (network failure, timeout). */
  | 'unreachable';

export const ok = (body: unknown): Answer => ({ status: 200, body });
export const fail = (
  status: number,
  code: string,
  message: string,
  requestId: string,
  field?: string,
): Answer => ({
  status,
  body: {
    error: { code, message, requestId, ...(field !== undefined ? { details: { field } } : {}) },
  },
});

export interface Sent {
  method: string;
  path: string;
  url: string;
  options: HubSpotFetchOptions | undefined;
  body: Record<string, unknown> | undefined;
}

interface Held {
  sent: Sent;
  release: (answer: Answer) => void;
}

function respond(answer: Exclude<Answer, 'hold'>): Promise<Response> {
  if (answer === 'unreachable') return Promise.reject(new Error('timeout'));
  return Promise.resolve(
    new Response(JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json' },
    }),
  );
}

/**
 * A fake `hubspot.fetch`. `routes` maps `METHOD /path` to an answer or a list of answers, used in
 * turn (the last one repeats). A request without a route fails the test.
 */
export function fakeBackend(routes: Record<string, Answer | Answer[]>) {
  const sent: Sent[] = [];
  const held: Held[] = [];
  const queues = new Map<string, Answer[]>(
    Object.entries(routes).map(([k, v]) => [k, Array.isArray(v) ? [...v] : [v]]),
  );
  const fetchImpl: HubSpotFetch = (url, options) => {
    const parsed = new URL(url);
    const method = options?.method ?? 'GET';
    const entry: Sent = {
      method,
      path: parsed.pathname,
      url,
      options,
      body: options?.body as Record<string, unknown> | undefined,
    };
    sent.push(entry);
    const key = `${method} ${parsed.pathname}`;
    const queue = queues.get(key);
    const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
    if (answer === undefined) return Promise.reject(new Error(`unexpected request ${key}`));
    if (answer === 'hold') {
      return new Promise<Response>((resolve, reject) => {
        held.push({
          sent: entry,
          release: (next) => {
            if (next === 'hold') throw new Error('release with an answer');
            respond(next).then(resolve, reject);
          },
        });
      });
    }
    return respond(answer);
  };
  /** Requests sent to `METHOD /path`. */
  const to = (key: string) => sent.filter((s) => `${s.method} ${s.path}` === key);
  return { fetchImpl, sent, held, to, routes: queues };
}

/** The default answers of every GET route. */
export function defaultRoutes(): Record<string, Answer | Answer[]> {
  return {
    'GET /api/v1/settings/playbooks/default': ok({ source: 'stored', playbook: makePlaybook() }),
    'GET /api/v1/settings/targets': ok({ value: TARGETS, source: 'saved' }),
    'GET /api/v1/settings/training-catalogue': ok({ value: CATALOGUE, source: 'saved' }),
    'GET /api/v1/settings/training-rules': ok({ value: RULES, source: 'default' }),
    'GET /api/v1/settings/coaches': ok({ value: COACHES, source: 'saved' }),
    'GET /api/v1/settings/connection': ok(CONNECTION),
    'GET /api/v1/settings/pipelines': ok({ pipelines: PIPELINES }),
    'GET /api/v1/settings/directory': ok(DIRECTORY),
  };
}

/** The pickers' lists failing (an older backend, HubSpot down): the sections fall back to typed ids. */
export const NO_PIPELINES = {
  'GET /api/v1/settings/pipelines': fail(502, 'HUBSPOT_UNAVAILABLE', 'HubSpot did not answer.', 'req-pipes'),
};
export const NO_DIRECTORY = {
  'GET /api/v1/settings/directory': fail(502, 'HUBSPOT_UNAVAILABLE', 'HubSpot did not answer.', 'req-dir'),
};
