// Fault injection through the real @hubspot/api-client: every fault kind, how rules match
// (method, path prefix or RegExp, portal), and how often they fire (times, skip, Infinity).
import type { Client } from '@hubspot/api-client';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { basicFixture, clientFor, raw, rejection, startSandbox } from './helpers.js';

type SearchBody = Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1];
type CreateInput = Parameters<Client['crm']['objects']['tasks']['basicApi']['create']>[0];

let sandbox: Sandbox;
let client: Client;

beforeEach(async () => {
  sandbox = await startSandbox({ portals: [basicFixture(101), basicFixture(202)], limits: false });
  client = clientFor(sandbox, sandbox.tokenFor(101));
});

afterEach(async () => {
  await sandbox.stop();
});

const owners = () => client.crm.owners.ownersApi.getPage();
const searchCalls = () =>
  client.crm.objects.searchApi.doSearch('calls', { filterGroups: [], limit: 10 } as unknown as SearchBody);

describe('status faults', () => {
  test('a 500 fires once by default, with a HubSpot error body, then requests pass', async () => {
    const handle = sandbox.faults.add({ path: '/crm/v3/owners', kind: 'status', status: 500 });
    const failed = await rejection(owners());
    expect(failed.code).toBe(500);
    expect(failed.body).toMatchObject({ status: 'error', correlationId: expect.any(String) as unknown });
    expect((await owners()).results).toHaveLength(2);
    expect(handle.fired).toBe(1);
    expect(handle.matched).toBe(1);
    expect(handle.exhausted).toBe(true);
  });

  test("an injected 429 carries HubSpot's body for the endpoint's limit", async () => {
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'status', status: 429 });
    sandbox.faults.add({ path: /\/search$/, kind: 'status', status: 429 });
    expect((await rejection(owners())).body).toMatchObject({
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
    expect((await rejection(searchCalls())).body).toMatchObject({
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
    expect(sandbox.stats().rateLimited).toBe(2);
  });

  test('custom body and headers (Retry-After), other statuses (423, 477, 502, 503)', async () => {
    sandbox.faults.add({
      path: '/crm/v3/owners',
      kind: 'status',
      status: 429,
      body: { status: 'error', message: 'daily', errorType: 'RATE_LIMIT', policyName: 'DAILY' },
      headers: { 'Retry-After': '3600' },
    });
    const res = await raw(sandbox, 'GET', '/crm/v3/owners/', { token: sandbox.tokenFor(101) });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3600');
    expect(res.json()).toMatchObject({ policyName: 'DAILY' });
    for (const status of [423, 477, 502, 503]) {
      sandbox.faults.add({ path: '/crm/v3/owners', kind: 'status', status });
      expect((await rejection(owners())).code).toBe(status);
    }
  });
});

describe('matching and counting', () => {
  test('times, skip and Infinity', async () => {
    const thrice = sandbox.faults.add({
      path: '/crm/v3/owners',
      kind: 'status',
      status: 503,
      times: 3,
      skip: 1,
    });
    expect((await owners()).results).toHaveLength(2);
    for (let i = 0; i < 3; i++) expect((await rejection(owners())).code).toBe(503);
    await owners();
    expect(thrice.fired).toBe(3);
    expect(thrice.matched).toBe(4);
    const forever = sandbox.faults.add({
      path: '/crm/v3/owners',
      kind: 'status',
      status: 502,
      times: Infinity,
    });
    for (let i = 0; i < 5; i++) expect((await rejection(owners())).code).toBe(502);
    expect(forever.exhausted).toBe(false);
    forever.remove();
    await owners();
    expect(forever.fired).toBe(5);
  });

  test('method, RegExp path and portal narrow a rule; clear() removes all', async () => {
    sandbox.faults.add({ method: 'POST', path: '/crm/v3/owners', kind: 'status', status: 500 });
    await owners();
    sandbox.faults.add({ path: /^\/crm\/v3\/objects\/calls\/\d+$/, kind: 'status', status: 500 });
    await searchCalls();
    expect((await rejection(client.crm.objects.calls.basicApi.getById('5001'))).code).toBe(500);
    sandbox.faults.add({
      path: '/crm/v3/owners',
      portalId: 202,
      kind: 'status',
      status: 500,
      times: Infinity,
    });
    await owners();
    expect(
      (await rejection(clientFor(sandbox, sandbox.tokenFor(202)).crm.owners.ownersApi.getPage())).code,
    ).toBe(500);
    sandbox.faults.clear();
    await clientFor(sandbox, sandbox.tokenFor(202)).crm.owners.ownersApi.getPage();
  });
});

describe('body and transport faults', () => {
  test('malformed: 200 with truncated JSON makes the client fail to parse', async () => {
    sandbox.faults.add({ path: '/crm/v3/objects/calls/search', kind: 'malformed' });
    const res = await raw(sandbox, 'POST', '/crm/v3/objects/calls/search', {
      token: sandbox.tokenFor(101),
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
    sandbox.faults.add({ path: '/crm/v3/objects/calls/search', kind: 'malformed' });
    await expect(searchCalls()).rejects.toThrow(SyntaxError);
  });

  test('shape: a valid body of the wrong shape reaches the caller as is', async () => {
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'shape', body: {} });
    expect((await owners()).results).toBeUndefined();
    sandbox.faults.add({ path: '/crm/v3/objects/calls/search', kind: 'shape', body: { results: null } });
    expect((await searchCalls()).results).toBeNull();
  });

  test('timeout: the request is held, then the connection drops with no answer', async () => {
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'timeout', ms: 250 });
    const started = Date.now();
    await expect(owners()).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(sandbox.stats().byStatus[0]).toBe(1);
    expect((await owners()).results).toHaveLength(2);
  });

  test('latency: the answer comes late but intact', async () => {
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'latency', ms: 200 });
    const started = Date.now();
    expect((await owners()).results).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  test('commit-then-fail: the create happens, the caller sees a 502; exactly one task exists', async () => {
    sandbox.faults.add({
      method: 'POST',
      path: '/crm/v3/objects/tasks',
      kind: 'commit-then-fail',
      status: 502,
    });
    const input = {
      properties: { hs_timestamp: '2026-11-12T15:00:00Z', hs_task_subject: 'Call back' },
      associations: [],
    } as unknown as CreateInput;
    const failed = await rejection(client.crm.objects.tasks.basicApi.create(input));
    expect(failed.code).toBe(502);
    expect(sandbox.portal(101).count('tasks')).toBe(1);
    expect(sandbox.portal(101).records('tasks')[0].properties.hs_task_subject).toBe('Call back');
  });
});

describe('latency option', () => {
  test('latencyMs delays every answer', async () => {
    const slow = await startSandbox({ portals: [basicFixture(101)], latencyMs: { min: 60, max: 80 } });
    try {
      const started = Date.now();
      await clientFor(slow, slow.tokenFor(101)).crm.owners.ownersApi.getPage();
      expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    } finally {
      await slow.stop();
    }
  });

  test('stop() cuts held requests short', async () => {
    sandbox.faults.add({ path: '/crm/v3/owners', kind: 'timeout', ms: 60_000 });
    const pending = owners();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await sandbox.stop();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2_000);
    sandbox = await startSandbox({ portals: [basicFixture(101)] });
  });
});
