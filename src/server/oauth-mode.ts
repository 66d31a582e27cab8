/**
 * Everything OAuth (marketplace) mode adds to the composition root, built in one place so boot.ts
 * and the integration tests wire the same thing: the token cipher and provider, the portal
 * registry, the OAuth routes' dependencies, the purge job and the privacy deletion hook.
 */
import { AppError } from '../core/errors.js';
import type { FunctionLogger } from '../functions/context.js';
import { DEFAULT_TIMEOUT_MS, createHubSpotAgent } from '../hubspot/index.js';
import type { GatewayLogger, HubSpotGatewayOptions, PortalThrottle } from '../hubspot/index.js';
import { deleteContactData, purgeDueJob, purgePortal } from '../jobs/purge.js';
import type { PurgeSummary } from '../jobs/purge.js';
import { APP_REQUIRED_SCOPES } from '../oauth/app-scopes.js';
import { createHubSpotAppUninstall } from '../oauth/app-uninstall.js';
import { createHubSpotTokenEndpoint } from '../oauth/hubspot-token-endpoint.js';
import { createInstaller } from '../oauth/installer.js';
import { createOAuthState } from '../oauth/oauth-state.js';
import { createTokenCipher, parseTokenKeys } from '../oauth/token-cipher.js';
import type { TokenProvider } from '../oauth/token-provider.js';
import { createTokenProvider } from '../oauth/token-provider.js';
import type { Store } from '../store/ports.js';
import type { Config } from './config.js';
import { stateKeyBytes } from './config.js';
import type { RouteTableDeps } from './route-table.js';
import { createPortalRegistry } from './tenancy.js';
import type { PortalRegistry } from './tenancy.js';

const DAY_MS = 24 * 60 * 60_000;

/** What buildOAuthMode needs. */
export interface OAuthModeDeps {
  /** A config in OAuth mode (config.oauth set). */
  config: Config;
  store: Store;
  /** The process's per-portal throttle (in-process or Redis). */
  throttle: PortalThrottle;
  logger: GatewayLogger & FunctionLogger;
  /** How long each portal's owners, users, teams and pipelines are cached (boot's METADATA_TTL_MS). */
  metadataTtlMs: number;
  /** The clock of tokens, states and function contexts; default real time. */
  now?: () => Date;
  /** Called once per HubSpot attempt of any portal's gateway (metrics.onHubSpotRequest). */
  onRequest?: HubSpotGatewayOptions['onRequest'];
}

/** The pieces of OAuth mode. */
export interface OAuthMode {
  /** Every active installation: contextFor, jobContextFor, gatewayFor, servesPortal, activePortals, forget. */
  registry: PortalRegistry;
  tokens: TokenProvider;
  /** createApp's `oauth` dependency (the install, callback, connection and disconnect routes). */
  routes: NonNullable<RouteTableDeps['oauth']>;
  /** Purge every portal whose retention passed (run it on a timer; safe on several processes). */
  purgeDue(): Promise<PurgeSummary>;
  /** The webhook handlers' deleteContactData (privacy deletion). */
  deleteContactData(portalId: number, contactId: string): Promise<number>;
  /** Release the shared HubSpot connection pool (boot's close). */
  close(): void;
}

/** Build OAuth mode from the config; CONFIG_INVALID when the config is not in OAuth mode. */
export function buildOAuthMode(deps: OAuthModeDeps): OAuthMode {
  const { config, store, logger } = deps;
  const oauth = config.oauth;
  const clientId = config.hubspot.clientId;
  if (config.hubspot.mode !== 'oauth' || oauth === null || clientId === null) {
    throw new AppError('CONFIG_INVALID', 'OAuth mode needs HUBSPOT_CLIENT_ID and its OAuth settings');
  }
  const now = deps.now ?? (() => new Date());
  const basePath = config.hubspot.apiBaseUrl;
  const clientSecret = config.hubspot.clientSecret.reveal();
  const cipher = createTokenCipher(parseTokenKeys(oauth.tokenKeys.reveal()));
  const exchange = createHubSpotTokenEndpoint({ basePath, clientId, clientSecret });
  const tokens = createTokenProvider({
    store: store.installations,
    cipher,
    exchange,
    now,
    retentionMs: oauth.retentionDays * DAY_MS,
  });
  // One keep-alive agent for every portal's gateway (a per-portal agent would hold sockets per portal).
  const httpAgent = createHubSpotAgent({
    basePath,
    idleTimeoutMs: DEFAULT_TIMEOUT_MS + 250,
    maxSockets: 64,
  });
  const registry = createPortalRegistry({
    installations: store.installations,
    tokens,
    gateway: {
      basePath,
      throttle: deps.throttle,
      logger,
      httpAgent,
      ...(deps.onRequest === undefined ? {} : { onRequest: deps.onRequest }),
    },
    metadataTtlMs: deps.metadataTtlMs,
    now,
  });
  const routes: OAuthMode['routes'] = {
    state: createOAuthState({
      key: stateKeyBytes(oauth.stateKey),
      hubspotClientSecret: clientSecret,
      store: store.installations,
      now,
    }),
    installer: createInstaller({ store: store.installations, cipher, exchange, now }),
    installations: store.installations,
    tokens,
    uninstallApp: createHubSpotAppUninstall({ basePath }),
    idempotency: store.idempotency,
    purge: (portalId) => purgePortal(store, portalId),
    forget: (portalId) => registry.forget(portalId),
    clientId,
    redirectUrl: oauth.redirectUrl,
    retentionDays: oauth.retentionDays,
    authorizeUrl: oauth.authorizeUrl,
    scopes: APP_REQUIRED_SCOPES,
    now,
  };
  return {
    registry,
    tokens,
    routes,
    purgeDue: () => purgeDueJob({ store, logger, now, onPurged: (portalId) => registry.forget(portalId) }),
    deleteContactData: (portalId, contactId) => deleteContactData(store, portalId, contactId),
    close: () => httpAgent.destroy(),
  };
}
