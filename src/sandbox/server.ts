/**
 * The sandbox's HTTP front: reads the body (413 past 1 MB), routes, authenticates the bearer token
 * to a portal, applies the portal's rolling-window limits, then any fault rule, runs the handler
 * and answers with HubSpot's headers after the configured latency. Every answer is counted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { AppError } from '../core/errors.js';
import { defaultBodyForStatus, errorBody, HubSpotHttpError, rateLimitBody } from './hubspot-errors.js';
import {
  fallbackEndpoint,
  type RouteContext,
  type RouteResult,
  type Router,
  type SandboxEnv,
} from './http.js';
import type { Faults } from './faults.js';
import type { LimitDecision, RateLimiter } from './rate-limiter.js';
import type { StatsCollector } from './stats.js';

/** Largest request body accepted (HubSpot and hubspot.fetch cap bodies at 1 MB). */
export const MAX_BODY_BYTES = 1_000_000;

/** The body a `malformed` fault sends: JSON cut off mid-value. */
export const MALFORMED_BODY = '{"total":1,"results":[{"id":"1","properties":{"hs_timestamp":"2026-11-0';

/** What the HTTP front needs. */
export interface ServerDeps {
  router: Router;
  env: SandboxEnv;
  limiter: RateLimiter;
  faults: Faults;
  stats: StatsCollector;
  /** Extra delay before each answer (ms). */
  latency: () => number;
}

type BodyRead = { ok: true; body: Buffer } | { ok: false };

function readBody(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    // Read to the end even when too large, so the client is not cut off mid-upload.
    req.on('end', () => resolve(tooLarge ? { ok: false } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => resolve({ ok: false }));
  });
}

/** The node:http server of one sandbox. */
export class SandboxServer {
  private server: Server | undefined;
  private readonly timers = new Map<NodeJS.Timeout, () => void>();

  constructor(private readonly deps: ServerDeps) {}

  /** Listen; resolves with the bound base URL. */
  async listen(port: number, host: string): Promise<string> {
    if (this.server) throw new AppError('CONFLICT', 'sandbox: already started');
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch((e: unknown) => {
        // A bug in the sandbox must still answer, in HubSpot's shape.
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json;charset=utf-8' });
          res.end(JSON.stringify(errorBody('INTERNAL_ERROR', e instanceof Error ? e.message : String(e))));
        }
      });
    });
    server.keepAliveTimeout = 5_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const addr = server.address() as AddressInfo;
    const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    return `http://${h}:${addr.port}`;
  }

  /** Stop listening, cut held and kept-alive connections, release pending delays. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const [t, release] of this.timers) {
      clearTimeout(t);
      release();
    }
    this.timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** A delay that close() can cut short. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.set(t, resolve);
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { router, env, limiter, faults, stats } = this.deps;
    const at = env.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path =
      url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const read = await readBody(req);
    const match = router.match(method, path);
    const endpoint = typeof match === 'object' ? match.endpoint : fallbackEndpoint(method, path);

    const answer = async (
      result: RouteResult,
      portalId?: number,
      kind?: 'general' | 'search',
      decision?: LimitDecision,
      extraDelay = 0,
      raw?: string,
    ): Promise<void> => {
      await this.sleep(this.deps.latency() + extraDelay);
      stats.record({
        endpoint,
        status: result.status,
        portalId,
        ...(portalId !== undefined && kind ? { limited: { at, kind } } : {}),
      });
      this.write(res, result, kind === 'general' ? decision : undefined, raw);
    };

    if (!read.ok) {
      return answer({
        status: 413,
        body: errorBody('REQUEST_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES} bytes.`),
      });
    }
    if (match === undefined) {
      return answer({ status: 404, body: errorBody('OBJECT_NOT_FOUND', `No API at ${method} ${path}.`) });
    }
    if (match === 'methodMismatch') {
      return answer({
        status: 405,
        body: errorBody('METHOD_NOT_ALLOWED', `${method} is not supported on ${path}.`),
      });
    }
    const { route, params } = match;
    const ctx: RouteContext = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body: read.body,
      params,
      origin: `http://${req.headers.host ?? 'localhost'}`,
    };

    let portalId: number | undefined;
    let decision: LimitDecision | undefined;
    const kind = route.kind;
    if (route.auth === 'bearer') {
      try {
        ctx.identity = env.oauth.resolveBearer(req.headers.authorization);
      } catch (e) {
        if (e instanceof HubSpotHttpError)
          return answer({ status: e.status, body: e.body, headers: e.headers });
        throw e;
      }
      portalId = ctx.identity.portalId;
      ctx.portal = env.portals.get(portalId);
      decision = limiter.check(portalId, kind, at);
      if (decision && !decision.allowed) {
        return answer(
          { status: 429, body: rateLimitBody(kind, decision.limit.max, decision.limit.windowMs) },
          portalId,
          kind,
          decision,
        );
      }
    }

    const run = (): RouteResult => {
      try {
        return route.handler(ctx, env);
      } catch (e) {
        if (e instanceof HubSpotHttpError) return { status: e.status, body: e.body, headers: e.headers };
        return { status: 500, body: errorBody('INTERNAL_ERROR', e instanceof Error ? e.message : String(e)) };
      }
    };
    const limitedKind = portalId === undefined ? undefined : kind;
    const fault = faults.pick(method, path, portalId);
    if (!fault) return answer(run(), portalId, limitedKind, decision);
    switch (fault.kind) {
      case 'status':
        return answer(
          {
            status: fault.status,
            body: fault.body ?? defaultBodyForStatus(fault.status, kind),
            headers: fault.headers ?? {},
          },
          portalId,
          limitedKind,
          decision,
        );
      case 'commit-then-fail':
        run();
        return answer(
          {
            status: fault.status,
            body: fault.body ?? defaultBodyForStatus(fault.status, kind),
            headers: fault.headers ?? {},
          },
          portalId,
          limitedKind,
          decision,
        );
      case 'shape':
        return answer({ status: 200, body: fault.body }, portalId, limitedKind, decision);
      case 'malformed':
        return answer({ status: 200 }, portalId, limitedKind, decision, 0, MALFORMED_BODY);
      case 'latency':
        return answer(run(), portalId, limitedKind, decision, fault.ms);
      case 'timeout':
        // Hold the request open, then drop the connection without an answer.
        stats.record({
          endpoint,
          status: 0,
          portalId,
          ...(limitedKind ? { limited: { at, kind: limitedKind } } : {}),
        });
        await this.sleep(fault.ms);
        req.socket.destroy();
        return;
    }
  }

  private write(
    res: ServerResponse,
    result: RouteResult,
    decision: LimitDecision | undefined,
    raw?: string,
  ): void {
    if (res.destroyed) return;
    const headers: Record<string, string> = { 'X-HubSpot-Correlation-Id': randomUUID() };
    if (decision) {
      headers['X-HubSpot-RateLimit-Max'] = String(decision.limit.max);
      headers['X-HubSpot-RateLimit-Remaining'] = String(decision.remaining);
      headers['X-HubSpot-RateLimit-Interval-Milliseconds'] = String(decision.limit.windowMs);
    }
    let payload: string | undefined = raw;
    if (payload === undefined && result.body !== undefined && result.status !== 204)
      payload = JSON.stringify(result.body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json;charset=utf-8';
    Object.assign(headers, result.headers);
    res.writeHead(result.status, headers);
    res.end(payload);
  }
}
