/**
 * A worker killed mid-job (threats F2, F3; F1 for "exactly once"): `node bin/pillars.js serve` in
 * token mode against a sandbox in this process (slow enough that the weekly-snapshots job is still
 * running when we look), on a SQLite file, the scheduler ticking every 200 ms. When job_runs shows
 * the job 'running', the process gets SIGKILL. Every snapshot week stored by then is whole (one
 * transaction per week: its snapshot_runs row and exactly that many metric rows) and the run stays
 * 'running' under its lease.
 *
 * Job leases are fixed per job (weekly-snapshots: 30 min, no environment override), so the test
 * expires the dead worker's lease itself: it sets the row's lease_until in the past, as the clock
 * would after 30 minutes. A second process then takes the period over and finishes it: one 'done'
 * row for the (portal, job, period), every week of the trend window stored whole, each once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SNAPSHOT_BACKFILL_WEEKS } from '../../../src/jobs/weekly-snapshots.js';
import { generateDemoPortal } from '../../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { freePort } from '../../support/demo-backend.js';

jest.setTimeout(150_000);

const JOB = 'weekly-snapshots';
let sandbox: Sandbox;
let dir: string;
let file: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  sandbox = createSandbox({
    portals: [generateDemoPortal({ seed: 1, size: 800 })],
    latencyMs: 40,
    limits: false,
  });
  await sandbox.start(0, '127.0.0.1');
  dir = await mkdtemp(join(tmpdir(), 'pillars-killed-worker-'));
  file = join(dir, 'pillars.sqlite');
});

afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function serve(): Promise<{ child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const portalId = sandbox.portalIds()[0] as number;
  const child = spawn(process.execPath, ['bin/pillars.js', 'serve'], {
    cwd: join(__dirname, '../../..'),
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      HUBSPOT_CLIENT_SECRET: 'killed-worker-client-secret-0123',
      HUBSPOT_ACCESS_TOKEN: sandbox.tokenFor(portalId),
      HUBSPOT_API_BASE_URL: sandbox.baseUrl,
      SQLITE_FILE: file,
      SCHEDULER_INTERVAL_MS: '200',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out };
}

interface JobRun {
  portal_id: number;
  period: string;
  status: string;
  lease_until: string;
  summary: string | null;
}

function readDb<T>(fn: (db: BetterSqlite3.Database) => T): T | null {
  if (!existsSync(file)) return null;
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    return fn(db);
  } catch {
    return null; // tables not migrated yet
  } finally {
    db.close();
  }
}

const runsOf = () =>
  readDb((db) => db.prepare(`select * from job_runs where job = ?`).all(JOB) as JobRun[]) ?? [];

async function until<T>(
  what: string,
  probe: () => T | null | undefined,
  timeoutMs: number,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; process output:\n${output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every stored week: its run's owner count and its metric rows; whole means they match. */
function weeks(): Array<{ week: string; owners: number; rows: number }> {
  return (
    readDb((db) => {
      const runs = db
        .prepare('select week_start, owners from snapshot_runs order by week_start')
        .all() as Array<{
        week_start: string;
        owners: number;
      }>;
      const rows = db
        .prepare('select week_start, count(*) as n from metric_snapshots group by week_start')
        .all() as Array<{ week_start: string; n: number }>;
      const weeksWithRows = new Set(rows.map((r) => r.week_start));
      const out = runs.map((r) => ({
        week: r.week_start,
        owners: r.owners,
        rows: rows.find((x) => x.week_start === r.week_start)?.n ?? 0,
      }));
      // Metric rows of a week without its run row would be a partial write.
      for (const w of weeksWithRows)
        if (!runs.some((r) => r.week_start === w))
          out.push({ week: w, owners: -1, rows: rows.find((x) => x.week_start === w)?.n ?? 0 });
      return out;
    }) ?? []
  );
}

test('SIGKILL mid-run: the lease expires, a second process finishes the period exactly once, snapshots whole', async () => {
  // First worker: killed while the weekly snapshot job runs.
  const first = await serve();
  const running = await until(
    'the weekly-snapshots job to be running',
    () => runsOf().find((r) => r.status === 'running'),
    60_000,
    first.output,
  );
  // Let it get some way into the run (the latest week and part of the backfill), then kill it.
  await until('a first snapshot week', () => (weeks().length > 0 ? true : null), 60_000, first.output).catch(
    () => true,
  );
  const exited = new Promise((resolve) => first.child.once('exit', resolve));
  first.child.kill('SIGKILL');
  await exited;

  const afterKill = runsOf();
  expect(afterKill).toHaveLength(1);
  expect(afterKill[0]).toMatchObject({ period: running.period, status: 'running' });
  expect(Date.parse(afterKill[0]?.lease_until ?? '')).toBeGreaterThan(Date.now());
  const partial = weeks();
  expect(partial.length).toBeLessThan(SNAPSHOT_BACKFILL_WEEKS); // killed mid-run, not after
  for (const w of partial) expect({ week: w.week, rows: w.rows }).toEqual({ week: w.week, rows: w.owners });

  // A second worker while the lease holds: it must not take the period over.
  const blocked = await serve();
  await until(
    'the second worker to start ticking',
    () => (blocked.output().includes('listening') ? true : null),
    30_000,
    blocked.output,
  );
  await new Promise((r) => setTimeout(r, 1_000));
  expect(runsOf()).toEqual(afterKill);
  const blockedExit = new Promise((resolve) => blocked.child.once('exit', resolve));
  blocked.child.kill('SIGKILL');
  await blockedExit;

  // The lease runs out (30 min, fixed per job): simulated by moving lease_until into the past.
  const db = new BetterSqlite3(file);
  db.prepare(`update job_runs set lease_until = ? where job = ? and status = 'running'`).run(
    new Date(Date.now() - 60_000).toISOString(),
    JOB,
  );
  db.close();

  const second = await serve();
  const done = await until(
    'the period to be done',
    () => runsOf().find((r) => r.status === 'done'),
    90_000,
    second.output,
  );
  const secondExit = new Promise((resolve) => second.child.once('exit', resolve));
  second.child.kill('SIGTERM');
  await secondExit;

  // Exactly one run of the period, done; every week of the window stored whole and once.
  const runs = runsOf();
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ period: running.period, status: 'done' });
  const summary = JSON.parse(done.summary ?? '{}') as {
    weekStart: string;
    owners: number;
    backfilled: string[];
  };
  expect(summary.weekStart).toBe(running.period);
  const stored = weeks();
  expect(stored).toHaveLength(SNAPSHOT_BACKFILL_WEEKS);
  for (const w of stored) expect({ week: w.week, rows: w.rows }).toEqual({ week: w.week, rows: w.owners });
  expect(stored.find((w) => w.week === running.period)?.owners).toBe(summary.owners);
  // The weeks the first worker finished were kept, not recomputed: the second one backfilled the rest.
  expect(summary.backfilled.sort()).toEqual(
    stored
      .map((w) => w.week)
      .filter((w) => w !== running.period && !partial.some((p) => p.week === w))
      .sort(),
  );
  console.log(
    `killed worker: ${partial.length} of ${SNAPSHOT_BACKFILL_WEEKS} weeks stored at the kill; the second worker backfilled ${summary.backfilled.length}`,
  );
  const integrity = readDb((d) => d.pragma('integrity_check', { simple: true }));
  expect(integrity).toBe('ok');
});
