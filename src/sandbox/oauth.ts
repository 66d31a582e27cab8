/**
 * HubSpot's OAuth as a marketplace app sees it: authorization codes (single use, 10 minutes),
 * access tokens (30 minutes on the injected clock), refresh tokens (stable, revoked by uninstall),
 * token information, introspection, and the static private-app tokens of each portal.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '../core/errors.js';
import {
  errorBody,
  expiredAuthentication,
  HubSpotHttpError,
  invalidAuthentication,
  notFound,
} from './hubspot-errors.js';
import type { SandboxOAuthClient } from './types.js';

/** The app accepted when `oauthClients` is not given. */
export const SANDBOX_OAUTH_CLIENT: Readonly<SandboxOAuthClient> = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
};

/** Access-token lifetime (HubSpot: 30 minutes). */
export const ACCESS_TOKEN_TTL_MS = 30 * 60_000;
/** Authorization-code lifetime (10 minutes). */
export const AUTH_CODE_TTL_MS = 10 * 60_000;

const STATIC_TOKEN = /^sandbox-token-(\d+)$/;

/** The static private-app token of a portal. */
export function staticTokenFor(portalId: number): string {
  return `sandbox-token-${portalId}`;
}

interface Grant {
  portalId: number;
  clientId: string;
  appId: number;
  userId: number;
  userEmail: string;
  scopes: string[];
}

interface CodeRecord extends Grant {
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

interface RefreshRecord extends Grant {
  token: string;
  revoked: boolean;
}

interface AccessRecord extends Grant {
  token: string;
  expiresAt: number;
  revoked: boolean;
}

/** Who a bearer token speaks for. */
export interface BearerIdentity {
  portalId: number;
  /** Present for OAuth access tokens, absent for static tokens. */
  grant?: Grant;
}

/** An answer of an OAuth endpoint: JSON, or a redirect. */
export interface OAuthAnswer {
  status: number;
  body?: unknown;
  location?: string;
}

/** What the authority needs to know about portals. */
export interface PortalDirectory {
  has(portalId: number): boolean;
  /** The user a grant speaks for: the given id, else the portal's first super admin or user. */
  user(portalId: number, userId: number | undefined): { id: number; email: string };
}

function oauthError(status: string, message: string): OAuthAnswer {
  return { status: 400, body: { status, message, correlationId: randomUUID() } };
}

function newToken(prefix: string): string {
  return `${prefix}-${randomBytes(24).toString('base64url')}`;
}

/** Codes, tokens and installs of every OAuth app of the sandbox. */
export class OAuthAuthority {
  private readonly clients = new Map<
    string,
    Required<Pick<SandboxOAuthClient, 'clientId' | 'clientSecret' | 'appId'>> & SandboxOAuthClient
  >();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly accessTokens = new Map<string, AccessRecord>();

  constructor(
    clients: readonly SandboxOAuthClient[],
    private readonly now: () => number,
    private readonly portals: PortalDirectory,
  ) {
    clients.forEach((c, i) => this.clients.set(c.clientId, { ...c, appId: c.appId ?? 1_000_001 + i }));
  }

  /** What a consent screen would hand the app's redirect URI. */
  issueCode(input: {
    portalId: number;
    clientId: string;
    redirectUri: string;
    scopes: string[];
    userId?: number;
  }): string {
    const client = this.clients.get(input.clientId);
    if (!client) throw new AppError('INVALID_INPUT', `sandbox: unknown OAuth client ${input.clientId}`);
    if (!this.portals.has(input.portalId))
      throw new AppError('INVALID_INPUT', `sandbox: unknown portal ${input.portalId}`);
    if (client.redirectUris && !client.redirectUris.includes(input.redirectUri)) {
      throw new AppError(
        'INVALID_INPUT',
        `sandbox: redirect URI ${input.redirectUri} is not registered for ${input.clientId}`,
      );
    }
    const user = this.portals.user(input.portalId, input.userId);
    const code = randomUUID();
    this.codes.set(code, {
      portalId: input.portalId,
      clientId: client.clientId,
      appId: client.appId,
      userId: user.id,
      userEmail: user.email,
      scopes: [...input.scopes],
      redirectUri: input.redirectUri,
      expiresAt: this.now() + AUTH_CODE_TTL_MS,
      used: false,
    });
    return code;
  }

  /** GET /oauth/authorize: consent granted at once, redirect with a code (portal_id picks the portal). */
  authorize(query: URLSearchParams, defaultPortal: number | undefined): OAuthAnswer {
    const clientId = query.get('client_id') ?? '';
    const redirectUri = query.get('redirect_uri') ?? '';
    const client = this.clients.get(clientId);
    if (!client) return { status: 400, body: errorBody('BAD_CLIENT_ID', `Unknown client_id "${clientId}".`) };
    if (redirectUri === '' || (client.redirectUris && !client.redirectUris.includes(redirectUri))) {
      return {
        status: 400,
        body: errorBody('BAD_REDIRECT_URI', `redirect_uri "${redirectUri}" is not allowed for this app.`),
      };
    }
    const portalText = query.get('portal_id');
    const portalId = portalText === null ? defaultPortal : Number(portalText);
    if (portalId === undefined || !Number.isInteger(portalId) || !this.portals.has(portalId)) {
      return { status: 400, body: errorBody('VALIDATION_ERROR', 'portal_id must name a sandbox portal.') };
    }
    const scopes = [query.get('scope') ?? '', query.get('optional_scope') ?? '']
      .join(' ')
      .split(/[\s+]+/)
      .filter((s) => s !== '');
    const userText = query.get('user_id');
    const code = this.issueCode({
      portalId,
      clientId,
      redirectUri,
      scopes,
      ...(userText !== null && /^\d+$/.test(userText) ? { userId: Number(userText) } : {}),
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    return { status: 302, location: target.toString() };
  }

  /** POST /oauth/v1/token. */
  token(form: URLSearchParams): OAuthAnswer {
    const grantType = form.get('grant_type');
    const client = this.clients.get(form.get('client_id') ?? '');
    if (!client) return oauthError('BAD_CLIENT_ID', 'missing or unknown client_id');
    if (form.get('client_secret') !== client.clientSecret)
      return oauthError('BAD_CLIENT_SECRET', 'missing or invalid client_secret');
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code || code.used || code.clientId !== client.clientId || this.now() >= code.expiresAt) {
        return oauthError('BAD_AUTH_CODE', 'missing or unknown auth code');
      }
      if (form.get('redirect_uri') !== code.redirectUri) {
        return oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the one used to get the code');
      }
      code.used = true;
      const refresh: RefreshRecord = { ...grantOf(code), token: newToken('sbx-rt'), revoked: false };
      this.refreshTokens.set(refresh.token, refresh);
      return { status: 200, body: this.issueAccess(refresh) };
    }
    if (grantType === 'refresh_token') {
      const refresh = this.refreshTokens.get(form.get('refresh_token') ?? '');
      if (!refresh || refresh.revoked || refresh.clientId !== client.clientId) {
        return oauthError('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
      }
      return { status: 200, body: this.issueAccess(refresh) };
    }
    return oauthError('BAD_GRANT_TYPE', `unsupported grant_type "${grantType ?? ''}"`);
  }

  private issueAccess(refresh: RefreshRecord): Record<string, unknown> {
    const access: AccessRecord = {
      ...grantOf(refresh),
      token: newToken('sbx-at'),
      expiresAt: this.now() + ACCESS_TOKEN_TTL_MS,
      revoked: false,
    };
    this.accessTokens.set(access.token, access);
    return {
      access_token: access.token,
      refresh_token: refresh.token,
      expires_in: ACCESS_TOKEN_TTL_MS / 1000,
      token_type: 'bearer',
    };
  }

  /** GET /oauth/v1/access-tokens/{token}. */
  accessTokenInfo(token: string): OAuthAnswer {
    const a = this.accessTokens.get(token);
    if (!a || a.revoked || this.now() >= a.expiresAt) {
      return { status: 404, body: notFound('The access token is unknown, revoked or expired.').body };
    }
    return {
      status: 200,
      body: {
        token: a.token,
        user: a.userEmail,
        hub_domain: hubDomain(a.portalId),
        scopes: [...a.scopes],
        hub_id: a.portalId,
        app_id: a.appId,
        expires_in: Math.floor((a.expiresAt - this.now()) / 1000),
        user_id: a.userId,
        token_type: 'access',
      },
    };
  }

  /** GET /oauth/v1/refresh-tokens/{token}. */
  refreshTokenInfo(token: string): OAuthAnswer {
    const r = this.refreshTokens.get(token);
    if (!r || r.revoked)
      return { status: 404, body: notFound('The refresh token is unknown or revoked.').body };
    return {
      status: 200,
      body: {
        token: r.token,
        user: r.userEmail,
        hub_domain: hubDomain(r.portalId),
        scopes: [...r.scopes],
        hub_id: r.portalId,
        client_id: r.clientId,
        user_id: r.userId,
        token_type: 'refresh',
      },
    };
  }

  /** DELETE /oauth/v1/refresh-tokens/{token}: revoke one refresh token. */
  revokeRefreshToken(token: string): OAuthAnswer {
    const r = this.refreshTokens.get(token);
    if (!r || r.revoked)
      return { status: 404, body: notFound('The refresh token is unknown or revoked.').body };
    r.revoked = true;
    return { status: 204 };
  }

  /** POST /oauth/2026-03/token/introspect. */
  introspect(form: URLSearchParams): OAuthAnswer {
    const client = this.clients.get(form.get('client_id') ?? '');
    if (!client) return oauthError('BAD_CLIENT_ID', 'missing or unknown client_id');
    if (form.get('client_secret') !== client.clientSecret)
      return oauthError('BAD_CLIENT_SECRET', 'missing or invalid client_secret');
    const token = form.get('token') ?? '';
    const a = this.accessTokens.get(token);
    if (a && a.clientId === client.clientId && !a.revoked && this.now() < a.expiresAt) {
      return {
        status: 200,
        body: {
          active: true,
          token_use: 'access_token',
          ...this.grantView(a),
          expires_in: Math.floor((a.expiresAt - this.now()) / 1000),
        },
      };
    }
    const r = this.refreshTokens.get(token);
    if (r && r.clientId === client.clientId && !r.revoked) {
      return { status: 200, body: { active: true, token_use: 'refresh_token', ...this.grantView(r) } };
    }
    return { status: 200, body: { active: false } };
  }

  private grantView(g: Grant): Record<string, unknown> {
    return {
      hub_id: g.portalId,
      user_id: g.userId,
      user: g.userEmail,
      app_id: g.appId,
      client_id: g.clientId,
      scopes: [...g.scopes],
      hub_domain: hubDomain(g.portalId),
      token_type: 'bearer',
    };
  }

  /** Resolve an Authorization header; throws HubSpot's 401 when it names no live token. */
  resolveBearer(header: string | undefined): BearerIdentity {
    const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) throw invalidAuthentication();
    const token = m[1];
    const s = STATIC_TOKEN.exec(token);
    if (s) {
      const portalId = Number(s[1]);
      if (this.portals.has(portalId)) return { portalId };
      throw invalidAuthentication();
    }
    const a = this.accessTokens.get(token);
    if (!a || a.revoked || !this.portals.has(a.portalId)) throw invalidAuthentication();
    const now = this.now();
    if (now >= a.expiresAt) throw expiredAuthentication(now - a.expiresAt);
    return { portalId: a.portalId, grant: grantOf(a) };
  }

  /** Uninstall: every refresh and access token (and pending code) of the portal, for one app or all, stops working. */
  uninstall(portalId: number, clientId?: string): void {
    const hit = (g: Grant): boolean =>
      g.portalId === portalId && (clientId === undefined || g.clientId === clientId);
    for (const r of this.refreshTokens.values()) if (hit(r)) r.revoked = true;
    for (const a of this.accessTokens.values()) if (hit(a)) a.revoked = true;
    for (const c of this.codes.values()) if (hit(c)) c.used = true;
  }

  /** DELETE /appinstalls/v3/external-install with the app's access token. */
  uninstallByToken(identity: BearerIdentity): OAuthAnswer {
    if (!identity.grant) {
      throw new HubSpotHttpError(
        400,
        errorBody('VALIDATION_ERROR', 'Only an OAuth access token of an installed app can uninstall it.'),
      );
    }
    this.uninstall(identity.portalId, identity.grant.clientId);
    return { status: 204 };
  }
}

function grantOf(g: Grant): Grant {
  return {
    portalId: g.portalId,
    clientId: g.clientId,
    appId: g.appId,
    userId: g.userId,
    userEmail: g.userEmail,
    scopes: [...g.scopes],
  };
}

function hubDomain(portalId: number): string {
  return `portal-${portalId}.sandbox.test`;
}
