import request from 'supertest';
import { AppError, ERROR_CODES, HTTP_STATUS, PUBLIC_MESSAGE, RETRYABLE } from '../../../src/core/errors.js';
import type { ErrorCode } from '../../../src/core/errors.js';
import { createHarness, KNOWN_PORTAL, sampleReport } from './harness.js';
import type { Harness } from './harness.js';

const TARGET = `/api/v1/activity-metrics?week=2024-03-06&portalId=${KNOWN_PORTAL}&userId=7`;
const INTERNALS =
  "SELECT * FROM installations WHERE refresh_token = 'x' at /srv/pillars/src/store/sql.ts:42:7";

interface ErrorResponseBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

function signedGet(h: Harness) {
  return request(h.app).get(TARGET).set(h.sign('GET', TARGET));
}

function expectNoInternals(text: string): void {
  for (const leak of ['SELECT', 'refresh_token', '/srv/', 'sql.ts', 'stack', '    at '])
    expect(text).not.toContain(leak);
}

describe('error mapping: one response shape per ErrorCode', () => {
  it.each(ERROR_CODES.map((code) => [code]))('%s', async (code: ErrorCode) => {
    const h = createHarness({
      activityMetrics: async () => {
        throw new AppError(code, `log-only detail: ${INTERNALS}`, {
          details: { field: 'week' },
          ...(RETRYABLE.has(code) ? { retryAfterSeconds: 7.2 } : {}),
          cause: new Error(INTERNALS),
        });
      },
    });
    const res = await signedGet(h);
    const body = res.body as ErrorResponseBody;
    expect(res.status).toBe(HTTP_STATUS[code]);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toBe(PUBLIC_MESSAGE[code]);
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
    if (HTTP_STATUS[code] < 500) expect(body.error.details).toEqual({ field: 'week' });
    else expect(body.error.details).toBeUndefined();
    expect(res.headers['retry-after']).toBe(RETRYABLE.has(code) ? '8' : undefined);
    expectNoInternals(res.text);
    // The full cause is in the log for server-side failures.
    if (HTTP_STATUS[code] >= 500) expect(h.lines.join('')).toContain('refresh_token');
  });

  it('a plain Error (a bug) → 500 INTERNAL, generic body, cause only in the log', async () => {
    const h = createHarness({
      activityMetrics: async () => {
        throw new TypeError(INTERNALS);
      },
    });
    const res = await signedGet(h);
    expect(res.status).toBe(500);
    expect((res.body as ErrorResponseBody).error).toEqual({
      code: 'INTERNAL',
      message: PUBLIC_MESSAGE.INTERNAL,
      requestId: res.headers['x-request-id'],
    });
    expectNoInternals(res.text);
    const errorLine = h.lines.find((line) => line.includes('"request failed"'));
    expect(errorLine).toContain('TypeError');
    expect(errorLine).toContain('sql.ts:42');
  });

  it('a thrown non-Error value → 500 INTERNAL', async () => {
    const h = createHarness({
      activityMetrics: () => Promise.reject(`string rejection ${INTERNALS}`),
    });
    const res = await signedGet(h);
    expect(res.status).toBe(500);
    expectNoInternals(res.text);
  });

  it('a rejecting handler does not take the server down: the next request succeeds (H3)', async () => {
    let fail = true;
    const h = createHarness({
      activityMetrics: async (_input, ctx) => {
        if (fail) {
          fail = false;
          throw new Error('first call fails');
        }
        return sampleReport(ctx.portalId);
      },
    });
    expect((await signedGet(h)).status).toBe(500);
    const second = await signedGet(h);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(sampleReport(KNOWN_PORTAL));
  });
});

describe('unknown routes and methods', () => {
  it('unknown path → 404 JSON', async () => {
    const h = createHarness();
    const res = await request(h.app).get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect((res.body as ErrorResponseBody).error).toMatchObject({
      code: 'NOT_FOUND',
      requestId: res.headers['x-request-id'],
    });
  });

  it.each([
    ['post', '/api/v1/activity-metrics'],
    ['delete', '/api/v1/activity-metrics'],
    ['put', '/healthz'],
    ['post', '/readyz'],
  ] as const)('%s %s → 405 with Allow', async (method, path) => {
    const h = createHarness();
    const res = await request(h.app)[method](path).set(h.sign(method.toUpperCase(), path));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect((res.body as ErrorResponseBody).error.requestId).toBe(res.headers['x-request-id']);
    expect(h.calls).toHaveLength(0);
  });

  it('OPTIONS on a known path → 204 with Allow; a trailing slash still matches', async () => {
    const h = createHarness();
    const res = await request(h.app).options('/healthz');
    expect(res.status).toBe(204);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((await request(h.app).get('/healthz/')).status).toBe(200);
  });
});
