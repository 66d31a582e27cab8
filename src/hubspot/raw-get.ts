/**
 * GET for endpoints `@hubspot/api-client` 13.5 has no generated API for (account details, call
 * dispositions). It uses the SDK's own node-fetch transport (`IsomorphicFetchHttpLibrary`), not
 * `client.apiRequest`, because apiRequest cannot take an agent: it would follow redirects, could
 * not time out its socket, and applies the process-wide decorators at call time. Like apiRequest,
 * this never throws on a 4xx/5xx by itself: the status is checked here and raised as an
 * HttpStatusError, which the request runner treats exactly like the SDK's ApiException.
 */
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
} from '@hubspot/api-client/lib/codegen/crm/objects/http/http.js';
import type { AgentSelector } from './http-agent.js';
import type { AttemptProbe } from './sdk-call-options.js';

/** A non-2xx answer, shaped like the SDK's ApiException (`code`, `body`, `headers`). */
export class HttpStatusError extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Record<string, string>,
  ) {
    super(`HTTP ${code}`);
    this.name = 'HttpStatusError';
  }
}

const transport = new IsomorphicFetchHttpLibrary();

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** GET `basePath + path` and return the parsed JSON body of a 2xx answer. */
export async function rawGet(
  basePath: string,
  path: string,
  token: string,
  selectAgent: AgentSelector,
  probe: AttemptProbe,
): Promise<unknown> {
  const ctx = new RequestContext(basePath.replace(/\/+$/, '') + path, HttpMethod.GET);
  ctx.setHeaderParam('Accept', 'application/json');
  ctx.setHeaderParam('Authorization', `Bearer ${token}`);
  // node-fetch v2 takes a function as `agent`; the SDK's type only names Agent objects.
  ctx.setAgent(selectAgent as unknown as Parameters<RequestContext['setAgent']>[0]);
  const res = await transport.send(ctx).toPromise();
  probe.status = res.httpStatusCode;
  probe.headers = res.headers;
  const text = await res.body.text();
  if (res.httpStatusCode < 200 || res.httpStatusCode > 299) {
    throw new HttpStatusError(res.httpStatusCode, parseJson(text), res.headers);
  }
  return JSON.parse(text) as unknown; // a SyntaxError here is an invalid 2xx body
}
