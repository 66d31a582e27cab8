// Per-portal rolling-window limits as HubSpot applies them: general calls and search calls in
// separate windows, HubSpot's 429 bodies and rate-limit headers, refusals counted in stats, and a
// request log that lets a test prove no window was exceeded.
import type { RequestLogEntry, Sandbox } from '../../../src/sandbox/index.js';
import { basicFixture, clientFor, raw, rejection, startSandbox } from './helpers.js';

const T0 = Date.UTC(2026, 10, 2, 9);
let now = T0;
let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.stop();
});

const searchBody = JSON.stringify({ filterGroups: [], limit: 1 });
const search = (portalId: number) =>
  raw(sandbox, 'POST', '/crm/v3/objects/calls/search', {
    token: sandbox.tokenFor(portalId),
    body: searchBody,
    headers: { 'Content-Type': 'application/json' },
  });
const owners = (portalId: number) =>
  raw(sandbox, 'GET', '/crm/v3/owners/', { token: sandbox.tokenFor(portalId) });

/** The most accepted requests of one kind seen in any window of `windowMs` (rolling). */
function busiestWindow(
  log: RequestLogEntry[],
  portalId: number,
  kind: 'general' | 'search',
  windowMs: number,
): number {
  const times = log
    .filter((e) => e.portalId === portalId && e.kind === kind && e.status !== 429)
    .map((e) => e.at);
  let best = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('small limits', () => {
  beforeEach(async () => {
    now = T0;
    sandbox = await startSandbox({
      portals: [basicFixture(101), basicFixture(202)],
      limits: { general: { max: 5, windowMs: 1_000 }, search: { max: 2, windowMs: 1_000 } },
      now: () => now,
    });
  });

  test('general: rate-limit headers count down, then 429 TEN_SECONDLY_ROLLING in HubSpot shape', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await owners(101);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('5');
      expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe(String(4 - i));
      expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('1000');
    }
    const refused = await owners(101);
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
      message: expect.any(String) as unknown,
      correlationId: expect.any(String) as unknown,
      requestId: expect.any(String) as unknown,
    });
    const viaClient = await rejection(
      clientFor(sandbox, sandbox.tokenFor(101)).crm.owners.ownersApi.getPage(),
    );
    expect(viaClient.code).toBe(429);
    expect(viaClient.body.policyName).toBe('TEN_SECONDLY_ROLLING');
  });

  test('search: its own window, 429 SECONDLY with the message the api-client retries on, no rate headers', async () => {
    for (let i = 0; i < 5; i++) expect((await owners(101)).status).toBe(200);
    const first = await search(101);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-hubspot-ratelimit-max')).toBeNull();
    expect((await search(101)).status).toBe(200);
    const refused = await search(101);
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({
      status: 'error',
      errorType: 'RATE_LIMIT',
      policyName: 'SECONDLY',
      message: 'You have reached your secondly limit.',
    });
  });

  test('windows roll: a slot frees exactly windowMs after the request that took it', async () => {
    for (let i = 0; i < 5; i++) {
      expect((await owners(101)).status).toBe(200);
      now += 100;
    }
    // Requests at T0, +100 ... +400; now = +500.
    expect((await owners(101)).status).toBe(429);
    now = T0 + 999;
    expect((await owners(101)).status).toBe(429);
    now = T0 + 1_000;
    expect((await owners(101)).status).toBe(200);
    expect((await owners(101)).status).toBe(429);
    now = T0 + 1_100;
    expect((await owners(101)).status).toBe(200);
  });

  test('limits are per portal', async () => {
    for (let i = 0; i < 5; i++) await owners(101);
    expect((await owners(101)).status).toBe(429);
    expect((await owners(202)).status).toBe(200);
    await search(101);
    await search(101);
    expect((await search(101)).status).toBe(429);
    expect((await search(202)).status).toBe(200);
  });

  test('refusals are counted in stats, and the log proves no window was exceeded', async () => {
    for (let i = 0; i < 40; i++) {
      await owners(101);
      await search(101);
      now += 37;
    }
    const stats = sandbox.stats();
    expect(stats.total).toBe(80);
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(stats.byStatus[429]).toBe(stats.rateLimited);
    expect(stats.byPortal[101].rateLimited).toBe(stats.rateLimited);
    expect(stats.byEndpoint['POST /crm/v3/objects/calls/search']).toBe(40);
    expect(stats.byEndpoint['GET /crm/v3/owners']).toBe(40);
    expect(stats.log).toHaveLength(80);
    expect(stats.log.filter((e) => e.kind === 'search' && e.status === 429).length).toBeGreaterThan(0);
    expect(busiestWindow(stats.log, 101, 'general', 1_000)).toBe(5);
    expect(busiestWindow(stats.log, 101, 'search', 1_000)).toBe(2);
    sandbox.resetStats();
    expect(sandbox.stats()).toMatchObject({ total: 0, rateLimited: 0, log: [] });
  });

  test('unauthenticated requests count in totals but against no portal', async () => {
    await raw(sandbox, 'GET', '/crm/v3/owners/');
    const stats = sandbox.stats();
    expect(stats.byStatus[401]).toBe(1);
    expect(stats.byPortal).toEqual({});
    expect(stats.log).toEqual([]);
  });
});

describe("HubSpot's default limits", () => {
  test('110 general calls per 10 s and 5 searches per second, per portal', async () => {
    now = T0;
    sandbox = await startSandbox({ portals: [basicFixture(101)], now: () => now });
    const general = await Promise.all(Array.from({ length: 111 }, () => owners(101)));
    expect(general.filter((r) => r.status === 200)).toHaveLength(110);
    expect(general.filter((r) => r.status === 429)).toHaveLength(1);
    const searches = await Promise.all(Array.from({ length: 6 }, () => search(101)));
    expect(searches.filter((r) => r.status === 200)).toHaveLength(5);
    now += 1_000;
    expect((await search(101)).status).toBe(200);
    now += 9_000;
    expect((await owners(101)).status).toBe(200);
  });

  test('limits: false never refuses', async () => {
    sandbox = await startSandbox({ portals: [basicFixture(101)], limits: false });
    const results = await Promise.all(Array.from({ length: 30 }, () => search(101)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await owners(101)).headers.get('x-hubspot-ratelimit-max')).toBeNull();
  });
});
