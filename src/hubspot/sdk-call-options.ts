/**
 * Per-call options for `@hubspot/api-client` 13.5 generated APIs. In 13.5 a Client's configured
 * middleware (and with it `httpAgent`) only runs when a call passes `_options.middleware` (verified:
 * without it the header and agent middleware are skipped). So every call passes this middleware,
 * merged with 'append'. It sets the bearer token of this attempt, installs the attempt's agent
 * selector, and records the HTTP status and headers HubSpot answered with, even when the SDK
 * then fails to parse the body.
 */
import type http from 'node:http';
import type { AgentSelector } from './http-agent.js';

/** What the attempt saw on the wire; filled by the middleware or the raw transport. */
export interface AttemptProbe {
  status?: number;
  headers?: Record<string, string>;
}

interface RequestContextLike {
  setHeaderParam(key: string, value: string): void;
  setAgent(agent: http.Agent): void;
}

interface ResponseContextLike {
  httpStatusCode: number;
  headers: Record<string, string>;
}

/** The `_options` argument of a generated API call, for one attempt. */
export interface SdkCallOptions {
  middlewareMergeStrategy: 'append';
  middleware: {
    pre<C extends RequestContextLike>(ctx: C): Promise<C>;
    post<R extends ResponseContextLike>(res: R): Promise<R>;
  }[];
}

/** Build the per-attempt `_options`. */
export function sdkCallOptions(
  token: string,
  selectAgent: AgentSelector,
  probe: AttemptProbe,
): SdkCallOptions {
  return {
    middlewareMergeStrategy: 'append',
    middleware: [
      {
        pre<C extends RequestContextLike>(ctx: C): Promise<C> {
          ctx.setHeaderParam('Authorization', `Bearer ${token}`);
          // node-fetch v2 takes a function as `agent`; the SDK's type only names Agent objects.
          ctx.setAgent(selectAgent as unknown as http.Agent);
          return Promise.resolve(ctx);
        },
        post<R extends ResponseContextLike>(res: R): Promise<R> {
          probe.status = res.httpStatusCode;
          probe.headers = res.headers;
          return Promise.resolve(res);
        },
      },
    ],
  };
}
