/**
 * What went wrong in one attempt, sorted from whatever the SDK, node-fetch or our transport threw.
 * The retry policy decides on this, never on raw errors.
 */
import { RedirectRefusedError } from './http-agent.js';
import type { AttemptProbe } from './sdk-call-options.js';

/** One failed attempt. */
export type Failure =
  /** HubSpot answered with a non-2xx status. */
  | { type: 'http'; status: number; headers: Record<string, string>; body: unknown; cause: unknown }
  /** No complete answer in time (our deadline). */
  | { type: 'timeout'; cause: unknown }
  /** The connection failed. `sent: false` when no byte of the request can have reached HubSpot. */
  | { type: 'network'; sent: boolean; cause: unknown }
  /** HubSpot redirected us, or the request would have left the configured origin. */
  | { type: 'redirect'; status?: number; cause: unknown }
  /** A 2xx whose body could not be read as the expected JSON. */
  | { type: 'invalid'; status: number; cause: unknown }
  /** Something we cannot explain (a bug, most likely). */
  | { type: 'unknown'; cause: unknown };

/** Our own deadline on one attempt passed. */
export class DeadlineExceededError extends Error {
  constructor(ms: number) {
    super(`HubSpot did not answer within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

// Connection-setup failures: the request was never written, so even a create may be retried.
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface StatusErrorLike {
  code: number;
  body: unknown;
  headers: unknown;
}

function isStatusError(e: unknown): e is StatusErrorLike {
  // ApiException (SDK) and HttpStatusError (raw-get.ts) share this shape.
  return e instanceof Error && typeof (e as Partial<StatusErrorLike>).code === 'number' && 'headers' in e;
}

function headerRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return out;
}

function errorCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Sort an attempt's error. `probe` holds the status/headers seen on the wire, if any. */
export function classifyFailure(err: unknown, probe: AttemptProbe): Failure {
  if (err instanceof RedirectRefusedError) return { type: 'redirect', cause: err };
  if (err instanceof DeadlineExceededError) return { type: 'timeout', cause: err };
  if (isStatusError(err)) {
    if (err.code >= 300 && err.code < 400) return { type: 'redirect', status: err.code, cause: err };
    return { type: 'http', status: err.code, headers: headerRecord(err.headers), body: err.body, cause: err };
  }
  if (err instanceof Error && err.name === 'FetchError') {
    const code = errorCode(err);
    const fetchType = (err as { type?: unknown }).type;
    // node-fetch's own timeouts (we set none, but a shared agent's caller might)
    if (fetchType === 'request-timeout' || fetchType === 'body-timeout')
      return { type: 'timeout', cause: err };
    if (fetchType === 'max-redirect' || fetchType === 'no-redirect') return { type: 'redirect', cause: err };
    return { type: 'network', sent: !(code !== undefined && NOT_SENT_CODES.has(code)), cause: err };
  }
  // The SDK read the status, then choked on the body (non-JSON, no content-type, wrong shape).
  if (probe.status !== undefined) {
    if (probe.status >= 200 && probe.status < 300)
      return { type: 'invalid', status: probe.status, cause: err };
    if (probe.status >= 300 && probe.status < 400)
      return { type: 'redirect', status: probe.status, cause: err };
    return {
      type: 'http',
      status: probe.status,
      headers: headerRecord(probe.headers),
      body: undefined,
      cause: err,
    };
  }
  return { type: 'unknown', cause: err };
}

/** The HTTP status a failure carries, or 0 when HubSpot never answered. */
export function failureStatus(f: Failure): number {
  return f.type === 'http' || f.type === 'invalid' ? f.status : f.type === 'redirect' ? (f.status ?? 0) : 0;
}
