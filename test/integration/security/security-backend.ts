/**
 * The security suites' backend: the real backend (startBackend) in OAuth (marketplace) mode against
 * a sandbox holding generated demo portals, each installed through /oauth/install → consent →
 * /oauth/callback. Gives the suites the Express app as booted (its router stack is the route table
 * actually served), signed requests for any identity, per-table and per-portal row counts of the
 * SQLite file, the sandbox's write counters, and a record of every store call with its portal id.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import express from 'express';
import { startBackend, type Backend, type BootOptions } from '../../../src/server/boot.js';
import { generateDemoPortal, type DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { TABLE_NAMES } from '../../../src/store/schema.js';
import { freePort } from '../../support/demo-backend.js';
import { signRequest } from '../../support/signer.js';

/** The demo VP: a super admin, the same user id in every generated demo portal. */
export const VP_OWNER = '61400101';

export interface SecurityClient {
  clientId: string;
  clientSecret: string;
}

/** A route as Express holds it: "GET /api/v1/..." with its `:param` segments. */
export interface ServedRoute {
  method: string;
  path: string;
}

/** One store call: port, method and the portal id it carried (null: none). */
export interface StoreCall {
  store: string;
  method: string;
  portalId: number | null;
}

export interface SignedResponse {
  status: number;
  text: string;
  json: unknown;
  headers: Headers;
}

export interface SecurityBackend {
  backend: Backend;
  sandbox: Sandbox;
  fixtures: DemoPortalFixture[];
  portals: number[];
  client: SecurityClient;
  env: Record<string, string>;
  file: string;
  /** The Express app startBackend listens with. */
  app: express.Express;
  /** Every route on the app's router stack. */
  routes(): ServedRoute[];
  /**
   * A signed request as HubSpot sends it. `target` is the path and query as sent (the identity is
   * appended unless `identity` is null); `body` the raw bytes.
   */
  signed(
    method: string,
    target: string,
    identity: { portalId: number; userId: number | null } | null,
    options?: { body?: string | Buffer; contentType?: string | null; headers?: Record<string, string> },
  ): Promise<SignedResponse>;
  /** Row count of every table. */
  rowCounts(): Record<string, number>;
  /** Row counts per table of the rows whose portal_id is the portal. */
  rowsOf(portalId: number): Record<string, number>;
  /** Sandbox requests that change HubSpot data (creates, updates, deletes), per portal. */
  sandboxWrites(portalId: number): number;
  /** Store calls since the start (every port method, with the portal id it carried). */
  calls: StoreCall[];
  /** The full install through HTTP for the portal, as the installer user. */
  install(portalId: number, userId: number): Promise<Response>;
  close(): Promise<void>;
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

/** Record every port method call in place (the functions hold the port objects, not the methods). */
function recordStoreCalls(store: Backend['store'], calls: StoreCall[]): void {
  const ports = [
    'snapshots',
    'settings',
    'installations',
    'webhooks',
    'exceptions',
    'waivers',
    'idempotency',
    'coachingNotes',
    'trainingAssignments',
    'jobRuns',
  ] as const;
  for (const name of ports) {
    const port = store[name] as unknown as Record<string, unknown>;
    for (const method of Object.keys(port)) {
      const member = port[method];
      if (typeof member !== 'function') continue;
      const original = member as (...a: unknown[]) => unknown;
      port[method] = (...args: unknown[]): unknown => {
        calls.push({ store: name, method, portalId: portalOfArgs(args) });
        return original.apply(port, args);
      };
    }
  }
}

/** Whether a sandbox endpoint key (`METHOD /path`) changes HubSpot data. */
export function isSandboxWrite(endpoint: string): boolean {
  const [method = '', path = ''] = endpoint.split(' ');
  if (method === 'GET' || method === 'HEAD') return false;
  if (path.startsWith('/oauth') || path.includes('/search') || path.includes('/batch/read')) return false;
  return true;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Start the backend with the given demo portals (seeds), install each as the demo VP. */
export async function startSecurityBackend(options: {
  prefix: string;
  seeds: readonly number[];
  /** Activities per portal (default 800); `sizes` per seed wins. */
  size?: number;
  sizes?: readonly number[];
  /** Change the generated fixtures before the sandbox serves them (e.g. add a user with no owner). */
  mutate?: (fixtures: DemoPortalFixture[]) => void;
  /** Extra environment (canary values, log level). */
  env?: Record<string, string>;
  client?: SecurityClient;
  boot?: BootOptions;
}): Promise<SecurityBackend> {
  const client = options.client ?? {
    clientId: `pillars-${options.prefix}`,
    clientSecret: `security-secret-${randomBytes(8).toString('hex')}`,
  };
  const fixtures = options.seeds.map((seed, i) =>
    generateDemoPortal({ seed, size: options.sizes?.[i] ?? options.size ?? 800 }),
  );
  fixtures.forEach((f, i) => {
    f.portal.portalId = (fixtures[0]?.portal.portalId ?? 0) + i;
  });
  options.mutate?.(fixtures);
  const sandbox = createSandbox({ portals: fixtures, oauthClients: [client], limits: false });
  await sandbox.start(0, '127.0.0.1');
  const portals = sandbox.portalIds();
  const dir = await mkdtemp(join(tmpdir(), `pillars-${options.prefix}-`));
  const file = join(dir, 'pillars.sqlite');
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    HUBSPOT_CLIENT_ID: client.clientId,
    HUBSPOT_CLIENT_SECRET: client.clientSecret,
    HUBSPOT_API_BASE_URL: sandbox.baseUrl,
    PILLARS_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PILLARS_STATE_KEY: randomBytes(32).toString('base64'),
    OAUTH_AUTHORIZE_URL: `${sandbox.baseUrl}/oauth/authorize`,
    SQLITE_FILE: file,
    ...options.env,
  };
  // The app startBackend builds is captured as it starts listening (express copies `listen` onto
  // each app from express.application when the app is created).
  const created: express.Express[] = [];
  const proto = express.application as unknown as { listen: (...a: unknown[]) => unknown };
  const originalListen = proto.listen;
  proto.listen = function (this: express.Express, ...args: unknown[]) {
    created.push(this);
    return originalListen.apply(this, args);
  };
  let backend: Backend;
  try {
    backend = await startBackend(env, { webhooks: { autostart: false }, ...options.boot });
  } finally {
    proto.listen = originalListen;
  }
  const served = created[0];
  if (served === undefined) throw new Error('the backend app was not captured');
  const calls: StoreCall[] = [];
  recordStoreCalls(backend.store, calls);
  const db = new BetterSqlite3(file, { readonly: true });
  const withPortal = TABLE_NAMES.filter((t) =>
    (db.prepare(`pragma table_info("${t}")`).all() as Array<{ name: string }>).some(
      (c) => c.name === 'portal_id',
    ),
  );
  const origin = env.PUBLIC_ORIGIN as string;

  async function signed(
    method: string,
    target: string,
    identity: { portalId: number; userId: number | null } | null,
    opts: { body?: string | Buffer; contentType?: string | null; headers?: Record<string, string> } = {},
  ): Promise<SignedResponse> {
    let full = target;
    if (identity !== null) {
      const sep = target.includes('?') ? '&' : '?';
      full = `${target}${sep}portalId=${identity.portalId}${identity.userId === null ? '' : `&userId=${identity.userId}`}`;
    }
    const body = opts.body;
    const headers: Record<string, string> = {
      ...signRequest({
        method,
        url: `${origin}${full}`,
        body: body ?? '',
        secret: client.clientSecret,
        timestamp: Date.now(),
      }),
      ...(body !== undefined && opts.contentType !== null
        ? { 'content-type': opts.contentType ?? 'application/json' }
        : {}),
      ...opts.headers,
    };
    const res = await fetch(`${backend.url}${full}`, {
      method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  }

  async function install(portalId: number, userId: number): Promise<Response> {
    const start = await fetch(`${backend.url}/oauth/install`, { redirect: 'manual' });
    if (start.status !== 302) throw new Error(`install: /oauth/install answered ${start.status}`);
    const authorize = new URL(start.headers.get('location') ?? '');
    authorize.searchParams.set('portal_id', String(portalId));
    authorize.searchParams.set('user_id', String(userId));
    const consent = await fetch(authorize, { redirect: 'manual' });
    if (consent.status !== 302) throw new Error(`install: authorize answered ${consent.status}`);
    const callback = new URL(consent.headers.get('location') ?? '');
    return fetch(`${backend.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
  }

  return {
    backend,
    sandbox,
    fixtures,
    portals,
    client,
    env,
    file,
    app: served,
    calls,
    routes() {
      const found: ServedRoute[] = [];
      const walk = (stack: Layer[]) => {
        for (const layer of stack) {
          if (layer.route) {
            for (const [method, on] of Object.entries(layer.route.methods))
              if (on) found.push({ method: method.toUpperCase(), path: layer.route.path });
          } else if (layer.handle.stack) walk(layer.handle.stack);
        }
      };
      walk((served.router as unknown as { stack: Layer[] }).stack);
      return found;
    },
    signed,
    rowCounts() {
      const out: Record<string, number> = {};
      for (const t of TABLE_NAMES)
        out[t] = (db.prepare(`select count(*) as n from "${t}"`).get() as { n: number }).n;
      return out;
    },
    rowsOf(portalId) {
      const out: Record<string, number> = {};
      for (const t of withPortal)
        out[t] = (
          db.prepare(`select count(*) as n from "${t}" where portal_id = ?`).get(portalId) as { n: number }
        ).n;
      return out;
    },
    sandboxWrites(portalId) {
      const byEndpoint = sandbox.stats().byPortal[portalId]?.byEndpoint ?? {};
      return Object.entries(byEndpoint)
        .filter(([endpoint]) => isSandboxWrite(endpoint))
        .reduce((sum, [, n]) => sum + n, 0);
    },
    install,
    async close() {
      db.close();
      await backend.close();
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The HubSpot user of an owner of the fixture. */
export function userOfOwner(fixture: DemoPortalFixture, ownerId: string): number {
  const owner = fixture.owners.find((o) => o.id === ownerId);
  if (!owner || owner.userId === null || owner.userId === undefined)
    throw new Error(`owner ${ownerId} has no user`);
  return Number(owner.userId);
}
