/**
 * The sandbox: a local HubSpot serving portal fixtures through HubSpot's paths, shapes, limits and
 * errors, with fault injection and request stats for tests and benchmarks.
 */
export { createSandbox } from './sandbox.js';
export type {
  FaultHandle,
  FaultInjector,
  FaultKind,
  FaultMatch,
  FaultRule,
  RateLimitWindow,
  RequestCounters,
  RequestLogEntry,
  Sandbox,
  SandboxAssociation,
  SandboxLimits,
  SandboxOAuthClient,
  SandboxOptions,
  SandboxPortalState,
  SandboxRecord,
  SandboxStats,
} from './types.js';
export { SANDBOX_OAUTH_CLIENT, ACCESS_TOKEN_TTL_MS, AUTH_CODE_TTL_MS } from './oauth.js';
export { DEFAULT_LIMITS } from './rate-limiter.js';
export { SEARCH_LIMITS } from './search-engine.js';
export { DEFAULT_CALL_DISPOSITIONS, DEFAULT_DEAL_PIPELINE } from './portal-state.js';
export { parseInstant, propertyKind } from './properties.js';
export {
  loadPortalFixture,
  parsePortalFixture,
  portalFixtureSchema,
  type PortalFixture,
  type PortalFixtureInput,
} from './fixture.js';
