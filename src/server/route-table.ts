/**
 * Every HTTP route of the backend, in one table. Each entry must declare its auth; routes are
 * registered from the table only, and a test fails if the app holds a route the table does not
 * (the route-table test inspects Express's router stack).
 */
import type { Express, RequestHandler } from 'express';
import type { ActivityMetricsRouteDeps } from './routes/activity-metrics.js';
import { activityMetricsHandler } from './routes/activity-metrics.js';
import type { DealGuidanceRouteDeps } from './routes/deal-guidance.js';
import { dealGuidanceHandler } from './routes/deal-guidance.js';
import { dealActionRoutes } from './routes/deal-actions.js';
import type { DealActionsRouteDeps } from './routes/deal-actions.js';
import type { ReadinessProbe } from './routes/health.js';
import type { ProcessReportRouteDeps } from './routes/process-report.js';
import { processReportHandler } from './routes/process-report.js';
import type { PlaybookSettingsRouteDeps } from './routes/settings-playbooks.js';
import { playbookSettingsRoutes } from './routes/settings-playbooks.js';
import { settingsDirectoryRoutes } from './routes/settings-directory.js';
import type { CoachingSettingsRouteDeps } from './routes/settings-coaching.js';
import { coachingSettingsRoutes } from './routes/settings-coaching.js';
import type { TrainingRouteDeps } from './routes/training.js';
import { trainingRoutes } from './routes/training.js';
import type { CoachingPanelRouteDeps } from './routes/coaching-panel.js';
import { coachingPanelRoutes } from './routes/coaching-panel.js';
import type { CoachingNotesRouteDeps } from './routes/coaching-notes.js';
import { coachingNoteRoutes } from './routes/coaching-notes.js';
import type { WeeklyPackRouteDeps } from './routes/weekly-pack.js';
import { weeklyPackRoutes } from './routes/weekly-pack.js';
import { livenessHandler, readinessHandler } from './routes/health.js';
import type { OAuthRouteDeps } from './routes/oauth.js';
import { oauthRoutes } from './routes/oauth.js';
import { metricsHandler } from './prometheus.js';
import type { BackendMetrics } from './prometheus.js';
import type { WebhookRouteDeps } from './routes/webhooks.js';
import { WEBHOOK_BODY_LIMIT, webhookHandler } from './routes/webhooks.js';

/** How a route authenticates: HubSpot's request signature, our signed OAuth state, or not at all. */
export type RouteAuth = 'hubspotSignature' | 'oauthState' | 'public';
export const ROUTE_AUTH_MODES: readonly RouteAuth[] = ['hubspotSignature', 'oauthState', 'public'];

export type RouteMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One route: what it answers, how it authenticates, and who handles it. */
export interface RouteEntry {
  method: RouteMethod;
  /** Static segments and `:param` segments only (so the 404/405 fallback can match it too). */
  path: string;
  auth: RouteAuth;
  handler: RequestHandler;
  /** Body limit in bytes for this route (signed routes; default MAX_BODY_BYTES, at most 1 MB). */
  bodyLimit?: number;
  /** Signed routes: 'none' when the portal is in the signed body, not the query (webhooks). */
  signedIdentity?: 'query' | 'none';
}

export interface RouteTableDeps {
  /** GET /api/v1/settings/pipelines and /directory (super admins: the settings page's pickers); served when true. */
  settingsDirectory?: boolean | undefined;
  /** GET /metrics (Prometheus), behind the bearer token when one is set; served only when given. */
  metrics?: { metrics: BackendMetrics; tokenDigest: Buffer | null } | undefined;
  functions: {
    activityMetrics: ActivityMetricsRouteDeps['activityMetrics'];
    /** Optional so harnesses that test other routes need not fake it; the route exists only when given. */
    dealGuidance?: DealGuidanceRouteDeps['dealGuidance'];
  };
  contextFor: ActivityMetricsRouteDeps['contextFor'];
  readiness: readonly ReadinessProbe[];
  /** The deal card's waiver and follow-up POST routes; served only when given. */
  dealActions?: Omit<DealActionsRouteDeps, 'contextFor'> | undefined;
  /** POST /webhooks/hubspot exists only when given. */
  webhooks?: WebhookRouteDeps;
  /** GET/PUT/DELETE /api/v1/settings/playbooks/:pipelineId (super admins); served only when given. */
  playbookSettings?: Omit<PlaybookSettingsRouteDeps, 'contextFor'> | undefined;
  /** GET /api/v1/process-report (super admins); served only when given. */
  processReport?: ProcessReportRouteDeps['processReport'] | undefined;
  /** GET/PUT /api/v1/settings/{coaches,targets,training-catalogue,training-rules} (super admins); served only when given. */
  coachingSettings?: Omit<CoachingSettingsRouteDeps, 'contextFor'> | undefined;
  /** POST /api/v1/training/assignments and .../:assignmentId/complete; served only when given. */
  training?: Omit<TrainingRouteDeps, 'contextFor'> | undefined;
  /** GET /api/v1/coaching-panel (the contact card); served only when given. */
  coachingPanel?: CoachingPanelRouteDeps['coachingPanel'] | undefined;
  /** POST /api/v1/coaching/notes, PATCH/DELETE /api/v1/coaching/notes/:noteId; served only when given. */
  coachingNotes?: Omit<CoachingNotesRouteDeps, 'contextFor'> | undefined;
  /** GET /api/v1/weekly-pack and /api/v1/weekly-pack/teams (the home page's meeting pack); served only when given. */
  weeklyPack?: WeeklyPackRouteDeps['weeklyPack'] | undefined;
  /**
   * OAuth mode: GET /oauth/install, /oauth/callback (auth oauthState), /oauth/installed, and the
   * signed GET /api/v1/settings/connection and POST .../disconnect; served only when given.
   */
  oauth?: Omit<OAuthRouteDeps, 'contextFor'> | undefined;
}

/** The backend's routes. */
export function buildRouteTable(deps: RouteTableDeps): RouteEntry[] {
  const dealGuidance = deps.functions.dealGuidance;
  return [
    { method: 'get', path: '/healthz', auth: 'public', handler: livenessHandler() },
    { method: 'get', path: '/readyz', auth: 'public', handler: readinessHandler(deps.readiness) },
    ...(deps.metrics
      ? [
          {
            method: 'get',
            path: '/metrics',
            auth: 'public',
            handler: metricsHandler(deps.metrics.metrics, deps.metrics.tokenDigest),
          } satisfies RouteEntry,
        ]
      : []),
    {
      method: 'get',
      path: '/api/v1/activity-metrics',
      auth: 'hubspotSignature',
      handler: activityMetricsHandler({
        activityMetrics: deps.functions.activityMetrics,
        contextFor: deps.contextFor,
      }),
    },
    ...(dealGuidance
      ? [
          {
            method: 'get',
            path: '/api/v1/deal-guidance',
            auth: 'hubspotSignature',
            handler: dealGuidanceHandler({ dealGuidance, contextFor: deps.contextFor }),
          } satisfies RouteEntry,
        ]
      : []),
    ...(deps.dealActions ? dealActionRoutes({ ...deps.dealActions, contextFor: deps.contextFor }) : []),
    ...(deps.playbookSettings
      ? playbookSettingsRoutes({ ...deps.playbookSettings, contextFor: deps.contextFor })
      : []),
    ...(deps.settingsDirectory ? settingsDirectoryRoutes({ contextFor: deps.contextFor }) : []),
    ...(deps.coachingSettings
      ? coachingSettingsRoutes({ ...deps.coachingSettings, contextFor: deps.contextFor })
      : []),
    ...(deps.training ? trainingRoutes({ ...deps.training, contextFor: deps.contextFor }) : []),
    ...(deps.coachingPanel
      ? coachingPanelRoutes({ coachingPanel: deps.coachingPanel, contextFor: deps.contextFor })
      : []),
    ...(deps.coachingNotes ? coachingNoteRoutes({ ...deps.coachingNotes, contextFor: deps.contextFor }) : []),
    ...(deps.weeklyPack
      ? weeklyPackRoutes({ weeklyPack: deps.weeklyPack, contextFor: deps.contextFor })
      : []),
    ...(deps.processReport
      ? [
          {
            method: 'get',
            path: '/api/v1/process-report',
            auth: 'hubspotSignature',
            handler: processReportHandler({ processReport: deps.processReport, contextFor: deps.contextFor }),
          } satisfies RouteEntry,
        ]
      : []),
    ...(deps.oauth ? oauthRoutes({ ...deps.oauth, contextFor: deps.contextFor }) : []),
    ...(deps.webhooks
      ? [
          {
            method: 'post',
            path: '/webhooks/hubspot',
            auth: 'hubspotSignature',
            signedIdentity: 'none',
            bodyLimit: WEBHOOK_BODY_LIMIT,
            handler: webhookHandler(deps.webhooks),
          } satisfies RouteEntry,
        ]
      : []),
  ];
}

/** The middleware each auth mode puts in front of a handler; a mode without a guard cannot be registered. */
export interface AuthGuards {
  hubspotSignature: (entry: RouteEntry) => RequestHandler[];
  oauthState?: (entry: RouteEntry) => RequestHandler[];
}

const PATH_SYNTAX = /^(\/|(\/(:[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+))+)$/;

/** A case-insensitive matcher for a table path, tolerant of one trailing slash (as Express is). */
export function compilePath(path: string): RegExp {
  if (!PATH_SYNTAX.test(path))
    throw new Error(`route path ${path} uses syntax the route table does not allow`);
  const body = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${path === '/' ? '' : body}/?$`, 'i');
}

/** The methods the table accepts for a request path (HEAD with GET, as Express answers it); [] when unknown. */
export function allowedMethods(table: readonly RouteEntry[], pathname: string): string[] {
  const methods = new Set<string>();
  for (const entry of table) {
    if (!compilePath(entry.path).test(pathname)) continue;
    methods.add(entry.method.toUpperCase());
    if (entry.method === 'get') methods.add('HEAD');
  }
  return [...methods].sort();
}

function guardsFor(entry: RouteEntry, guards: AuthGuards): RequestHandler[] {
  switch (entry.auth) {
    case 'hubspotSignature':
      return guards.hubspotSignature(entry);
    case 'oauthState':
      if (guards.oauthState === undefined) {
        throw new Error(
          `${entry.method.toUpperCase()} ${entry.path} needs the oauthState guard, which is not wired`,
        );
      }
      return guards.oauthState(entry);
    case 'public':
      if (entry.bodyLimit !== undefined)
        throw new Error(`public route ${entry.path} reads no body; drop bodyLimit`);
      return [];
    default: {
      // A route whose auth is missing or misspelt (e.g. from untyped code) is refused at boot.
      const auth: never = entry.auth;
      throw new Error(`route ${String(entry.path)} declares unknown auth ${String(auth)}`);
    }
  }
}

/** Register every entry on the app, guard first; refuses duplicates and undeclared auth at boot. */
export function registerRoutes(app: Express, table: readonly RouteEntry[], guards: AuthGuards): void {
  const seen = new Set<string>();
  for (const entry of table) {
    compilePath(entry.path);
    const key = `${entry.method} ${entry.path.toLowerCase()}`;
    if (seen.has(key)) throw new Error(`route ${key} is declared twice`);
    seen.add(key);
    app.route(entry.path)[entry.method](...guardsFor(entry, guards), entry.handler);
  }
}
