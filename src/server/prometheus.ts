/**
 * Prometheus metrics of one backend process (issue 5 item 7), on a registry of its own (never
 * prom-client's global one, so tests and several apps in one process never share counters):
 *
 * - `pillars_hubspot_requests_total{endpoint,status}` and `pillars_hubspot_request_seconds{endpoint}`:
 *   every HubSpot attempt, retries included, from the gateway's onRequest hook (endpoint keys carry
 *   no ids, so cardinality stays bounded);
 * - `pillars_hubspot_rate_limited_total{endpoint}`: HubSpot's 429s (HubSpot's review reads these);
 * - `pillars_http_requests_total{route,method,status}` and `pillars_http_request_seconds{route}`:
 *   our routes, labelled by the route table's path (never the raw URL);
 * - `pillars_job_runs_total{job,outcome,portal}`: scheduled job outcomes per portal;
 * - the default process metrics (memory, event-loop lag, CPU) under `pillars_`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { HubSpotRequestEvent } from '../hubspot/request-runner.js';
import type { JobOutcome } from '../jobs/scheduler.js';

/** The metrics of one process, and the hooks that feed them. */
export interface BackendMetrics {
  readonly registry: Registry;
  /** Pass as the gateways' `onRequest`. */
  onHubSpotRequest(e: HubSpotRequestEvent): void;
  /** Record one finished HTTP request of a route-table path. */
  observeHttp(route: string, method: string, status: number, seconds: number): void;
  /** Record what the scheduler did. */
  onJobOutcome(o: JobOutcome): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Build a registry with every Pillars metric; `defaults: false` leaves out the process metrics (tests). */
export function createBackendMetrics(options: { defaults?: boolean } = {}): BackendMetrics {
  const registry = new Registry();
  if (options.defaults !== false) collectDefaultMetrics({ register: registry, prefix: 'pillars_' });
  const hubspotRequests = new Counter({
    name: 'pillars_hubspot_requests_total',
    help: 'HubSpot API attempts (retries included) by endpoint and HTTP status (0: no answer)',
    labelNames: ['endpoint', 'status'] as const,
    registers: [registry],
  });
  const hubspotSeconds = new Histogram({
    name: 'pillars_hubspot_request_seconds',
    help: 'Time on the wire of HubSpot API attempts (throttle wait excluded)',
    labelNames: ['endpoint'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'pillars_hubspot_rate_limited_total',
    help: 'HubSpot 429 answers by endpoint',
    labelNames: ['endpoint'] as const,
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'pillars_http_requests_total',
    help: 'Requests served by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const httpSeconds = new Histogram({
    name: 'pillars_http_request_seconds',
    help: 'Time to answer by route',
    labelNames: ['route'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'pillars_job_runs_total',
    help: 'Scheduled job outcomes by job, outcome (ran, failed, done, running) and portal',
    labelNames: ['job', 'outcome', 'portal'] as const,
    registers: [registry],
  });

  return {
    registry,
    onHubSpotRequest(e) {
      hubspotRequests.inc({ endpoint: e.endpoint, status: String(e.status) });
      hubspotSeconds.observe({ endpoint: e.endpoint }, e.ms / 1000);
      if (e.status === 429) rateLimited.inc({ endpoint: e.endpoint });
    },
    observeHttp(route, method, status, seconds) {
      httpRequests.inc({ route, method, status: String(status) });
      httpSeconds.observe({ route }, seconds);
    },
    onJobOutcome(o) {
      jobRuns.inc({ job: o.job, outcome: o.outcome, portal: String(o.portalId) });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/**
 * GET /metrics. With a token configured, only `Authorization: Bearer <token>` is answered (the
 * scraper's credential); the comparison is over fixed-length digests, so timing reveals nothing.
 */
export function metricsHandler(metrics: BackendMetrics, tokenDigest: Buffer | null): RequestHandler {
  return (req, res, next) => {
    if (tokenDigest !== null && !bearerMatches(req.get('authorization'), tokenDigest)) {
      res
        .status(401)
        .set('www-authenticate', 'Bearer')
        .json({
          error: {
            code: 'UNAUTHENTICATED',
            message: 'A metrics token is required.',
            requestId: res.locals.requestId,
          },
        });
      return;
    }
    metrics
      .render()
      .then(({ contentType, body }) => {
        res.set('content-type', contentType).send(body);
      })
      .catch(next);
  };
}

/** sha256 of a token, for metricsHandler. */
export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function bearerMatches(header: string | undefined, digest: Buffer): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  return timingSafeEqual(digestToken(match[1]), digest);
}

/** Express middleware feeding observeHttp with the matched route-table path (unmatched: `unmatched`). */
export function httpMetrics(metrics: BackendMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeHttp(route, req.method, res.statusCode, seconds);
    });
    next();
  };
}
