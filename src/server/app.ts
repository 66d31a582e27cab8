/**
 * The Express application, built from injected dependencies (no module-level state): request
 * context, routes from the route table behind their declared auth, the 404/405 fallback and the
 * one error middleware. The composition root (not this file) builds the real dependencies.
 */
import express from 'express';
import type { ActivityMetricsInput, DealGuidance, MetricsReport } from '@pillars/contracts';
import type { DealGuidanceInput } from '../functions/deal-guidance/deal-guidance.js';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../functions/context.js';
import type { Config } from './config.js';
import { errorMiddleware, routeFallback } from './error-middleware.js';
import { hubspotSignatureGuard } from './hubspot-signature.js';
import { oauthStateGuard } from './routes/oauth.js';
import { servedPortalGuard } from './tenancy.js';
import type { Logger } from './logger.js';
import { digestToken, httpMetrics } from './prometheus.js';
import type { BackendMetrics } from './prometheus.js';
import { requestContext } from './request-context.js';
import type { SignedIdentity } from './request-context.js';
import { buildRouteTable, registerRoutes } from './route-table.js';
import type { RouteEntry, RouteTableDeps } from './route-table.js';
import type { ReadinessProbe } from './routes/health.js';
import type { WebhookRouteDeps } from './routes/webhooks.js';

/** Everything the app needs, injected. */
export interface AppDeps {
  config: Config;
  logger: Logger;
  /** Prometheus metrics: every request is observed, and GET /metrics serves them (see buildMetricsRoute). */
  metrics?: BackendMetrics;
  functions: {
    activityMetrics: PillarsFunction<ActivityMetricsInput, MetricsReport>;
    /** GET /api/v1/deal-guidance is served only when given (test harnesses of other routes omit it). */
    dealGuidance?: PillarsFunction<DealGuidanceInput, DealGuidance>;
  };
  /** The function context for a signed identity; throws AppError NOT_FOUND for an unknown portal. */
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
  /** Readiness probes for GET /readyz (e.g. the store's health check). */
  readiness: ReadinessProbe[];
  /** POST /api/v1/deal-guidance/waivers and /follow-up are served only when given. */
  dealActions?: RouteTableDeps['dealActions'];
  /** POST /webhooks/hubspot is served only when given. */
  webhooks?: WebhookRouteDeps;
  /** The playbook settings routes (super admins); served only when given. */
  playbookSettings?: RouteTableDeps['playbookSettings'];
  /** GET /api/v1/settings/pipelines and /directory (super admins); served when true. */
  settingsDirectory?: boolean;
  /** GET /api/v1/process-report (super admins); served only when given. */
  processReport?: RouteTableDeps['processReport'];
  /** The coaching and training settings routes (super admins); served only when given. */
  coachingSettings?: RouteTableDeps['coachingSettings'];
  /** The training assignment routes of the contact card; served only when given. */
  training?: RouteTableDeps['training'];
  /** GET /api/v1/coaching-panel; served only when given. */
  coachingPanel?: RouteTableDeps['coachingPanel'];
  /** The coaching note routes of the contact card; served only when given. */
  coachingNotes?: RouteTableDeps['coachingNotes'];
  /** GET /api/v1/weekly-pack and /api/v1/weekly-pack/teams; served only when given. */
  weeklyPack?: RouteTableDeps['weeklyPack'];
  /**
   * When given, every signed card route answers 404 (NOT_FOUND, "Pillars is not installed ...") for a
   * signed portal this backend does not serve, before the route runs (PortalRegistry.servesPortal).
   */
  servesPortal?: (portalId: number) => Promise<boolean>;
  /** OAuth mode: the install, callback, connection and disconnect routes; served only when given. */
  oauth?: RouteTableDeps['oauth'];
  /** Clock in ms since the epoch (signature freshness, timings); defaults to Date.now. */
  now?: () => number;
}

/** Build the Express app from its dependencies. */
export function createApp(deps: AppDeps): express.Express {
  const now = deps.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  // Signed URLs come from the configured public origin, so proxy headers are never trusted.
  app.set('trust proxy', false);
  app.set('etag', false);

  app.use(requestContext(deps.logger, now));
  if (deps.metrics) app.use(httpMetrics(deps.metrics));
  app.use((_req, res, next) => {
    res.set('x-content-type-options', 'nosniff');
    next();
  });

  // /metrics needs its token in production; elsewhere it is open (a scraper on the same host).
  const metricsToken = deps.config.metricsToken;
  const metricsRoute =
    deps.metrics && (metricsToken !== null || deps.config.env !== 'production')
      ? {
          metrics: deps.metrics,
          tokenDigest: metricsToken === null ? null : digestToken(metricsToken.reveal()),
        }
      : undefined;
  const table: RouteEntry[] = buildRouteTable({ ...deps, metrics: metricsRoute });
  const oauth = deps.oauth;
  const servesPortal = deps.servesPortal;
  registerRoutes(app, table, {
    hubspotSignature: (entry) => [
      ...hubspotSignatureGuard({
        secret: deps.config.hubspot.clientSecret,
        publicOrigin: deps.config.server.publicOrigin,
        now,
        bodyLimit: entry.bodyLimit ?? deps.config.server.maxBodyBytes,
        identity: entry.signedIdentity ?? 'query',
      }),
      // The tenant gate: a portal that is not served gets 404 before any route reads its input.
      ...(servesPortal && (entry.signedIdentity ?? 'query') === 'query'
        ? [servedPortalGuard(servesPortal)]
        : []),
    ],
    ...(oauth ? { oauthState: () => oauthStateGuard(oauth.state) } : {}),
  });

  app.use(routeFallback(table));
  app.use(errorMiddleware(deps.logger));
  return app;
}
