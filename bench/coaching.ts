/**
 * Coaching benchmark (issue 4), two parts, each against the sandbox at 100 ms per HubSpot request
 * with HubSpot's rate limits on:
 *
 * 1. The coaching panel through the real backend (startBackend, SQLite) on the demo portal: the
 *    scheduler's first run (snapshots of the 8-week window), then per view HubSpot requests and
 *    latency, cold (panel caches cleared; snapshots stored) and warm, for a coach (a super admin of a
 *    demo portal whose teams have no coaches configured) opening one contact of each rep.
 * 2. A 200-rep portal (10 teams of 20, 8 stored weeks of synthetic metrics, 20 reps with a real
 *    connect-rate gap, 30 with open deals in a release's stages): diagnosis of every rep (the weeks
 *    loaded as the panel and the weekly pack load them, then teamInsights per team) and the weekly
 *    training-rules job (rules, release rules, the monthly cap, one HubSpot task per assignment):
 *    wall time and HubSpot requests.
 *
 *   node --import tsx bench/coaching.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coachingPanelSchema, SETTINGS_KEYS, ZERO_METRICS, type Metrics } from '@pillars/contracts';
import { addDays, lastCompleteWeekStart } from '../src/core/time/index.js';
import { createActivityMetrics } from '../src/functions/activity-metrics/activity-metrics.js';
import { createCoachingSettings } from '../src/functions/coaching/coaching-settings.js';
import { loadTeamWeeks, teamInsights } from '../src/functions/coaching/team-series.js';
import type { FunctionContext } from '../src/functions/context.js';
import { createAssignTraining } from '../src/functions/training/assign-training.js';
import { DEFAULT_RULES, DEMO_CATALOGUE, DEMO_TARGETS } from '../src/functions/training/default-catalogue.js';
import { createHubSpotGateway, createInProcessThrottle } from '../src/hubspot/index.js';
import { withMetadataCache } from '../src/hubspot/metadata-cache.js';
import { runTrainingRules } from '../src/jobs/training-rules.js';
import { startBackend } from '../src/server/boot.js';
import { generateDemoPortal } from '../src/sandbox/demo-portal/index.js';
import { parsePortalFixture } from '../src/sandbox/fixture.js';
import { createSandbox } from '../src/sandbox/index.js';
import { openStore } from '../src/store/open-store.js';
import { freePort, pct, signedHeaders } from './support.js';

const LATENCY_MS = 100;
const SECRET = 'bench-coaching-secret-0123456789';
const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// -- 1. the panel on the demo portal ---------------------------------------------------------------

async function panelBench(): Promise<void> {
  const fixture = generateDemoPortal({ seed: 1, size: 30_000 });
  const sandbox = createSandbox({ portals: [fixture], latencyMs: LATENCY_MS });
  await sandbox.start(0, '127.0.0.1');
  const dir = await mkdtemp(join(tmpdir(), 'pillars-bench-coaching-'));
  const port = await freePort();
  const backend = await startBackend(
    {
      NODE_ENV: 'development',
      PORT: String(port),
      PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      HUBSPOT_CLIENT_SECRET: SECRET,
      SQLITE_FILE: join(dir, 'pillars.sqlite'),
      LOG_LEVEL: 'silent',
      SCHEDULER_INTERVAL_MS: '0',
    },
    { sandbox, webhooks: { autostart: false } },
  );
  const portalId = backend.portalId;
  const requests = () => sandbox.stats().byPortal[portalId]?.total ?? 0;
  try {
    const vp = fixture.owners.find((o) => o.id === '61400101');
    if (!vp?.userId) throw new Error('the demo VP has no user');
    const reps = Object.keys(fixture.demo.profiles);
    const contacts = reps
      .map((ownerId) => fixture.objects.contacts.find((c) => c.properties.hubspot_owner_id === ownerId)?.id)
      .filter((id): id is string => id !== undefined);

    async function view(contactId: string): Promise<number> {
      const url = `${backend.url}/api/v1/coaching-panel?contactId=${contactId}&portalId=${portalId}&userId=${vp?.userId}`;
      const t0 = performance.now();
      const res = await fetch(url, { headers: signedHeaders(SECRET, 'GET', url) });
      const body: unknown = await res.json();
      const elapsed = performance.now() - t0;
      const parsed = coachingPanelSchema.safeParse(body);
      if (res.status !== 200 || !parsed.success || parsed.data.view !== 'full')
        throw new Error(`contact ${contactId}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      return elapsed;
    }

    console.log(
      `1. Coaching panel: demo portal (${fixture.objects.calls.length.toLocaleString('en-US')} calls, ${reps.length} reps), sandbox ${LATENCY_MS} ms per request, limits on`,
    );
    sandbox.resetStats();
    let t0 = performance.now();
    const outcomes = await backend.scheduler.tick();
    const snap = outcomes.find((o) => o.job === 'weekly-snapshots');
    console.log(
      `   scheduler's first run (8 weeks of snapshots, stage timing, rules): ${requests()} requests, ${sec(performance.now() - t0)}; snapshots ${JSON.stringify(snap?.summary)}`,
    );

    // Cold: every cache dropped before each view, the shared week in progress included (snapshots
    // and metadata stay): a panel opened after minutes of quiet.
    const coldRun = async (dropWeek: boolean, label: string) => {
      const times: number[] = [];
      const counts: number[] = [];
      for (const c of contacts) {
        backend.coachingPanel.clearCache();
        if (dropWeek) backend.currentWeek.clear();
        sandbox.resetStats();
        times.push(await view(c));
        counts.push(requests());
      }
      times.sort((a, b) => a - b);
      counts.sort((a, b) => a - b);
      const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
      console.log(
        `   ${label} (${contacts.length} contacts, one per rep): requests per view min ${counts[0]}, max ${counts.at(-1)}, mean ${mean.toFixed(1)}; latency p50 ${pct(times, 0.5).toFixed(0)} ms, p95 ${pct(times, 0.95).toFixed(0)} ms`,
      );
    };
    await coldRun(true, 'cold views, nothing cached');
    // A coach going from rep to rep: the portal's week in progress is shared, the rep's panel is not.
    await coldRun(false, "cold views of another rep's contact");
    // Warm: every panel viewed once, then 100 views.
    for (const c of contacts) await view(c);
    sandbox.resetStats();
    const warm: number[] = [];
    t0 = performance.now();
    for (let i = 0; i < 100; i++) warm.push(await view(contacts[i % contacts.length] as string));
    const warmRequests = requests();
    warm.sort((a, b) => a - b);
    console.log(
      `   warm views (100): ${warmRequests} requests in all; latency p50 ${pct(warm, 0.5).toFixed(2)} ms, p95 ${pct(warm, 0.95).toFixed(2)} ms`,
    );
  } finally {
    await backend.close();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// -- 2. a 200-rep portal ---------------------------------------------------------------------------

const TEAMS = 10;
const PER_TEAM = 20;
const ZONE = 'America/New_York';

function syntheticMetrics(rep: number, week: number): Metrics {
  const low = rep % 10 === 3; // 20 reps whose connect rate is half the team's, every week
  const dials = 90 + ((rep * 7 + week * 13) % 40);
  const connects = Math.round(dials * (low ? 0.11 : 0.24 + ((rep + week) % 5) / 100));
  const booked = Math.round(connects * 0.3);
  const held = Math.max(0, booked - (rep % 4 === 0 ? 1 : 0));
  const noShow = booked - held;
  const created = Math.round(held * 0.6);
  const won = rep % 3 === 0 ? 1 : 0;
  const lost = 1;
  return {
    ...ZERO_METRICS,
    dials,
    connects,
    connectRate: connects / dials,
    talkTimeMs: connects * 240_000,
    emailsSent: 40 + (rep % 20),
    meetingsBooked: booked,
    meetingsScheduled: booked,
    meetingsHeld: held,
    meetingsNoShow: noShow,
    meetingHeldRate: booked > 0 ? held / booked : null,
    dealsCreated: created,
    dealsWon: won,
    dealsLost: lost,
    winRate: won / (won + lost),
    wonAmount: won * 12_000,
  };
}

async function twoHundredReps(): Promise<void> {
  const now = Date.now();
  const thisWeek = addDays(lastCompleteWeekStart(now, ZONE), 7);
  const teamIds = Array.from({ length: TEAMS }, (_, t) => String(8_100_000 + t));
  const ownerIds = Array.from({ length: TEAMS * PER_TEAM }, (_, i) => String(71_000_000 + i));
  const releaseStage = 'presentationscheduled';
  const fixture = parsePortalFixture(
    {
      portal: { portalId: 777_001, timeZone: ZONE, currency: 'USD', name: '200 reps' },
      owners: ownerIds.map((id, i) => ({
        id,
        userId: 91_000_000 + i,
        email: `rep${i}@example.com`,
        firstName: `Rep`,
        lastName: String(i),
        teams: [
          {
            id: teamIds[Math.floor(i / PER_TEAM)] as string,
            name: `Team ${Math.floor(i / PER_TEAM)}`,
            primary: true,
          },
        ],
      })),
      users: ownerIds.map((_, i) => ({ id: String(91_000_000 + i), email: `rep${i}@example.com` })),
      pipelines: {
        deals: [
          {
            id: 'default',
            label: 'Sales',
            displayOrder: 0,
            stages: [
              {
                id: 'qualifiedtobuy',
                label: 'Qualified',
                displayOrder: 0,
                metadata: { probability: '0.4', isClosed: 'false' },
              },
              {
                id: releaseStage,
                label: 'Presentation',
                displayOrder: 1,
                metadata: { probability: '0.6', isClosed: 'false' },
              },
              {
                id: 'closedwon',
                label: 'Won',
                displayOrder: 2,
                metadata: { probability: '1.0', isClosed: 'true' },
              },
            ],
          },
        ],
      },
      objects: {
        // The week in progress: 10 calls per rep, and open deals of 30 reps in the release's stage.
        calls: ownerIds.flatMap((ownerId, i) =>
          Array.from({ length: 10 }, (_, k) => {
            const at = new Date(Date.parse(`${thisWeek}T14:00:00Z`) + k * 3_600_000).toISOString();
            return {
              id: String(600_000_000 + i * 10 + k),
              createdAt: at,
              properties: {
                hs_timestamp: at,
                hubspot_owner_id: ownerId,
                hs_call_direction: 'OUTBOUND',
                hs_call_duration: '60000',
              },
            };
          }),
        ),
        deals: ownerIds.slice(0, 30).map((ownerId, i) => ({
          id: String(700_000_000 + i),
          createdAt: `${thisWeek}T10:00:00.000Z`,
          properties: {
            dealname: `Deal ${i}`,
            dealstage: releaseStage,
            pipeline: 'default',
            hubspot_owner_id: ownerId,
            hs_is_closed: 'false',
          },
        })),
      },
    },
    '200-rep portal',
  );
  const sandbox = createSandbox({ portals: [fixture], latencyMs: LATENCY_MS });
  await sandbox.start(0, '127.0.0.1');
  const dir = await mkdtemp(join(tmpdir(), 'pillars-bench-200-'));
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'pillars.sqlite') });
  const throttle = createInProcessThrottle();
  try {
    const portalId = 777_001;
    // Eight complete weeks stored, as the weekly snapshot job leaves them.
    for (let w = 8; w >= 1; w--) {
      const week = addDays(thisWeek, -7 * w);
      await store.snapshots.replaceWeek(
        portalId,
        week,
        ownerIds.map((ownerId, i) => ({ ownerId, metrics: syntheticMetrics(i, w) })),
        new Date(now),
      );
    }
    await store.settings.put(portalId, SETTINGS_KEYS.catalogue, DEMO_CATALOGUE);
    const hubspot = withMetadataCache(
      createHubSpotGateway({
        portalId,
        accessToken: sandbox.tokenFor(portalId),
        basePath: sandbox.baseUrl,
        throttle,
      }),
      { ttlMs: 300_000 },
    );
    const ctx: FunctionContext = { portalId, hubspot, now: () => new Date(now), logger: silent };
    const activityMetrics = createActivityMetrics();
    const settings = createCoachingSettings(store.settings, {
      catalogue: DEMO_CATALOGUE,
      targets: DEMO_TARGETS,
      rules: DEFAULT_RULES,
    });
    const requests = () => sandbox.stats().byPortal[portalId]?.total ?? 0;

    console.log(
      `\n2. A 200-rep portal (${TEAMS} teams of ${PER_TEAM}), 8 stored weeks, sandbox ${LATENCY_MS} ms per request, limits on`,
    );
    sandbox.resetStats();
    let t0 = performance.now();
    const weeks = await loadTeamWeeks(
      ctx,
      { activityMetrics, snapshots: store.snapshots },
      { ownerIds, weeks: 8 },
    );
    const loaded = performance.now() - t0;
    const t1 = performance.now();
    const insights = teamIds.flatMap((_, t) =>
      teamInsights(weeks, ownerIds.slice(t * PER_TEAM, (t + 1) * PER_TEAM), {
        targets: DEMO_TARGETS.default,
      }),
    );
    const diagnosed = performance.now() - t1;
    const gaps = insights.filter((r) => r.diagnosis.status === 'gap');
    const atConnect = gaps.filter((r) => r.diagnosis.weakestStep === 'connect').length;
    const atHeld = gaps.filter((r) => r.diagnosis.weakestStep === 'held').length;
    console.log(
      `   diagnosis of 200 reps: ${sec(performance.now() - t0)} wall (${sec(loaded)} loading 8 stored weeks + the week in progress, ${diagnosed.toFixed(0)} ms diagnosing), ${requests()} HubSpot requests; ${gaps.length} gaps (${atConnect} at connect, ${atHeld} at held; planted: 20 reps at half the connect rate, 50 with a no-show every week)`,
    );

    sandbox.resetStats();
    t0 = performance.now();
    const assignTraining = createAssignTraining({ settings, assignments: store.trainingAssignments });
    const summary = await runTrainingRules(ctx, {
      settings,
      snapshots: store.snapshots,
      jobRuns: store.jobRuns,
      assignments: store.trainingAssignments,
      assignTraining,
      activityMetrics,
    });
    const stats = sandbox.stats().byPortal[portalId];
    console.log(
      `   weekly training-rules job: ${sec(performance.now() - t0)} wall, ${stats?.total ?? 0} HubSpot requests (${stats?.byEndpoint['POST /crm/v3/objects/tasks'] ?? 0} task creates, ${stats?.rateLimited ?? 0} 429s); fired ${summary.fired}, assigned ${summary.assigned}, held by the cap ${summary.held.capReached}, already assigned ${summary.held.alreadyAssigned}`,
    );
    sandbox.resetStats();
    t0 = performance.now();
    const again = await runTrainingRules(ctx, {
      settings,
      snapshots: store.snapshots,
      jobRuns: store.jobRuns,
      assignments: store.trainingAssignments,
      assignTraining,
      activityMetrics,
    });
    console.log(
      `   the same week again: ${again.status} (${again.skipped}), ${requests()} HubSpot requests, ${(performance.now() - t0).toFixed(0)} ms`,
    );
  } finally {
    await store.close();
    await throttle.close();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await panelBench();
await twoHundredReps();
