/** The retry decisions as a pure function: what is retried, how long we wait, what code we give up with. */
import fc from 'fast-check';
import type { Failure } from '../failure.js';
import { classifyFailure, DeadlineExceededError } from '../failure.js';
import { RedirectRefusedError } from '../http-agent.js';
import { HttpStatusError } from '../raw-get.js';
import { decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter, type AttemptInfo } from '../retry-policy.js';

const policy = DEFAULT_RETRY_POLICY;
const read: AttemptInfo = { attempt: 1, kind: 'general', safeToRetry: true };
const write: AttemptInfo = { attempt: 1, kind: 'general', safeToRetry: false };
const mid = () => 0.5;

function http(status: number, body: unknown = {}, headers: Record<string, string> = {}): Failure {
  return { type: 'http', status, headers, body, cause: new Error(`HTTP ${status}`) };
}

describe('decideRetry', () => {
  it.each([
    [400, 'HUBSPOT_BAD_REQUEST'],
    [401, 'HUBSPOT_AUTH_EXPIRED'],
    [403, 'HUBSPOT_MISSING_SCOPE'],
    [404, 'HUBSPOT_NOT_FOUND'],
    [405, 'HUBSPOT_BAD_REQUEST'],
    [409, 'HUBSPOT_BAD_REQUEST'],
  ] as const)('%i fails at once with %s', (status, code) => {
    expect(decideRetry(http(status), read, policy, mid)).toMatchObject({ action: 'fail', code });
  });

  it('retries 5xx reads with exponential, jittered backoff, capped', () => {
    const delays = [1, 2, 3, 4].map((attempt) => {
      const d = decideRetry(http(500), { ...read, attempt }, { ...policy, maxAttempts: 10 }, mid);
      return d.action === 'retry' ? d.delayMs : -1;
    });
    expect(delays).toEqual([375, 750, 1500, 3000]);
    const capped = decideRetry(
      http(500),
      { ...read, attempt: 9 },
      { ...policy, maxAttempts: 10 },
      () => 0.999,
    );
    expect(capped.action === 'retry' && capped.delayMs).toBeLessThanOrEqual(policy.maxBackoffMs);
  });

  it('jitter keeps every backoff within (step/2, step]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 0.9999, noNaN: true }),
        (attempt, r) => {
          const d = decideRetry({ type: 'timeout', cause: null }, { ...read, attempt }, policy, () => r);
          const step = Math.min(policy.maxBackoffMs, policy.baseDelayMs * 2 ** (attempt - 1));
          return d.action === 'retry' && d.delayMs >= step / 2 && d.delayMs <= step;
        },
      ),
    );
  });

  it('gives up after maxAttempts with HUBSPOT_TEMPORARY', () => {
    expect(decideRetry(http(503), { ...read, attempt: 5 }, policy, mid)).toMatchObject({
      action: 'fail',
      code: 'HUBSPOT_TEMPORARY',
    });
  });

  it('never retries a write after a 5xx, a timeout or a network error once sent', () => {
    for (const f of [
      http(502),
      { type: 'timeout', cause: null },
      { type: 'network', sent: true, cause: null },
    ] satisfies Failure[]) {
      expect(decideRetry(f, write, policy, mid)).toMatchObject({ action: 'fail', code: 'HUBSPOT_TEMPORARY' });
    }
  });

  it('retries a write when HubSpot refused before acting (429, 423) or nothing was sent', () => {
    expect(decideRetry(http(429, { policyName: 'TEN_SECONDLY_ROLLING' }), write, policy, mid).action).toBe(
      'retry',
    );
    expect(decideRetry(http(423), write, policy, mid).action).toBe('retry');
    expect(decideRetry({ type: 'network', sent: false, cause: null }, write, policy, mid).action).toBe(
      'retry',
    );
  });

  it('waits the 10 s window on TEN_SECONDLY_ROLLING, never less', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.9999, noNaN: true }), (r) => {
        const d = decideRetry(http(429, { policyName: 'TEN_SECONDLY_ROLLING' }), read, policy, () => r);
        return d.action === 'retry' && d.delayMs >= 10_000 && d.delayMs <= 12_000;
      }),
    );
  });

  it('honours Retry-After (seconds or a date)', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const secs = decideRetry(http(429, {}, { 'retry-after': '4' }), read, policy, () => 0, now);
    expect(secs).toMatchObject({ action: 'retry', delayMs: 4_000 });
    const date = decideRetry(
      http(429, {}, { 'retry-after': 'Thu, 01 Jan 2026 00:00:07 GMT' }),
      read,
      policy,
      () => 0,
      now,
    );
    expect(date).toMatchObject({ action: 'retry', delayMs: 7_000 });
  });

  it('waits about a second on the search (SECONDLY) limit', () => {
    const byKind = decideRetry(http(429, {}), { ...read, kind: 'search' }, policy, () => 0);
    const byMessage = decideRetry(
      http(429, { message: 'You have reached your secondly limit.' }),
      read,
      policy,
      () => 0,
    );
    const byPolicy = decideRetry(http(429, { policyName: 'SECONDLY' }), read, policy, () => 0);
    for (const d of [byKind, byMessage, byPolicy])
      expect(d).toMatchObject({ action: 'retry', delayMs: 1_000 });
  });

  it('never retries DAILY; reports when to come back', () => {
    expect(decideRetry(http(429, { policyName: 'DAILY' }), read, policy, mid)).toEqual({
      action: 'fail',
      code: 'HUBSPOT_RATE_LIMITED',
      reason: 'DAILY limit reached',
      retryAfterSeconds: policy.dailyRetryAfterSeconds,
    });
    expect(
      decideRetry(http(429, { policyName: 'DAILY' }, { 'retry-after': '600' }), read, policy, mid),
    ).toMatchObject({
      retryAfterSeconds: 600,
    });
  });

  it('hands any wait above the 60 s cap back to the caller (477, long Retry-After)', () => {
    expect(decideRetry(http(477, {}, { 'retry-after': '3600' }), read, policy, () => 0)).toMatchObject({
      action: 'fail',
      code: 'HUBSPOT_RATE_LIMITED',
      retryAfterSeconds: 3600,
    });
    expect(decideRetry(http(429, {}, { 'retry-after': '61' }), read, policy, () => 0)).toMatchObject({
      action: 'fail',
      code: 'HUBSPOT_RATE_LIMITED',
    });
    expect(decideRetry(http(477, {}, { 'retry-after': '5' }), read, policy, () => 0)).toMatchObject({
      action: 'retry',
      delayMs: 5_000,
    });
  });

  it('waits at least 2 s after a 423', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.9999, noNaN: true }), (r) => {
        const d = decideRetry(http(423), read, policy, () => r);
        return d.action === 'retry' && d.delayMs >= 2_000;
      }),
    );
  });

  it('refuses redirects and unreadable bodies without retrying; unknown errors are bugs', () => {
    expect(decideRetry({ type: 'redirect', cause: null }, read, policy, mid)).toMatchObject({
      code: 'HUBSPOT_INVALID_RESPONSE',
    });
    expect(decideRetry({ type: 'invalid', status: 200, cause: null }, read, policy, mid)).toMatchObject({
      code: 'HUBSPOT_INVALID_RESPONSE',
    });
    expect(decideRetry({ type: 'unknown', cause: null }, read, policy, mid)).toMatchObject({
      code: 'INTERNAL',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('10', 0)).toBe(10_000);
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1_000)).toBe(4_000);
  });
});

describe('classifyFailure', () => {
  it('sorts what the transport throws', () => {
    expect(classifyFailure(new HttpStatusError(502, 'x', { 'Retry-After': '3' }), {})).toMatchObject({
      type: 'http',
      status: 502,
      headers: { 'retry-after': '3' },
    });
    expect(classifyFailure(new DeadlineExceededError(5), {}).type).toBe('timeout');
    expect(classifyFailure(new RedirectRefusedError('evil.example'), {}).type).toBe('redirect');
    const fetchError = (code: string) =>
      Object.assign(new Error('x'), { name: 'FetchError', type: 'system', code });
    expect(classifyFailure(fetchError('ECONNREFUSED'), {})).toMatchObject({ type: 'network', sent: false });
    expect(classifyFailure(fetchError('ECONNRESET'), {})).toMatchObject({ type: 'network', sent: true });
    const requestTimeout = Object.assign(new Error('x'), { name: 'FetchError', type: 'request-timeout' });
    expect(classifyFailure(requestTimeout, {}).type).toBe('timeout');
    // the SDK read the status, then failed on the body
    expect(classifyFailure(new SyntaxError('Unexpected token'), { status: 200 }).type).toBe('invalid');
    expect(classifyFailure(new Error('Cannot parse content'), { status: 502, headers: {} })).toMatchObject({
      type: 'http',
      status: 502,
    });
    expect(classifyFailure(new TypeError('boom'), {}).type).toBe('unknown');
  });
});
