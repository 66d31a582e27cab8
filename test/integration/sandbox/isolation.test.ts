// Several portals in one sandbox: a token decides the portal, and no endpoint lets a token of
// portal A read portal B's records, owners or associations. Also stats keys per endpoint/portal.
import type { Client } from '@hubspot/api-client';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { basicFixture, call, clientFor, rejection, startSandbox } from './helpers.js';

type SearchBody = Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1];
type AssocBatch = Parameters<Client['crm']['associations']['v4']['batchApi']['getPage']>[2];

let sandbox: Sandbox;
let a: Client;
let b: Client;

beforeAll(async () => {
  const portalB = basicFixture(202, {
    owners: [{ id: '91', userId: 9091, email: 'zed@b.test', firstName: 'Zed' }],
    objects: {
      calls: [
        call('5001', '2026-11-03T14:00:00Z', '91', { hs_call_title: 'B only' }),
        call('8001', '2026-11-04T14:00:00Z', '91', {}),
      ],
    },
    associations: [{ from: { type: 'calls', id: '8001' }, to: { type: 'deals', id: '301' } }],
  });
  sandbox = await startSandbox({ portals: [basicFixture(101)], limits: false });
  sandbox.addPortal(portalB);
  a = clientFor(sandbox, sandbox.tokenFor(101));
  b = clientFor(sandbox, sandbox.tokenFor(202));
});

afterAll(async () => {
  await sandbox.stop();
});

test('the same id reads differently per portal; foreign-only ids are 404', async () => {
  expect(
    (await a.crm.objects.calls.basicApi.getById('5001', ['hs_call_title'])).properties.hs_call_title,
  ).toBeNull();
  expect(
    (await b.crm.objects.calls.basicApi.getById('5001', ['hs_call_title'])).properties.hs_call_title,
  ).toBe('B only');
  expect((await rejection(a.crm.objects.calls.basicApi.getById('8001'))).code).toBe(404);
  expect((await rejection(b.crm.objects.calls.basicApi.getById('5003'))).code).toBe(404);
});

test('search, lists, batch reads and owners only see the token portal', async () => {
  const all = { filterGroups: [], limit: 100 } as unknown as SearchBody;
  expect((await a.crm.objects.searchApi.doSearch('calls', all)).results.map((r) => r.id)).toEqual([
    '5001',
    '5002',
    '5003',
    '5004',
    '5005',
  ]);
  expect((await b.crm.objects.searchApi.doSearch('calls', all)).results.map((r) => r.id)).toEqual([
    '5001',
    '8001',
  ]);
  const batch = await a.crm.objects.calls.batchApi.read({
    inputs: [{ id: '8001' }, { id: '5002' }],
    properties: [],
    propertiesWithHistory: [],
  });
  expect(batch.results.map((r) => r.id)).toEqual(['5002']);
  expect((await b.crm.owners.ownersApi.getPage()).results.map((o) => o.id)).toEqual(['91']);
  expect((await b.crm.objects.calls.basicApi.getPage(100)).results.map((r) => r.id)).toEqual([
    '5001',
    '8001',
  ]);
});

test('associations are per portal', async () => {
  const body = { inputs: [{ id: '301' }] } as AssocBatch;
  expect(
    (await a.crm.associations.v4.batchApi.getPage('deals', 'calls', body)).results[0].to.map(
      (t) => t.toObjectId,
    ),
  ).toEqual([5001, 5003]);
  expect(
    (await b.crm.associations.v4.batchApi.getPage('deals', 'calls', body)).results[0].to.map(
      (t) => t.toObjectId,
    ),
  ).toEqual([8001]);
  const byAssoc = {
    filterGroups: [{ filters: [{ propertyName: 'associations.deal', operator: 'EQ', value: '301' }] }],
  } as unknown as SearchBody;
  expect((await b.crm.objects.searchApi.doSearch('calls', byAssoc)).results.map((r) => r.id)).toEqual([
    '8001',
  ]);
});

test('an OAuth token speaks for its own portal only', async () => {
  const code = sandbox.issueAuthorizationCode({
    portalId: 202,
    clientId: 'sandbox-client-id',
    redirectUri: 'http://localhost/cb',
    scopes: ['oauth'],
  });
  const tokens = await clientFor(sandbox, '').oauth.tokensApi.create(
    'authorization_code',
    code,
    'http://localhost/cb',
    'sandbox-client-id',
    'sandbox-client-secret',
  );
  const viaOAuth = clientFor(sandbox, tokens.accessToken);
  expect((await viaOAuth.crm.owners.ownersApi.getPage()).results.map((o) => o.id)).toEqual(['91']);
  expect((await rejection(viaOAuth.crm.objects.calls.basicApi.getById('5003'))).code).toBe(404);
});

test('writes land in the token portal only', async () => {
  const created = await b.crm.objects.notes.basicApi.create({
    properties: { hs_timestamp: '2026-11-05T10:00:00Z', hs_note_body: 'b' },
    associations: [],
  });
  expect(sandbox.portal(202).get('notes', created.id)).toBeDefined();
  expect(sandbox.portal(101).count('notes')).toBe(0);
  expect(() => sandbox.addPortal(basicFixture(202))).toThrow(/already loaded/);
  expect(() => sandbox.tokenFor(303)).toThrow();
});

test('stats: endpoint keys with ids normalised, counts per portal', async () => {
  sandbox.resetStats();
  await a.crm.objects.calls.basicApi.getById('5001');
  await a.crm.objects.calls.basicApi.getById('5002');
  await b.crm.owners.ownersApi.getById(91);
  await a.crm.objects.searchApi.doSearch('calls', { filterGroups: [] } as unknown as SearchBody);
  await a.crm.associations.v4.batchApi.getPage('calls', 'deals', { inputs: [{ id: '5001' }] } as AssocBatch);
  const s = sandbox.stats();
  expect(s.byEndpoint).toEqual({
    'GET /crm/v3/objects/calls/{id}': 2,
    'GET /crm/v3/owners/{id}': 1,
    'POST /crm/v3/objects/calls/search': 1,
    'POST /crm/v4/associations/calls/deals/batch/read': 1,
  });
  expect(s.byPortal[101].total).toBe(4);
  expect(s.byPortal[202].byEndpoint).toEqual({ 'GET /crm/v3/owners/{id}': 1 });
  expect(s.byStatus[200]).toBe(5);
  expect(s.log.map((e) => e.kind)).toEqual(['general', 'general', 'general', 'search', 'general']);
});
