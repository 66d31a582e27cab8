/**
 * The gateway against the sandbox (a local HubSpot on loopback, through the real api-client):
 * every method, a 25,000-record search, injected 429s, 5xx, timeouts, malformed bodies and a
 * create that commits then fails, and our throttle keeping a portal under HubSpot's real limits.
 */
import { AppError } from '../../../src/core/errors.js';
import type { CrmRecord } from '../../../src/core/crm.js';
import { createHubSpotGateway, type HubSpotGatewayOptions } from '../../../src/hubspot/hubspot-gateway.js';
import { createInProcessThrottle } from '../../../src/hubspot/in-process-throttle.js';
import { createRequestCounter } from '../../../src/hubspot/request-counter.js';
import type { PortalThrottle } from '../../../src/hubspot/throttle.js';
import {
  createSandbox,
  parsePortalFixture,
  type PortalFixture,
  type Sandbox,
} from '../../../src/sandbox/index.js';

const PORTAL = 501;
const CALLS = 25_000;
const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

function fixture(portalId: number, calls: number): PortalFixture {
  const start = Date.parse('2026-01-05T09:00:00Z');
  return parsePortalFixture(
    {
      portal: { portalId, timeZone: 'Europe/Berlin', currency: 'EUR', name: 'Gateway test' },
      owners: [
        {
          id: '11',
          userId: 9011,
          email: 'ana@example.com',
          firstName: 'Ana',
          lastName: 'Diaz',
          teams: [{ id: '7', name: 'East', primary: true }],
        },
        { id: '12', userId: 9012, email: 'bo@example.com', firstName: 'Bo', lastName: 'Lee' },
        { id: '13', userId: 9013, email: 'cy@example.com', firstName: 'Cy', lastName: 'Old', archived: true },
      ],
      users: [
        { id: '9011', email: 'ana@example.com', superAdmin: true, primaryTeamId: '7' },
        { id: '9012', email: 'bo@example.com', secondaryTeamIds: ['7'] },
      ],
      teams: [{ id: '7', name: 'East' }],
      pipelines: {
        deals: [
          {
            id: 'default',
            label: 'Sales Pipeline',
            displayOrder: 0,
            stages: [
              {
                id: 'qualified',
                label: 'Qualified',
                displayOrder: 0,
                metadata: { probability: '0.2', isClosed: 'false' },
              },
              {
                id: 'closedwon',
                label: 'Closed won',
                displayOrder: 1,
                metadata: { probability: '1.0', isClosed: 'true' },
              },
            ],
          },
        ],
      },
      callDispositions: [{ id: CONNECTED, label: 'Connected' }],
      objects: {
        calls: Array.from({ length: calls }, (_, i) => ({
          id: String(100_000 + i * 3),
          properties: {
            hs_timestamp: new Date(start + i * 60_000).toISOString(),
            hubspot_owner_id: i % 2 === 0 ? '11' : '12',
            hs_call_direction: 'OUTBOUND',
            hs_call_body: 'not requested',
          },
        })),
        deals: [
          { id: '301', properties: { dealname: 'ACME', dealstage: 'qualified', hubspot_owner_id: '11' } },
          { id: '302', properties: { dealname: 'Globex', dealstage: 'closedwon', hubspot_owner_id: '12' } },
        ],
      },
      associations: [
        { from: { type: 'deals', id: '301' }, to: { type: 'calls', id: '100000' } },
        { from: { type: 'deals', id: '301' }, to: { type: 'calls', id: '100003' } },
      ],
    },
    `portal ${portalId}`,
  );
}

let sandbox: Sandbox;
let throttle: PortalThrottle;
let sleeps: number[];

function gateway(overrides: Partial<HubSpotGatewayOptions> = {}) {
  return createHubSpotGateway({
    portalId: PORTAL,
    accessToken: sandbox.tokenFor(PORTAL),
    basePath: sandbox.baseUrl,
    throttle,
    timeoutMs: 1_000,
    retry: { tenSecondlyMs: 10_000, secondlyMs: 1_000 },
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
}

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

beforeAll(async () => {
  sandbox = createSandbox({ portals: [fixture(PORTAL, CALLS)], limits: false });
  await sandbox.start();
  // Fast limits here: the rate test below runs against HubSpot's real limits with our defaults.
  throttle = createInProcessThrottle({
    limits: { general: { minTime: 0, maxConcurrent: 10 }, search: { minTime: 0 } },
  });
});

afterAll(async () => {
  await throttle.close();
  await sandbox.stop();
});

beforeEach(() => {
  sleeps = [];
  sandbox.faults.clear();
  sandbox.resetStats();
});

describe('reads', () => {
  it('serves portal metadata', async () => {
    const gw = gateway();
    await expect(gw.getPortalDetails()).resolves.toEqual({
      portalId: PORTAL,
      timeZone: 'Europe/Berlin',
      currency: 'EUR',
    });
    expect((await gw.listOwners({ archived: false })).map((o) => o.id)).toEqual(['11', '12']);
    expect((await gw.listOwners({ archived: true })).map((o) => [o.id, o.archived])).toEqual([['13', true]]);
    await expect(gw.getOwnerByUserId(9011)).resolves.toMatchObject({
      id: '11',
      teams: [{ id: '7', name: 'East', primary: true }],
    });
    await expect(gw.getOwnerByUserId(4242)).resolves.toBeNull();
    expect((await gw.listUsers()).map((u) => [u.id, u.superAdmin])).toEqual([
      ['9011', true],
      ['9012', false],
    ]);
    expect((await gw.listTeams()).map((t) => t.id)).toEqual(['7']);
    const [pipeline] = await gw.listDealPipelines();
    expect(pipeline?.stages.map((s) => [s.id, s.metadata.isClosed])).toEqual([
      ['qualified', 'false'],
      ['closedwon', 'true'],
    ]);
    await expect(gw.listCallDispositions()).resolves.toEqual([{ id: CONNECTED, label: 'Connected' }]);
  });

  it('batch-reads records and associations', async () => {
    const gw = gateway();
    const deals = await gw.batchRead('deals', ['301', '302', '999'], ['dealname']);
    expect(deals.map((d) => [d.id, d.properties.dealname]).sort()).toEqual([
      ['301', 'ACME'],
      ['302', 'Globex'],
    ]);
    const assoc = await gw.batchReadAssociations('deals', 'calls', ['301', '302']);
    expect(assoc.get('301')?.sort()).toEqual(['100000', '100003']);
    expect(assoc.get('302')).toEqual([]);
  });

  it('searches 25,000 calls: each once, ceil(n/200) requests, no page past 10,000', async () => {
    const counter = createRequestCounter();
    const gw = gateway({ onRequest: counter.onRequest });
    const seen = new Set<string>();
    let duplicates = 0;
    let lastId = -1;
    let ordered = true;
    const stats = await gw.searchAll(
      'calls',
      {
        filterGroups: [
          { filters: [{ propertyName: 'hs_call_direction', operator: 'EQ', value: 'OUTBOUND' }] },
        ],
        properties: ['hs_timestamp', 'hubspot_owner_id'],
      },
      (page: CrmRecord[]) => {
        for (const r of page) {
          if (seen.has(r.id)) duplicates += 1;
          seen.add(r.id);
          if (Number(r.id) <= lastId) ordered = false;
          lastId = Number(r.id);
        }
      },
    );
    expect(stats).toEqual({ requests: Math.ceil(CALLS / 200), records: CALLS });
    expect(seen.size).toBe(CALLS);
    expect(duplicates).toBe(0);
    expect(ordered).toBe(true);
    const served = sandbox.stats();
    expect(served.byEndpoint['POST /crm/v3/objects/calls/search']).toBe(125);
    expect(served.byStatus[400]).toBeUndefined(); // the sandbox refuses any page past 10,000
    expect(counter.snapshot()).toMatchObject({ total: 125, retries: 0, byStatus: { '200': 125 } });
  }, 60_000);
});

describe('faults', () => {
  it('429 TEN_SECONDLY_ROLLING x3: waits the window, completes; calls = expected + 3', async () => {
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'status', status: 429, times: 3 });
    const owners = await gateway().listOwners({ archived: false });
    expect(owners).toHaveLength(2);
    expect(sandbox.stats().total).toBe(1 + 3);
    expect(sleeps).toHaveLength(3);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(10_000);
  });

  it('search 429 (SECONDLY): waits about a second', async () => {
    sandbox.faults.add({ path: /\/search$/, kind: 'status', status: 429 });
    await gateway().searchAll('deals', { filterGroups: [], properties: ['dealname'] }, () => undefined);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(sleeps[0]).toBeLessThan(2_000);
  });

  it('503 on search page 3, twice: the result equals a clean run', async () => {
    const query = { filterGroups: [], properties: ['hs_timestamp'] };
    const clean: string[] = [];
    await gateway().searchAll('calls', query, (p) => void clean.push(...p.slice(0, 1).map((r) => r.id)));
    sandbox.faults.add({
      path: '/crm/v3/objects/calls/search',
      kind: 'status',
      status: 503,
      skip: 2,
      times: 2,
    });
    const faulted: string[] = [];
    const stats = await gateway().searchAll(
      'calls',
      query,
      (p) => void faulted.push(...p.slice(0, 1).map((r) => r.id)),
    );
    expect(faulted).toEqual(clean);
    expect(stats.records).toBe(CALLS);
    expect(sleeps).toHaveLength(2);
  }, 60_000);

  it('persistent 503: HUBSPOT_TEMPORARY after maxAttempts', async () => {
    sandbox.faults.add({ path: '/settings/v3/users/teams', kind: 'status', status: 503, times: Infinity });
    const err = await caught(gateway({ retry: { maxAttempts: 3 } }).listTeams());
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(sandbox.stats().total).toBe(3);
  });

  it('a hung request times out and is retried (read)', async () => {
    sandbox.faults.add({ path: '/crm/v3/pipelines/deals', kind: 'timeout', ms: 5_000 });
    const started = Date.now();
    const pipelines = await gateway({ timeoutMs: 300 }).listDealPipelines();
    expect(pipelines).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('commit-then-fail on create: one request, HUBSPOT_TEMPORARY, exactly one task exists', async () => {
    sandbox.faults.add({
      method: 'POST',
      path: '/crm/v3/objects/tasks',
      kind: 'commit-then-fail',
      status: 502,
    });
    const before = sandbox.portal(PORTAL).count('tasks');
    const err = await caught(
      gateway().createObject('tasks', {
        properties: { hs_task_subject: 'Call back', hs_timestamp: '2026-01-06T10:00:00Z' },
        associations: [{ toObjectType: 'deals', toId: '301', associationTypeId: 216 }],
      }),
    );
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(sandbox.stats().total).toBe(1);
    expect(sandbox.portal(PORTAL).count('tasks')).toBe(before + 1);
  });

  it('a hung create is sent once and fails HUBSPOT_TEMPORARY', async () => {
    sandbox.faults.add({ method: 'POST', path: '/crm/v3/objects/tasks', kind: 'timeout', ms: 3_000 });
    const err = await caught(
      gateway({ timeoutMs: 300 }).createObject('tasks', { properties: { hs_task_subject: 'x' } }),
    );
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(sandbox.stats().byEndpoint['POST /crm/v3/objects/tasks']).toBe(1);
  });

  it('DAILY 429 with Retry-After 3600: not retried, deferred by 3,600 s', async () => {
    sandbox.faults.add({
      path: '/crm/v3/owners',
      kind: 'status',
      status: 429,
      body: { status: 'error', message: 'daily', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
      headers: { 'Retry-After': '3600' },
    });
    const err = await caught(gateway().listOwners({ archived: false }));
    expect(err.code).toBe('HUBSPOT_RATE_LIMITED');
    expect(err.retryAfterSeconds).toBe(3600);
    expect(sandbox.stats().total).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('477 with a long Retry-After is handed back; 423 waits >= 2 s and retries', async () => {
    sandbox.faults.add({
      path: '/crm/v3/owners',
      kind: 'status',
      status: 477,
      headers: { 'Retry-After': '900' },
    });
    expect((await caught(gateway().listOwners({ archived: false }))).retryAfterSeconds).toBe(900);
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'status', status: 423 });
    await expect(gateway().listOwners({ archived: false })).resolves.toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
  });

  it('malformed and wrongly shaped bodies: HUBSPOT_INVALID_RESPONSE', async () => {
    sandbox.faults.add({ path: '/crm/v3/objects/calls/search', kind: 'malformed' });
    const q = { filterGroups: [], properties: [] };
    expect((await caught(gateway().searchAll('calls', q, () => undefined))).code).toBe(
      'HUBSPOT_INVALID_RESPONSE',
    );
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'shape', body: {} });
    expect((await caught(gateway().listOwners({ archived: false }))).code).toBe('HUBSPOT_INVALID_RESPONSE');
    sandbox.faults.add({ path: '/crm/v3/objects/calls/search', kind: 'shape', body: { results: null } });
    expect((await caught(gateway().searchAll('calls', q, () => undefined))).code).toBe(
      'HUBSPOT_INVALID_RESPONSE',
    );
  });

  it('maps a bad token to HUBSPOT_AUTH_EXPIRED and an unknown record to HUBSPOT_NOT_FOUND', async () => {
    expect((await caught(gateway({ accessToken: 'revoked' }).listTeams())).code).toBe('HUBSPOT_AUTH_EXPIRED');
    expect((await caught(gateway().updateObject('deals', '987654', { dealname: 'x' }))).code).toBe(
      'HUBSPOT_NOT_FOUND',
    );
  });
});

describe('writes', () => {
  it('creates and updates a record', async () => {
    const gw = gateway();
    const created = await gw.createObject('tasks', {
      properties: { hs_task_subject: 'Follow up', hs_timestamp: '2026-01-07T10:00:00Z' },
    });
    expect(sandbox.portal(PORTAL).get('tasks', created.id)?.properties.hs_task_subject).toBe('Follow up');
    const updated = await gw.updateObject('tasks', created.id, { hs_task_subject: 'Follow up (done)' });
    expect(updated.id).toBe(created.id);
    expect(sandbox.portal(PORTAL).get('tasks', created.id)?.properties.hs_task_subject).toBe(
      'Follow up (done)',
    );
  });
});

describe('under HubSpot’s real limits', () => {
  it('three gateways of one portal with the default throttle: no 429, at most 5 searches in any second', async () => {
    const limited = createSandbox({ portals: [fixture(PORTAL, 1_000)] }); // HubSpot's limits: 110/10 s, 5/s
    await limited.start();
    const shared = createInProcessThrottle(); // defaults: 100/10 s, 4/s
    try {
      const gateways = [1, 2, 3].map(() =>
        createHubSpotGateway({
          portalId: PORTAL,
          accessToken: limited.tokenFor(PORTAL),
          basePath: limited.baseUrl,
          throttle: shared,
        }),
      );
      const results = await Promise.all(
        gateways.map((gw) =>
          gw.searchAll('calls', { filterGroups: [], properties: ['hs_timestamp'] }, () => undefined),
        ),
      );
      expect(results.map((r) => r.records)).toEqual([1_000, 1_000, 1_000]);
      const stats = limited.stats();
      expect(stats.rateLimited).toBe(0);
      const searches = stats.log.filter((e) => e.kind === 'search').map((e) => e.at);
      expect(searches).toHaveLength(15);
      const busiest = Math.max(
        ...searches.map((t) => searches.filter((u) => u >= t && u < t + 1_000).length),
      );
      expect(busiest).toBeLessThanOrEqual(5);
    } finally {
      await shared.close();
      await limited.stop();
    }
  }, 30_000);
});
