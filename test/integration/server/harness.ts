/**
 * A fresh backend per test: real createApp with a fake activityMetrics function, a fake context
 * factory, a fixed clock, and a logger whose every line is captured. Requests are signed with the
 * independent test signer.
 */
import type { Writable } from 'node:stream';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ActivityMetricsInput, Metrics, MetricsReport } from '@pillars/contracts';
import { ZERO_METRICS } from '@pillars/contracts';
import { AppError } from '../../../src/core/errors.js';
import type { FunctionContext, FunctionLogger } from '../../../src/functions/context.js';
import type { HubSpotGateway } from '../../../src/hubspot/gateway.js';
import { createApp } from '../../../src/server/app.js';
import type { AppDeps } from '../../../src/server/app.js';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import type { SignedIdentity } from '../../../src/server/request-context.js';
import { signRequest } from '../../support/signer.js';
import type { SignedHeaders } from '../../support/signer.js';

export const SECRET = 'canary-client-secret-7f3a9c21e5b8';
export const ORIGIN = 'https://pillars.example.com';
export const NOW = 1_710_000_000_000;
export const KNOWN_PORTAL = 62515;
export const UNKNOWN_PORTAL = 99999;

const zero: Metrics = { ...ZERO_METRICS };

/** A small, valid report for a portal. */
export function sampleReport(portalId: number): MetricsReport {
  return {
    portalId,
    timeZone: 'Europe/Paris',
    period: {
      from: '2024-03-04',
      to: '2024-03-11',
      startUtc: '2024-03-03T23:00:00Z',
      endUtc: '2024-03-10T23:00:00Z',
    },
    reps: [],
    teams: [],
    unassigned: { ...zero, dials: 3 },
    skipped: 0,
  };
}

/** A gateway that fails loudly if a route reaches HubSpot: these tests never should. */
const unusedGateway = new Proxy(
  {},
  {
    get: (_target, name) => () =>
      Promise.reject(new Error(`gateway.${String(name)} called in a server test`)),
  },
) as HubSpotGateway;

export interface FunctionCall {
  input: ActivityMetricsInput;
  ctx: FunctionContext;
}

export interface Harness {
  app: ReturnType<typeof createApp>;
  /** Every log line written, raw. */
  lines: string[];
  /** Calls that reached the activityMetrics function. */
  calls: FunctionCall[];
  /** Identities contextFor was asked for. */
  lookups: SignedIdentity[];
  /** Clock the app reads (ms). */
  clock: { now: number };
  /** Signature headers for a request to ORIGIN + target. */
  sign: (
    method: string,
    target: string,
    body?: string,
    options?: { timestamp?: number; secret?: string; url?: string },
  ) => SignedHeaders;
}

export interface HarnessOptions {
  activityMetrics?: AppDeps['functions']['activityMetrics'];
  readiness?: AppDeps['readiness'];
  env?: Record<string, string>;
}

/** Build a fresh app for one test. */
export function createHarness(options: HarnessOptions = {}): Harness {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) } as unknown as Writable;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    HUBSPOT_CLIENT_SECRET: SECRET,
    PUBLIC_ORIGIN: ORIGIN,
    HUBSPOT_ACCESS_TOKEN: 'pat-na1-canary-token-0000-1111-2222',
    ...options.env,
  });
  const logger = createLogger(config, destination);
  const clock = { now: NOW };
  const calls: FunctionCall[] = [];
  const lookups: SignedIdentity[] = [];

  const contextFor = async (
    identity: SignedIdentity,
    requestLogger: FunctionLogger,
  ): Promise<FunctionContext> => {
    lookups.push(identity);
    if (identity.portalId === UNKNOWN_PORTAL)
      throw new AppError('NOT_FOUND', `portal ${identity.portalId} not installed`);
    return {
      portalId: identity.portalId,
      ...(identity.userId === null ? {} : { userId: identity.userId }),
      hubspot: unusedGateway,
      now: () => new Date(clock.now),
      logger: requestLogger,
    };
  };
  const activityMetrics =
    options.activityMetrics ??
    (async (_input: ActivityMetricsInput, ctx: FunctionContext): Promise<MetricsReport> =>
      sampleReport(ctx.portalId));

  const app = createApp({
    config,
    logger,
    functions: {
      activityMetrics: async (input, ctx) => {
        calls.push({ input, ctx });
        return activityMetrics(input, ctx);
      },
    },
    contextFor,
    readiness: options.readiness ?? [],
    now: () => clock.now,
  });

  return {
    app,
    lines,
    calls,
    lookups,
    clock,
    sign: (method, target, body = '', signOptions = {}) =>
      signRequest({
        method,
        url: signOptions.url ?? `${ORIGIN}${target}`,
        body,
        secret: signOptions.secret ?? SECRET,
        timestamp: signOptions.timestamp ?? clock.now,
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Send a request with the target exactly as given (no client-side re-encoding), over loopback.
 * Used where the bytes of the URL matter (percent-encodings, duplicated params).
 */
export async function rawRequest(
  app: Harness['app'],
  request: {
    method: string;
    target: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Send the body with Transfer-Encoding: chunked (no Content-Length up front). */
    chunked?: boolean;
  },
): Promise<RawResponse> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<RawResponse>((resolve, reject) => {
      const headers: Record<string, string> = { ...request.headers };
      // Node sends a GET body with no framing unless told its length.
      if (request.chunked) headers['transfer-encoding'] = 'chunked';
      else if (request.body !== undefined)
        headers['content-length'] = String(Buffer.byteLength(request.body));
      const req = httpRequest(
        { host: '127.0.0.1', port, method: request.method, path: request.target, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(request.body);
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
