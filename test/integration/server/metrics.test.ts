/**
 * GET /metrics through the real backend: HubSpot requests and our routes are counted with bounded
 * labels, the scheduler's outcomes per portal appear after a tick, a configured token is required,
 * and in production the route only exists with a token.
 */
import request from 'supertest';
import { createApp } from '../../../src/server/app.js';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import { createBackendMetrics } from '../../../src/server/prometheus.js';
import { startDemoBackend, type DemoBackend } from '../../support/demo-backend.js';
import { signRequest } from '../../support/signer.js';

const SECRET = 'metrics-test-secret-0123456789';
let demo: DemoBackend;

beforeAll(async () => {
  demo = await startDemoBackend({ secret: SECRET, prefix: 'pillars-metrics-' });
}, 60_000);

afterAll(async () => {
  await demo.close();
});

test('counts HubSpot attempts, routes and job outcomes', async () => {
  const { backend } = demo;
  const url = `${backend.url}/api/v1/activity-metrics?week=2026-11-16&portalId=${backend.portalId}&userId=1`;
  const res = await fetch(url, {
    headers: signRequest({ method: 'GET', url, secret: SECRET, timestamp: Date.now() }),
  });
  expect(res.status).toBe(200);
  // Scheduled jobs are off under NODE_ENV=test; one explicit tick runs them all once.
  const outcomes = await backend.scheduler.tick();
  expect(outcomes.map((o) => `${o.job}:${o.outcome}`)).toEqual([
    'weekly-snapshots:ran',
    'stage-timing:ran',
    'training-rules:ran',
    'training-sync:ran',
  ]);
  expect((await backend.scheduler.tick()).every((o) => o.outcome === 'done')).toBe(true);

  const text = await (await fetch(`${backend.url}/metrics`)).text();
  expect(text).toContain(
    'pillars_http_requests_total{route="/api/v1/activity-metrics",method="GET",status="200"} 1',
  );
  expect(text).toMatch(
    /pillars_hubspot_requests_total\{endpoint="POST \/crm\/v3\/objects\/calls\/search",status="200"\} \d+/,
  );
  expect(text).toContain(
    `pillars_job_runs_total{job="stage-timing",outcome="ran",portal="${backend.portalId}"} 1`,
  );
  expect(text).toContain(
    `pillars_job_runs_total{job="stage-timing",outcome="done",portal="${backend.portalId}"} 1`,
  );
  expect(text).toContain('pillars_process_resident_memory_bytes');
  // Labels carry route patterns and endpoint keys, never ids or tokens.
  expect(text).not.toContain(demo.sandbox.tokenFor(backend.portalId));
  expect(text).not.toMatch(/route="[^"]*\d{5,}/);
}, 120_000);

describe('access to /metrics', () => {
  const base = {
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_ACCESS_TOKEN: 'pat-na1-metrics-test-token',
    LOG_LEVEL: 'silent',
  };
  const appWith = (env: Record<string, string>) => {
    const config = loadConfig({ ...base, ...env });
    return createApp({
      config,
      logger: createLogger(config),
      metrics: createBackendMetrics({ defaults: false }),
      functions: { activityMetrics: () => Promise.reject(new Error('unused')) },
      contextFor: () => Promise.reject(new Error('unused')),
      readiness: [],
    });
  };

  test('production without METRICS_TOKEN: no /metrics route', async () => {
    const app = appWith({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://pillars.example.com' });
    expect((await request(app).get('/metrics')).status).toBe(404);
  });

  test('production with METRICS_TOKEN: the bearer token is required', async () => {
    const token = 'metrics-token-0123456789abcdef';
    const app = appWith({
      NODE_ENV: 'production',
      PUBLIC_ORIGIN: 'https://pillars.example.com',
      METRICS_TOKEN: token,
    });
    expect((await request(app).get('/metrics')).status).toBe(401);
    const ok = await request(app).get('/metrics').set('authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('pillars_http_requests_total');
  });
});
