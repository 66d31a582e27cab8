import type { AddressInfo } from 'node:net';
import express from 'express';
import { createBackendMetrics, digestToken, httpMetrics, metricsHandler } from '../prometheus.js';

test('HubSpot attempts, 429s, routes and job outcomes are exposed with bounded labels', async () => {
  const m = createBackendMetrics({ defaults: false });
  const endpoint = 'POST /crm/v3/objects/calls/search';
  m.onHubSpotRequest({ portalId: 1, endpoint, kind: 'search', status: 200, ms: 120, attempt: 1 });
  m.onHubSpotRequest({ portalId: 1, endpoint, kind: 'search', status: 429, ms: 30, attempt: 1 });
  m.onHubSpotRequest({ portalId: 2, endpoint, kind: 'search', status: 200, ms: 80, attempt: 2 });
  m.observeHttp('/api/v1/deal-guidance', 'GET', 200, 0.042);
  m.onJobOutcome({ portalId: 7, job: 'stage-timing', period: '2026-11-28', outcome: 'ran' });
  const { body, contentType } = await m.render();
  expect(contentType).toMatch(/^text\/plain/);
  expect(body).toContain(`pillars_hubspot_requests_total{endpoint="${endpoint}",status="200"} 2`);
  expect(body).toContain(`pillars_hubspot_requests_total{endpoint="${endpoint}",status="429"} 1`);
  expect(body).toContain(`pillars_hubspot_rate_limited_total{endpoint="${endpoint}"} 1`);
  expect(body).toContain(`pillars_hubspot_request_seconds_count{endpoint="${endpoint}"} 3`);
  expect(body).toContain(
    'pillars_http_requests_total{route="/api/v1/deal-guidance",method="GET",status="200"} 1',
  );
  expect(body).toContain('pillars_job_runs_total{job="stage-timing",outcome="ran",portal="7"} 1');
  // No portal ids or record ids in HubSpot labels.
  expect(body).not.toMatch(/pillars_hubspot_requests_total\{[^}]*portal/);
});

test('two registries never share counters', async () => {
  const a = createBackendMetrics({ defaults: false });
  const b = createBackendMetrics({ defaults: false });
  a.observeHttp('/healthz', 'GET', 200, 0.001);
  expect((await b.render()).body).not.toContain('route="/healthz"');
});

describe('GET /metrics over HTTP', () => {
  async function serve(token: string | null) {
    const m = createBackendMetrics({ defaults: false });
    const app = express();
    app.use(httpMetrics(m));
    app.get('/healthz', (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/metrics', metricsHandler(m, token === null ? null : digestToken(token)));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, close: () => new Promise((r) => server.close(r)) };
  }

  test('with a token: 401 without or with a wrong one, metrics with the right one', async () => {
    const s = await serve('scrape-secret-123');
    try {
      await fetch(`${s.url}/healthz`);
      expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret-123' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain(
        'pillars_http_requests_total{route="/healthz",method="GET",status="200"} 1',
      );
    } finally {
      await s.close();
    }
  });

  test('without a token the metrics are open (development)', async () => {
    const s = await serve(null);
    try {
      expect((await fetch(`${s.url}/metrics`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
