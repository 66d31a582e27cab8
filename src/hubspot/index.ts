/** The public face of src/hubspot: the gateway port, its implementation, throttles and metrics. */
export type * from './gateway.js';
export { createHubSpotGateway, DEFAULT_TIMEOUT_MS, HUBSPOT_BASE_PATH } from './hubspot-gateway.js';
export type { HubSpotGatewayOptions } from './hubspot-gateway.js';
export { createHubSpotAgent } from './http-agent.js';
export type { HubSpotAgentOptions } from './http-agent.js';
export type { GatewayLogger } from './logger.js';
export type { HubSpotRequestEvent } from './request-runner.js';
export { createRequestCounter } from './request-counter.js';
export type { HubSpotRequestCount, HubSpotRequestCounter } from './request-counter.js';
export { DEFAULT_RETRY_POLICY } from './retry-policy.js';
export type { RetryPolicy } from './retry-policy.js';
export { DEFAULT_THROTTLE_LIMITS, UNKNOWN_PORTAL_ID } from './throttle.js';
export type {
  LimiterSettings,
  PortalThrottle,
  RequestKind,
  ThrottleLimits,
  ThrottleLimitsInput,
} from './throttle.js';
export { createInProcessThrottle } from './in-process-throttle.js';
export type { InProcessThrottleOptions } from './in-process-throttle.js';
export { createRedisThrottle } from './redis-throttle.js';
export type { RedisThrottleOptions } from './redis-throttle.js';
