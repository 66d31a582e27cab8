/**
 * Portal isolation: each gateway has its own Client, token and throttle, and the SDK's process-wide
 * decorator singleton (set by any `new Client({ numberOfApiCallRetries, limiterOptions })`) never
 * reaches our API objects, whichever order clients are built in.
 */
import { Client } from '@hubspot/api-client';
import nock from 'nock';
import { AppError } from '../../core/errors.js';
import { BASE, expectNockDone, ownerJson, testGateway, restoreNockAfterAll } from './helpers.js';

restoreNockAfterAll();
afterEach(expectNockDone);

/** A client configured the way we never configure ours: SDK retries (2 attempts) and limiter on. */
function foreignDecoratedClient(): Client {
  return new Client({
    accessToken: 'foreign',
    numberOfApiCallRetries: 2,
    limiterOptions: { minTime: 1, maxConcurrent: 1 },
  });
}

/** Count every request per bearer token, answering `status`. */
function countingTeams(status: number): Map<string, number> {
  const counts = new Map<string, number>();
  nock(BASE)
    .persist()
    .get('/settings/v3/users/teams')
    .reply(function () {
      const auth = String(this.req.headers.authorization);
      counts.set(auth, (counts.get(auth) ?? 0) + 1);
      return [status, status === 200 ? { results: [] } : {}];
    });
  return counts;
}

beforeEach(() => {
  jest.spyOn(console, 'error').mockImplementation(() => undefined); // the SDK's RetryDecorator logs there
});
afterEach(() => jest.restoreAllMocks());

describe('portal isolation', () => {
  it('keeps tokens, throttles and retry behaviour per gateway, whatever other clients do', async () => {
    const a = testGateway({ portalId: 1, accessToken: 'token-A', retry: { maxAttempts: 1 } });
    foreignDecoratedClient(); // sets the SDK's global decorators after A was built
    const b = testGateway({ portalId: 2, accessToken: 'token-B', retry: { maxAttempts: 1 } });
    const foreign = foreignDecoratedClient(); // and again after B
    void foreign.crm.owners.ownersApi; // its APIs are decorated: that is the pitfall we avoid

    // A 502 must be one request for each gateway: a leaked RetryDecorator would make it two.
    const counts = countingTeams(502);
    await expect(a.gateway.listTeams()).rejects.toMatchObject({ code: 'HUBSPOT_TEMPORARY' });
    await expect(b.gateway.listTeams()).rejects.toMatchObject({ code: 'HUBSPOT_TEMPORARY' });
    expect(Object.fromEntries(counts)).toEqual({ 'Bearer token-A': 1, 'Bearer token-B': 1 });
    expect(a.events).toHaveLength(1);
    expect(b.events).toHaveLength(1);
    nock.cleanAll();

    // Concurrent calls: each request carries its own portal's token, each throttle sees only its portal.
    nock(BASE, { reqheaders: { authorization: 'Bearer token-A' } })
      .get('/crm/v3/owners/')
      .query(true)
      .reply(200, { results: [ownerJson('100', 1)] });
    nock(BASE, { reqheaders: { authorization: 'Bearer token-B' } })
      .get('/crm/v3/owners/')
      .query(true)
      .reply(200, { results: [ownerJson('200', 2)] });
    const [ownersA, ownersB] = await Promise.all([
      a.gateway.listOwners({ archived: false }),
      b.gateway.listOwners({ archived: false }),
    ]);
    expect(ownersA.map((o) => o.id)).toEqual(['100']);
    expect(ownersB.map((o) => o.id)).toEqual(['200']);
    expect(new Set(a.throttle.calls.map((c) => c.portalId))).toEqual(new Set([1]));
    expect(new Set(b.throttle.calls.map((c) => c.portalId))).toEqual(new Set([2]));
    expect(a.events.every((e) => e.portalId === 1)).toBe(true);
    expect(b.events.every((e) => e.portalId === 2)).toBe(true);
  });

  it('control: a Client whose APIs are first touched after a decorated Client inherits its retries', async () => {
    const late = new Client({ accessToken: 'late', basePath: BASE });
    foreignDecoratedClient();
    const counts = countingTeams(502);
    await expect(late.settings.users.teamsApi.getAll()).rejects.toMatchObject({ code: 502 });
    expect(counts.get('Bearer late')).toBe(2); // the pitfall our gateway avoids
    nock.cleanAll();
  });

  it('asks a token provider before every attempt, so a refreshed token is used on retry', async () => {
    const tokens = ['old-token', 'new-token'];
    const { gateway } = testGateway({ accessToken: () => Promise.resolve(tokens.shift() ?? 'none') });
    nock(BASE, { reqheaders: { authorization: 'Bearer old-token' } })
      .get('/settings/v3/users/teams')
      .reply(503, {});
    nock(BASE, { reqheaders: { authorization: 'Bearer new-token' } })
      .get('/settings/v3/users/teams')
      .reply(200, { results: [] });
    await expect(gateway.listTeams()).resolves.toEqual([]);
  });

  it('passes a token provider’s AppError through untouched, without calling HubSpot', async () => {
    const expired = new AppError('HUBSPOT_AUTH_EXPIRED', 'refresh token revoked for portal 42');
    const { gateway, events } = testGateway({ accessToken: () => Promise.reject(expired) });
    await expect(gateway.listTeams()).rejects.toBe(expired);
    expect(events).toEqual([]);
  });

  it('a failing onRequest hook never fails the request', async () => {
    const warnings: string[] = [];
    const { gateway } = testGateway({
      onRequest: () => {
        throw new Error('metrics down');
      },
      logger: { debug: () => undefined, warn: (_o, msg) => warnings.push(String(msg)) },
    });
    nock(BASE).get('/settings/v3/users/teams').reply(200, { results: [] });
    await expect(gateway.listTeams()).resolves.toEqual([]);
    expect(warnings).toEqual(['HubSpot onRequest hook threw']);
  });
});
