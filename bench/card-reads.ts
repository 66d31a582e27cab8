/**
 * Card-read throughput (issue 5), in the same process and run, at 50 connections on this machine,
 * with the backend in marketplace (OAuth) mode and the demo portal installed through the OAuth flow:
 * - signed GET /api/v1/deal-guidance served from the guidance cache (signature check, identity,
 *   the portal check, contextFor, the function's cache hit, JSON);
 * - signed GET /api/v1/coaching-panel served from cache and database (the rep's insights and the
 *   contact cached; the notes and training assignments read from SQLite on every view, with a note
 *   stored), as a super admin coaching a team without configured coaches;
 * each against a bare Express route answering the same JSON. The ratio of requests per second is
 * the figure that counts (goal ≥ 0.5 of bare Express).
 *
 *   node --import tsx bench/card-reads.ts [seconds]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { startBackend } from '../src/server/boot.js';
import { generateDemoPortal } from '../src/sandbox/demo-portal/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { freePort, signedHeaders } from './support.js';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 50;
const SECRET = 'bench-card-reads-secret-0123456789';

const signed = (url: string): Record<string, string> => signedHeaders(SECRET, 'GET', url);

interface Run {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, headers: Record<string, string>): Promise<Run> {
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  };
}

const fixture = generateDemoPortal({ seed: 1, size: 30_000 });
const CLIENT_ID = 'pillars-bench-reads';
const sandbox = createSandbox({
  portals: [fixture],
  latencyMs: 0,
  oauthClients: [{ clientId: CLIENT_ID, clientSecret: SECRET }],
});
await sandbox.start(0, '127.0.0.1');
const dir = await mkdtemp(join(tmpdir(), 'pillars-bench-reads-'));
const port = await freePort();
const backend = await startBackend(
  {
    NODE_ENV: 'development',
    SCHEDULER_INTERVAL_MS: '0',
    PORT: String(port),
    PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
    // The marketplace deployment: every signed request checks the portal's installation in the
    // database before it is served.
    HUBSPOT_CLIENT_ID: CLIENT_ID,
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_API_BASE_URL: sandbox.baseUrl,
    PILLARS_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    PILLARS_STATE_KEY: randomBytes(32).toString('base64'),
    OAUTH_AUTHORIZE_URL: `${sandbox.baseUrl}/oauth/authorize`,
    SQLITE_FILE: join(dir, 'pillars.sqlite'),
    LOG_LEVEL: 'silent',
  },
  { webhooks: { autostart: false } },
);
const portalId = fixture.portal.portalId;
const vp = fixture.owners.find((o) => o.id === '61400101')?.userId;
if (!vp) throw new Error('demo VP missing');
{
  const start = await fetch(`${backend.url}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location') ?? '');
  authorize.searchParams.set('portal_id', String(portalId));
  authorize.searchParams.set('user_id', String(vp));
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? '');
  const done = await fetch(`${backend.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
  if (done.status !== 302) throw new Error(`install failed: ${done.status}`);
}

const deal = fixture.objects.deals.find((d) => d.properties.hs_is_closed === 'false');
if (!deal) throw new Error('no open deal');
const cardUrl = `${backend.url}/api/v1/deal-guidance?dealId=${deal.id}&portalId=${portalId}&userId=1`;
const warm = await fetch(cardUrl, { headers: signed(cardUrl) });
if (warm.status !== 200) throw new Error(`warm-up failed: ${warm.status} ${await warm.text()}`);
const payload: unknown = await warm.json();

// The coaching panel: a contact of a rep, viewed by the demo's VP (a super admin); one note stored.
const contact = fixture.objects.contacts.find((c) => c.properties.hubspot_owner_id === '61400270');
if (!contact) throw new Error('demo contact missing');
await backend.store.coachingNotes.create({
  portalId,
  repOwnerId: '61400270',
  kind: 'note',
  body: 'Open with the reason for the call, then ask one question.',
  dueDate: null,
  done: null,
  authorUserId: vp,
  contactId: contact.id,
  createdAt: new Date(),
});
const panelUrl = `${backend.url}/api/v1/coaching-panel?contactId=${contact.id}&portalId=${portalId}&userId=${vp}`;
const panelWarm = await fetch(panelUrl, { headers: signed(panelUrl) });
if (panelWarm.status !== 200)
  throw new Error(`panel warm-up failed: ${panelWarm.status} ${await panelWarm.text()}`);
const panelPayload: unknown = await panelWarm.json();

// The baseline: a bare Express app in this process answering the same JSON.
const bare = express();
bare.get('/bare', (_req, res) => {
  res.json(payload);
});
bare.get('/bare-panel', (_req, res) => {
  res.json(panelPayload);
});
const bareServer = bare.listen(0, '127.0.0.1');
await new Promise((r) => bareServer.once('listening', r));
const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/bare`;

try {
  console.log(
    `${CONNECTIONS} connections, ${SECONDS} s each, one process (autocannon, both servers); payload ${JSON.stringify(payload).length} bytes`,
  );
  // Alternate, so neither side gets a warmer JIT or a quieter machine.
  const bareRuns: Run[] = [];
  const cardRuns: Run[] = [];
  const barePanelRuns: Run[] = [];
  const panelRuns: Run[] = [];
  for (let round = 0; round < 2; round++) {
    bareRuns.push(await load(bareUrl, {}));
    // A fresh signature per run: the timestamp must stay within HubSpot's 5 minutes.
    cardRuns.push(await load(cardUrl, signed(cardUrl)));
    barePanelRuns.push(await load(`${bareUrl}-panel`, {}));
    panelRuns.push(await load(panelUrl, signed(panelUrl)));
  }
  const mean = (runs: Run[], k: keyof Run) => runs.reduce((s, r) => s + r[k], 0) / runs.length;
  const line = (name: string, runs: Run[]) =>
    `${name.padEnd(34)} ${mean(runs, 'rps').toFixed(0).padStart(7)} req/s   p50 ${mean(runs, 'p50').toFixed(1)} ms   p99 ${mean(runs, 'p99').toFixed(1)} ms   errors ${mean(runs, 'errors') + mean(runs, 'non2xx')}`;
  console.log(line('bare Express (same JSON)', bareRuns));
  console.log(line('signed deal card (cache, install check)', cardRuns));
  console.log(`ratio (signed card / bare): ${(mean(cardRuns, 'rps') / mean(bareRuns, 'rps')).toFixed(2)}`);
  console.log(line(`bare Express (panel JSON)`, barePanelRuns));
  console.log(line('signed coaching panel (cache + db)', panelRuns));
  console.log(
    `ratio (signed panel / bare): ${(mean(panelRuns, 'rps') / mean(barePanelRuns, 'rps')).toFixed(2)}`,
  );
} finally {
  bareServer.close();
  await backend.close();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
