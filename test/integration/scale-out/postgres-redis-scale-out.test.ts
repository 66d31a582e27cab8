/**
 * Scale-out (issue 5 item 4): three `pillars serve` processes against one PostgreSQL database and one
 * Redis, and one HubSpot (the sandbox, with its rate limits on). They boot at once (migrations run
 * once), each serves signed card reads, each scheduled job runs exactly once per period across the
 * three, each training task is created once, a webhook delivered to all three is stored and handled
 * once, and the shared Redis throttle keeps the three within HubSpot's limits (no 429).
 *
 * Needs PILLARS_TEST_DATABASE_URL and REDIS_URL (npm run test:services); skipped otherwise.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { SETTINGS_KEYS } from '@pillars/contracts';
import { DEMO_CATALOGUE } from '../../../src/functions/training/default-catalogue.js';
import { generateDemoPortal } from '../../../src/sandbox/demo-portal/index.js';
import { openStore } from '../../../src/store/open-store.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { freePort } from '../../support/demo-backend.js';
import { POSTGRES_TEST_URL } from '../../support/postgres.js';
import { signRequest } from '../../support/signer.js';

const REDIS_URL = process.env.REDIS_URL || undefined;
const run = POSTGRES_TEST_URL && REDIS_URL ? describe : describe.skip;
const SECRET = 'scale-out-secret-0123456789abcdef';
const BIN = fileURLToPath(new URL('../../../bin/pillars.js', import.meta.url));
const JOBS = ['weekly-snapshots', 'stage-timing', 'training-rules', 'training-sync'];

run('three backend processes on one PostgreSQL and one Redis', () => {
  let sandbox: Sandbox;
  let portalId: number;
  let databaseUrl: string;
  let dbName: string;
  const procs: { child: ChildProcess; url: string; output: string[] }[] = [];
  let seedCatalogue: (portalId: number) => Promise<void>;
  let closeSeed: () => Promise<void>;

  async function admin<T>(fn: (c: pg.Client) => Promise<T>, url = POSTGRES_TEST_URL as string): Promise<T> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  async function ready(url: string, child: ChildProcess, output: string[]): Promise<void> {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`process exited ${child.exitCode}:\n${output.join('')}`);
      const ok = await fetch(`${url}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`not ready:\n${output.join('')}`);
  }

  beforeAll(async () => {
    dbName = `pillars_scale_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    await admin((c) => c.query(`create database "${dbName}"`));
    const u = new URL(POSTGRES_TEST_URL as string);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();

    // Ops' training catalogue (a real portal starts with none), saved before the backends start; the
    // processes then find the database already migrated by this store, which is the rolling-deploy case.
    const seed = await openStore({ kind: 'postgres', url: databaseUrl });
    seedCatalogue = (portal) => seed.settings.put(portal, SETTINGS_KEYS.catalogue, DEMO_CATALOGUE);
    closeSeed = () => seed.close();

    sandbox = createSandbox({ portals: [generateDemoPortal({ seed: 1, size: 30_000 })], latencyMs: 5 });
    await sandbox.start(0, '127.0.0.1');
    portalId = sandbox.portalIds()[0] as number;
    await seedCatalogue(portalId);
    await closeSeed();

    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const output: string[] = [];
      const child = spawn(process.execPath, [BIN, 'serve'], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          PORT: String(port),
          PUBLIC_ORIGIN: url,
          HUBSPOT_CLIENT_SECRET: SECRET,
          HUBSPOT_ACCESS_TOKEN: sandbox.tokenFor(portalId),
          HUBSPOT_API_BASE_URL: sandbox.baseUrl,
          DATABASE_URL: databaseUrl,
          REDIS_URL: REDIS_URL as string,
          SCHEDULER_INTERVAL_MS: '300',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
      procs.push({ child, url, output });
    }
    // All three boot at once: migrations race on the same empty database.
    await Promise.all(procs.map((p) => ready(p.url, p.child, p.output)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.child.exitCode !== null) return resolve();
            p.child.once('exit', () => resolve());
            p.child.kill('SIGTERM');
          }),
      ),
    );
    await sandbox?.stop();
    await admin((c) => c.query(`drop database if exists "${dbName}" with (force)`)).catch(() => undefined);
  }, 60_000);

  test('migrations ran once and every process serves signed card reads', async () => {
    const names = await admin(
      (c) => c.query<{ name: string }>('select name from kysely_migration order by name'),
      databaseUrl,
    );
    const list = names.rows.map((r) => r.name);
    expect(new Set(list).size).toBe(list.length);
    expect(list.length).toBeGreaterThanOrEqual(5);
    for (const p of procs) {
      const url = `${p.url}/api/v1/activity-metrics?week=2026-11-16&portalId=${portalId}&userId=1`;
      const res = await fetch(url, {
        headers: signRequest({ method: 'GET', url, secret: SECRET, timestamp: Date.now() }),
      });
      expect(res.status).toBe(200);
    }
  }, 60_000);

  test('each scheduled job runs exactly once per period across the three; each task is created once', async () => {
    const deadline = Date.now() + 90_000;
    let rows: { job: string; period: string; status: string }[] = [];
    while (Date.now() < deadline) {
      rows = (
        await admin(
          (c) =>
            c.query<{ job: string; period: string; status: string }>(
              'select job, period, status from job_runs where portal_id = $1',
              [portalId],
            ),
          databaseUrl,
        )
      ).rows;
      if (JOBS.every((j) => rows.some((r) => r.job === j && r.status === 'done'))) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const job of JOBS) {
      const runs = rows.filter((r) => r.job === job);
      // One row per (portal, job, period): a period is never run twice.
      expect(runs.length).toBe(new Set(runs.map((r) => r.period)).size);
      expect(runs.some((r) => r.status === 'done')).toBe(true);
    }
    const assigned = await admin(
      (c) =>
        c.query<{ n: string; tasks: string }>(
          'select count(*) as n, count(distinct task_id) as tasks from training_assignments where portal_id = $1',
          [portalId],
        ),
      databaseUrl,
    );
    const created = sandbox.stats().byEndpoint['POST /crm/v3/objects/tasks'] ?? 0;
    // The default rules fire on the demo portal (its low-connect rep, among others), and every HubSpot
    // task create belongs to exactly one assignment: none was created twice.
    expect(created).toBeGreaterThan(0);
    expect(Number(assigned.rows[0]?.tasks)).toBe(created);
    expect(Number(assigned.rows[0]?.n)).toBe(created);
    expect(sandbox.stats().rateLimited).toBe(0);
  }, 120_000);

  test('a webhook delivered to all three is stored once and handled once', async () => {
    const event = {
      eventId: 987_654_321,
      subscriptionId: 1,
      portalId,
      appId: 1,
      occurredAt: Date.now(),
      subscriptionType: 'object.propertyChange',
      attemptNumber: 0,
      objectId: 1,
      objectTypeId: '0-3',
      propertyName: 'dealstage',
      propertyValue: 'closedwon',
      changeSource: 'CRM_UI',
    };
    const body = JSON.stringify([event]);
    const answers = await Promise.all(
      procs.map((p) => {
        const url = `${p.url}/webhooks/hubspot`;
        const headers = signRequest({ method: 'POST', url, body, secret: SECRET, timestamp: Date.now() });
        return fetch(url, {
          method: 'POST',
          body,
          headers: { ...headers, 'content-type': 'application/json' },
        });
      }),
    );
    expect(answers.map((r) => r.status)).toEqual([204, 204, 204]);
    const rows = await admin(
      (c) =>
        c.query<{ n: string }>(
          'select count(*) as n from webhook_events where portal_id = $1 and event_id = $2',
          [portalId, String(event.eventId)],
        ),
      databaseUrl,
    );
    expect(Number(rows.rows[0]?.n)).toBe(1);
  }, 60_000);
});
