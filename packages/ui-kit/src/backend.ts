/**
 * The core of every UI folder's backend client: one request through `hubspot.fetch` (HubSpot signs
 * it and checks the origin against `permittedUrls.fetch`) with an explicit timeout, HubSpot's proxy
 * envelope unwrapped, and one error model: BackendError when the backend answered with an error
 * status, BackendUnreachableError when it did not answer. The folders keep their routes and the
 * structural checks of what they render (a thin module each: paths, guards, their own "invalid
 * answer" error).
 *
 * Only type imports from third-party packages here: the folder that bundles this package resolves
 * runtime imports, and `hubspot.fetch` is looked up by the folder's wrapper (it only exists inside
 * HubSpot's worker) and passed in, which also keeps tests away from the worker global.
 */
import type { FetchHttpMethod, HubSpotFetchOptions } from '@hubspot/ui-extensions';

/** The part of `hubspot.fetch` we use; injectable so tests never touch the worker global. */
export type HubSpotFetch = (url: string, options?: HubSpotFetchOptions) => Promise<Response>;

/** HubSpot's documented default and the limit we design for (reference §3.2). */
export const BACKEND_TIMEOUT_MS = 15_000;

/** The backend answered with an error status (directly, or wrapped by HubSpot's proxy). */
export class BackendError extends Error {
  readonly status: number;
  /** The backend's error code (src/core/errors.ts), when it sent one. */
  readonly code: string | undefined;
  /** The backend's user-safe message, when it sent one. */
  readonly publicMessage: string | undefined;
  /** The backend's request id, to quote to support. */
  readonly requestId: string | undefined;
  /** The input field a 400 names (`error.details.field`), when it named one. */
  readonly field: string | undefined;

  constructor(
    status: number,
    code: string | undefined,
    publicMessage: string | undefined,
    requestId?: string | undefined,
    field?: string | undefined,
  ) {
    super(`backend answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'BackendError';
    this.status = status;
    this.code = code;
    this.publicMessage = publicMessage;
    this.requestId = requestId;
    this.field = field;
  }
}

/** No answer: network failure, or no response within the timeout. */
export class BackendUnreachableError extends Error {
  constructor(cause: unknown) {
    super('the backend did not answer', { cause });
    this.name = 'BackendUnreachableError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/** The body as JSON, or undefined when it is not JSON (a proxy page, an empty 502). */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

export interface ErrorDetails {
  code?: string;
  message?: string;
  requestId?: string;
  field?: string;
}

/**
 * Our backend's error body: `{ error: { code, message, requestId, details: { field } } }` (or the
 * same fields at the top level), also when HubSpot's proxy hands it over as a JSON string.
 */
export function errorDetails(body: unknown): ErrorDetails {
  if (typeof body === 'string') {
    try {
      return errorDetails(JSON.parse(body));
    } catch {
      return {};
    }
  }
  if (!isObject(body)) return {};
  const source = isObject(body.error) ? body.error : body;
  const field = isObject(source.details) ? source.details.field : undefined;
  return {
    ...(isString(source.code) ? { code: source.code } : {}),
    ...(isString(source.message) ? { message: source.message } : {}),
    ...(isString(source.requestId) ? { requestId: source.requestId } : {}),
    ...(isString(field) ? { field } : {}),
  };
}

/**
 * HubSpot's fetch proxy can turn a backend 3xx–5xx into a 200 carrying
 * `{ status: "error", category, context: { appServerStatusCode }, responseBody }` (reference §3.2;
 * the dev proxy does, and says production mirrors it). Unwrap that into the backend's real status.
 */
export function proxyError(body: unknown): { status: number; responseBody: unknown } | undefined {
  if (!isObject(body) || body.status !== 'error' || !isObject(body.context)) return undefined;
  const status = body.context.appServerStatusCode;
  if (typeof status !== 'number') return undefined;
  return { status, responseBody: body.responseBody };
}

export interface RequestOptions {
  /** GET unless told. */
  method?: FetchHttpMethod;
  /** A JSON body; `hubspot.fetch` serialises it. */
  body?: Record<string, unknown>;
  /** BACKEND_TIMEOUT_MS unless told. */
  timeout?: number;
}

/**
 * Sends one request and answers the backend's JSON body (undefined when it is not JSON). Throws
 * BackendUnreachableError when `hubspot.fetch` rejects (network, timeout) and BackendError for an
 * error status, HubSpot's proxy envelope unwrapped. What the body must hold is the caller's check.
 */
export async function requestJson(
  fetchImpl: HubSpotFetch,
  url: string,
  { method = 'GET', body, timeout = BACKEND_TIMEOUT_MS }: RequestOptions = {},
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method, ...(body !== undefined ? { body } : {}), timeout });
  } catch (error) {
    throw new BackendUnreachableError(error);
  }
  const json = await readJson(response);
  const wrapped = proxyError(json);
  if (!response.ok || wrapped) {
    const status = wrapped?.status ?? response.status;
    const { code, message, requestId, field } = errorDetails(wrapped ? wrapped.responseBody : json);
    throw new BackendError(status, code, message, requestId, field);
  }
  return json;
}

/** What a loading hook's failure says beyond its kind. */
export interface FailureDetails {
  /** HTTP status when the backend answered. */
  status?: number;
  /** The backend's error code, when it sent one. */
  code?: string;
  /** A user-safe explanation from the backend or from the configuration check. */
  detail?: string;
  /** The backend's request id, to quote to support. */
  requestId?: string;
}

export type BackendFailureKind =
  | 'not-authorised' // 401/403: the signed caller may not see this
  | 'not-found' // 404: the backend does not know the record
  | 'unreachable' // network failure or timeout
  | 'server'; // any other error status

export interface BackendFailure extends FailureDetails {
  kind: BackendFailureKind;
}

/**
 * The failure a hook shows for an error of this client (BackendError, BackendUnreachableError);
 * undefined for anything else (the folder's own "invalid answer" errors, bugs), which the folder
 * classifies itself.
 */
export function backendFailure(error: unknown): BackendFailure | undefined {
  if (error instanceof BackendUnreachableError) return { kind: 'unreachable' };
  if (!(error instanceof BackendError)) return undefined;
  const { status } = error;
  return {
    kind: status === 401 || status === 403 ? 'not-authorised' : status === 404 ? 'not-found' : 'server',
    status,
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.publicMessage !== undefined ? { detail: error.publicMessage } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
  };
}
