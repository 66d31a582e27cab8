/**
 * TokenEndpoint over HTTP: HubSpot's v1 OAuth endpoints (what @hubspot/api-client 13 calls),
 * with node's fetch, form-encoded bodies (credentials in the body, never the query), a deadline
 * per call, and zod on every answer. Errors never carry a token or the client secret.
 */
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { badRefreshToken } from './token-endpoint.js';
import type { TokenEndpoint, TokenInfo, TokenSet } from './token-endpoint.js';

/** Options of createHubSpotTokenEndpoint. */
export interface HubSpotTokenEndpointOptions {
  /** `https://api.hubapi.com`, or the sandbox's base URL. */
  readonly basePath: string;
  readonly clientId: string;
  /** Secret: never logged. */
  readonly clientSecret: string;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch | undefined;
  /**
   * Deadline per call in ms (default 5000). A refresh runs under the portal's refresh lock, and
   * on SQLite other writers wait at most busy_timeout (5 s), so keep it at or under that.
   */
  readonly timeoutMs?: number | undefined;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

const tokenInfoResponse = z.object({
  hub_id: z.number().int().positive(),
  hub_domain: z.string().min(1),
  user_id: z.number().int().positive().nullable().optional(),
  scopes: z.array(z.string()),
});

const errorResponse = z.looseObject({ status: z.string().optional(), error: z.string().optional() });

/** The real token endpoint over HTTP. */
export function createHubSpotTokenEndpoint(options: HubSpotTokenEndpointOptions): TokenEndpoint {
  const base = options.basePath.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base))
    throw new AppError('CONFIG_INVALID', 'oauth: basePath must be an http(s) URL');
  if (options.clientId === '' || options.clientSecret === '') {
    throw new AppError('CONFIG_INVALID', 'oauth: clientId and clientSecret are required');
  }
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;

  async function call(
    what: string,
    url: string,
    init: RequestInit,
  ): Promise<{ status: number; body: unknown }> {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (cause) {
      throw new AppError('HUBSPOT_TEMPORARY', `oauth: ${what} did not answer`, { cause });
    }
    const text = await res.text().catch(() => '');
    let body: unknown = undefined;
    try {
      body = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  }

  function failure(what: string, status: number, body: unknown): AppError {
    const parsed = errorResponse.safeParse(body);
    const hubspotStatus = parsed.success ? (parsed.data.status ?? parsed.data.error) : undefined;
    const details = { status, ...(hubspotStatus === undefined ? {} : { hubspotStatus }) };
    if (status === 429)
      return new AppError('HUBSPOT_RATE_LIMITED', `oauth: ${what} was rate limited`, { details });
    if (status >= 500)
      return new AppError('HUBSPOT_TEMPORARY', `oauth: ${what} failed with ${status}`, { details });
    if (status === 401)
      return new AppError('HUBSPOT_AUTH_EXPIRED', `oauth: ${what} refused with 401`, { details });
    if (status === 404) return new AppError('HUBSPOT_NOT_FOUND', `oauth: ${what} found nothing`, { details });
    return new AppError(
      'HUBSPOT_BAD_REQUEST',
      `oauth: ${what} refused with ${status} ${hubspotStatus ?? ''}`.trim(),
      {
        details,
      },
    );
  }

  async function tokenGrant(what: string, form: Record<string, string>): Promise<TokenSet> {
    const { status, body } = await call(what, `${base}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        ...form,
        client_id: options.clientId,
        client_secret: options.clientSecret,
      }),
    });
    if (status !== 200) {
      const error = failure(what, status, body);
      const hubspotStatus = error.details?.hubspotStatus;
      if (form.grant_type === 'refresh_token' && status === 400) {
        if (hubspotStatus === 'BAD_REFRESH_TOKEN' || hubspotStatus === 'invalid_grant')
          throw badRefreshToken(error);
      }
      throw error;
    }
    const parsed = tokenResponse.safeParse(body);
    if (!parsed.success)
      throw new AppError('HUBSPOT_INVALID_RESPONSE', `oauth: ${what} answered an unexpected shape`);
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresIn: parsed.data.expires_in,
    };
  }

  return {
    exchangeCode(code, redirectUri) {
      return tokenGrant('code exchange', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
      });
    },
    refresh(refreshToken) {
      return tokenGrant('token refresh', { grant_type: 'refresh_token', refresh_token: refreshToken });
    },
    async tokenInfo(accessToken): Promise<TokenInfo> {
      const what = 'token information';
      const { status, body } = await call(
        what,
        `${base}/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`,
        {
          method: 'GET',
          headers: { accept: 'application/json' },
        },
      );
      if (status !== 200) throw failure(what, status, body);
      const parsed = tokenInfoResponse.safeParse(body);
      if (!parsed.success)
        throw new AppError('HUBSPOT_INVALID_RESPONSE', `oauth: ${what} answered an unexpected shape`);
      return {
        hubId: parsed.data.hub_id,
        hubDomain: parsed.data.hub_domain,
        userId: parsed.data.user_id ?? null,
        scopes: parsed.data.scopes,
      };
    },
  };
}
