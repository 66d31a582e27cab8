/**
 * Runs one logical HubSpot request: per attempt it takes a token, waits for the portal's throttle,
 * sends under a deadline, reports to the metrics hook, then validates the answer or decides (via
 * retry-policy.ts) whether to sleep and try again. Every failure leaves as an AppError with a
 * HUBSPOT_* code, its cause, and a log message naming the portal and endpoint.
 */
import type http from 'node:http';
import type { z } from 'zod';
import { AppError, toAppError } from '../core/errors.js';
import { classifyFailure, DeadlineExceededError, type Failure } from './failure.js';
import { singleHopAgent, type AgentSelector } from './http-agent.js';
import type { GatewayLogger } from './logger.js';
import { decideRetry, type Decision, type RetryPolicy } from './retry-policy.js';
import { sdkCallOptions, type AttemptProbe, type SdkCallOptions } from './sdk-call-options.js';
import { UNKNOWN_PORTAL_ID, type PortalThrottle, type RequestKind } from './throttle.js';

/** One HTTP attempt, as reported to the metrics hook. */
export interface HubSpotRequestEvent {
  /** Portal id, or 0 when the gateway does not know it yet. */
  portalId: number;
  /** Stable key such as `POST /crm/v3/objects/calls/search` (no ids, bounded cardinality). */
  endpoint: string;
  kind: RequestKind;
  /** HTTP status, or 0 when HubSpot never answered (timeout, network error). */
  status: number;
  /** Time on the wire, throttle wait excluded. */
  ms: number;
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
}

/** What `send` gets for one attempt. */
export interface AttemptContext {
  token: string;
  /** `_options` for a generated API call. */
  sdkOptions: SdkCallOptions;
  /** Agent selector for a raw request. */
  selectAgent: AgentSelector;
  /** Filled with the status/headers seen on the wire. */
  probe: AttemptProbe;
}

/** A logical request. */
export interface Operation<T> {
  endpoint: string;
  kind: RequestKind;
  /** Reads: true. Creates and updates: false (never repeated after HubSpot may have acted). */
  safeToRetry: boolean;
  send(attempt: AttemptContext): Promise<unknown>;
  schema: z.ZodType<T>;
}

export interface RequestRunnerDeps {
  portalId: number | undefined;
  throttle: PortalThrottle;
  policy: RetryPolicy;
  timeoutMs: number;
  agent: http.Agent;
  /** The only origin requests may go to. */
  origin: string;
  getToken: () => Promise<string>;
  logger: GatewayLogger;
  onRequest: ((e: HubSpotRequestEvent) => void) | undefined;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

type Settled = { ok: true; data: unknown } | { ok: false; error: unknown };

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceededError(ms)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function stringField(body: unknown, field: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function describeFailure(f: Failure): string {
  if (f.type === 'http') {
    // HubSpot's own words go to the log message only, never to the public one.
    const message = stringField(f.body, 'message');
    const correlationId = stringField(f.body, 'correlationId');
    return [
      `HTTP ${f.status}`,
      message ? `"${message.slice(0, 500)}"` : undefined,
      correlationId ? `correlationId ${correlationId}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
  }
  const cause = f.cause instanceof Error ? f.cause.message : String(f.cause);
  return `${f.type}: ${cause.slice(0, 300)}`;
}

/** Create the runner a gateway sends all its requests through. */
export function createRequestRunner(deps: RequestRunnerDeps): <T>(op: Operation<T>) => Promise<T> {
  const portalKey = deps.portalId ?? UNKNOWN_PORTAL_ID;
  const portalName = deps.portalId === undefined ? 'unknown portal' : `portal ${deps.portalId}`;

  function report(e: HubSpotRequestEvent): void {
    if (!deps.onRequest) return;
    try {
      deps.onRequest(e);
    } catch (err) {
      deps.logger.warn({ err }, 'HubSpot onRequest hook threw'); // metrics never break a request
    }
  }

  function fail(
    op: Operation<unknown>,
    attempt: number,
    decision: Extract<Decision, { action: 'fail' }>,
    f: Failure,
  ): AppError {
    const message = `HubSpot ${op.endpoint} for ${portalName} failed after ${attempt} attempt(s): ${decision.reason} (${describeFailure(f)})`;
    return new AppError(decision.code, message, {
      cause: f.cause,
      ...(decision.retryAfterSeconds !== undefined ? { retryAfterSeconds: decision.retryAfterSeconds } : {}),
    });
  }

  return async function run<T>(op: Operation<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let token: string;
      try {
        token = await deps.getToken();
      } catch (err) {
        throw toAppError(err); // the token provider speaks AppError (e.g. HUBSPOT_AUTH_EXPIRED)
      }
      const probe: AttemptProbe = {};
      const selectAgent = singleHopAgent(deps.agent, deps.origin);
      const ctx: AttemptContext = {
        token,
        probe,
        selectAgent,
        sdkOptions: sdkCallOptions(token, selectAgent, probe),
      };

      let settled: Settled;
      try {
        // The scheduled job never rejects, so a rejection here is the throttle's own failure.
        settled = await deps.throttle.schedule(portalKey, op.kind, async (): Promise<Settled> => {
          const started = performance.now();
          const result = await withDeadline(op.send(ctx), deps.timeoutMs).then(
            (data): Settled => ({ ok: true, data }),
            (error: unknown): Settled => ({ ok: false, error }),
          );
          const ms = Math.round(performance.now() - started);
          report({
            portalId: portalKey,
            endpoint: op.endpoint,
            kind: op.kind,
            status: probe.status ?? 0,
            ms,
            attempt,
          });
          return result;
        });
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError(
          'HUBSPOT_TEMPORARY',
          `HubSpot throttle failed for ${portalName} on ${op.endpoint}`,
          { cause: err },
        );
      }

      if (settled.ok) {
        const parsed = op.schema.safeParse(settled.data);
        if (parsed.success) return parsed.data;
        // Paths and messages only: values may be personal data.
        const issues = parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ');
        throw new AppError(
          'HUBSPOT_INVALID_RESPONSE',
          `HubSpot ${op.endpoint} for ${portalName} answered an unexpected shape: ${issues}`,
          {
            cause: parsed.error,
          },
        );
      }

      const failure = classifyFailure(settled.error, probe);
      const decision = decideRetry(
        failure,
        { attempt, kind: op.kind, safeToRetry: op.safeToRetry },
        deps.policy,
        deps.random,
      );
      if (decision.action === 'fail') throw fail(op, attempt, decision, failure);
      deps.logger.warn(
        {
          portalId: portalKey,
          endpoint: op.endpoint,
          attempt,
          status: probe.status ?? 0,
          delayMs: decision.delayMs,
          reason: decision.reason,
        },
        'HubSpot request will be retried',
      );
      await deps.sleep(decision.delayMs);
    }
  };
}
