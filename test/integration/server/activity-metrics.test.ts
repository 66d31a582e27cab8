import request from 'supertest';
import {
  createHarness,
  KNOWN_PORTAL,
  NOW,
  ORIGIN,
  rawRequest,
  sampleReport,
  SECRET,
  UNKNOWN_PORTAL,
} from './harness.js';
import { signRequest } from '../../support/signer.js';

const PATH = '/api/v1/activity-metrics';
const target = (query: string) => `${PATH}?${query}`;
const identity = `portalId=${KNOWN_PORTAL}&userId=7&userEmail=rep%40example.com&appId=123`;

describe('GET /api/v1/activity-metrics, signed', () => {
  it('answers a signed week request with the function report', async () => {
    const h = createHarness();
    const t = target(`week=2024-03-06&${identity}`);
    const res = await request(h.app).get(t).set(h.sign('GET', t));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(sampleReport(KNOWN_PORTAL));
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]?.input).toEqual({ week: '2024-03-06' });
    expect(h.calls[0]?.ctx.portalId).toBe(KNOWN_PORTAL);
    expect(h.calls[0]?.ctx.userId).toBe(7);
    expect(h.lookups).toEqual([{ portalId: KNOWN_PORTAL, userId: 7, userEmail: 'rep@example.com' }]);
  });

  it('passes from/to, ownerIds (comma-separated) and teamId through the schema', async () => {
    const h = createHarness();
    const t1 = target(`from=2024-03-01&to=2024-04-01&ownerIds=11,12,13&portalId=${KNOWN_PORTAL}`);
    const t2 = target(`week=2024-03-06&teamId=55&portalId=${KNOWN_PORTAL}`);
    expect((await request(h.app).get(t1).set(h.sign('GET', t1))).status).toBe(200);
    expect((await request(h.app).get(t2).set(h.sign('GET', t2))).status).toBe(200);
    expect(h.calls.map((c) => c.input)).toEqual([
      { from: '2024-03-01', to: '2024-04-01', ownerIds: ['11', '12', '13'] },
      { week: '2024-03-06', teamId: '55' },
    ]);
    expect(h.lookups[0]).toEqual({ portalId: KNOWN_PORTAL, userId: null, userEmail: null });
  });

  it('echoes a sane inbound x-request-id and replaces an unsafe one', async () => {
    const h = createHarness();
    const t = target(`week=2024-03-06&${identity}`);
    const sane = await request(h.app).get(t).set(h.sign('GET', t)).set('x-request-id', 'hs-req.1234:abcd');
    expect(sane.headers['x-request-id']).toBe('hs-req.1234:abcd');
    const unsafe = await request(h.app)
      .get(t)
      .set(h.sign('GET', t))
      .set('x-request-id', 'x" {evil} <script>');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('verifies URLs with percent-encodings, signed as received or over the documented decoded form', async () => {
    const h = createHarness();
    const t = target(`week=2024-03-06&portalId=${KNOWN_PORTAL}&userEmail=a.rep%2Bx%40example.com`);
    const asReceived = h.sign('GET', t);
    const decoded = signRequest({
      method: 'GET',
      url: `${ORIGIN}${t}`,
      secret: SECRET,
      timestamp: NOW,
      decodeUri: true,
    });
    expect(decoded['X-HubSpot-Signature-v3']).not.toBe(asReceived['X-HubSpot-Signature-v3']);
    expect((await rawRequest(h.app, { method: 'GET', target: t, headers: { ...asReceived } })).status).toBe(
      200,
    );
    expect((await rawRequest(h.app, { method: 'GET', target: t, headers: { ...decoded } })).status).toBe(200);
    expect(h.lookups.map((i) => i.userEmail)).toEqual(['a.rep+x@example.com', 'a.rep+x@example.com']);
  });
});

describe('GET /api/v1/activity-metrics refuses unauthenticated requests (401, function never called)', () => {
  const t = target(`week=2024-03-06&${identity}`);

  async function expect401(headers: Record<string, string>, path = t): Promise<void> {
    const h = createHarness();
    const res = await request(h.app).get(path).set(headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error: {
        code: 'UNAUTHENTICATED',
        message: 'The request could not be authenticated.',
        requestId: res.headers['x-request-id'],
      },
    });
    expect(h.calls).toHaveLength(0);
    expect(h.lookups).toHaveLength(0);
  }

  it('no signature headers', () => expect401({}));

  it('signature without timestamp, and timestamp without signature', async () => {
    const h = createHarness();
    const headers = h.sign('GET', t);
    await expect401({ 'X-HubSpot-Signature-v3': headers['X-HubSpot-Signature-v3'] });
    await expect401({ 'X-HubSpot-Request-Timestamp': headers['X-HubSpot-Request-Timestamp'] });
  });

  it('stale: signed 301 s ago (299 s is accepted)', async () => {
    const h = createHarness();
    await expect401({ ...h.sign('GET', t, '', { timestamp: NOW - 301_000 }) });
    expect(
      (
        await request(h.app)
          .get(t)
          .set(h.sign('GET', t, '', { timestamp: NOW - 299_000 }))
      ).status,
    ).toBe(200);
  });

  it('future: 91 s ahead (89 s is accepted)', async () => {
    const h = createHarness();
    await expect401({ ...h.sign('GET', t, '', { timestamp: NOW + 91_000 }) });
    expect(
      (
        await request(h.app)
          .get(t)
          .set(h.sign('GET', t, '', { timestamp: NOW + 89_000 }))
      ).status,
    ).toBe(200);
  });

  it('forged: wrong secret, flipped bit, wrong length, non-base64', async () => {
    const h = createHarness();
    const good = h.sign('GET', t);
    const sig = good['X-HubSpot-Signature-v3'];
    const flipped = Buffer.from(sig, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await expect401({ ...h.sign('GET', t, '', { secret: `${SECRET}-other` }) });
    for (const forged of [flipped.toString('base64'), sig.slice(0, 40), `${sig}AAAA`, '%%%not-base64%%%']) {
      await expect401({ ...good, 'X-HubSpot-Signature-v3': forged });
    }
  });

  it('tampered query: signed for one portal, sent for another', async () => {
    const h = createHarness();
    const signedFor = target(`week=2024-03-06&portalId=${KNOWN_PORTAL}`);
    await expect401({ ...h.sign('GET', signedFor) }, target('week=2024-03-06&portalId=1'));
  });

  it('spoofed X-Forwarded-Host / Host: the URL is built from the configured origin only (A9)', async () => {
    const h = createHarness();
    const forged = h.sign('GET', t, '', { url: `https://evil.example${t}` });
    await expect401({
      ...forged,
      'X-Forwarded-Host': 'evil.example',
      'X-Forwarded-Proto': 'https',
      Host: 'evil.example',
    });
    // And a genuine request is not broken by proxy headers it carries.
    const genuine = await request(h.app)
      .get(t)
      .set({ ...h.sign('GET', t), 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http' });
    expect(genuine.status).toBe(200);
  });

  it('a body altered after signing (A7): {"a":1} signed, {"a": 1} sent', async () => {
    const h = createHarness();
    const headers = { ...h.sign('GET', t, '{"a":1}'), 'content-type': 'application/json' };
    expect((await rawRequest(h.app, { method: 'GET', target: t, headers, body: '{"a":1}' })).status).toBe(
      200,
    );
    const res = await rawRequest(h.app, { method: 'GET', target: t, headers, body: '{"a": 1}' });
    expect(res.status).toBe(401);
    expect(h.calls).toHaveLength(1);
  });
});

describe('GET /api/v1/activity-metrics input handling', () => {
  async function signedGet(query: string) {
    const h = createHarness();
    const t = target(query);
    const res = await rawRequest(h.app, { method: 'GET', target: t, headers: { ...h.sign('GET', t) } });
    return {
      h,
      res,
      body: JSON.parse(res.body) as {
        error: { code: string; message: string; details?: { field?: string } };
      },
    };
  }

  it.each([
    ['portalId', `week=2024-03-06&portalId=${KNOWN_PORTAL}&portalId=1`],
    ['userId', `week=2024-03-06&portalId=${KNOWN_PORTAL}&userId=1&userId=2`],
    ['portalId', `portalId=1&portalId=${KNOWN_PORTAL}&week=2024-03-06`],
  ])('duplicated identity param %s → 400 before any lookup (A10)', async (field, query) => {
    const { h, res, body } = await signedGet(query);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.details?.field).toBe(field);
    expect(body.error.message).toContain(field);
    expect(h.lookups).toHaveLength(0);
    expect(h.calls).toHaveLength(0);
  });

  it.each([
    ['portalId', 'week=2024-03-06'],
    ['portalId', 'week=2024-03-06&portalId=abc'],
    ['portalId', 'week=2024-03-06&portalId=-5'],
    ['userId', `week=2024-03-06&portalId=${KNOWN_PORTAL}&userId=1.5`],
    ['userEmail', `week=2024-03-06&portalId=${KNOWN_PORTAL}&userEmail=`],
  ])('missing or malformed identity %s → 400', async (field, query) => {
    const { h, res, body } = await signedGet(query);
    expect(res.status).toBe(400);
    expect(body.error.details?.field).toBe(field);
    expect(h.lookups).toHaveLength(0);
  });

  it.each([
    ['week', 'week=2024-3-6'],
    ['ownerIds', 'from=2024-03-01&to=2024-04-01&ownerIds=11,x'],
    ['ownerIds', 'from=2024-03-01&to=2024-04-01&ownerIds='],
    ['teamId', 'week=2024-03-06&teamId=team-a'],
    ['to', 'from=2024-03-01&to=tomorrow'],
    ['limit', 'week=2024-03-06&limit=1000000'],
    ['__proto__', 'week=2024-03-06&__proto__=x'],
    ['week', 'week=2024-03-06&week=2024-03-13'],
  ])('malformed query → 400 naming %s', async (field, query) => {
    const { h, res, body } = await signedGet(`${query}&portalId=${KNOWN_PORTAL}`);
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.message).toContain(field);
    expect(h.calls).toHaveLength(0);
  });

  it('contradictory parameters → 400 with the rule in words', async () => {
    const { res, body } = await signedGet(
      `week=2024-03-06&from=2024-03-01&to=2024-04-01&portalId=${KNOWN_PORTAL}`,
    );
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/either week, or from and to/);
  });

  it('unknown portal → 404 from contextFor, function never called', async () => {
    const { h, res, body } = await signedGet(`week=2024-03-06&portalId=${UNKNOWN_PORTAL}`);
    expect(res.status).toBe(404);
    expect(body.error.code).toBe('NOT_FOUND');
    expect(h.calls).toHaveLength(0);
  });
});

describe('signed request bodies', () => {
  const t = target(`week=2024-03-06&portalId=${KNOWN_PORTAL}`);

  async function send(
    body: string | Buffer,
    contentType = 'application/json',
    options: { sign?: boolean } = {},
  ) {
    const h = createHarness();
    const text = typeof body === 'string' ? body : body.toString('latin1');
    const headers: Record<string, string> = { 'content-type': contentType };
    if (options.sign !== false)
      Object.assign(headers, h.sign('GET', t, typeof body === 'string' ? body : text));
    const res = await rawRequest(h.app, { method: 'GET', target: t, headers, body });
    return {
      h,
      res,
      json: JSON.parse(res.body) as { error: { code: string; details?: { reason?: string } } },
    };
  }

  it.each(['{"a":', '{a:1}', '[1,2', '{"a":1}}', '\u0000'])(
    'malformed JSON %j → 400 invalid_json (C1)',
    async (body) => {
      const { h, res, json } = await send(body);
      expect(res.status).toBe(400);
      expect(json.error.details?.reason).toBe('invalid_json');
      expect(h.calls).toHaveLength(0);
    },
  );

  it('prototype-reaching keys → 400 (C4)', async () => {
    const { res } = await send('{"a":{"__proto__":{"polluted":true}}}');
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body that is not JSON → 415', async () => {
    const { res } = await send('a=1', 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
  });

  it('oversize body → 413, signed or not, before any parsing (C2)', async () => {
    const big = `{"a":"${'x'.repeat(150_000)}"}`;
    const signed = await send(big);
    expect(signed.res.status).toBe(413);
    expect(signed.json.error.code).toBe('PAYLOAD_TOO_LARGE');
    const huge = await send(`{"a":"${'x'.repeat(1_100_000)}"}`, 'application/json', { sign: false });
    expect(huge.res.status).toBe(413);
    expect(huge.h.calls).toHaveLength(0);
  });

  it('oversize chunked body (no Content-Length up front) → 413 while streaming', async () => {
    const h = createHarness();
    const body = `{"a":"${'x'.repeat(150_000)}"}`;
    const headers = { ...h.sign('GET', t, body), 'content-type': 'application/json' };
    const res = await rawRequest(h.app, { method: 'GET', target: t, headers, body, chunked: true });
    expect(res.status).toBe(413);
    expect(h.calls).toHaveLength(0);
  });

  it('a route-level limit: exactly MAX_BODY_BYTES passes the size check', async () => {
    const h = createHarness({ env: { MAX_BODY_BYTES: '2048' } });
    const fits = `{"a":"${'x'.repeat(2048 - 8)}"}`;
    expect(Buffer.byteLength(fits)).toBe(2048);
    const headers = { ...h.sign('GET', t, fits), 'content-type': 'application/json' };
    expect((await rawRequest(h.app, { method: 'GET', target: t, headers, body: fits })).status).toBe(200);
    const over = `${fits} `;
    const overHeaders = { ...h.sign('GET', t, over), 'content-type': 'application/json' };
    expect(
      (await rawRequest(h.app, { method: 'GET', target: t, headers: overHeaders, body: over })).status,
    ).toBe(413);
  });
});
