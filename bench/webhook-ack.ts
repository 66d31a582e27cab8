/**
 * Webhook acknowledgement (issue 5): 200 concurrent signed deliveries of 5 events each to
 * POST /webhooks/hubspot on the real backend, measured from send to the 204 (signature check,
 * dedupe and the durable enqueue in one transaction; processing happens after the answer). Runs on
 * SQLite (the default) and, when PILLARS_TEST_DATABASE_URL is set, on PostgreSQL too. Goal: p99 ≤ 500 ms.
 *
 *   node --import tsx bench/webhook-ack.ts [rounds]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startBackend } from '../src/server/boot.js';
import { generateDemoPortal } from '../src/sandbox/demo-portal/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { freePort, pct, signedHeaders } from './support.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const DELIVERIES = 200;
const EVENTS = 5;
const SECRET = 'bench-webhook-secret-0123456789';

let nextEventId = 1_000_000_000;

async function measure(label: string, extraEnv: Record<string, string>): Promise<void> {
  const fixture = generateDemoPortal({ seed: 1, size: 3000 });
  const sandbox = createSandbox({ portals: [fixture], latencyMs: 0 });
  await sandbox.start(0, '127.0.0.1');
  const dir = await mkdtemp(join(tmpdir(), 'pillars-bench-webhooks-'));
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
      ...extraEnv,
    },
    { sandbox },
  );
  const url = `${backend.url}/webhooks/hubspot`;
  const deals = fixture.objects.deals.slice(0, 50).map((d) => Number(d.id));
  const deliver = (body: string) =>
    fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signedHeaders(SECRET, 'POST', url, body) },
    });
  const batch = (i: number) =>
    JSON.stringify(
      Array.from({ length: EVENTS }, (_, j) => ({
        eventId: (nextEventId += 1),
        subscriptionId: 1,
        portalId: backend.portalId,
        appId: 1,
        occurredAt: Date.now(),
        subscriptionType: 'object.propertyChange',
        attemptNumber: 0,
        objectId: deals[(i + j) % deals.length],
        objectTypeId: '0-3',
        propertyName: 'amount',
        propertyValue: '1000',
        changeSource: 'CRM_UI',
      })),
    );
  try {
    await deliver(batch(0)); // warm the route and the pool
    const all: number[] = [];
    const perRound: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bodies = Array.from({ length: DELIVERIES }, (_, i) => batch(i));
      const times = await Promise.all(
        bodies.map(async (body) => {
          const t0 = performance.now();
          const res = await deliver(body);
          await res.arrayBuffer();
          if (res.status !== 204) throw new Error(`webhook answered ${res.status}`);
          return performance.now() - t0;
        }),
      );
      times.sort((a, b) => a - b);
      perRound.push(`p99 ${pct(times, 0.99).toFixed(0)} ms`);
      all.push(...times);
    }
    all.sort((a, b) => a - b);
    console.log(
      `${label.padEnd(11)} ${ROUNDS} rounds of ${DELIVERIES} concurrent deliveries x ${EVENTS} events: p50 ${pct(all, 0.5).toFixed(0)} ms, p99 ${pct(all, 0.99).toFixed(0)} ms, max ${(all.at(-1) ?? NaN).toFixed(0)} ms (${perRound.join(', ')})`,
    );
  } finally {
    await backend.close();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await measure('SQLite', {});
const pgUrl = process.env.PILLARS_TEST_DATABASE_URL;
if (pgUrl) {
  const db = `pillars_bench_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create database "${db}"`);
  const u = new URL(pgUrl);
  u.pathname = `/${db}`;
  try {
    await measure('PostgreSQL', { DATABASE_URL: u.toString() });
  } finally {
    await admin.query(`drop database if exists "${db}" with (force)`);
    await admin.end();
  }
}
