/**
 * POST /webhooks/hubspot end to end (threats A12, G1–G5): the backend booted through its composition
 * root (`startBackend`) on SQLite and a sandbox portal, deliveries signed like HubSpot's and sent over
 * real HTTP. The boot's processor is not started, so each test runs it when it wants (runOnce); the
 * last test restarts the backend on the same database file and lets the booted processor work.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type Backend } from '../../../src/server/boot.js';
import { generateDemoPortal, type DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { signRequest } from '../../support/signer.js';

const SECRET = 'webhooks-client-secret-0123456789';
const APP_ID = 4242;

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

let fixture: DemoPortalFixture;
let sandbox: Sandbox;
let backend: Backend;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pillars-webhooks-'));
  fixture = generateDemoPortal({ seed: 1, size: 3000 });
  sandbox = createSandbox({ portals: [fixture], latencyMs: 0 });
  await sandbox.start(0, '127.0.0.1');
  const port = await freePort();
  env = {
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    HUBSPOT_CLIENT_SECRET: SECRET,
    SQLITE_FILE: join(dir, 'pillars.sqlite'),
    LOG_LEVEL: 'silent',
  };
  backend = await startBackend(env, { sandbox, webhooks: { autostart: false } });
}, 60_000);

afterAll(async () => {
  await backend.close();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
});

let nextEventId = 5_000_000;
interface HubSpotEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId?: number;
  objectTypeId?: string;
  propertyName?: string;
  propertyValue?: string;
  changeSource?: string;
}

function stageChange(
  dealId: string,
  stageId: string,
  occurredAt: number,
  portalId = backend.portalId,
): HubSpotEvent {
  return {
    eventId: (nextEventId += 1),
    subscriptionId: 77,
    portalId,
    appId: APP_ID,
    occurredAt,
    subscriptionType: 'object.propertyChange',
    attemptNumber: 0,
    objectId: Number(dealId),
    objectTypeId: '0-3',
    propertyName: 'dealstage',
    propertyValue: stageId,
    changeSource: 'CRM_UI',
  };
}

function deliver(body: string, secret = SECRET): Promise<Response> {
  const url = `${backend.url}/webhooks/hubspot`;
  const headers = signRequest({ method: 'POST', url, body, secret, timestamp: Date.now() });
  return fetch(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' } });
}

async function stored(events: readonly HubSpotEvent[]) {
  return Promise.all(events.map((e) => backend.store.webhooks.get(e.portalId, String(e.eventId))));
}

/** Run the processor until nothing is due. */
async function drain(): Promise<number> {
  let total = 0;
  for (;;) {
    const run = await backend.webhookProcessor.runOnce();
    total += run.claimed;
    if (run.claimed === 0) return total;
  }
}

/** An open deal whose current stage has a required criterion unmet (per the card), with the next stage. */
async function dealWithUnmetRequired(
  skip: ReadonlySet<string>,
): Promise<{ dealId: string; stageId: string; nextStageId: string }> {
  const candidates = fixture.objects.deals.filter(
    (d) => d.properties.hs_is_closed === 'false' && d.properties.pipeline === 'default' && !skip.has(d.id),
  );
  for (const deal of candidates.slice(0, 80)) {
    const url = `${backend.url}/api/v1/deal-guidance?dealId=${deal.id}&portalId=${backend.portalId}&userId=1`;
    const res = await fetch(url, {
      headers: signRequest({ method: 'GET', url, secret: SECRET, timestamp: Date.now() }),
    });
    if (res.status !== 200) continue;
    const g = (await res.json()) as {
      stage: { id: string; outcome: string };
      criteria: { level: string; status: string }[];
      pipeline: { stages: { id: string }[] };
    };
    const i = g.pipeline.stages.findIndex((s) => s.id === g.stage.id);
    const next = g.pipeline.stages[i + 1];
    if (
      g.stage.outcome === 'open' &&
      next &&
      g.criteria.some((c) => c.level === 'required' && c.status === 'unmet')
    ) {
      return { dealId: deal.id, stageId: g.stage.id, nextStageId: next.id };
    }
  }
  throw new Error('no deal with unmet required criteria in the fixture');
}

const used = new Set<string>();

describe('POST /webhooks/hubspot', () => {
  it('a batch delivered 3 times, in sequence and concurrently, is stored once and processed once', async () => {
    const now = Date.now();
    const deals = fixture.objects.deals.slice(0, 5).map((d) => d.id);
    const batch = deals.map((id, i) => ({
      ...stageChange(id, 'qualifiedtobuy', now - 1000 + i),
      propertyName: 'amount',
    }));
    const body = JSON.stringify(batch);
    expect((await deliver(body)).status).toBe(204);
    const concurrent = await Promise.all([deliver(body), deliver(body), deliver(body)]);
    expect(concurrent.map((r) => r.status)).toEqual([204, 204, 204]);
    expect((await deliver(body)).status).toBe(204);
    const rows = await stored(batch);
    expect(rows.every((r) => r?.status === 'pending' && r.attempts === 0)).toBe(true);

    const spy = jest.spyOn(backend.dealGuidance, 'invalidateDeal');
    try {
      await drain();
      expect((await deliver(body)).status).toBe(204); // a redelivery after processing is still a no-op
      await drain();
      const after = await stored(batch);
      expect(after.map((r) => [r?.status, r?.attempts])).toEqual(batch.map(() => ['done', 1]));
      // amount changes have no handler: acknowledged, nothing invalidated
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  }, 60_000);

  it('a bad signature is a 401 and stores nothing', async () => {
    const batch = [stageChange(fixture.objects.deals[0]?.id ?? '1', 'x', Date.now())];
    const res = await deliver(JSON.stringify(batch), 'wrong-secret-wrong-secret-wrong!!');
    expect(res.status).toBe(401);
    // A body altered after signing: also 401.
    const url = `${backend.url}/webhooks/hubspot`;
    const signed = signRequest({
      method: 'POST',
      url,
      body: JSON.stringify(batch),
      secret: SECRET,
      timestamp: Date.now(),
    });
    const altered = await fetch(url, {
      method: 'POST',
      body: JSON.stringify(batch, null, 1),
      headers: { ...signed, 'content-type': 'application/json' },
    });
    expect(altered.status).toBe(401);
    expect(await stored(batch)).toEqual([null]);
  });

  it('a malformed batch is a 400 and stores nothing, not even its valid events', async () => {
    const good = stageChange(fixture.objects.deals[0]?.id ?? '1', 'x', Date.now());
    const cases: unknown[] = [
      { ...good },
      [],
      [good, { ...stageChange('1', 'y', Date.now()), eventId: 'abc' }],
      [good, { ...stageChange('1', 'y', Date.now()), portalId: undefined }],
      Array.from({ length: 101 }, () => stageChange('1', 'y', Date.now())),
    ];
    for (const body of cases) {
      const res = await deliver(JSON.stringify(body));
      expect(res.status).toBe(400);
    }
    expect((await deliver('[{"eventId": 1,')).status).toBe(400);
    expect(await stored([good])).toEqual([null]);
  });

  it('events of an unknown portal are acknowledged (2xx) and dropped; the others of the batch are kept', async () => {
    const other = backend.portalId + 1;
    const foreign = stageChange('123', 'x', Date.now(), other);
    const mine = { ...stageChange('123', 'x', Date.now()), propertyName: 'amount' };
    expect((await deliver(JSON.stringify([foreign]))).status).toBe(204);
    expect((await deliver(JSON.stringify([foreign, mine]))).status).toBe(204);
    expect(await backend.store.webhooks.get(other, String(foreign.eventId))).toBeNull();
    expect(await backend.store.webhooks.get(mine.portalId, String(mine.eventId))).not.toBeNull();
    await drain();
  });

  it('a stage left with required criteria unmet records one exception, however often it is delivered', async () => {
    const { dealId, stageId, nextStageId } = await dealWithUnmetRequired(used);
    used.add(dealId);
    const t = Date.now();
    const enter = stageChange(dealId, stageId, t - 60_000);
    const leave = stageChange(dealId, nextStageId, t - 1_000);
    const body = JSON.stringify([enter, leave]);
    await Promise.all([deliver(body), deliver(body), deliver(body)]);
    const spy = jest.spyOn(backend.dealGuidance, 'invalidateDeal');
    try {
      await drain();
      expect(spy).toHaveBeenCalledTimes(2); // once per event
    } finally {
      spy.mockRestore();
    }
    await deliver(body);
    await drain();
    const rows = (await backend.store.exceptions.listForPortal(backend.portalId)).filter(
      (e) => e.dealId === dealId,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      fromStageId: stageId,
      toStageId: nextStageId,
      occurredAt: new Date(leave.occurredAt),
    });
    expect(rows[0]?.criterionIds.length).toBeGreaterThan(0);
  }, 120_000);

  it('out of order: the newer change delivered first gives the same result as in order (G2)', async () => {
    const { dealId, stageId, nextStageId } = await dealWithUnmetRequired(used);
    used.add(dealId);
    const t = Date.now();
    const first = stageChange(dealId, stageId, t - 60_000);
    const second = stageChange(dealId, nextStageId, t - 1_000);
    expect((await deliver(JSON.stringify([second]))).status).toBe(204);
    await drain();
    // Handled without knowing the stage left: no exception yet.
    const mine = async () =>
      (await backend.store.exceptions.listForPortal(backend.portalId)).filter((e) => e.dealId === dealId);
    expect(await mine()).toEqual([]);
    expect((await deliver(JSON.stringify([first]))).status).toBe(204);
    await drain();
    const rows = await mine();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      fromStageId: stageId,
      toStageId: nextStageId,
      occurredAt: new Date(second.occurredAt),
    });
    // The deal's latest known stage is the newer change's, whatever the arrival order.
    const changes = await backend.store.webhooks.stageChanges(backend.portalId, dealId);
    expect(changes.at(-1)?.stageId).toBe(nextStageId);
  }, 120_000);

  it('acknowledges 200 concurrent deliveries quickly (G3)', async () => {
    const deals = fixture.objects.deals.slice(0, 50).map((d) => d.id);
    const bodies = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify(
        Array.from({ length: 5 }, (_, j) => ({
          ...stageChange(deals[(i + j) % deals.length] ?? '1', 'x', Date.now()),
          propertyName: 'amount',
        })),
      ),
    );
    // Warm up the connection pool and the route.
    await deliver(bodies[0] ?? '[]');
    const times = await Promise.all(
      bodies.map(async (body) => {
        const started = performance.now();
        const res = await deliver(body);
        const ms = performance.now() - started;
        expect(res.status).toBe(204);
        return ms;
      }),
    );
    times.sort((a, b) => a - b);
    const pct = (p: number): number =>
      times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? NaN;
    const p50 = pct(50);
    const p99 = pct(99);
    // Reported in the run's output; the target is p99 ≤ 500 ms, HubSpot's hard limit 5 s.
    process.stdout.write(
      `webhook ack latency, 200 concurrent deliveries of 5 events: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(times.at(-1) ?? NaN).toFixed(1)} ms\n`,
    );
    expect(p99).toBeLessThan(5000);
    await drain();
  }, 120_000);

  it('an event accepted but not processed before a restart is processed after it (G5)', async () => {
    const dealId = fixture.objects.deals[0]?.id ?? '1';
    const event = { ...stageChange(dealId, 'x', Date.now()), propertyName: 'amount' };
    expect((await deliver(JSON.stringify([event]))).status).toBe(204);
    // A worker leases it and dies before marking it (crash mid-run).
    const leased = await backend.store.webhooks.claimPending(10, new Date(), 1_000);
    expect(leased.map((e) => e.eventId)).toContain(String(event.eventId));
    await backend.close();

    backend = await startBackend(env, { sandbox, webhooks: { intervalMs: 50 } });
    const deadline = Date.now() + 10_000;
    let row = await backend.store.webhooks.get(event.portalId, String(event.eventId));
    while (row?.status !== 'done' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      row = await backend.store.webhooks.get(event.portalId, String(event.eventId));
    }
    expect(row).toMatchObject({ status: 'done', attempts: 2 });
  }, 60_000);
});
