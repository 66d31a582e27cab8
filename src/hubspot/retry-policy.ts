/**
 * Our retry policy (the SDK's decorators are never used: they are process-wide). A pure function
 * of the failure, the attempt number and what the request is: retry after a delay, or give up with
 * a closed error code. Backoff numbers follow the SDK's RetryDecorator, with jitter added.
 */
import type { ErrorCode } from '../core/errors.js';
import type { Failure } from './failure.js';
import type { RequestKind } from './throttle.js';

/** How hard to try. Every delay is injectable so tests run fast. */
export interface RetryPolicy {
  /** Attempts in total, first one included (default 5). */
  maxAttempts: number;
  /** Exponential backoff base for 5xx, timeouts and network errors (default 500 ms). */
  baseDelayMs: number;
  /** Cap of one exponential backoff step (default 8 s). */
  maxBackoffMs: number;
  /** Wait after a TEN_SECONDLY_ROLLING 429 with no Retry-After: HubSpot's window (default 10 s). */
  tenSecondlyMs: number;
  /** Wait after a search (SECONDLY) 429 with no Retry-After (default 1 s). */
  secondlyMs: number;
  /** Minimum wait after a 423 Locked (default 2 s). */
  lockedMs: number;
  /** Longest in-process sleep; a longer Retry-After is handed to the caller instead (default 60 s). */
  maxSleepMs: number;
  /** retryAfterSeconds reported for a DAILY 429 that carries no Retry-After (default 3,600). */
  dailyRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxBackoffMs: 8_000,
  tenSecondlyMs: 10_000,
  secondlyMs: 1_000,
  lockedMs: 2_000,
  maxSleepMs: 60_000,
  dailyRetryAfterSeconds: 3_600,
});

/** What is being attempted. */
export interface AttemptInfo {
  /** 1-based. */
  attempt: number;
  kind: RequestKind;
  /** Reads (GET, search, batch reads) may be repeated; creates and updates may not. */
  safeToRetry: boolean;
}

export type Decision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'fail'; code: ErrorCode; reason: string; retryAfterSeconds?: number };

const SECONDLY_MESSAGE = 'You have reached your secondly limit.';

/** Seconds or an HTTP date, as milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function bodyField(body: unknown, field: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function backoff(policy: RetryPolicy, attempt: number, random: () => number): number {
  const step = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2); // "equal jitter": never zero, never above the step
}

/** Decide what to do after a failed attempt. `random` in [0, 1) drives jitter. */
export function decideRetry(
  failure: Failure,
  info: AttemptInfo,
  policy: RetryPolicy,
  random: () => number,
  now: number = Date.now(),
): Decision {
  const lastAttempt = info.attempt >= policy.maxAttempts;
  const transient = (reason: string, floorMs = 0): Decision => {
    if (!info.safeToRetry) {
      return {
        action: 'fail',
        code: 'HUBSPOT_TEMPORARY',
        reason: `${reason}; not retried (a write HubSpot may have applied)`,
      };
    }
    if (lastAttempt)
      return { action: 'fail', code: 'HUBSPOT_TEMPORARY', reason: `${reason}; retries exhausted` };
    const delayMs = Math.min(policy.maxSleepMs, Math.max(floorMs, backoff(policy, info.attempt, random)));
    return { action: 'retry', delayMs, reason };
  };
  // HubSpot refused before acting (429, 423, 477): retrying is safe for writes too. `baseMs` is
  // what HubSpot asked for (reported as is); the sleep adds upward jitter, since retrying before the
  // window has rolled just earns another refusal.
  const refused = (reason: string, baseMs: number, spread: number, code: ErrorCode): Decision => {
    const retryAfterSeconds = Math.ceil(baseMs / 1000);
    if (baseMs > policy.maxSleepMs) {
      return {
        action: 'fail',
        code,
        reason: `${reason}; wait of ${baseMs} ms is over the in-process cap`,
        retryAfterSeconds,
      };
    }
    if (lastAttempt)
      return { action: 'fail', code, reason: `${reason}; retries exhausted`, retryAfterSeconds };
    const delayMs = Math.min(policy.maxSleepMs, Math.round(baseMs * (1 + spread * random())));
    return { action: 'retry', delayMs, reason };
  };

  switch (failure.type) {
    case 'timeout':
      return transient('timed out');
    case 'network':
      if (!failure.sent) {
        return lastAttempt
          ? { action: 'fail', code: 'HUBSPOT_TEMPORARY', reason: 'could not connect; retries exhausted' }
          : { action: 'retry', delayMs: backoff(policy, info.attempt, random), reason: 'could not connect' };
      }
      return transient('network error');
    case 'redirect':
      return { action: 'fail', code: 'HUBSPOT_INVALID_RESPONSE', reason: 'redirect refused' };
    case 'invalid':
      return { action: 'fail', code: 'HUBSPOT_INVALID_RESPONSE', reason: 'unreadable 2xx body' };
    case 'unknown':
      return { action: 'fail', code: 'INTERNAL', reason: 'unexpected error' };
    case 'http':
      break;
  }

  const { status, headers, body } = failure;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);

  if (status === 429) {
    const policyName = bodyField(body, 'policyName');
    if (policyName === 'DAILY') {
      return {
        action: 'fail',
        code: 'HUBSPOT_RATE_LIMITED',
        reason: 'DAILY limit reached',
        retryAfterSeconds:
          retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : policy.dailyRetryAfterSeconds,
      };
    }
    const secondly =
      info.kind === 'search' || policyName === 'SECONDLY' || bodyField(body, 'message') === SECONDLY_MESSAGE;
    const reason = `${policyName ?? (secondly ? 'SECONDLY' : 'unnamed')} rate limit`;
    if (retryAfterMs !== undefined) return refused(reason, retryAfterMs, 0.1, 'HUBSPOT_RATE_LIMITED');
    return refused(reason, secondly ? policy.secondlyMs : policy.tenSecondlyMs, 0.2, 'HUBSPOT_RATE_LIMITED');
  }
  if (status === 477) {
    // "Migration in progress": HubSpot asks us to come back after Retry-After.
    return refused(
      'portal migration in progress',
      retryAfterMs ?? policy.tenSecondlyMs,
      0.1,
      'HUBSPOT_RATE_LIMITED',
    );
  }
  if (status === 423) {
    return refused('locked', Math.max(policy.lockedMs, retryAfterMs ?? 0), 0.5, 'HUBSPOT_TEMPORARY');
  }
  if (status >= 500) return transient('server error', retryAfterMs);
  if (status === 401)
    return { action: 'fail', code: 'HUBSPOT_AUTH_EXPIRED', reason: 'token expired or revoked' };
  if (status === 403)
    return { action: 'fail', code: 'HUBSPOT_MISSING_SCOPE', reason: 'missing scope or tier' };
  if (status === 404) return { action: 'fail', code: 'HUBSPOT_NOT_FOUND', reason: 'not found' };
  if (status >= 400) return { action: 'fail', code: 'HUBSPOT_BAD_REQUEST', reason: 'request refused' };
  return { action: 'fail', code: 'HUBSPOT_INVALID_RESPONSE', reason: 'unexpected status' };
}
