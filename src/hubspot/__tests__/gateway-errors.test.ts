/**
 * Error mapping and retry decisions through the real @hubspot/api-client (nock intercepts its
 * node-fetch): each status to its code, reads retried, writes never retried blindly, DAILY and
 * long Retry-After handed back, 423 waits, malformed bodies refused. Network errors (resets,
 * refused connections) are tested on real loopback sockets in transport.test.ts.
 */
import nock from 'nock';
import { AppError } from '../../core/errors.js';
import {
  BASE,
  expectNockDone,
  objectJson,
  ownerJson,
  rateLimitBody,
  testGateway,
  restoreNockAfterAll,
} from './helpers.js';

restoreNockAfterAll();
afterEach(expectNockDone);

async function caught(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('status mapping (no retry)', () => {
  it.each([
    [400, 'HUBSPOT_BAD_REQUEST'],
    [401, 'HUBSPOT_AUTH_EXPIRED'],
    [403, 'HUBSPOT_MISSING_SCOPE'],
    [404, 'HUBSPOT_NOT_FOUND'],
    [409, 'HUBSPOT_BAD_REQUEST'],
    [422, 'HUBSPOT_BAD_REQUEST'],
  ] as const)('%i -> %s after exactly one request', async (status, code) => {
    const { gateway, events } = testGateway();
    nock(BASE)
      .get('/settings/v3/users/teams')
      .reply(status, { status: 'error', message: `secret detail ${status}`, correlationId: 'abc-123' });
    const err = await caught(gateway.listTeams());
    expect(err.code).toBe(code);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      status,
      attempt: 1,
      portalId: 42,
      endpoint: 'GET /settings/v3/users/teams',
    });
    // HubSpot's words, the portal and the endpoint are in the log message, never in the public one.
    expect(err.message).toContain(`secret detail ${status}`);
    expect(err.message).toContain('portal 42');
    expect(err.message).toContain('GET /settings/v3/users/teams');
    expect(err.message).toContain('abc-123');
    expect(err.publicMessage).not.toContain('secret detail');
    expect(err.cause).toBeDefined();
  });

  it('maps an owner 404 to null for getOwnerByUserId', async () => {
    const { gateway } = testGateway();
    nock(BASE).get('/crm/v3/owners/77').query({ idProperty: 'userId', archived: 'false' }).reply(404, {});
    await expect(gateway.getOwnerByUserId(77)).resolves.toBeNull();
  });

  it('sends the bearer token and maps the owner', async () => {
    const { gateway } = testGateway();
    nock(BASE, { reqheaders: { authorization: 'Bearer token-42' } })
      .get('/crm/v3/owners/77')
      .query({ idProperty: 'userId', archived: 'false' })
      .reply(200, ownerJson('9', 77));
    await expect(gateway.getOwnerByUserId(77)).resolves.toEqual({
      id: '9',
      userId: 77,
      email: 'rep9@example.com',
      firstName: 'Rep',
      lastName: '9',
      archived: false,
      teams: [{ id: 't1', name: 'East', primary: true }],
    });
  });
});

describe('reads are retried', () => {
  it('retries 5xx with growing, jittered backoff and succeeds', async () => {
    const { gateway, sleeps, events } = testGateway();
    nock(BASE)
      .get('/settings/v3/users/teams')
      .reply(502, 'Bad gateway')
      .get('/settings/v3/users/teams')
      .reply(503, {});
    nock(BASE)
      .get('/settings/v3/users/teams')
      .reply(200, { results: [{ id: 't1', name: 'East', userIds: ['1'], secondaryUserIds: [] }] });
    await expect(gateway.listTeams()).resolves.toEqual([
      { id: 't1', name: 'East', userIds: ['1'], secondaryUserIds: [] },
    ]);
    expect(events.map((e) => [e.status, e.attempt])).toEqual([
      [502, 1],
      [503, 2],
      [200, 3],
    ]);
    // equal jitter with random 0.5: 3/4 of 500 ms, then of 1,000 ms
    expect(sleeps).toEqual([375, 750]);
  });

  it('gives up after maxAttempts with HUBSPOT_TEMPORARY', async () => {
    const { gateway, events } = testGateway({ retry: { maxAttempts: 3 } });
    nock(BASE).get('/crm/v3/pipelines/deals').times(3).reply(500, { message: 'boom' });
    const err = await caught(gateway.listDealPipelines());
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(err.message).toContain('retries exhausted');
    expect(events).toHaveLength(3);
  });

  it('retries POST-shaped reads (batch read, association read, search)', async () => {
    const { gateway, events } = testGateway();
    nock(BASE)
      .post('/crm/v3/objects/deals/batch/read')
      .query({ archived: 'false' })
      .reply(504, {})
      .post('/crm/v3/objects/deals/batch/read')
      .query({ archived: 'false' })
      .reply(200, { status: 'COMPLETE', results: [objectJson('1')], startedAt: 'x', completedAt: 'y' });
    await expect(gateway.batchRead('deals', ['1'], ['dealname'])).resolves.toHaveLength(1);
    expect(events.map((e) => e.status)).toEqual([504, 200]);
  });

  it('waits for the window on a TEN_SECONDLY_ROLLING 429 and honours Retry-After', async () => {
    const { gateway, sleeps } = testGateway({ retry: { tenSecondlyMs: 10_000 } });
    nock(BASE)
      .get('/settings/v3/users/teams')
      .reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'))
      .get('/settings/v3/users/teams')
      .reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'), { 'Retry-After': '3' })
      .get('/settings/v3/users/teams')
      .reply(200, { results: [] });
    await expect(gateway.listTeams()).resolves.toEqual([]);
    expect(sleeps[0]).toBeGreaterThanOrEqual(10_000);
    expect(sleeps[0]).toBeLessThanOrEqual(12_000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(3_000);
    expect(sleeps[1]).toBeLessThanOrEqual(3_300);
  });

  it('waits about a second on a search 429', async () => {
    const { gateway, sleeps, throttle } = testGateway();
    nock(BASE)
      .post('/crm/v3/objects/calls/search')
      .reply(429, {
        status: 'error',
        message: 'You have reached your secondly limit.',
        errorType: 'RATE_LIMIT',
      })
      .post('/crm/v3/objects/calls/search')
      .reply(200, { total: 0, results: [] });
    await gateway.searchAll('calls', { filterGroups: [], properties: ['hs_timestamp'] }, () => undefined);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(1_000);
    expect(sleeps[0]).toBeLessThan(1_500);
    expect(throttle.calls.map((c) => c.kind)).toEqual(['search', 'search']);
  });

  it('reports 429 past retries as HUBSPOT_RATE_LIMITED with retryAfterSeconds', async () => {
    const { gateway } = testGateway({ retry: { maxAttempts: 2 } });
    nock(BASE).get('/settings/v3/users/teams').times(2).reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'));
    const err = await caught(gateway.listTeams());
    expect(err.code).toBe('HUBSPOT_RATE_LIMITED');
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(10);
  });

  it('does not retry a DAILY 429', async () => {
    const { gateway, sleeps, events } = testGateway();
    nock(BASE).get('/settings/v3/users/teams').reply(429, rateLimitBody('DAILY'), { 'Retry-After': '7200' });
    const err = await caught(gateway.listTeams());
    expect(err.code).toBe('HUBSPOT_RATE_LIMITED');
    expect(err.retryAfterSeconds).toBe(7200);
    expect(events).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('hands a 477 with a long Retry-After back instead of sleeping', async () => {
    const { gateway, sleeps, events } = testGateway();
    nock(BASE)
      .get('/settings/v3/users/teams')
      .reply(477, { message: 'migration' }, { 'Retry-After': '3600' });
    const err = await caught(gateway.listTeams());
    expect(err.code).toBe('HUBSPOT_RATE_LIMITED');
    expect(err.retryAfterSeconds).toBeGreaterThanOrEqual(3600);
    expect(events).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('waits at least 2 s after a 423, then retries', async () => {
    const { gateway, sleeps } = testGateway();
    nock(BASE)
      .get('/settings/v3/users/teams')
      .reply(423, { message: 'locked' })
      .get('/settings/v3/users/teams')
      .reply(200, { results: [] });
    await gateway.listTeams();
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
  });
});

describe('writes are never retried blindly', () => {
  const create = { properties: { hs_task_subject: 'Call back', hs_timestamp: '2024-05-01T10:00:00Z' } };

  it('a 502 on create is exactly one request and HUBSPOT_TEMPORARY', async () => {
    const { gateway, events, sleeps } = testGateway();
    const scope = nock(BASE).post('/crm/v3/objects/tasks').reply(502, 'bad gateway');
    const err = await caught(gateway.createObject('tasks', create));
    expect(err.code).toBe('HUBSPOT_TEMPORARY');
    expect(err.message).toContain('not retried');
    expect(events).toHaveLength(1);
    expect(sleeps).toEqual([]);
    scope.done();
  });

  it('a create is retried after a 429 (HubSpot refused before acting)', async () => {
    const { gateway, events } = testGateway();
    nock(BASE)
      .post('/crm/v3/objects/tasks')
      .reply(429, rateLimitBody('TEN_SECONDLY_ROLLING'))
      .post(
        '/crm/v3/objects/tasks',
        (body: { properties: Record<string, string>; associations: unknown[] }) => {
          return body.properties.hs_task_subject === 'Call back' && Array.isArray(body.associations);
        },
      )
      .reply(201, objectJson('900', { hs_task_subject: 'Call back' }));
    const created = await gateway.createObject('tasks', create);
    expect(created.id).toBe('900');
    expect(events.map((e) => e.status)).toEqual([429, 201]);
  });

  it('sends associations as HUBSPOT_DEFINED types', async () => {
    const { gateway } = testGateway();
    let body: unknown;
    nock(BASE)
      .post('/crm/v3/objects/tasks', (b: unknown) => {
        body = b;
        return true;
      })
      .reply(201, objectJson('902'));
    await gateway.createObject('tasks', {
      properties: { hs_task_subject: 'x' },
      associations: [{ toObjectType: 'deals', toId: '55', associationTypeId: 216 }],
    });
    expect(body).toEqual({
      properties: { hs_task_subject: 'x' },
      associations: [
        { to: { id: '55' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 216 }] },
      ],
    });
  });
});

describe('malformed answers', () => {
  it.each([
    ['an empty object', {}],
    ['results: null', { results: null }],
    ['results of the wrong type', { results: 'nope' }],
    ['a team without an id', { results: [{ name: 'East' }] }],
  ])('%s -> HUBSPOT_INVALID_RESPONSE, not retried', async (_label, body) => {
    const { gateway, events } = testGateway();
    nock(BASE).get('/settings/v3/users/teams').reply(200, body);
    const err = await caught(gateway.listTeams());
    expect(err.code).toBe('HUBSPOT_INVALID_RESPONSE');
    expect(events).toHaveLength(1);
  });

  it('a 200 that is not JSON -> HUBSPOT_INVALID_RESPONSE', async () => {
    const { gateway } = testGateway();
    nock(BASE)
      .get('/crm/v3/owners/')
      .query(true)
      .reply(200, '<html>', { 'Content-Type': 'application/json' });
    expect((await caught(gateway.listOwners({ archived: false }))).code).toBe('HUBSPOT_INVALID_RESPONSE');
  });

  it('a search page with results: null -> HUBSPOT_INVALID_RESPONSE', async () => {
    const { gateway } = testGateway();
    nock(BASE).post('/crm/v3/objects/deals/search').reply(200, { total: 3, results: null });
    const err = await caught(
      gateway.searchAll('deals', { filterGroups: [], properties: [] }, () => undefined),
    );
    expect(err.code).toBe('HUBSPOT_INVALID_RESPONSE');
  });

  it('a 502 with no content type is still a 5xx (retried), not a parse error', async () => {
    const { gateway, events } = testGateway();
    nock(BASE)
      .get('/crm/v3/pipelines/deals')
      .reply(502, '')
      .get('/crm/v3/pipelines/deals')
      .reply(200, { results: [] });
    await expect(gateway.listDealPipelines()).resolves.toEqual([]);
    expect(events.map((e) => e.status)).toEqual([502, 200]);
  });

  it('raw endpoints (dispositions): non-JSON 200 and wrong shape are refused, 5xx retried', async () => {
    const { gateway, events } = testGateway();
    nock(BASE).get('/calling/v1/dispositions').reply(200, 'not json');
    expect((await caught(gateway.listCallDispositions())).code).toBe('HUBSPOT_INVALID_RESPONSE');
    nock(BASE).get('/calling/v1/dispositions').reply(200, { results: [] });
    expect((await caught(gateway.listCallDispositions())).code).toBe('HUBSPOT_INVALID_RESPONSE');
    nock(BASE)
      .get('/calling/v1/dispositions')
      .reply(503, 'down')
      .get('/calling/v1/dispositions')
      .reply(200, [{ id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected', deleted: false }]);
    await expect(gateway.listCallDispositions()).resolves.toEqual([
      { id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
    ]);
    expect(events.map((e) => e.status)).toEqual([200, 200, 503, 200]);
  });
});

describe('never leaves the HubSpot origin', () => {
  it('refuses a redirect: no request reaches the other host', async () => {
    const { gateway, events } = testGateway();
    nock(BASE).get('/settings/v3/users/teams').reply(302, '', { Location: 'http://169.254.169.254/latest' });
    const elsewhere = nock('http://169.254.169.254').get('/latest').reply(200, { results: [] });
    const err = await caught(gateway.listTeams());
    expect(err.code).toBe('HUBSPOT_INVALID_RESPONSE');
    expect(elsewhere.isDone()).toBe(false);
    expect(events).toHaveLength(1);
    nock.cleanAll();
  });

  it('refuses a redirect on a raw GET too', async () => {
    const { gateway } = testGateway();
    nock(BASE).get('/account-info/v3/details').reply(301, '', { Location: 'https://evil.example/details' });
    const elsewhere = nock('https://evil.example').get('/details').reply(200, {});
    expect((await caught(gateway.getPortalDetails())).code).toBe('HUBSPOT_INVALID_RESPONSE');
    expect(elsewhere.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('pages owners with `after`, ignoring paging.next.link', async () => {
    const { gateway } = testGateway();
    nock(BASE)
      .get('/crm/v3/owners/')
      .query({ limit: '500', archived: 'true' })
      .reply(200, {
        results: [ownerJson('1', 11, { archived: true })],
        paging: { next: { after: 'A2', link: 'https://evil.example/steal?after=A2' } },
      })
      .get('/crm/v3/owners/')
      .query({ limit: '500', archived: 'true', after: 'A2' })
      .reply(200, { results: [ownerJson('2', 12, { archived: true })] });
    const owners = await gateway.listOwners({ archived: true });
    expect(owners.map((o) => [o.id, o.archived])).toEqual([
      ['1', true],
      ['2', true],
    ]);
  });
});

describe('other methods', () => {
  it('getPortalDetails maps account details and refuses a token of another portal', async () => {
    const { gateway } = testGateway();
    nock(BASE).get('/account-info/v3/details').reply(200, {
      portalId: 42,
      timeZone: 'Europe/Paris',
      companyCurrency: 'EUR',
      accountType: 'STANDARD',
    });
    await expect(gateway.getPortalDetails()).resolves.toEqual({
      portalId: 42,
      timeZone: 'Europe/Paris',
      currency: 'EUR',
    });
    nock(BASE)
      .get('/account-info/v3/details')
      .reply(200, { portalId: 43, timeZone: 'UTC', companyCurrency: 'USD' });
    expect((await caught(gateway.getPortalDetails())).code).toBe('HUBSPOT_INVALID_RESPONSE');
  });

  it('listUsers pages with limit 100 and maps users', async () => {
    const { gateway } = testGateway();
    nock(BASE)
      .get('/settings/v3/users/')
      .query({ limit: '100' })
      .reply(200, {
        results: [{ id: '1', email: 'a@example.com', superAdmin: true, primaryTeamId: 't1' }],
        paging: { next: { after: '1' } },
      })
      .get('/settings/v3/users/')
      .query({ limit: '100', after: '1' })
      .reply(200, { results: [{ id: '2', email: 'b@example.com', secondaryTeamIds: ['t2'] }] });
    await expect(gateway.listUsers()).resolves.toEqual([
      { id: '1', email: 'a@example.com', superAdmin: true, primaryTeamId: 't1', secondaryTeamIds: [] },
      { id: '2', email: 'b@example.com', superAdmin: false, primaryTeamId: null, secondaryTeamIds: ['t2'] },
    ]);
  });

  it('listDealPipelines orders pipelines and stages and keeps string metadata', async () => {
    const { gateway } = testGateway();
    const stage = (id: string, order: number) => ({
      id,
      label: id,
      displayOrder: order,
      archived: false,
      metadata: { probability: '0.2', isClosed: 'false' },
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-01T00:00:00Z',
    });
    nock(BASE)
      .get('/crm/v3/pipelines/deals')
      .reply(200, {
        results: [
          {
            id: 'p2',
            label: 'Two',
            displayOrder: 1,
            archived: false,
            stages: [stage('b', 1), stage('a', 0)],
            createdAt: 'x',
            updatedAt: 'y',
          },
          {
            id: 'default',
            label: 'One',
            displayOrder: 0,
            archived: false,
            stages: [],
            createdAt: 'x',
            updatedAt: 'y',
          },
        ],
      });
    const pipelines = await gateway.listDealPipelines();
    expect(pipelines.map((p) => p.id)).toEqual(['default', 'p2']);
    expect(pipelines[1]?.stages.map((s) => s.id)).toEqual(['a', 'b']);
    expect(pipelines[1]?.stages[0]?.metadata).toEqual({ probability: '0.2', isClosed: 'false' });
  });

  it('batchRead dedupes ids, chunks by 100 and leaves out unknown ids (207)', async () => {
    const { gateway, events } = testGateway();
    const ids = Array.from({ length: 150 }, (_, i) => String(i + 1));
    const sizes: number[] = [];
    nock(BASE)
      .post('/crm/v3/objects/calls/batch/read', (b: { inputs: { id: string }[]; properties: string[] }) => {
        sizes.push(b.inputs.length);
        return b.properties.join() === 'hs_timestamp';
      })
      .query({ archived: 'false' })
      .times(2)
      .reply(207, (_uri, b) => {
        const inputs = (b as { inputs: { id: string }[] }).inputs;
        return {
          status: 'COMPLETE',
          results: inputs.filter((i) => i.id !== '7').map((i) => objectJson(i.id, { hs_timestamp: '1' })),
          errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'not found' }],
          numErrors: 1,
          startedAt: '2024-01-01T00:00:00Z',
          completedAt: '2024-01-01T00:00:00Z',
        };
      });
    const records = await gateway.batchRead('calls', [...ids, '1', '2'], ['hs_timestamp']);
    expect(sizes).toEqual([100, 50]);
    expect(records).toHaveLength(149);
    expect(events).toHaveLength(2);
  });

  it('batchRead with no ids makes no request', async () => {
    const { gateway, events } = testGateway();
    await expect(gateway.batchRead('deals', [], ['dealname'])).resolves.toEqual([]);
    expect(events).toEqual([]);
  });

  it('batchReadAssociations chunks by 1,000 and follows per-input paging', async () => {
    const { gateway } = testGateway();
    const ids = Array.from({ length: 1_001 }, (_, i) => String(i + 1));
    const requests: { id: string; after?: string }[][] = [];
    nock(BASE)
      .post('/crm/v4/associations/deals/calls/batch/read')
      .times(3)
      .reply(207, (_uri, b) => {
        const inputs = (b as { inputs: { id: string; after?: string }[] }).inputs;
        requests.push(inputs);
        return {
          status: 'COMPLETE',
          startedAt: '2024-01-01T00:00:00Z',
          completedAt: '2024-01-01T00:00:00Z',
          results: inputs
            .filter((i) => i.id === '1' || i.id === '1001')
            .map((i) =>
              i.id === '1' && i.after === undefined
                ? {
                    from: { id: '1' },
                    to: [{ toObjectId: 500, associationTypes: [] }],
                    paging: { next: { after: 'P2', link: 'x' } },
                  }
                : {
                    from: { id: i.id },
                    to: [{ toObjectId: i.id === '1' ? 501 : 900, associationTypes: [] }],
                  },
            ),
          errors: [{ status: 'error', category: 'NO_ASSOCIATIONS_FOUND', message: 'none' }],
        };
      });
    const map = await gateway.batchReadAssociations('deals', 'calls', ids);
    expect(requests.map((r) => r.length)).toEqual([1_000, 1, 1]);
    expect(requests[1]).toEqual([{ id: '1', after: 'P2' }]);
    expect(map.get('1')).toEqual(['500', '501']);
    expect(map.get('1001')).toEqual(['900']);
    expect(map.get('2')).toEqual([]);
    expect(map.size).toBe(1_001);
  });
});
