/**
 * The composition root of the backend: reads the environment once, opens storage, connects the
 * HubSpot side (a real portal's token, or the built-in sandbox with a generated demo portal), builds
 * the app and listens. `npm start` and the integration tests both boot through here.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { AppError } from '../core/errors.js';
import { createActivityMetrics } from '../functions/activity-metrics/activity-metrics.js';
import type { FunctionContext } from '../functions/context.js';
import { createDealGuidance } from '../functions/deal-guidance/deal-guidance.js';
import type { DealGuidanceFunction } from '../functions/deal-guidance/deal-guidance.js';
import { createProcessReport } from '../functions/process-report/process-report.js';
import { createCoachingSettings, PORTAL_DEFAULTS } from '../functions/coaching/coaching-settings.js';
import type { CoachingSettings } from '../functions/coaching/coaching-settings.js';
import { createCoachingPanel } from '../functions/coaching/coaching-panel.js';
import { createCurrentWeekCache } from '../functions/coaching/team-series.js';
import type { CoachingPanelFunction } from '../functions/coaching/coaching-panel.js';
import { createWeeklyPack } from '../functions/weekly-pack/weekly-pack.js';
import type { WeeklyPackFunction } from '../functions/weekly-pack/weekly-pack.js';
import { createCoachingNotes } from '../functions/coaching/coaching-notes.js';
import { createAssignTraining } from '../functions/training/assign-training.js';
import type { AssignTraining } from '../functions/training/assign-training.js';
import { createCompleteTraining } from '../functions/training/complete-training.js';
import type { CompleteTraining } from '../functions/training/complete-training.js';
import { DEFAULT_RULES, DEMO_CATALOGUE, DEMO_TARGETS } from '../functions/training/default-catalogue.js';
import { runTrainingRules, trainingRulesJob } from '../jobs/training-rules.js';
import { createScheduler, type Scheduler } from '../jobs/scheduler.js';
import { stageTimingJob } from '../jobs/stage-timing.js';
import { weeklySnapshotJob } from '../jobs/weekly-snapshots.js';
import { createBackendMetrics, type BackendMetrics } from './prometheus.js';
import { buildOAuthMode, type OAuthMode } from './oauth-mode.js';
import { createSinglePortalRegistry, type PortalRegistry } from './tenancy.js';
import { deleteContactData } from '../jobs/purge.js';
import type { TrainingRulesSummary } from '../jobs/training-rules.js';
import { runTrainingSync, trainingSyncJob } from '../jobs/training-sync.js';
import type { TrainingSyncSummary } from '../jobs/training-sync.js';
import type { HubSpotGateway } from '../hubspot/gateway.js';
import { createHubSpotGateway, createInProcessThrottle, createRedisThrottle } from '../hubspot/index.js';
import { withMetadataCache } from '../hubspot/metadata-cache.js';
import type { PortalThrottle } from '../hubspot/index.js';
import { generateDemoPortal } from '../sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../sandbox/index.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/ports.js';
import { createApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createWebhookHandlers } from '../webhooks/handlers.js';
import { createWebhookProcessor, type WebhookProcessor } from '../webhooks/processor.js';

/** Latency the embedded sandbox adds to each response, so the app behaves as it would against HubSpot. */
export const EMBEDDED_SANDBOX_LATENCY_MS = 20;
/**
 * How long owners, users, pipelines and call outcomes are cached per portal (team changes show within
 * this; so do super-admin rights, which requireAdmin reads from the cached users).
 */
export const METADATA_TTL_MS = 5 * 60_000;

/** A running backend. */
export interface Backend {
  url: string;
  config: Config;
  logger: Logger;
  store: Store;
  /**
   * The one portal served in token or sandbox mode. In OAuth (marketplace) mode there is none:
   * reading it throws CONFIG_INVALID (use `registry`).
   */
  readonly portalId: number;
  /** The portals this process serves, and their contexts (one portal, or every active installation). */
  registry: PortalRegistry;
  /** OAuth mode's pieces (token provider, purge), null in token or sandbox mode. */
  oauth: OAuthMode | null;
  /** The deal-guidance function as served (its cache hooks: invalidateDeal, clearCache, refreshStageTiming). */
  dealGuidance: DealGuidanceFunction;
  /** The embedded sandbox, when no HubSpot token is configured. */
  sandbox: { url: string; token: string; instance: Sandbox } | null;
  /** The webhook processor (started at boot unless options.webhooks.autostart is false; stopped by close). */
  webhookProcessor: WebhookProcessor;
  /** The job scheduler (started at boot when SCHEDULER_INTERVAL_MS > 0; stopped by close). */
  scheduler: Scheduler;
  /** This process's Prometheus metrics (served at GET /metrics). */
  metrics: BackendMetrics;
  /** The coaching panel function as served (its cache hooks: invalidateRep, clearCache, ...). */
  coachingPanel: CoachingPanelFunction;
  /** The weekly meeting pack as served (its cache hooks: invalidatePortal, clearCache). */
  weeklyPack: WeeklyPackFunction;
  /** The portal-wide week in progress shared by the panel and the pack (clear: benchmarks, tests). */
  currentWeek: { clear(portalId?: number): void };
  /** The training pillar as served: its settings reader, functions and jobs for the served portal. */
  training: {
    settings: CoachingSettings;
    assign: AssignTraining;
    complete: CompleteTraining;
    /** The weekly rules for a portal (default: the one served in token or sandbox mode). */
    runRules(options?: { week?: string; portalId?: number }): Promise<TrainingRulesSummary>;
    runSync(options?: { portalId?: number }): Promise<TrainingSyncSummary>;
  };
  close(): Promise<void>;
}

export interface BootOptions {
  /** Overrides for tests: a ready sandbox instead of a generated one. */
  sandbox?: Sandbox;
  /** Webhook processor: poll interval (default WEBHOOK_POLL_MS) and whether boot starts it (default true). */
  webhooks?: { intervalMs?: number; autostart?: boolean };
  /** The functions' clock (ctx.now of card requests); tests pin it to a demo portal's anchor. Default: real time. */
  now?: () => Date;
}

/** How often uninstalled portals past their retention are looked for (OAuth mode). */
export const PURGE_INTERVAL_MS = 60 * 60_000;

/** How often the webhook processor looks for due events. */
export const WEBHOOK_POLL_MS = 1000;

/** Boot the backend from an environment object (only this function and the CLI read process.env). */
export async function startBackend(
  env: Record<string, string | undefined>,
  options: BootOptions = {},
): Promise<Backend> {
  const config = loadConfig(env);
  const logger = createLogger(config);

  const store = await openStore(
    config.storage.kind === 'postgres'
      ? { kind: 'postgres', url: config.storage.url.reveal() }
      : { kind: 'sqlite', file: config.storage.file },
  );
  const metrics = createBackendMetrics();
  const throttle: PortalThrottle = config.redisUrl
    ? createRedisThrottle({ redisUrl: config.redisUrl.reveal() })
    : createInProcessThrottle();

  // Marketplace (OAuth) mode serves every active installation; otherwise one portal: the one the
  // token (or the embedded sandbox) belongs to, its id asked of HubSpot itself.
  const oauthMode =
    config.hubspot.mode === 'oauth'
      ? buildOAuthMode({
          config,
          store,
          throttle,
          logger,
          metadataTtlMs: METADATA_TTL_MS,
          ...(options.now ? { now: options.now } : {}),
          onRequest: metrics.onHubSpotRequest,
        })
      : null;
  let sandbox: Backend['sandbox'] = null;
  let registry: PortalRegistry;
  let servedPortalId: number | null = null;
  if (oauthMode) {
    registry = oauthMode.registry;
  } else {
    const single = await connectSinglePortal(config, options, { throttle, logger, metrics }).catch(
      async (e: unknown) => {
        await Promise.allSettled([store.close(), throttle.close()]);
        throw e;
      },
    );
    sandbox = single.sandbox;
    servedPortalId = single.portalId;
    registry = createSinglePortalRegistry({
      portalId: single.portalId,
      gateway: single.gateway,
      ...(options.now ? { now: options.now } : {}),
    });
  }

  const activityMetrics = createActivityMetrics();
  const dealGuidance = createDealGuidance({ settings: store.settings, waivers: store.waivers });
  const contextFor = (
    identity: { portalId: number; userId: number | null },
    log: FunctionContext['logger'],
  ) => registry.contextFor(identity, log);

  // The demo portal gets the demo catalogue and targets; a real portal starts empty (ops fills them in).
  const coachingSettings = createCoachingSettings(
    store.settings,
    config.hubspot.mode === 'sandbox'
      ? { catalogue: DEMO_CATALOGUE, targets: DEMO_TARGETS, rules: DEFAULT_RULES }
      : PORTAL_DEFAULTS,
  );
  // The contact card's coaching panel and notes (notes and assignments are read fresh on every view;
  // the hooks drop the rep's cached insights all the same).
  // The week in progress, portal-wide, shared by the panel and the pack for a couple of minutes.
  const currentWeek = createCurrentWeekCache(activityMetrics);
  const coachingPanel = createCoachingPanel({
    settings: coachingSettings,
    currentWeek,
    activityMetrics,
    snapshots: store.snapshots,
    notes: store.coachingNotes,
    assignments: store.trainingAssignments,
    exceptions: store.exceptions,
  });
  // The home page's weekly meeting pack: the same team series, settings and assignments as the panel.
  const weeklyPack = createWeeklyPack({
    settings: coachingSettings,
    currentWeek,
    portalSettings: store.settings,
    activityMetrics,
    snapshots: store.snapshots,
    assignments: store.trainingAssignments,
    exceptions: store.exceptions,
  });
  const coachingNotes = createCoachingNotes({
    settings: coachingSettings,
    notes: store.coachingNotes,
    onChange: (p, repOwnerId) => coachingPanel.invalidateRep(p, repOwnerId),
  });
  // Training assignments changed for a rep (opened, task recorded, completed): caches derived from
  // them (the coaching panel's) are dropped here.
  const trainingChanged = (changedPortalId: number, repOwnerId: string): void => {
    logger.debug({ portalId: changedPortalId, repOwnerId }, 'training assignments changed');
    coachingPanel.invalidateRep(changedPortalId, repOwnerId);
    weeklyPack.invalidatePortal(changedPortalId);
  };
  const assignTraining = createAssignTraining({
    settings: coachingSettings,
    assignments: store.trainingAssignments,
    onAssignmentChanged: trainingChanged,
  });
  const completeTraining = createCompleteTraining({
    settings: coachingSettings,
    assignments: store.trainingAssignments,
    onAssignmentChanged: trainingChanged,
  });
  const jobLogger = logger.child({ component: 'jobs' });
  const jobContext = (p: number): Promise<FunctionContext> => registry.jobContextFor(p, jobLogger);
  // The CLI-style entry points (runRules, runSync) act on the one served portal unless told which.
  const onePortal = (p: number | undefined): number => {
    const id = p ?? servedPortalId;
    if (id === null) throw new AppError('INVALID_INPUT', 'OAuth mode serves many portals: name the portal');
    return id;
  };

  const webhookProcessor = createWebhookProcessor({
    store: store.webhooks,
    logger: logger.child({ component: 'webhooks' }),
    handlers: createWebhookHandlers({
      settings: store.settings,
      waivedCriteria: async (p, dealId, stageId) =>
        (await store.waivers.listForDeal(p, dealId))
          .filter((w) => w.stageId === stageId)
          .map((w) => w.criterionId),
      gatewayFor: (p) => registry.gatewayFor(p),
      deleteContactData: (p, contactId) => deleteContactData(store, p, contactId),
      invalidateDeal: (p, dealId) => dealGuidance.invalidateDeal(p, dealId),
      webhooks: store.webhooks,
      exceptions: store.exceptions,
      logger: logger.child({ component: 'webhooks' }),
      trainingTasks: completeTraining,
    }),
  });

  // Scheduled jobs, once per period across every process sharing the database; snapshots first,
  // since the training rules read the weeks they write.
  const scheduler = createScheduler({
    jobRuns: store.jobRuns,
    portals: () => registry.activePortals(),
    contextFor: jobContext,
    jobs: [
      weeklySnapshotJob({ activityMetrics, snapshots: store.snapshots }),
      stageTimingJob(dealGuidance),
      trainingRulesJob({
        settings: coachingSettings,
        snapshots: store.snapshots,
        jobRuns: store.jobRuns,
        assignments: store.trainingAssignments,
        assignTraining,
        activityMetrics,
      }),
      trainingSyncJob({ assignments: store.trainingAssignments, completeTraining, assignTraining }),
    ],
    logger: logger.child({ component: 'scheduler' }),
    onOutcome: metrics.onJobOutcome,
  });

  const app = createApp({
    config,
    logger,
    metrics,
    functions: { activityMetrics, dealGuidance },
    dealActions: { dealGuidance, waivers: store.waivers, idempotency: store.idempotency },
    playbookSettings: {
      settings: store.settings,
      idempotency: store.idempotency,
      invalidatePortal: (p) => dealGuidance.invalidatePortal(p),
    },
    settingsDirectory: true,
    processReport: createProcessReport({
      settings: store.settings,
      waivers: store.waivers,
      exceptions: store.exceptions,
    }),
    coachingSettings: {
      settings: store.settings,
      coachingSettings,
      assignments: store.trainingAssignments,
      idempotency: store.idempotency,
      // Targets, coaches, the catalogue or the rules changed: what the panel and the pack derived
      // from them is dropped at once (otherwise it would show for up to their cache lifetimes).
      onSettingsChanged: (p) => {
        coachingPanel.invalidatePortal(p);
        weeklyPack.invalidatePortal(p);
      },
    },
    training: { assignTraining, completeTraining, idempotency: store.idempotency },
    coachingPanel,
    coachingNotes: { notes: coachingNotes, idempotency: store.idempotency },
    weeklyPack,
    contextFor,
    readiness: [() => store.health()],
    servesPortal: (p) => registry.servesPortal(p),
    // Events of a portal not served (unknown, uninstalled) are acknowledged and dropped.
    webhooks: { webhooks: store.webhooks, servesPortal: (p) => registry.servesPortal(p) },
    ...(oauthMode ? { oauth: oauthMode.routes } : {}),
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.server.port, config.server.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host}:${address.port}`;
  logger.info(
    { url, portalId: servedPortalId, storage: config.storage.kind, hubspot: config.hubspot.mode },
    'Pillars backend listening',
  );
  if (options.webhooks?.autostart !== false)
    webhookProcessor.start(options.webhooks?.intervalMs ?? WEBHOOK_POLL_MS);
  if (config.schedulerIntervalMs > 0) scheduler.start(config.schedulerIntervalMs);
  // Uninstalled portals past their retention are purged (OAuth mode; safe on several processes).
  const purgeTimer =
    oauthMode && config.schedulerIntervalMs > 0
      ? setInterval(() => {
          oauthMode
            .purgeDue()
            .catch((e: unknown) => logger.warn({ err: e }, 'purge of uninstalled portals failed'));
        }, PURGE_INTERVAL_MS).unref()
      : null;

  const backend: Omit<Backend, 'portalId'> = {
    url,
    config,
    logger,
    store,
    registry,
    oauth: oauthMode,
    dealGuidance,
    coachingPanel,
    weeklyPack,
    currentWeek,
    sandbox,
    webhookProcessor,
    scheduler,
    metrics,
    training: {
      settings: coachingSettings,
      assign: assignTraining,
      complete: completeTraining,
      runRules: async ({ portalId: asked, ...options } = {}) =>
        runTrainingRules(
          await jobContext(onePortal(asked)),
          {
            settings: coachingSettings,
            snapshots: store.snapshots,
            jobRuns: store.jobRuns,
            assignments: store.trainingAssignments,
            assignTraining,
            activityMetrics,
          },
          options,
        ),
      runSync: async ({ portalId: asked } = {}) =>
        runTrainingSync(await jobContext(onePortal(asked)), {
          assignments: store.trainingAssignments,
          completeTraining,
          assignTraining,
        }),
    },
    async close() {
      if (purgeTimer) clearInterval(purgeTimer);
      await scheduler.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await webhookProcessor.stop();
      server.closeAllConnections();
      await Promise.allSettled([store.close(), throttle.close()]);
      if (sandbox && !options.sandbox) await sandbox.instance.stop();
      oauthMode?.close();
    },
  };
  return Object.defineProperty(backend, 'portalId', {
    enumerable: true,
    get(): number {
      if (servedPortalId === null)
        throw new AppError('CONFIG_INVALID', 'an OAuth backend serves many portals: use backend.registry');
      return servedPortalId;
    },
  }) as Backend;
}

/** What single-portal mode connects to: the embedded sandbox, or one portal through its token. */
async function connectSinglePortal(
  config: Config,
  options: BootOptions,
  deps: { throttle: PortalThrottle; logger: Logger; metrics: BackendMetrics },
): Promise<{ portalId: number; gateway: HubSpotGateway; sandbox: Backend['sandbox'] }> {
  let sandbox: Backend['sandbox'] = null;
  let token: string;
  let basePath: string;
  if (config.hubspot.mode === 'sandbox') {
    const instance =
      options.sandbox ??
      createSandbox({
        portals: [generateDemoPortal({ seed: config.sandbox.seed, size: config.sandbox.size })],
        latencyMs: EMBEDDED_SANDBOX_LATENCY_MS,
      });
    const url = options.sandbox ? instance.baseUrl : (await instance.start(0, '127.0.0.1')).baseUrl;
    token = instance.tokenFor(firstPortalId(instance));
    basePath = url;
    sandbox = { url, token, instance };
  } else {
    token = config.hubspot.accessToken?.reveal() ?? '';
    basePath = config.hubspot.apiBaseUrl;
  }
  const common = { accessToken: token, basePath, throttle: deps.throttle, logger: deps.logger };
  const onRequest = deps.metrics.onHubSpotRequest;
  try {
    const portalId = (await createHubSpotGateway({ ...common, onRequest }).getPortalDetails()).portalId;
    const gateway = withMetadataCache(createHubSpotGateway({ ...common, portalId, onRequest }), {
      ttlMs: METADATA_TTL_MS,
    });
    return { portalId, gateway, sandbox };
  } catch (e) {
    if (sandbox && !options.sandbox) await sandbox.instance.stop();
    throw e;
  }
}

function firstPortalId(sandbox: Sandbox): number {
  const ids = sandbox.portalIds();
  const first = ids[0];
  if (first === undefined) throw new AppError('CONFIG_INVALID', 'the sandbox has no portal');
  return first;
}
