/**
 * The job scheduler over a real store and the sandbox: each job runs once per period across
 * processes sharing the database (two schedulers on one SQLite file tick together), a failed run is
 * retried on the next tick, a run whose worker died is taken over once its lease expires, and the
 * stage-timing and weekly-snapshot jobs write what the cards and the coaching panel read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageTimingSchema } from '@pillars/contracts';
import { lastCompleteWeekStart } from '../../../src/core/time/index.js';
import { createActivityMetrics } from '../../../src/functions/activity-metrics/activity-metrics.js';
import type { FunctionContext } from '../../../src/functions/context.js';
import { createDealGuidance } from '../../../src/functions/deal-guidance/deal-guidance.js';
import { createHubSpotGateway, createInProcessThrottle } from '../../../src/hubspot/index.js';
import { createScheduler, type ScheduledJob } from '../../../src/jobs/scheduler.js';
import { stageTimingJob } from '../../../src/jobs/stage-timing.js';
import { weeklySnapshotJob } from '../../../src/jobs/weekly-snapshots.js';
import { generateDemoPortal } from '../../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { openStore } from '../../../src/store/open-store.js';
import type { Store } from '../../../src/store/ports.js';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

let dir: string;
let sandbox: Sandbox;
let portalId: number;
const stores: Store[] = [];
const throttle = createInProcessThrottle();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-scheduler-'));
  sandbox = createSandbox({ portals: [generateDemoPortal({ seed: 1, size: 3000 })], latencyMs: 0 });
  await sandbox.start(0, '127.0.0.1');
  portalId = sandbox.portalIds()[0] as number;
});

afterAll(async () => {
  await Promise.allSettled(stores.map((s) => s.close()));
  await throttle.close();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

async function open(file: string): Promise<Store> {
  const store = await openStore({ kind: 'sqlite', file: join(dir, file) });
  stores.push(store);
  return store;
}

function contextFor(): Promise<FunctionContext> {
  const hubspot = createHubSpotGateway({
    portalId,
    accessToken: sandbox.tokenFor(portalId),
    basePath: sandbox.baseUrl,
    throttle,
    logger: silent,
  });
  return Promise.resolve({ portalId, hubspot, now: () => new Date(), logger: silent });
}

function jobsFor(store: Store): ScheduledJob[] {
  return [
    weeklySnapshotJob({ activityMetrics: createActivityMetrics(), snapshots: store.snapshots }),
    stageTimingJob(createDealGuidance({ settings: store.settings })),
  ];
}

test('each job runs once per period even when two processes tick at once; later ticks cost nothing', async () => {
  const a = await open('shared.sqlite');
  const b = await open('shared.sqlite');
  const make = (store: Store) =>
    createScheduler({
      jobRuns: store.jobRuns,
      portals: () => Promise.resolve([portalId]),
      contextFor,
      jobs: jobsFor(store),
      logger: silent,
    });
  const [first, second] = await Promise.all([make(a).tick(), make(b).tick()]);
  const all = [...first, ...second];
  for (const job of ['weekly-snapshots', 'stage-timing']) {
    const runs = all.filter((o) => o.job === job);
    expect(runs).toHaveLength(2);
    // Exactly one process ran it; the other found it running or already done.
    expect(runs.filter((o) => o.outcome === 'ran')).toHaveLength(1);
    expect(runs.filter((o) => o.outcome === 'failed')).toHaveLength(0);
  }

  const { timeZone } = await (await contextFor()).hubspot.getPortalDetails();
  const week = lastCompleteWeekStart(Date.now(), timeZone);
  expect((await a.snapshots.lastRun(portalId, week))?.owners).toBeGreaterThan(10);
  // The coaching window is filled on the first run: eight complete weeks stored.
  const ran = all.find((o) => o.job === 'weekly-snapshots' && o.outcome === 'ran');
  expect(ran?.summary).toMatchObject({ weekStart: week });
  const backfilled = (ran?.summary as { backfilled: string[] }).backfilled;
  expect(backfilled).toHaveLength(7);
  for (const w of backfilled) expect(await a.snapshots.lastRun(portalId, w)).not.toBeNull();
  const timing = await a.settings.get(portalId, 'stageTiming:default', stageTimingSchema);
  expect(timing?.stages.presentationscheduled?.source).toBe('history');
  expect((await a.jobRuns.lastFinished(portalId, 'stage-timing'))?.summary).toMatchObject({
    pipelines: expect.arrayContaining([expect.objectContaining({ id: 'default' })]),
  });

  sandbox.resetStats();
  const again = await make(a).tick();
  expect(again.map((o) => o.outcome)).toEqual(['done', 'done']);
  // Only the portal's time zone is read; no job work is repeated.
  expect(sandbox.stats().byEndpoint).toEqual({ 'GET /account-info/v3/details': 1 });
}, 60_000);

test('a failed run is retried on the next tick; a dead worker is taken over after its lease', async () => {
  const store = await open('retry.sqlite');
  let calls = 0;
  let now = new Date('2026-11-20T12:00:00Z');
  const flaky: ScheduledJob = {
    name: 'flaky',
    leaseMs: 60_000,
    periodAt: () => '2026-11-20',
    run: () => {
      calls += 1;
      if (calls === 1) return Promise.reject(new Error('HubSpot was down'));
      return Promise.resolve({ calls });
    },
  };
  const scheduler = createScheduler({
    jobRuns: store.jobRuns,
    portals: () => Promise.resolve([portalId]),
    contextFor,
    jobs: [flaky],
    logger: silent,
    now: () => now,
  });
  expect((await scheduler.tick())[0]).toMatchObject({ outcome: 'failed', error: 'Error: HubSpot was down' });
  expect((await scheduler.tick())[0]).toMatchObject({ outcome: 'ran', summary: { calls: 2 } });
  expect((await scheduler.tick())[0]).toMatchObject({ outcome: 'done' });

  // A worker claimed the next period and died: its lease blocks others until it expires.
  const dead: ScheduledJob = { ...flaky, name: 'dead', run: () => Promise.resolve('resumed') };
  expect(await store.jobRuns.claim(portalId, 'dead', '2026-11-20', now, 60_000)).toBe('claimed');
  const other = createScheduler({
    jobRuns: store.jobRuns,
    portals: () => Promise.resolve([portalId]),
    contextFor,
    jobs: [dead],
    logger: silent,
    now: () => now,
  });
  expect((await other.tick())[0]).toMatchObject({ outcome: 'running' });
  now = new Date(now.getTime() + 61_000);
  expect((await other.tick())[0]).toMatchObject({ outcome: 'ran', summary: 'resumed' });
});

test('one portal failing does not stop the others', async () => {
  const store = await open('portals.sqlite');
  const ran: number[] = [];
  const job: ScheduledJob = {
    name: 'noop',
    leaseMs: 60_000,
    periodAt: () => 'p',
    run: (ctx) => {
      ran.push(ctx.portalId);
      return Promise.resolve(null);
    },
  };
  const scheduler = createScheduler({
    jobRuns: store.jobRuns,
    portals: () => Promise.resolve([999, portalId]),
    contextFor: (id) => (id === 999 ? Promise.reject(new Error('uninstalled')) : contextFor()),
    jobs: [job],
    logger: silent,
  });
  const out = await scheduler.tick();
  expect(ran).toEqual([portalId]);
  expect(out).toEqual([expect.objectContaining({ portalId, outcome: 'ran' })]);
});
