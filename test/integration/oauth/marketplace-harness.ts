/**
 * The OAuth (marketplace) backend for integration tests, built like boot.ts will build it in OAuth
 * mode but without boot: createApp with the portal registry (src/server/tenancy.ts), the OAuth
 * routes, every other route the app serves, the webhook route and processor, on a SQLite file,
 * against a sandbox serving several portals through its OAuth endpoints. One clock drives the app,
 * the token provider, the state and the sandbox. Every store call is recorded with the portal id
 * it carries, for the tenancy matrix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import BetterSqlite3 from 'better-sqlite3';
import { createActivityMetrics } from '../../../src/functions/activity-metrics/activity-metrics.js';
import { createCoachingNotes } from '../../../src/functions/coaching/coaching-notes.js';
import { createCoachingPanel } from '../../../src/functions/coaching/coaching-panel.js';
import {
  createCoachingSettings,
  PORTAL_DEFAULTS,
} from '../../../src/functions/coaching/coaching-settings.js';
import { createDealGuidance } from '../../../src/functions/deal-guidance/deal-guidance.js';
import { createProcessReport } from '../../../src/functions/process-report/process-report.js';
import { createAssignTraining } from '../../../src/functions/training/assign-training.js';
import { createCompleteTraining } from '../../../src/functions/training/complete-training.js';
import { createWeeklyPack } from '../../../src/functions/weekly-pack/weekly-pack.js';
import { createInProcessThrottle } from '../../../src/hubspot/index.js';
import { createTokenCipher } from '../../../src/oauth/token-cipher.js';
import type { TokenCipher } from '../../../src/oauth/token-cipher.js';
import { parsePortalFixture } from '../../../src/sandbox/fixture.js';
import { createSandbox } from '../../../src/sandbox/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { createApp } from '../../../src/server/app.js';
import type { AppDeps } from '../../../src/server/app.js';
import { loadConfig } from '../../../src/server/config.js';
import type { Config } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import type { PortalRegistry } from '../../../src/server/tenancy.js';
import { buildOAuthMode } from '../../../src/server/oauth-mode.js';
import type { OAuthMode } from '../../../src/server/oauth-mode.js';
import type { Store } from '../../../src/store/ports.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { TABLE_NAMES } from '../../../src/store/schema.js';
import { createWebhookHandlers } from '../../../src/webhooks/handlers.js';
import { createWebhookProcessor } from '../../../src/webhooks/processor.js';
import type { WebhookProcessor } from '../../../src/webhooks/processor.js';
import { signRequest } from '../../support/signer.js';

export const CLIENT = { clientId: 'pillars-marketplace', clientSecret: 'marketplace-client-secret-5b7e' };
export const ADMIN_USER = 9011;
export const REP_USER = 9012;
export const T0 = Date.UTC(2026, 10, 2, 9);
export const TOKEN_ENDPOINT = 'POST /oauth/v1/token';

/** A portal with a super admin (the installer) and a plain user. */
function portalFixture(portalId: number) {
  return parsePortalFixture({
    portal: { portalId, timeZone: 'UTC' },
    users: [
      { id: String(ADMIN_USER), email: 'admin@example.com', superAdmin: true },
      { id: String(REP_USER), email: 'rep@example.com', superAdmin: false },
    ],
  });
}

/** One store call: which store and method, and the portal id it carried (null: none, e.g. a state nonce). */
export interface StoreCall {
  store: string;
  method: string;
  portalId: number | null;
}

function portalOfArgs(args: readonly unknown[]): number | null {
  const first = args[0];
  if (typeof first === 'number') return first;
  if (typeof first === 'object' && first !== null && 'portalId' in first) {
    const p = (first as { portalId: unknown }).portalId;
    return typeof p === 'number' ? p : null;
  }
  if (Array.isArray(first) && first.length > 0) return portalOfArgs(first);
  return null;
}

/** The store with every port method call recorded. */
function recordingStore(store: Store, calls: StoreCall[]): Store {
  const wrap = <T extends object>(name: string, port: T): T =>
    new Proxy(port, {
      get(target, method, receiver) {
        const member: unknown = Reflect.get(target, method, receiver);
        if (typeof member !== 'function') return member;
        return (...args: unknown[]): unknown => {
          calls.push({ store: name, method: String(method), portalId: portalOfArgs(args) });
          return (member as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return {
    ...store,
    snapshots: wrap('snapshots', store.snapshots),
    settings: wrap('settings', store.settings),
    installations: wrap('installations', store.installations),
    webhooks: wrap('webhooks', store.webhooks),
    exceptions: wrap('exceptions', store.exceptions),
    waivers: wrap('waivers', store.waivers),
    idempotency: wrap('idempotency', store.idempotency),
    coachingNotes: wrap('coachingNotes', store.coachingNotes),
    trainingAssignments: wrap('trainingAssignments', store.trainingAssignments),
    jobRuns: wrap('jobRuns', store.jobRuns),
    health: () => store.health(),
    close: () => store.close(),
    dialect: store.dialect,
  };
}

export interface MarketplaceHarness {
  url: string;
  origin: string;
  sandbox: Sandbox;
  store: Store;
  registry: PortalRegistry;
  /** The purge job as boot runs it. */
  purgeDue: OAuthMode['purgeDue'];
  cipher: TokenCipher;
  config: Config;
  /** What createApp was given (the route table is built from it). */
  appDeps: AppDeps;
  processor: WebhookProcessor;
  /** The shared clock (ms). */
  clock: { now: number };
  calls: StoreCall[];
  lines: string[];
  /** Every row of every table, as JSON (a "dump" to diff and grep). */
  dump(): string;
  /** Rows per table whose portal_id is the portal (tables without the column are skipped). */
  rowsOf(portalId: number): Record<string, number>;
  /** Signed fetch of a card route as HubSpot sends it (portalId and userId in the query). */
  signed(
    method: string,
    path: string,
    identity: { portalId: number; userId: number },
    body?: unknown,
  ): Promise<Response>;
  /** A signed webhook delivery. */
  deliver(events: readonly Record<string, unknown>[]): Promise<Response>;
  /** The full install through HTTP: /oauth/install → sandbox consent → callback. Returns the callback response. */
  install(portalId: number, options?: { tamperCallback?: (url: URL) => void }): Promise<Response>;
  close(): Promise<void>;
}

/** Build and start the harness. */
export async function startMarketplaceHarness(
  portalIds: readonly number[] = [101, 202],
): Promise<MarketplaceHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'pillars-marketplace-'));
  const file = join(dir, 'pillars.sqlite');
  const clock = { now: T0 };
  const date = (): Date => new Date(clock.now);
  const sandbox = createSandbox({
    portals: portalIds.map(portalFixture),
    oauthClients: [CLIENT],
    limits: false,
    now: () => clock.now,
  });
  await sandbox.start(0, '127.0.0.1');
  const realStore = await openSqliteStore({ file });
  const calls: StoreCall[] = [];
  const store = recordingStore(realStore, calls);

  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) } as unknown as Writable;
  const tokenKey = randomBytes(32);
  // PUBLIC_ORIGIN and the redirect URL name the port, so it is chosen before the app is built.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    PUBLIC_ORIGIN: origin,
    PORT: String(port),
    HUBSPOT_CLIENT_ID: CLIENT.clientId,
    HUBSPOT_CLIENT_SECRET: CLIENT.clientSecret,
    HUBSPOT_API_BASE_URL: sandbox.baseUrl,
    PILLARS_TOKEN_KEYS: `t1:${tokenKey.toString('base64')}`,
    PILLARS_STATE_KEY: randomBytes(32).toString('base64'),
    OAUTH_AUTHORIZE_URL: `${sandbox.baseUrl}/oauth/authorize`,
  });
  const oauth = config.oauth;
  if (oauth === null) throw new Error('harness: OAuth config missing');
  const logger = createLogger(config, destination);
  const cipher = createTokenCipher({ keys: { t1: tokenKey }, currentKeyId: 't1' });
  const throttle = createInProcessThrottle();
  // What boot.ts builds in OAuth mode.
  const oauthMode = buildOAuthMode({
    config,
    store,
    throttle,
    logger,
    metadataTtlMs: 5 * 60_000,
    now: date,
  });
  const registry = oauthMode.registry;

  // The functions, as boot.ts builds them.
  const activityMetrics = createActivityMetrics();
  const dealGuidance = createDealGuidance({ settings: store.settings, waivers: store.waivers });
  const coachingSettings = createCoachingSettings(store.settings, PORTAL_DEFAULTS);
  const coachingPanel = createCoachingPanel({
    settings: coachingSettings,
    activityMetrics,
    snapshots: store.snapshots,
    notes: store.coachingNotes,
    assignments: store.trainingAssignments,
  });
  const weeklyPack = createWeeklyPack({
    settings: coachingSettings,
    portalSettings: store.settings,
    activityMetrics,
    snapshots: store.snapshots,
    assignments: store.trainingAssignments,
  });
  const coachingNotes = createCoachingNotes({
    settings: coachingSettings,
    notes: store.coachingNotes,
    onChange: (p, rep) => coachingPanel.invalidateRep(p, rep),
  });
  const assignTraining = createAssignTraining({
    settings: coachingSettings,
    assignments: store.trainingAssignments,
  });
  const completeTraining = createCompleteTraining({
    settings: coachingSettings,
    assignments: store.trainingAssignments,
  });
  const processor = createWebhookProcessor({
    store: store.webhooks,
    logger,
    now: () => clock.now,
    handlers: createWebhookHandlers({
      settings: store.settings,
      gatewayFor: (p) => registry.gatewayFor(p),
      invalidateDeal: (p, dealId) => dealGuidance.invalidateDeal(p, dealId),
      webhooks: store.webhooks,
      exceptions: store.exceptions,
      logger,
      trainingTasks: completeTraining,
      deleteContactData: (p, contactId) => oauthMode.deleteContactData(p, contactId),
    }),
  });

  const appDeps: AppDeps = {
    config,
    logger,
    functions: { activityMetrics, dealGuidance },
    dealActions: { dealGuidance, waivers: store.waivers, idempotency: store.idempotency },
    playbookSettings: {
      settings: store.settings,
      idempotency: store.idempotency,
      invalidatePortal: (p) => dealGuidance.invalidatePortal(p),
    },
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
    },
    training: { assignTraining, completeTraining, idempotency: store.idempotency },
    coachingPanel,
    coachingNotes: { notes: coachingNotes, idempotency: store.idempotency },
    weeklyPack,
    contextFor: (identity, log) => registry.contextFor(identity, log),
    readiness: [() => store.health()],
    servesPortal: (p) => registry.servesPortal(p),
    webhooks: {
      webhooks: store.webhooks,
      servesPortal: (p) => registry.servesPortal(p),
      now: () => clock.now,
    },
    oauth: oauthMode.routes,
    now: () => clock.now,
  };
  const created = createApp(appDeps);
  const server = await new Promise<Server>((resolve) => {
    const s = created.listen(port, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function dump(): string {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      return JSON.stringify(
        Object.fromEntries(TABLE_NAMES.map((t) => [t, db.prepare(`select * from "${t}"`).all()])),
      );
    } finally {
      db.close();
    }
  }

  function rowsOf(portalId: number): Record<string, number> {
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const out: Record<string, number> = {};
      for (const t of TABLE_NAMES) {
        const columns = db.prepare(`pragma table_info("${t}")`).all() as Array<{ name: string }>;
        if (!columns.some((c) => c.name === 'portal_id')) continue;
        const row = db.prepare(`select count(*) as n from "${t}" where portal_id = ?`).get(portalId) as {
          n: number;
        };
        out[t] = row.n;
      }
      return out;
    } finally {
      db.close();
    }
  }

  async function signed(
    method: string,
    path: string,
    identity: { portalId: number; userId: number },
    body?: unknown,
  ): Promise<Response> {
    const sep = path.includes('?') ? '&' : '?';
    const target = `${path}${sep}portalId=${identity.portalId}&userId=${identity.userId}&userEmail=u%40example.com`;
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = signRequest({
      method,
      url: `${origin}${target}`,
      body: text,
      secret: CLIENT.clientSecret,
      timestamp: clock.now,
    });
    return fetch(`${url}${target}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: text }),
    });
  }

  async function deliver(events: readonly Record<string, unknown>[]): Promise<Response> {
    const text = JSON.stringify(events);
    const headers = signRequest({
      method: 'POST',
      url: `${origin}/webhooks/hubspot`,
      body: text,
      secret: CLIENT.clientSecret,
      timestamp: clock.now,
    });
    return fetch(`${url}/webhooks/hubspot`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: text,
    });
  }

  async function install(
    portalId: number,
    options: { tamperCallback?: (callback: URL) => void } = {},
  ): Promise<Response> {
    const start = await fetch(`${url}/oauth/install`, { redirect: 'manual' });
    if (start.status !== 302) throw new Error(`install: /oauth/install answered ${start.status}`);
    const authorize = new URL(start.headers.get('location') ?? '');
    // The installer picks the account and approves on HubSpot's consent screen.
    authorize.searchParams.set('portal_id', String(portalId));
    authorize.searchParams.set('user_id', String(ADMIN_USER));
    const consent = await fetch(authorize, { redirect: 'manual' });
    if (consent.status !== 302) throw new Error(`install: authorize answered ${consent.status}`);
    const callback = new URL(consent.headers.get('location') ?? '');
    options.tamperCallback?.(callback);
    // The browser follows the redirect to our callback (the public origin is this server).
    return fetch(`${url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
  }

  return {
    url,
    origin,
    sandbox,
    store,
    registry,
    purgeDue: () => oauthMode.purgeDue(),
    cipher,
    config,
    appDeps,
    processor,
    clock,
    calls,
    lines,
    dump,
    rowsOf,
    signed,
    deliver,
    install,
    async close() {
      await processor.stop();
      oauthMode.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([store.close(), throttle.close(), sandbox.stop()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
