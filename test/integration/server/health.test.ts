import request from 'supertest';
import { createHarness } from './harness.js';

describe('health routes (public)', () => {
  it('GET /healthz → 200 without any signature', async () => {
    const h = createHarness({ readiness: [() => Promise.reject(new Error('db down'))] });
    const res = await request(h.app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('GET /readyz → 200 when every probe passes', async () => {
    let called = 0;
    const storeHealth = async () => {
      called += 1;
    };
    const h = createHarness({ readiness: [storeHealth, storeHealth] });
    const res = await request(h.app).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ready' });
    expect(called).toBe(2);
  });

  it('GET /readyz → 503 naming the failing probe, reason only in the log', async () => {
    const storeHealth = () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
    const redisHealth = (): Promise<void> => {
      throw new Error('sync throw');
    };
    const ok = async () => undefined;
    const h = createHarness({ readiness: [ok, storeHealth, redisHealth] });
    const res = await request(h.app).get('/readyz');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'not_ready', failed: ['storeHealth', 'redisHealth'] });
    expect(res.text).not.toContain('ECONNREFUSED');
    expect(h.lines.join('')).toContain('ECONNREFUSED');
    // A following request still works.
    expect((await request(h.app).get('/healthz')).status).toBe(200);
  });

  it('GET /readyz with no probes → 200', async () => {
    const h = createHarness();
    expect((await request(h.app).get('/readyz')).status).toBe(200);
  });
});
