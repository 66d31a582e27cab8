/**
 * GET /api/v1/deal-guidance end to end: the backend booted through its composition root
 * (`startBackend`) on SQLite and a sandbox holding a generated demo portal, signed requests through
 * real HTTP, HubSpot requests counted by the sandbox.
 */
import { dealGuidanceSchema, stageTimingSchema, type DealGuidance, type Playbook } from '@pillars/contracts';
import { defaultPlaybook } from '../../../src/core/process/index.js';
import type { Pipeline } from '../../../src/core/crm.js';
import type { Backend } from '../../../src/server/boot.js';
import type { DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { signRequest } from '../../support/signer.js';
import { startDemoBackend, type DemoBackend, stallerOpenDeals } from '../../support/demo-backend.js';

const SECRET = 'deal-guidance-client-secret-0123';
const DAY_MS = 86_400_000;

let fixture: DemoPortalFixture;
let sandbox: Sandbox;
let backend: Backend;
let demo: DemoBackend;
let stallerDeals: string[];

beforeAll(async () => {
  demo = await startDemoBackend({ secret: SECRET, prefix: 'pillars-deal-guidance-' });
  ({ fixture, sandbox, backend } = demo);
  stallerDeals = stallerOpenDeals(fixture);
}, 60_000);

afterAll(async () => {
  await demo.close();
});

function signedGet(query: string, secret = SECRET): Promise<Response> {
  const url = `${backend.url}/api/v1/deal-guidance?${query}&portalId=${backend.portalId}&userId=1`;
  return fetch(url, { headers: signRequest({ method: 'GET', url, secret, timestamp: Date.now() }) });
}

async function guidance(dealId: string): Promise<DealGuidance> {
  const res = await signedGet(`dealId=${dealId}`);
  expect(res.status).toBe(200);
  const body: unknown = await res.json();
  const parsed = dealGuidanceSchema.safeParse(body);
  expect(parsed.error).toBeUndefined();
  return parsed.data as DealGuidance;
}

/** HubSpot requests of this portal answered by the sandbox since the last reset, by endpoint. */
function requests(): { total: number; byEndpoint: Record<string, number> } {
  const c = sandbox.stats().byPortal[backend.portalId];
  return { total: c?.total ?? 0, byEndpoint: c?.byEndpoint ?? {} };
}

/** Ids of the engagements of `type` associated with the deal in the fixture. */
function linked(type: string, dealId: string): Set<string> {
  return new Set(
    (fixture.associations ?? [])
      .filter((a) => a.from.type === type && a.to.type === 'deals' && a.to.id === dealId)
      .map((a) => a.from.id),
  );
}

const pipelineOf = (id: string): Pipeline => {
  const p = fixture.pipelines.deals.find((x) => x.id === id);
  if (!p) throw new Error(`no pipeline ${id}`);
  return p;
};

test('the demo portal has open deals the staller let stall', () => {
  expect(fixture.demo.stalledStageId).toBe('presentationscheduled');
  expect(stallerDeals.length).toBeGreaterThanOrEqual(2);
});

test('HubSpot requests per view: cold within the budget, warm none', async () => {
  const [first, second] = stallerDeals;
  sandbox.resetStats();
  await guidance(first as string);
  const firstView = requests();
  // The first view of the portal also lists pipelines (metadata, cached 5 min per portal) and learns
  // the pipeline's stage timing (one search of won deals, stored 24 h in settings).
  expect(firstView.byEndpoint['GET /crm/v3/pipelines/deals']).toBe(1);
  expect(firstView.byEndpoint['POST /crm/v3/objects/deals/search']).toBe(1);
  const perView = firstView.total - 2;
  // deal (with HubSpot's calculated next activity date and contact count, for the risks) + contacts
  // (the stage counts stakeholders) + meetings (presentation held) + emails + emails→contacts links
  // (distinct contacts emailed) when emails were found. No tasks search: no criterion counts tasks,
  // and the "next activity" risk reads the deal's notes_next_activity_date.
  expect(perView).toBeLessThanOrEqual(5);
  expect(firstView.byEndpoint['POST /crm/v3/objects/tasks/search']).toBeUndefined();
  expect(firstView.byEndpoint['POST /crm/v3/objects/deals/batch/read']).toBe(1);
  expect(firstView.byEndpoint['POST /crm/v3/objects/contacts/search']).toBe(1);

  sandbox.resetStats();
  await guidance(second as string);
  const cold = requests();
  expect(cold.byEndpoint['GET /crm/v3/pipelines/deals']).toBeUndefined();
  expect(cold.byEndpoint['POST /crm/v3/objects/deals/search']).toBeUndefined();
  expect(cold.total).toBeGreaterThanOrEqual(4);
  expect(cold.total).toBeLessThanOrEqual(5);

  sandbox.resetStats();
  await guidance(first as string);
  await guidance(second as string);
  expect(requests().total).toBe(0);

  const timing = await backend.store.settings.get(backend.portalId, 'stageTiming:default', stageTimingSchema);
  expect(timing?.stages.presentationscheduled?.source).toBe('history');
});

test('a staller deal shows its stage, evidence-checked criteria, a next step and the stall', async () => {
  for (const dealId of stallerDeals) {
    const g = await guidance(dealId);
    expect(g.dealId).toBe(dealId);
    expect(g.pipeline).toMatchObject({ id: 'default', label: 'Sales Pipeline' });
    expect(g.stage).toMatchObject({
      id: 'presentationscheduled',
      label: 'Presentation scheduled',
      outcome: 'open',
    });
    expect(g.stage.age).toBe('stalled');
    expect(g.stage.timing?.source).toBe('history');
    expect(g.risks.map((r) => r.code)).toContain('stalledInStage');
    expect(g.criteria.map((c) => c.id)).toEqual(
      expect.arrayContaining(['presentationscheduled.demo-held', 'presentationscheduled.time']),
    );
    expect(g.criteria.find((c) => c.id === 'presentationscheduled.time')?.status).toBe('unmet');
    expect(g.nextStep.kind).toBe('criterion');
    expect(g.nextStep.text.length).toBeGreaterThan(10);
    // Every engagement cited as evidence is one of this deal's, of the criterion's type.
    const emails = linked('emails', dealId);
    for (const c of g.criteria)
      for (const e of c.evidence.engagements) expect(linked(e.type, dealId).has(e.id)).toBe(true);
    const emailed = g.criteria.find((c) => c.id === 'presentationscheduled.multithreaded-email');
    for (const e of emailed?.evidence.engagements ?? []) expect(emails.has(e.id)).toBe(true);
  }
});

test('an ops playbook is read from settings: meetings as evidence, and a property the portal lacks is unmet', async () => {
  // The deal of the staller that did hold a meeting, weeks ago.
  const withMeeting = stallerDeals.find((id) => linked('meetings', id).size > 0);
  expect(withMeeting).toBeDefined();
  const dealId = withMeeting as string;
  const base = defaultPlaybook(pipelineOf('default'));
  const stage = base.stages.presentationscheduled;
  if (!stage) throw new Error('no stage');
  const playbook: Playbook = {
    ...base,
    stages: {
      ...base.stages,
      presentationscheduled: {
        ...stage,
        criteria: [
          {
            id: 'ops.meeting-90',
            label: 'A meeting held in 90 days',
            hint: 'Meet the buyer.',
            level: 'required',
            kind: 'activity',
            type: 'meetings',
            minCount: 1,
            days: 90,
            where: [{ property: 'hs_meeting_outcome', op: 'eq', value: 'COMPLETED' }],
          },
          {
            id: 'ops.no-such-property',
            label: 'Security review done',
            hint: 'Complete the security review.',
            level: 'required',
            kind: 'property',
            condition: { property: 'pillars_no_such_property', op: 'set' },
          },
        ],
      },
    },
  };
  await backend.store.settings.put(backend.portalId, 'playbook:default', playbook);
  backend.dealGuidance.invalidateDeal(backend.portalId, dealId);
  try {
    const g = await guidance(dealId);
    const meeting = g.criteria.find((c) => c.id === 'ops.meeting-90');
    const expected = [...linked('meetings', dealId)].filter((id) => {
      const m = fixture.objects.meetings.find((x) => x.id === id);
      const at = Date.parse(m?.properties.hs_meeting_start_time ?? '');
      return (
        m?.properties.hs_meeting_outcome === 'COMPLETED' && at > Date.now() - 90 * DAY_MS && at <= Date.now()
      );
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(meeting?.status).toBe('met');
    expect(meeting?.evidence.engagements.map((e) => e.id).sort()).toEqual(expected.sort());
    expect(meeting?.evidence.engagements.every((e) => e.type === 'meetings')).toBe(true);
    const missing = g.criteria.find((c) => c.id === 'ops.no-such-property');
    expect(missing?.status).toBe('unmet');
    expect(missing?.evidence.property).toEqual({ name: 'pillars_no_such_property', value: null });
    expect(missing?.evidence.summary).toMatch(/pillars_no_such_property/);
    expect(g.nextStep).toMatchObject({ kind: 'criterion', criterionId: 'ops.no-such-property' });
  } finally {
    await backend.store.settings.put(
      backend.portalId,
      'playbook:default',
      defaultPlaybook(pipelineOf('default')),
    );
    backend.dealGuidance.invalidateDeal(backend.portalId, dealId);
  }
});

test('a deal that does not exist is a 404 with a message the card can show', async () => {
  const res = await signedGet('dealId=99999999999');
  expect(res.status).toBe(404);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('NOT_FOUND');
  expect(body.error.message).toMatch(/deal was not found in HubSpot/);
});

test('unsigned and wrongly signed requests are refused', async () => {
  const url = `${backend.url}/api/v1/deal-guidance?dealId=${stallerDeals[0]}&portalId=${backend.portalId}&userId=1`;
  expect((await fetch(url)).status).toBe(401);
  expect((await signedGet(`dealId=${stallerDeals[0]}`, 'not-the-app-secret')).status).toBe(401);
});

test.each([
  ['dealId=abc', /dealId/],
  ['dealId=0123', /dealId/],
  ['dealId=-5', /dealId/],
  ['dealId=', /dealId/],
  ['other=1', /dealId|other/],
  ['dealId=1&dealId=2', /dealId/],
  ['dealId=1&extra=2', /extra/],
])('bad input %s is a 400 naming the field', async (query, message) => {
  const res = await signedGet(query);
  expect(res.status).toBe(400);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
});
