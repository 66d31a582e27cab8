/** Shared test fixtures for the gateway's unit tests (not a test file itself). */
import nock from 'nock';
import { createHubSpotGateway, type HubSpotGatewayOptions } from '../hubspot-gateway.js';
import type { HubSpotRequestEvent } from '../request-runner.js';
import type { PortalThrottle, RequestKind } from '../throttle.js';

/**
 * The mocked HubSpot origin. Loopback on a port nothing listens on: nock answers before any
 * connection, and interceptor layers other test files left behind let loopback through to ours.
 */
export const BASE = 'http://127.0.0.1:1';

/** A throttle that runs everything at once and remembers what it was asked to schedule. */
export function recordingThrottle(): PortalThrottle & { calls: { portalId: number; kind: RequestKind }[] } {
  const calls: { portalId: number; kind: RequestKind }[] = [];
  return {
    calls,
    schedule(portalId, kind, fn) {
      calls.push({ portalId, kind });
      return fn();
    },
    close: () => Promise.resolve(),
  };
}

export interface TestGateway {
  gateway: ReturnType<typeof createHubSpotGateway>;
  sleeps: number[];
  events: HubSpotRequestEvent[];
  throttle: ReturnType<typeof recordingThrottle>;
}

/** A gateway for portal 42 with instant, recorded sleeps and recorded request events. */
export function testGateway(overrides: Partial<HubSpotGatewayOptions> = {}): TestGateway {
  const sleeps: number[] = [];
  const events: HubSpotRequestEvent[] = [];
  const throttle = recordingThrottle();
  const gateway = createHubSpotGateway({
    portalId: 42,
    accessToken: 'token-42',
    basePath: BASE,
    throttle,
    timeoutMs: 2_000,
    random: () => 0.5,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    onRequest: (e) => events.push(e),
    ...overrides,
  });
  return { gateway, sleeps, events, throttle };
}

/** A HubSpot-shaped owner. */
export function ownerJson(
  id: string,
  userId: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    userId,
    email: `rep${id}@example.com`,
    firstName: 'Rep',
    lastName: id,
    archived: false,
    type: 'PERSON',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    teams: [{ id: 't1', name: 'East', primary: true }],
    ...extra,
  };
}

/** A HubSpot-shaped CRM object. */
export function objectJson(
  id: string,
  properties: Record<string, string | null> = {},
): Record<string, unknown> {
  return {
    id,
    properties: { hs_object_id: id, ...properties },
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-02T00:00:00.000Z',
    archived: false,
  };
}

/** HubSpot's 429 body. */
export function rateLimitBody(policyName: string): Record<string, unknown> {
  return {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: 'c0ffee',
    policyName,
  };
}

/**
 * Unhook this file's nock when the file is done. Why: nock 14's @mswjs/interceptors patch the
 * process-wide `http`/`https` modules, and jest loads nock afresh in every test file, so a file that
 * never restores leaves a layer whose stale nock (no interceptors, net connect disabled) answers
 * "Disallowed net connect" to any later file's requests for a non-loopback host. Our mocks live on a
 * loopback origin (BASE), which stale layers let through, and we unhook our own layer at the end.
 */
export function restoreNockAfterAll(): void {
  afterAll(() => {
    nock.cleanAll();
    nock.restore();
  });
}

/** Fail the test if an interceptor was left unused, then reset nock. */
export function expectNockDone(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
}
