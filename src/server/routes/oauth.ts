/**
 * Marketplace install, connection status and disconnect (issue 5; threats E1–E3, E7, E8, B6):
 *
 * GET  /oauth/install      public: 302 to HubSpot's authorize page with the client id, the redirect
 *                          URL, the app's required scopes and a fresh signed single-use `state`.
 * GET  /oauth/callback     auth `oauthState` (oauthStateGuard below: the state's signature is checked
 *                          and its nonce used exactly once before anything else; a missing, tampered,
 *                          expired or reused state is a 400 with nothing written). Then the code is
 *                          exchanged and the install stored under the hub id of HubSpot's token
 *                          information (never a query parameter), tokens sealed; 302 to /oauth/installed.
 * GET  /oauth/installed    public: a small static "Pillars is installed" page (no query is read, so
 *                          nothing is reflected).
 * GET  /api/v1/settings/connection             signed, super admins: {portalId, hubDomain, installedAt, scopes, status}.
 * POST /api/v1/settings/connection/disconnect  signed, super admins, {idempotencyKey}: HubSpot's app
 *                          uninstall with the portal's token, then the install is marked uninstalled
 *                          (tokens deleted) with purgeAfter = now, the cached gateway dropped, and every
 *                          row of the portal purged at once. A replay after it finished answers 404
 *                          (the portal is gone); it never has a second effect.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, isAppError } from '../../core/errors.js';
import type { FunctionContext, FunctionLogger } from '../../functions/context.js';
import type { AppUninstall, AppUninstallResult } from '../../oauth/app-uninstall.js';
import type { Installer } from '../../oauth/installer.js';
import type { OAuthState, SignedState } from '../../oauth/oauth-state.js';
import type { TokenProvider } from '../../oauth/token-provider.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import type { InstallationStore } from '../../store/ports.js';
import { IDEMPOTENCY_KEY, withIdempotency } from '../idempotency.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { requireAdmin } from '../require-admin.js';
import type { RouteEntry } from '../route-table.js';
import { notInstalled } from '../tenancy.js';
import { invalidInputFromZod } from '../zod-errors.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express's documented extension point
  namespace Express {
    interface Locals {
      /** The OAuth state the oauthState guard consumed (GET /oauth/callback only). */
      oauthState?: SignedState;
    }
  }
}

export interface OAuthRouteDeps {
  /** Issues and consumes signed single-use states (src/oauth/oauth-state.ts). */
  state: OAuthState;
  installer: Installer;
  installations: Pick<InstallationStore, 'get' | 'markUninstalled'>;
  tokens: TokenProvider;
  /** HubSpot's app uninstall with a portal's access token (src/oauth/app-uninstall.ts). */
  uninstallApp: AppUninstall;
  idempotency: IdempotencyStore;
  /** Delete every row of the portal (src/jobs/purge.ts purgePortal over the store). */
  purge: (portalId: number) => Promise<void>;
  /** Drop the portal's cached gateway (PortalRegistry.forget). */
  forget: (portalId: number) => void;
  /** The app's client id (HUBSPOT_CLIENT_ID). */
  clientId: string;
  /** The callback URL registered on the app (OAUTH_REDIRECT_URL). */
  redirectUrl: string;
  /** HubSpot's authorize page (OAUTH_AUTHORIZE_URL). */
  authorizeUrl: string;
  /** Days an uninstalled portal's data is kept (PILLARS_RETENTION_DAYS), shown on the settings page. */
  retentionDays?: number;
  /** The scopes of the install URL: the app's requiredScopes (src/oauth/app-scopes.ts). */
  scopes: readonly string[];
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
  now?: () => Date;
}

/** Where the callback sends the browser after an install. */
export const INSTALLED_PATH = '/oauth/installed';
/** Largest disconnect body. */
export const DISCONNECT_BODY_LIMIT = 4 * 1024;

const CODE = /^[A-Za-z0-9._~-]{1,512}$/;
const STATE_PUBLIC = 'The install link is not valid. Start the install again.';

const disconnectBodySchema = z.strictObject({
  idempotencyKey: z
    .string({ error: 'is required' })
    .regex(IDEMPOTENCY_KEY, { error: 'must be 8 to 128 letters, digits, "-" or "_"' }),
});

/** One query value as a string; a repeated or nested parameter is refused (threats A10). */
function singleQuery(value: unknown, name: string, publicMessage: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new AppError('INVALID_INPUT', `${name} is repeated or not a string`, { publicMessage });
  }
  return value;
}

/**
 * The `oauthState` guard: the state's signature and expiry are checked, then its nonce is used once
 * through the store, before the handler runs. Every refusal is a 400 with a plain message and
 * `details.reason` (STATE_MISSING, STATE_MALFORMED, STATE_TAMPERED, STATE_EXPIRED, STATE_REUSED,
 * STATE_UNKNOWN); the log gets the reason, never the state or the code.
 */
export function oauthStateGuard(state: Pick<OAuthState, 'consume'>): RequestHandler[] {
  return [
    async (req, res, next) => {
      // The access log must not carry the one-time code or the state.
      if (req.originalUrl.includes('?')) req.originalUrl = `${req.path}?[Redacted]`;
      try {
        const value = singleQuery(req.query.state, 'state', STATE_PUBLIC);
        res.locals.oauthState = await state.consume(value);
        next();
      } catch (e) {
        const reason = isAppError(e) && typeof e.details?.reason === 'string' ? e.details.reason : null;
        if (isAppError(e) && (reason !== null || e.code === 'INVALID_INPUT')) {
          res.locals.log.warn(
            { reason: reason ?? 'STATE_MALFORMED', metric: 'oauth_state_refused' },
            'oauth state refused',
          );
          next(
            new AppError('INVALID_INPUT', `oauth state refused: ${reason ?? 'STATE_MALFORMED'}`, {
              publicMessage: e.publicMessage,
              details: { reason: reason ?? 'STATE_MALFORMED' },
            }),
          );
          return;
        }
        next(e);
      }
    },
  ];
}

/** GET /oauth/install. */
export function installHandler(deps: OAuthRouteDeps): RequestHandler {
  return async (_req, res) => {
    const state = await deps.state.issue();
    const url = new URL(deps.authorizeUrl);
    url.searchParams.set('client_id', deps.clientId);
    url.searchParams.set('redirect_uri', deps.redirectUrl);
    url.searchParams.set('scope', deps.scopes.join(' '));
    url.searchParams.set('state', state);
    res
      .status(302)
      .set({ location: url.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .end();
  };
}

/** GET /oauth/callback (behind oauthStateGuard). */
export function callbackHandler(deps: OAuthRouteDeps): RequestHandler {
  return async (req, res) => {
    if (res.locals.oauthState === undefined) {
      throw new AppError('INTERNAL', 'oauth callback reached without the oauthState guard');
    }
    const denied = singleQuery(req.query.error, 'error', 'The install link is not valid.');
    if (denied !== undefined) {
      throw new AppError('INVALID_INPUT', 'oauth callback: HubSpot reported an error instead of a code', {
        publicMessage: 'The install was not approved in HubSpot. Start the install again.',
        details: { reason: 'INSTALL_DENIED' },
      });
    }
    const code = singleQuery(
      req.query.code,
      'code',
      'The install link is not valid. Start the install again.',
    );
    if (code === undefined || !CODE.test(code)) {
      throw new AppError('INVALID_INPUT', 'oauth callback without a usable code', {
        publicMessage: 'The install link is incomplete. Start the install again.',
        details: { reason: 'CODE_MISSING' },
      });
    }
    let installed;
    try {
      installed = await deps.installer.installFromCode({ code, redirectUri: deps.redirectUrl });
    } catch (e) {
      // Nothing was stored (installer.ts writes once, at the end).
      if (isAppError(e) && e.code.startsWith('HUBSPOT_')) {
        const temporary = e.code === 'HUBSPOT_TEMPORARY' || e.code === 'HUBSPOT_RATE_LIMITED';
        throw new AppError(
          temporary ? 'HUBSPOT_TEMPORARY' : 'INVALID_INPUT',
          `oauth install failed: ${e.message}`,
          {
            cause: e,
            publicMessage: temporary
              ? 'HubSpot did not answer in time. Start the install again in a moment.'
              : 'HubSpot did not accept this install link. Start the install again.',
          },
        );
      }
      throw e;
    }
    deps.forget(installed.portalId);
    res.locals.log.info(
      { portalId: installed.portalId, scopes: installed.scopes.length, metric: 'oauth_installed' },
      'portal installed',
    );
    res
      .status(302)
      .set({ location: INSTALLED_PATH, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .end();
  };
}

const INSTALLED_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pillars is installed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; line-height: 1.5">
<h1>Pillars is installed</h1>
<p>Pillars is now connected to your HubSpot account. Open a deal or a contact in HubSpot and add the
Pillars cards to the record view (Customize, then the card library, filter "App").</p>
<p><a href="https://app.hubspot.com/">Back to HubSpot</a></p>
</body>
</html>
`;

/** GET /oauth/installed. */
export function installedPageHandler(): RequestHandler {
  return (_req, res) => {
    res
      .status(200)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'cache-control': 'no-store',
      })
      .send(INSTALLED_PAGE);
  };
}

async function adminContext(
  deps: OAuthRouteDeps,
  identity: SignedIdentity,
  log: FunctionLogger,
): Promise<FunctionContext> {
  const ctx = await deps.contextFor(identity, log);
  await requireAdmin(ctx);
  return ctx;
}

/** GET /api/v1/settings/connection. */
export function connectionHandler(deps: OAuthRouteDeps): RequestHandler {
  return async (_req, res) => {
    const ctx = await adminContext(deps, identityOf(res), res.locals.log);
    const row = await deps.installations.get(ctx.portalId);
    if (row === null) throw notInstalled(ctx.portalId);
    res.status(200).json({
      portalId: row.portalId,
      hubDomain: row.hubDomain,
      installedAt: row.installedAt.toISOString(),
      scopes: row.scopes,
      status: row.status,
      ...(deps.retentionDays === undefined ? {} : { retentionDays: deps.retentionDays }),
    });
  };
}

/** POST /api/v1/settings/connection/disconnect. */
export function disconnectHandler(deps: OAuthRouteDeps): RequestHandler {
  const now = deps.now ?? (() => new Date());
  return async (req, res) => {
    const ctx = await adminContext(deps, identityOf(res), res.locals.log);
    const parsed = disconnectBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) throw invalidInputFromZod(parsed.error);
    const portalId = ctx.portalId;
    const result = await withIdempotency(
      deps.idempotency,
      portalId,
      `disconnect:${parsed.data.idempotencyKey}`,
      async () => {
        const row = await deps.installations.get(portalId);
        let hubspot: AppUninstallResult = 'already-gone';
        if (row?.status === 'active') {
          let token: string | null = null;
          try {
            token = await deps.tokens.accessTokenFor(portalId);
          } catch (e) {
            // Refresh refused (already uninstalled in HubSpot): nothing to call, go on locally.
            if (!isAppError(e) || (e.code !== 'HUBSPOT_AUTH_EXPIRED' && e.code !== 'NOT_FOUND')) throw e;
          }
          // HubSpot first (E8): if it fails, nothing changed here and the admin can retry.
          if (token !== null) hubspot = await deps.uninstallApp(token);
          const at = now();
          await deps.installations.markUninstalled(portalId, at, at);
        }
        deps.forget(portalId);
        ctx.logger.info(
          { portalId, userId: ctx.userId, hubspot, metric: 'oauth_disconnected' },
          'portal disconnected',
        );
        return { status: 200, body: { portalId, status: 'uninstalled', hubspot } };
      },
    );
    // Purge at once on request (purgeAfter = now); if it fails, the purge job finishes it.
    let dataDeleted = true;
    try {
      await deps.purge(portalId);
    } catch (err) {
      dataDeleted = false;
      ctx.logger.error({ portalId, err, metric: 'portal_purge_failed' }, 'purge after disconnect failed');
    }
    deps.forget(portalId);
    const body = typeof result.body === 'object' && result.body !== null ? result.body : {};
    res.status(result.status).json({ ...body, dataDeleted });
  };
}

/** The route-table entries of this file. */
export function oauthRoutes(deps: OAuthRouteDeps): RouteEntry[] {
  return [
    { method: 'get', path: '/oauth/install', auth: 'public', handler: installHandler(deps) },
    { method: 'get', path: '/oauth/callback', auth: 'oauthState', handler: callbackHandler(deps) },
    { method: 'get', path: INSTALLED_PATH, auth: 'public', handler: installedPageHandler() },
    {
      method: 'get',
      path: '/api/v1/settings/connection',
      auth: 'hubspotSignature',
      handler: connectionHandler(deps),
    },
    {
      method: 'post',
      path: '/api/v1/settings/connection/disconnect',
      auth: 'hubspotSignature',
      bodyLimit: DISCONNECT_BODY_LIMIT,
      handler: disconnectHandler(deps),
    },
  ];
}
