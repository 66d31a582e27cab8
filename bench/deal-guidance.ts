/**
 * Deal-guidance benchmark: the signed route GET /api/v1/deal-guidance served by the real backend
 * (startBackend: SQLite, real gateway with HubSpot's per-portal throttle, metadata cache) against the
 * sandbox with 100 ms latency per HubSpot request and HubSpot's rate limits enforced, on the demo
 * portal plus one deal carrying 200 more associated engagements. Prints:
 *
 * - HubSpot requests per view: first view of the portal (pipelines + stage timing learned), cold
 *   (guidance cache empty; metadata and stored timing warm) and warm (cached guidance);
 * - p50/p95 route latency, cold (20 views of 20 different open deals, guidance cache cleared before
 *   each) and warm (100 views);
 * - throughput of the pure engine (evaluateDeal) over every deal of the demo portal.
 *
 *   node --import tsx bench/deal-guidance.ts [size]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dealGuidanceSchema, type Playbook, type StageTiming } from '@pillars/contracts';
import type { CrmRecord, EngagementType, Pipeline } from '../src/core/crm.js';
import { ENGAGEMENT_TYPES } from '../src/core/crm.js';
import { computeStageTiming, defaultPlaybook, evaluateDeal } from '../src/core/process/index.js';
import type { DealEngagement } from '../src/core/process/index.js';
import { startBackend } from '../src/server/boot.js';
import { generateDemoPortal } from '../src/sandbox/demo-portal/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { freePort, pct, signedHeaders } from './support.js';

const SIZE = Number(process.argv[2] ?? 30_000);
const LATENCY_MS = 100;
const EXTRA_ENGAGEMENTS = 200;
const COLD_VIEWS = 20;
const WARM_VIEWS = 100;
const SECRET = 'bench-deal-guidance-secret-0123456789';
const DAY_MS = 86_400_000;

const ms = (x: number) => `${x.toFixed(0)} ms`;

// -- the portal: the demo portal plus 200 engagements on one open deal ---------------------------

const fixture = generateDemoPortal({ seed: 1, size: SIZE });
const nowMs = Date.parse(fixture.demo.now);
const open = fixture.objects.deals.filter(
  (d) => d.properties.hs_is_closed === 'false' && d.properties.pipeline === 'default',
);
const heavy = open.find((d) => d.properties.dealstage === 'presentationscheduled') ?? open[0];
if (!heavy) throw new Error('the demo portal has no open deal');
const associations = fixture.associations ?? [];
fixture.associations = associations;
const heavyContacts = associations
  .filter((a) => a.from.type === 'deals' && a.from.id === heavy.id && a.to.type === 'contacts')
  .map((a) => a.to.id);
const perType: Record<EngagementType, (i: number, at: string) => Record<string, string>> = {
  calls: () => ({ hs_call_direction: 'OUTBOUND', hs_call_status: 'COMPLETED', hs_call_duration: '120000' }),
  emails: () => ({ hs_email_direction: 'EMAIL', hs_email_status: 'SENT', hs_email_subject: 'Recap' }),
  meetings: (i, at) => ({
    hs_meeting_title: 'Working session',
    hs_meeting_start_time: at,
    hs_meeting_outcome: i % 3 === 0 ? 'SCHEDULED' : 'COMPLETED',
  }),
  notes: () => ({ hs_note_body: 'Call notes' }),
  tasks: (i) => ({ hs_task_subject: 'Follow up', hs_task_status: i % 2 === 0 ? 'COMPLETED' : 'NOT_STARTED' }),
};
for (let i = 0; i < EXTRA_ENGAGEMENTS; i++) {
  const type = ENGAGEMENT_TYPES[i % ENGAGEMENT_TYPES.length] as EngagementType;
  // Spread over the last 90 days, with a few in the coming week.
  const at = new Date(nowMs - ((i * 7919) % (90 * DAY_MS)) + (i % 20 === 0 ? 3 * DAY_MS : 0)).toISOString();
  const id = String(59_900_000_000 + i);
  fixture.objects[type].push({
    id,
    archived: false,
    createdAt: at,
    updatedAt: at,
    properties: {
      hs_timestamp: at,
      hs_createdate: at,
      hubspot_owner_id: heavy.properties.hubspot_owner_id ?? null,
      ...perType[type](i, at),
    },
  });
  associations.push({ from: { type, id }, to: { type: 'deals', id: heavy.id } });
  const contact = heavyContacts[i % Math.max(1, heavyContacts.length)];
  if (contact !== undefined) associations.push({ from: { type, id }, to: { type: 'contacts', id: contact } });
}

// -- the backend ---------------------------------------------------------------------------------

const sandbox = createSandbox({ portals: [fixture], latencyMs: LATENCY_MS });
await sandbox.start(0, '127.0.0.1');
const dir = await mkdtemp(join(tmpdir(), 'pillars-bench-dg-'));
const port = await freePort();
const backend = await startBackend(
  {
    NODE_ENV: 'development',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    HUBSPOT_CLIENT_SECRET: SECRET,
    SQLITE_FILE: join(dir, 'pillars.sqlite'),
    LOG_LEVEL: 'silent',
    // No scheduled jobs: their HubSpot requests would count as the card's.
    SCHEDULER_INTERVAL_MS: '0',
  },
  { sandbox },
);
const portalId = backend.portalId;

async function view(dealId: string): Promise<number> {
  const url = `${backend.url}/api/v1/deal-guidance?dealId=${dealId}&portalId=${portalId}&userId=1`;
  const t0 = performance.now();
  const res = await fetch(url, { headers: signedHeaders(SECRET, 'GET', url) });
  const body: unknown = await res.json();
  const elapsed = performance.now() - t0;
  if (res.status !== 200 || !dealGuidanceSchema.safeParse(body).success)
    throw new Error(`deal ${dealId}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return elapsed;
}

function requests(): { total: number; byEndpoint: Record<string, number> } {
  const c = sandbox.stats().byPortal[portalId];
  return { total: c?.total ?? 0, byEndpoint: { ...(c?.byEndpoint ?? {}) } };
}

function countView(): number {
  return requests().total;
}

try {
  const engagements = ENGAGEMENT_TYPES.reduce((n, t) => n + fixture.objects[t].length, 0);
  console.log(
    `Demo portal: ${engagements.toLocaleString('en-US')} engagements, ${fixture.objects.deals.length} deals; deal ${heavy.id} has ${EXTRA_ENGAGEMENTS} extra engagements; sandbox latency ${LATENCY_MS} ms, HubSpot limits on`,
  );

  // First view of the portal: pipelines (metadata) and the stage timing search happen here.
  sandbox.resetStats();
  const firstMs = await view(heavy.id);
  const first = requests();
  console.log(`\nFirst view of the portal (deal ${heavy.id}): ${first.total} requests, ${ms(firstMs)}`);
  for (const [k, v] of Object.entries(first.byEndpoint).sort()) console.log(`    ${v}  ${k}`);

  backend.dealGuidance.clearCache();
  sandbox.resetStats();
  const heavyColdMs = await view(heavy.id);
  const heavyCold = requests();
  sandbox.resetStats();
  const heavyWarmMs = await view(heavy.id);
  console.log(
    `Deal with ${EXTRA_ENGAGEMENTS} more engagements: cold ${heavyCold.total} requests (${ms(heavyColdMs)}), warm ${countView()} requests (${ms(heavyWarmMs)})`,
  );
  for (const [k, v] of Object.entries(heavyCold.byEndpoint).sort()) console.log(`    ${v}  ${k}`);

  // Cold: 20 different open deals, guidance cache cleared before each.
  const coldDeals = open.filter((d) => d.id !== heavy.id).slice(0, COLD_VIEWS);
  const cold: number[] = [];
  const coldRequests: number[] = [];
  for (const d of coldDeals) {
    backend.dealGuidance.clearCache();
    sandbox.resetStats();
    cold.push(await view(d.id));
    coldRequests.push(countView());
  }
  // Warm: 100 views over the same 20 deals (cache filled by one view each first).
  for (const d of coldDeals) await view(d.id);
  sandbox.resetStats();
  const warm: number[] = [];
  for (let i = 0; i < WARM_VIEWS; i++) warm.push(await view((coldDeals[i % coldDeals.length] ?? heavy).id));
  const warmRequests = countView();
  cold.sort((a, b) => a - b);
  warm.sort((a, b) => a - b);
  coldRequests.sort((a, b) => a - b);
  console.log(
    `\nCold views (${coldDeals.length} deals): requests per view min ${coldRequests[0]}, max ${coldRequests.at(-1)}, mean ${(coldRequests.reduce((a, b) => a + b, 0) / coldRequests.length).toFixed(2)}; latency p50 ${ms(pct(cold, 0.5))}, p95 ${ms(pct(cold, 0.95))}`,
  );
  console.log(
    `Warm views (${WARM_VIEWS}): ${warmRequests} requests in all; latency p50 ${pct(warm, 0.5).toFixed(2)} ms, p95 ${pct(warm, 0.95).toFixed(2)} ms`,
  );

  // -- the pure engine over every deal -----------------------------------------------------------
  const byDeal = new Map<
    string,
    { contacts: CrmRecord[]; engagements: Partial<Record<EngagementType, DealEngagement[]>> }
  >();
  const contactsById = new Map(fixture.objects.contacts.map((c) => [c.id, c]));
  const engagementById = new Map<
    string,
    { type: EngagementType; record: DealEngagement & { contactIds: string[] } }
  >();
  for (const t of ENGAGEMENT_TYPES)
    for (const r of fixture.objects[t])
      engagementById.set(`${t}:${r.id}`, { type: t, record: { ...r, contactIds: [] } });
  const slot = (dealId: string) => {
    let s = byDeal.get(dealId);
    if (!s) byDeal.set(dealId, (s = { contacts: [], engagements: {} }));
    return s;
  };
  for (const a of associations) {
    if (a.from.type === 'deals' && a.to.type === 'contacts') {
      const c = contactsById.get(a.to.id);
      if (c) slot(a.from.id).contacts.push(c);
    } else if (a.to.type === 'contacts') {
      engagementById.get(`${a.from.type}:${a.from.id}`)?.record.contactIds.push(a.to.id);
    }
  }
  for (const a of associations) {
    if (a.to.type !== 'deals') continue;
    const e = engagementById.get(`${a.from.type}:${a.from.id}`);
    if (!e) continue;
    const s = slot(a.to.id);
    (s.engagements[e.type] ??= []).push(e.record);
  }
  const pipelines = new Map<string, { pipeline: Pipeline; playbook: Playbook; timing: StageTiming }>();
  const now = new Date(nowMs);
  for (const p of fixture.pipelines.deals) {
    const pipeline = p as Pipeline;
    const playbook = defaultPlaybook(pipeline);
    const timing = computeStageTiming({ deals: fixture.objects.deals, pipeline, now, playbook });
    pipelines.set(p.id, { pipeline, playbook, timing });
  }
  const evaluateAll = () => {
    let n = 0;
    for (const deal of fixture.objects.deals) {
      const p = pipelines.get(deal.properties.pipeline ?? '');
      if (!p) continue;
      const s = byDeal.get(deal.id);
      evaluateDeal({
        deal,
        pipeline: p.pipeline,
        playbook: p.playbook,
        engagements: s?.engagements ?? {},
        contacts: s?.contacts ?? [],
        waivers: [],
        now,
        stageTiming: p.timing,
      });
      n++;
    }
    return n;
  };
  evaluateAll(); // warm-up
  let evaluated = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) evaluated += evaluateAll();
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `\nEngine: evaluateDeal over all ${fixture.objects.deals.length} demo deals, ${Math.round(evaluated / seconds).toLocaleString('en-US')} deals/s`,
  );
} finally {
  await backend.close();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
