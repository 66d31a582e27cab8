/**
 * Which portals this backend serves, and the function context of each (threats B1, E6, E7, G4).
 * One interface, two shapes:
 *
 * - `createPortalRegistry` (OAuth, many portals): a portal is served while its installation is
 *   active in the store, read on every lookup (so an uninstall seen by any instance holds at once
 *   on every instance). Each portal's gateway is built on first use and cached, keyed by portal id
 *   and install time (a reinstall gets a fresh gateway and metadata cache); its access token comes
 *   from the token provider before every attempt. A HubSpot 401 makes the provider refresh once
 *   (passing the refused token) and the call is retried once, never in a loop; a refresh refused
 *   with BAD_REFRESH_TOKEN marks the portal uninstalled (token-provider.ts), so the next lookup
 *   answers NOT_FOUND and jobs and webhooks skip it.
 * - `createSinglePortalRegistry` (token or sandbox mode): the one portal the process was booted for.
 *
 * The identity handed to contextFor is the signed one; the portal id of every context, gateway and
 * cache key comes from it, never from a body or a query.
 */
import type { RequestHandler } from 'express';
import { AppError, isAppError } from '../core/errors.js';
import type { FunctionContext, FunctionLogger } from '../functions/context.js';
import type { HubSpotGateway } from '../hubspot/gateway.js';
import { createHubSpotGateway } from '../hubspot/hubspot-gateway.js';
import type { HubSpotGatewayOptions } from '../hubspot/hubspot-gateway.js';
import { withMetadataCache } from '../hubspot/metadata-cache.js';
import type { TokenProvider } from '../oauth/token-provider.js';
import type { InstallationStore } from '../store/ports.js';
import { identityOf } from './request-context.js';

/** The public message of a request for a portal that is not (or no longer) installed. */
export const NOT_INSTALLED_MESSAGE = 'Pillars is not installed in this HubSpot account.';

/** Who is asking: the signed identity (request-context.ts SignedIdentity fits). */
export interface PortalIdentity {
  readonly portalId: number;
  readonly userId: number | null;
}

/** The portals a backend serves and their contexts. */
export interface PortalRegistry {
  /** The context of a signed request; AppError NOT_FOUND (404) for an unknown or uninstalled portal. */
  contextFor(identity: PortalIdentity, logger: FunctionLogger): Promise<FunctionContext>;
  /** The context of a scheduled job (no user); NOT_FOUND as contextFor. */
  jobContextFor(portalId: number, logger: FunctionLogger): Promise<FunctionContext>;
  /** The portal's gateway, or null when the portal is not served (webhook handlers then skip). */
  gatewayFor(portalId: number): Promise<HubSpotGateway | null>;
  /** Whether events and requests of the portal are served (installed and active). */
  servesPortal(portalId: number): Promise<boolean>;
  /** The served portals, ascending (what the scheduler runs jobs for). */
  activePortals(): Promise<number[]>;
  /** Drop what is cached for the portal (its gateway and metadata): after an uninstall or purge. */
  forget(portalId: number): void;
}

/** The NOT_FOUND every registry throws for a portal it does not serve. */
export function notInstalled(portalId: number): AppError {
  return new AppError('NOT_FOUND', `portal ${portalId} is not installed`, {
    publicMessage: NOT_INSTALLED_MESSAGE,
  });
}

/** Dependencies of the OAuth registry. */
export interface PortalRegistryDeps {
  installations: Pick<InstallationStore, 'get' | 'listActive'>;
  tokens: TokenProvider;
  /** How each portal's gateway is built: basePath, the shared throttle, logger, shared httpAgent, ... */
  gateway: Omit<HubSpotGatewayOptions, 'portalId' | 'accessToken'>;
  /** TTL of each portal's metadata cache (owners, users, teams, pipelines). */
  metadataTtlMs: number;
  /** How long one read of a portal's installation serves its requests (default 1 s; 0: every request reads). */
  installationTtlMs?: number;
  /** The functions' clock; default real time. */
  now?: () => Date;
}

interface CachedGateway {
  installedAt: number;
  gateway: HubSpotGateway;
}

/** Default lifetime of an installation read shared by concurrent requests of a portal. */
export const DEFAULT_INSTALLATION_TTL_MS = 1_000;

/** The OAuth registry: every active installation in the store is served. */
export function createPortalRegistry(deps: PortalRegistryDeps): PortalRegistry {
  const now = deps.now ?? (() => new Date());
  const gateways = new Map<number, CachedGateway>();

  function build(portalId: number): HubSpotGateway {
    // Errors of the token provider itself (uninstalled, never installed) are not HubSpot 401s.
    const fromProvider = new WeakSet<object>();
    let lastToken: string | undefined;
    const accessToken = async (): Promise<string> => {
      try {
        lastToken = await deps.tokens.accessTokenFor(portalId);
        return lastToken;
      } catch (e) {
        if (typeof e === 'object' && e !== null) fromProvider.add(e);
        if (isAppError(e) && (e.code === 'HUBSPOT_AUTH_EXPIRED' || e.code === 'NOT_FOUND')) {
          gateways.delete(portalId);
        }
        throw e;
      }
    };
    const raw = createHubSpotGateway({ ...deps.gateway, portalId, accessToken });
    const recovering = withRejectedTokenRecovery(raw, async (e) => {
      if (!isAppError(e) || e.code !== 'HUBSPOT_AUTH_EXPIRED' || fromProvider.has(e)) return false;
      // HubSpot refused the token: refresh once (unless another caller already did), then retry.
      try {
        await deps.tokens.accessTokenFor(portalId, { rejected: lastToken });
      } catch (refreshError) {
        gateways.delete(portalId);
        installs.delete(portalId);
        throw refreshError;
      }
      return true;
    });
    return withMetadataCache(recovering, { ttlMs: deps.metadataTtlMs });
  }

  // Every signed request checks the installation; under load one read per portal and second is
  // shared by all the requests of that second (an uninstall seen by another instance shows here
  // within installationTtlMs; this instance's own uninstall, purge or refused refresh at once).
  const installTtlMs = deps.installationTtlMs ?? DEFAULT_INSTALLATION_TTL_MS;
  const installs = new Map<number, { at: number; value: Promise<{ installedAt: number } | null> }>();

  async function readInstall(portalId: number): Promise<{ installedAt: number } | null> {
    const row = await deps.installations.get(portalId);
    if (row === null || row.status !== 'active') {
      gateways.delete(portalId);
      return null;
    }
    return { installedAt: row.installedAt.getTime() };
  }

  function activeInstall(portalId: number): Promise<{ installedAt: number } | null> {
    if (!Number.isSafeInteger(portalId) || portalId <= 0) return Promise.resolve(null);
    const t = Date.now();
    const hit = installs.get(portalId);
    if (hit !== undefined && t - hit.at < installTtlMs) return hit.value;
    const value = readInstall(portalId);
    value.catch(() => installs.delete(portalId)); // failures are never kept
    if (installTtlMs > 0) {
      if (installs.size >= 10_000) installs.clear();
      installs.set(portalId, { at: t, value });
    }
    return value;
  }

  function gatewayOf(portalId: number, installedAt: number): HubSpotGateway {
    const hit = gateways.get(portalId);
    if (hit !== undefined && hit.installedAt === installedAt) return hit.gateway;
    const gateway = build(portalId);
    gateways.set(portalId, { installedAt, gateway });
    return gateway;
  }

  async function context(
    portalId: number,
    userId: number | null,
    logger: FunctionLogger,
  ): Promise<FunctionContext> {
    const install = await activeInstall(portalId);
    if (install === null) throw notInstalled(portalId);
    const ctx: FunctionContext = { portalId, hubspot: gatewayOf(portalId, install.installedAt), now, logger };
    if (userId !== null) ctx.userId = userId;
    return ctx;
  }

  return {
    contextFor: (identity, logger) => context(identity.portalId, identity.userId, logger),
    jobContextFor: (portalId, logger) => context(portalId, null, logger),
    async gatewayFor(portalId) {
      const install = await activeInstall(portalId);
      return install === null ? null : gatewayOf(portalId, install.installedAt);
    },
    async servesPortal(portalId) {
      return (await activeInstall(portalId)) !== null;
    },
    async activePortals() {
      return (await deps.installations.listActive()).map((i) => i.portalId).sort((a, b) => a - b);
    },
    forget(portalId) {
      gateways.delete(portalId);
      installs.delete(portalId);
    },
  };
}

/** Dependencies of the single-portal registry. */
export interface SinglePortalRegistryDeps {
  /** The portal the process serves (its id from HubSpot's account details, as boot reads it). */
  portalId: number;
  /** Its gateway (already wrapped in the metadata cache). */
  gateway: HubSpotGateway;
  now?: () => Date;
}

/** Token or sandbox mode: one portal, one gateway; every other portal is NOT_FOUND. */
export function createSinglePortalRegistry(deps: SinglePortalRegistryDeps): PortalRegistry {
  const now = deps.now ?? (() => new Date());
  const { portalId, gateway } = deps;

  function context(asked: number, userId: number | null, logger: FunctionLogger): Promise<FunctionContext> {
    if (asked !== portalId) return Promise.reject(notInstalled(asked));
    const ctx: FunctionContext = { portalId, hubspot: gateway, now, logger };
    if (userId !== null) ctx.userId = userId;
    return Promise.resolve(ctx);
  }

  return {
    contextFor: (identity, logger) => context(identity.portalId, identity.userId, logger),
    jobContextFor: (asked, logger) => context(asked, null, logger),
    gatewayFor: (asked) => Promise.resolve(asked === portalId ? gateway : null),
    servesPortal: (asked) => Promise.resolve(asked === portalId),
    activePortals: () => Promise.resolve([portalId]),
    forget: () => undefined,
  };
}

/**
 * A gateway whose calls, when `recover` says so for their error, run once more. A search whose
 * pages already reached its handler is not run again (the handler would see them twice).
 */
export function withRejectedTokenRecovery(
  gateway: HubSpotGateway,
  recover: (error: unknown) => Promise<boolean>,
): HubSpotGateway {
  return new Proxy(gateway, {
    get(target, name, receiver) {
      const member: unknown = Reflect.get(target, name, receiver);
      if (typeof member !== 'function') return member;
      const method = member as (...args: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]): Promise<unknown> => {
        let delivered = false;
        const tracked = args.map((arg) =>
          typeof arg === 'function'
            ? (...inner: unknown[]): unknown => {
                delivered = true;
                return (arg as (...a: unknown[]) => unknown)(...inner);
              }
            : arg,
        );
        try {
          return await method.apply(target, tracked);
        } catch (e) {
          if (delivered || !(await recover(e))) throw e;
          return method.apply(target, tracked);
        }
      };
    },
  });
}

/**
 * The tenant gate of signed card routes (after the signature guard): 404 NOT_FOUND for a signed
 * portal that is not served, so no route reads input or storage for it.
 */
export function servedPortalGuard(servesPortal: (portalId: number) => Promise<boolean>): RequestHandler {
  return async (_req, res, next) => {
    const { portalId } = identityOf(res);
    if (await servesPortal(portalId)) {
      next();
      return;
    }
    res.locals.log.info({ portalId, metric: 'portal_not_served' }, 'request for a portal not served');
    next(notInstalled(portalId));
  };
}
