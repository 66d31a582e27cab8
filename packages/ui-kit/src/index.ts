/**
 * Runtime code shared by the HubSpot UI folders (cards, pages, settings). Each folder depends on it
 * as `file:../../../packages/ui-kit`, and `hs project upload` copies it into the archive like
 * @pillars/contracts (docs/hubspot-project.md, "Shared code and packages").
 */
export type { BackendOrigin } from './config';
export { BACKEND_ORIGIN_VARIABLE, backendOriginFrom, misconfigured } from './config';
export type {
  BackendFailure,
  BackendFailureKind,
  ErrorDetails,
  FailureDetails,
  HubSpotFetch,
  RequestOptions,
} from './backend';
export {
  BACKEND_TIMEOUT_MS,
  BackendError,
  BackendUnreachableError,
  backendFailure,
  errorDetails,
  proxyError,
  readJson,
  requestJson,
} from './backend';
export { latestOnly } from './latest';
export { FALLBACK_LOCALE, resolveLocale } from './locale';
