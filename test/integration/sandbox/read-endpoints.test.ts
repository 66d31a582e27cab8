// The sandbox's read endpoints through the real @hubspot/api-client: account, owners, users,
// teams, pipelines, dispositions, objects (list, read, batch read), and the generic refusals
// (401, 404, 405, 413) in HubSpot's shapes.
import type { Sandbox } from '../../../src/sandbox/index.js';
import { DEFAULT_CALL_DISPOSITIONS } from '../../../src/sandbox/index.js';
import { basicFixture, clientFor, raw, rejection, startSandbox } from './helpers.js';

let sandbox: Sandbox;
let token: string;
const NOW = Date.UTC(2026, 10, 3, 12); // 3 Nov 2026, after the DST change in New York

beforeAll(async () => {
  const bare = basicFixture(202, { callDispositions: [], pipelines: { deals: [] } });
  const many = basicFixture(303, {
    owners: Array.from({ length: 250 }, (_, i) => ({
      id: String(1000 + i),
      userId: 50_000 + i,
      email: `o${i}@example.com`,
    })),
    users: Array.from({ length: 130 }, (_, i) => ({ id: String(70_000 + i), email: `u${i}@example.com` })),
    objects: {
      contacts: Array.from({ length: 257 }, (_, i) => ({
        id: String(i + 1),
        createdAt: '2026-01-05T10:00:00.000Z',
        properties: { email: `c${i}@x.test`, firstname: `C${i}` },
      })),
    },
  });
  sandbox = await startSandbox({
    portals: [
      basicFixture(101, {
        callDispositions: [
          { id: 'custom-1', label: 'Connected' },
          { id: 'custom-2', label: 'Gatekeeper' },
        ],
      }),
      bare,
      many,
    ],
    now: () => NOW,
    limits: false,
  });
  token = sandbox.tokenFor(101);
});

afterAll(async () => {
  await sandbox.stop();
});

describe('account details', () => {
  test('GET /account-info/v3/details gives portal id, zone, currency and the current offset', async () => {
    const res = await clientFor(sandbox, token).apiRequest({
      method: 'GET',
      path: '/account-info/v3/details',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      portalId: 101,
      timeZone: 'America/New_York',
      companyCurrency: 'USD',
      utcOffset: '-05:00',
      utcOffsetMilliseconds: -5 * 3_600_000,
    });
  });
});

describe('owners', () => {
  test('lists active owners by default and only archived ones with archived=true', async () => {
    const api = clientFor(sandbox, token).crm.owners.ownersApi;
    const active = await api.getPage();
    expect(active.results.map((o) => o.id)).toEqual(['11', '12']);
    expect(active.paging).toBeUndefined();
    const ana = active.results[0];
    expect(ana).toMatchObject({
      email: 'ana@example.com',
      firstName: 'Ana',
      lastName: 'Diaz',
      userId: 9011,
      userIdIncludingInactive: 9011,
      archived: false,
    });
    expect(ana.teams).toEqual([{ id: '7', name: 'East', primary: true }]);
    expect(ana.createdAt).toBeInstanceOf(Date);
    const archived = await api.getPage(undefined, undefined, undefined, true);
    expect(archived.results.map((o) => o.id)).toEqual(['13']);
    expect(archived.results[0].archived).toBe(true);
  });

  test('pages with limit/after, filters by email, and refuses limit above 500', async () => {
    const client = clientFor(sandbox, sandbox.tokenFor(303));
    const api = client.crm.owners.ownersApi;
    const ids: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await api.getPage(undefined, after, 100);
      ids.push(...page.results.map((o) => o.id));
      after = page.paging?.next?.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    const byEmail = await api.getPage('O7@EXAMPLE.COM');
    expect(byEmail.results.map((o) => o.id)).toEqual(['1007']);
    const refused = await rejection(api.getPage(undefined, undefined, 501));
    expect(refused.code).toBe(400);
    expect(refused.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    // HubSpot's default page is 100.
    expect((await api.getPage()).results).toHaveLength(100);
  });

  test('gets one owner by id or by userId; archived owners need archived=true; unknown is 404', async () => {
    const api = clientFor(sandbox, token).crm.owners.ownersApi;
    expect((await api.getById(12)).email).toBe('bo@example.com');
    expect((await api.getById(9011, 'userId')).id).toBe('11');
    expect((await rejection(api.getById(13))).code).toBe(404);
    expect((await api.getById(13, 'id', true)).archived).toBe(true);
    const missing = await rejection(api.getById(999));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
    expect(typeof missing.body.correlationId).toBe('string');
  });
});

describe('settings users and teams', () => {
  test('lists users, gets one by id or email', async () => {
    const users = clientFor(sandbox, token).settings.users.usersApi;
    const page = await users.getPage();
    expect(page.results.map((u) => u.id)).toEqual(['9011', '9012']);
    expect(page.results[0]).toMatchObject({ email: 'ana@example.com', superAdmin: true, primaryTeamId: '7' });
    expect(page.results[1].secondaryTeamIds).toEqual(['7']);
    expect((await users.getById('bo@example.com', 'EMAIL')).id).toBe('9012');
    expect((await rejection(users.getById('1'))).code).toBe(404);
  });

  test('pages users with limit and after', async () => {
    const users = clientFor(sandbox, sandbox.tokenFor(303)).settings.users.usersApi;
    const first = await users.getPage(100);
    expect(first.results).toHaveLength(100);
    const second = await users.getPage(100, first.paging?.next?.after);
    expect(second.results).toHaveLength(30);
    expect(second.paging).toBeUndefined();
  });

  test('teams carry primary and secondary members', async () => {
    const teams = await clientFor(sandbox, token).settings.users.teamsApi.getAll();
    expect(teams.results).toEqual([
      { id: '7', name: 'East', userIds: ['9011'], secondaryUserIds: ['9012'] },
      { id: '8', name: 'West', userIds: ['9012'], secondaryUserIds: [] },
    ]);
  });
});

describe('pipelines and dispositions', () => {
  test('deal pipelines list and single pipeline, 404 for an unknown one', async () => {
    const api = clientFor(sandbox, token).crm.pipelines.pipelinesApi;
    const all = await api.getAll('deals');
    expect(all.results).toHaveLength(1);
    expect(all.results[0].stages.map((s) => [s.id, s.metadata?.probability, s.metadata?.isClosed])).toEqual([
      ['appointmentscheduled', '0.2', 'false'],
      ['closedwon', '1.0', 'true'],
    ]);
    expect((await api.getById('deals', 'default')).label).toBe('Sales Pipeline');
    expect((await rejection(api.getById('deals', 'nope'))).code).toBe(404);
  });

  test("a portal without pipelines still has HubSpot's default one", async () => {
    const all = await clientFor(sandbox, sandbox.tokenFor(202)).crm.pipelines.pipelinesApi.getAll('deals');
    expect(all.results.map((p) => p.id)).toEqual(['default']);
    expect(all.results[0].stages.find((s) => s.id === 'closedwon')?.metadata?.isClosed).toBe('true');
  });

  test("dispositions: the fixture's list, or HubSpot's six defaults", async () => {
    const own = await clientFor(sandbox, token).apiRequest({
      method: 'GET',
      path: '/calling/v1/dispositions',
    });
    expect(await own.json()).toEqual([
      { id: 'custom-1', label: 'Connected', deleted: false },
      { id: 'custom-2', label: 'Gatekeeper', deleted: false },
    ]);
    const defaults = await clientFor(sandbox, sandbox.tokenFor(202)).apiRequest({
      method: 'GET',
      path: '/calling/v1/dispositions',
    });
    const body = (await defaults.json()) as { id: string; label: string; deleted: boolean }[];
    expect(body).toHaveLength(6);
    expect(body.map((d) => d.id)).toEqual(DEFAULT_CALL_DISPOSITIONS.map((d) => d.id));
    expect(body.find((d) => d.label === 'Connected')?.id).toBe('f240bbac-87c9-4f6e-bf70-924b57d47db7');
  });
});

describe('CRM objects', () => {
  test('list pages to completion (getAll), only live records, requested properties', async () => {
    const client = clientFor(sandbox, sandbox.tokenFor(303));
    const all = await client.crm.contacts.getAll(100, undefined, ['email']);
    expect(all).toHaveLength(257);
    expect(all.map((c) => c.id)).toEqual(Array.from({ length: 257 }, (_, i) => String(i + 1)));
    expect(all[0].properties).toEqual({
      email: 'c0@x.test',
      createdate: expect.any(String) as unknown,
      lastmodifieddate: expect.any(String) as unknown,
      hs_object_id: '1',
    });
    const page = await client.crm.contacts.basicApi.getPage(10);
    expect(page.results).toHaveLength(10);
    expect(page.paging?.next?.after).toBe('11');
    expect(page.results[0].properties.firstname).toBe('C0');
    expect((await rejection(client.crm.contacts.basicApi.getPage(101))).code).toBe(400);
  });

  test('archived records: hidden by default, listed with archived=true', async () => {
    const api = clientFor(sandbox, token).crm.objects.calls.basicApi;
    const live = await api.getPage(100);
    expect(live.results.map((c) => c.id)).toEqual(['5001', '5002', '5003', '5004', '5005']);
    const archived = await api.getPage(100, undefined, undefined, undefined, undefined, true);
    expect(archived.results.map((c) => c.id)).toEqual(['5006']);
    expect(archived.results[0].archived).toBe(true);
  });

  test('get by id with properties; 404 with HubSpot error body; objectTypeId paths work', async () => {
    const client = clientFor(sandbox, token);
    const c = await client.crm.objects.calls.basicApi.getById('5001', ['hs_call_duration', 'hs_call_title']);
    expect(c.properties).toEqual({
      hs_call_duration: '184000',
      hs_call_title: null,
      hs_createdate: '2026-11-01T00:00:00.000Z',
      hs_lastmodifieddate: '2026-11-01T00:00:00.000Z',
      hs_object_id: '5001',
    });
    expect(c.createdAt.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    const generic = await client.crm.objects.basicApi.getById('0-3', '301', ['amount']);
    expect(generic.properties.amount).toBe('1500.50');
    const missing = await rejection(client.crm.objects.calls.basicApi.getById('999'));
    expect(missing.code).toBe(404);
    expect(missing.body).toMatchObject({
      status: 'error',
      category: 'OBJECT_NOT_FOUND',
      context: { id: ['999'] },
    });
    expect((await rejection(client.crm.objects.calls.basicApi.getById('5006'))).code).toBe(404);
    const unknownType = await rejection(client.crm.objects.basicApi.getById('widgets', '1'));
    expect(unknownType.code).toBe(400);
    expect(unknownType.body.message).toBe('Unable to infer object type from: widgets');
  });

  test('get by id with associations lists associated ids', async () => {
    const c = await clientFor(sandbox, token).crm.objects.calls.basicApi.getById(
      '5001',
      undefined,
      undefined,
      ['deals', 'contacts'],
    );
    expect(c.associations?.deals?.results.map((r) => r.id)).toEqual(['301']);
    expect(c.associations?.contacts?.results.map((r) => r.id)).toEqual(['1']);
  });

  test('batch read: known ids returned, unknown left out (207), more than 100 inputs refused', async () => {
    const api = clientFor(sandbox, token).crm.objects.calls.batchApi;
    const ok = await api.read({
      inputs: [{ id: '5003' }, { id: '5001' }],
      properties: ['hs_call_direction'],
      propertiesWithHistory: [],
    });
    expect(ok.status).toBe('COMPLETE');
    expect(ok.results.map((r) => [r.id, r.properties.hs_call_direction])).toEqual([
      ['5003', 'OUTBOUND'],
      ['5001', 'OUTBOUND'],
    ]);
    const partial = await api.read({
      inputs: [{ id: '5001' }, { id: '424242' }, { id: '5006' }],
      properties: [],
      propertiesWithHistory: [],
    });
    expect(partial.results.map((r) => r.id)).toEqual(['5001']);
    expect((partial as { numErrors?: number }).numErrors).toBe(1);
    const inputs = Array.from({ length: 101 }, (_, i) => ({ id: String(i) }));
    const refused = await rejection(api.read({ inputs, properties: [], propertiesWithHistory: [] }));
    expect(refused.code).toBe(400);
    expect(refused.body.category).toBe('VALIDATION_ERROR');
    const hundred = await api.read({
      inputs: inputs.slice(0, 100),
      properties: [],
      propertiesWithHistory: [],
    });
    expect(hundred.results).toEqual([]);
  });
});

describe('refusals', () => {
  test('401 without a token, with an unknown token, in HubSpot shape', async () => {
    const none = await raw(sandbox, 'GET', '/crm/v3/owners/');
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect((none.json() as { message: string }).message).toMatch(/^Authentication credentials not found/);
    const bad = await rejection(clientFor(sandbox, 'sandbox-token-999').crm.owners.ownersApi.getPage());
    expect(bad.code).toBe(401);
    expect(bad.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    expect(bad.body.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('unknown routes answer 404, wrong methods 405, both HubSpot-shaped', async () => {
    const nope = await raw(sandbox, 'GET', '/crm/v3/nothing-here', { token });
    expect(nope.status).toBe(404);
    expect(nope.json()).toMatchObject({ status: 'error' });
    const wrong = await raw(sandbox, 'PUT', '/crm/v3/owners/', { token });
    expect(wrong.status).toBe(405);
  });

  test('bodies over 1 MB are refused with 413', async () => {
    const body = JSON.stringify({ filterGroups: [], query: 'x'.repeat(1_100_000) });
    const res = await raw(sandbox, 'POST', '/crm/v3/objects/calls/search', {
      token,
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ status: 'error' });
  });

  test('invalid JSON is a 400 VALIDATION_ERROR', async () => {
    const res = await raw(sandbox, 'POST', '/crm/v3/objects/calls/search', {
      token,
      body: '{"filterGroups": [',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
  });
});

describe('creation dates', () => {
  test('a record loaded without any creation time has no createdate (it cannot be placed in a period)', async () => {
    const local = await startSandbox({
      portals: [
        basicFixture(404, {
          objects: {
            contacts: [
              { id: '1', properties: { email: 'a@x.test' } },
              { id: '2', createdAt: '2026-03-01T12:00:00.000Z', properties: { email: 'b@x.test' } },
            ],
          },
        }),
      ],
    });
    try {
      const client = clientFor(local, local.tokenFor(404));
      const [a, b] = await Promise.all([
        client.crm.contacts.basicApi.getById('1', ['createdate']),
        client.crm.contacts.basicApi.getById('2', ['createdate']),
      ]);
      expect(a.properties.createdate).toBeNull();
      expect(b.properties.createdate).toBe('2026-03-01T12:00:00.000Z');
    } finally {
      await local.stop();
    }
  });
});
