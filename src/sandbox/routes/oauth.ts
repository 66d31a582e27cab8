/**
 * OAuth endpoints (no bearer): token exchange and refresh, token information, introspection,
 * a consent-free authorize redirect; plus the bearer-authenticated app uninstall.
 */
import type { OAuthAnswer } from '../oauth.js';
import { parseFormBody, portalOf, type RouteDef, type RouteResult } from '../http.js';

function answer(a: OAuthAnswer): RouteResult {
  return { status: a.status, body: a.body, ...(a.location ? { headers: { Location: a.location } } : {}) };
}

/** OAuth and app-install endpoints. */
export const oauthRoutes: RouteDef[] = [
  {
    method: 'POST',
    pattern: '/oauth/v1/token',
    auth: 'none',
    kind: 'general',
    handler: (ctx, env) => answer(env.oauth.token(parseFormBody(ctx))),
  },
  {
    method: 'GET',
    pattern: '/oauth/v1/access-tokens/:token',
    auth: 'none',
    kind: 'general',
    handler: (ctx, env) => answer(env.oauth.accessTokenInfo(ctx.params.token)),
  },
  {
    method: 'GET',
    pattern: '/oauth/v1/refresh-tokens/:token',
    auth: 'none',
    kind: 'general',
    handler: (ctx, env) => answer(env.oauth.refreshTokenInfo(ctx.params.token)),
  },
  {
    method: 'DELETE',
    pattern: '/oauth/v1/refresh-tokens/:token',
    auth: 'none',
    kind: 'general',
    handler: (ctx, env) => answer(env.oauth.revokeRefreshToken(ctx.params.token)),
  },
  {
    method: 'POST',
    pattern: '/oauth/2026-03/token/introspect',
    auth: 'none',
    kind: 'general',
    handler: (ctx, env) => answer(env.oauth.introspect(parseFormBody(ctx))),
  },
  {
    method: 'GET',
    pattern: '/oauth/authorize',
    auth: 'none',
    kind: 'general',
    handler: (ctx, env) => {
      const only = env.portals.size === 1 ? [...env.portals.keys()][0] : undefined;
      return answer(env.oauth.authorize(ctx.query, only));
    },
  },
  {
    method: 'DELETE',
    pattern: '/appinstalls/v3/external-install',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      portalOf(ctx);
      if (!ctx.identity) return { status: 401 };
      return answer(env.oauth.uninstallByToken(ctx.identity));
    },
  },
];
