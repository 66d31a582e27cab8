/**
 * Fifty portals (issue 5): the real backend in OAuth mode, 50 sandbox portals installed through the
 * OAuth flow (HubSpot's per-portal limits on: 110 requests per 10 s, 5 searches per second), then
 * one scheduler tick (the weekly snapshot job with its 8-week backfill, stage timing, training rules
 * and sync for every portal, a few portals side by side). From the sandbox's request log, per portal:
 * requests, the busiest rolling 10 s and 1 s (searches) windows against the limits, and 429s.
 *
 *   node --import tsx bench/fifty-portals.ts [portals] [engagements per portal]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend } from '../src/server/boot.js';
import { generateDemoPortal } from '../src/sandbox/demo-portal/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { freePort } from './support.js';

const PORTALS = Number(process.argv[2] ?? 50);
const SIZE = Number(process.argv[3] ?? 600);
const LATENCY_MS = 20;
const CLIENT = { clientId: 'pillars-bench-50', clientSecret: 'bench-fifty-client-secret-0123' };

/** The most entries of `times` (sorted ms) inside any window of `windowMs`. */
function busiest(times: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while ((times[hi] as number) - (times[lo] as number) >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const fixtures = Array.from({ length: PORTALS }, (_, i) => {
  const f = generateDemoPortal({ seed: i + 1, size: SIZE });
  f.portal.portalId = 200_000 + i;
  return f;
});
const vpUser = fixtures[0]?.owners.find((o) => o.id === '61400101')?.userId;
if (!vpUser) throw new Error('no demo VP user');
const sandbox = createSandbox({ portals: fixtures, latencyMs: LATENCY_MS, oauthClients: [CLIENT] });
await sandbox.start(0, '127.0.0.1');
const dir = await mkdtemp(join(tmpdir(), 'pillars-bench-50-'));
const port = await freePort();
const backend = await startBackend({
  NODE_ENV: 'development',
  LOG_LEVEL: 'silent',
  PORT: String(port),
  PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
  HUBSPOT_CLIENT_ID: CLIENT.clientId,
  HUBSPOT_CLIENT_SECRET: CLIENT.clientSecret,
  HUBSPOT_API_BASE_URL: sandbox.baseUrl,
  PILLARS_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  PILLARS_STATE_KEY: randomBytes(32).toString('base64'),
  OAUTH_AUTHORIZE_URL: `${sandbox.baseUrl}/oauth/authorize`,
  SQLITE_FILE: join(dir, 'pillars.sqlite'),
  SCHEDULER_INTERVAL_MS: '0',
});

try {
  for (const f of fixtures) {
    const start = await fetch(`${backend.url}/oauth/install`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location') ?? '');
    authorize.searchParams.set('portal_id', String(f.portal.portalId));
    authorize.searchParams.set('user_id', String(vpUser));
    const consent = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location') ?? '');
    const done = await fetch(`${backend.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
    if (done.status !== 302) throw new Error(`install of ${f.portal.portalId}: ${done.status}`);
  }
  const active = await backend.registry.activePortals();
  console.log(
    `${active.length} portals installed through OAuth, ${SIZE.toLocaleString('en-US')} engagements each; sandbox ${LATENCY_MS} ms per request, HubSpot's per-portal limits on`,
  );

  sandbox.resetStats();
  const t0 = performance.now();
  const outcomes = await backend.scheduler.tick();
  const wall = performance.now() - t0;
  const failed = outcomes.filter((o) => o.outcome === 'failed');
  const stats = sandbox.stats();
  const rows = active.map((portalId) => {
    const entries = stats.log.filter((e) => e.portalId === portalId);
    const all = entries.map((e) => e.at).sort((a, b) => a - b);
    const searches = entries
      .filter((e) => e.kind === 'search')
      .map((e) => e.at)
      .sort((a, b) => a - b);
    const c = stats.byPortal[portalId];
    return {
      portalId,
      total: c?.total ?? 0,
      rateLimited: c?.rateLimited ?? 0,
      per10s: busiest(all, 10_000),
      searchPer1s: busiest(searches, 1_000),
    };
  });
  const total = rows.reduce((s, r) => s + r.total, 0);
  const limited = rows.reduce((s, r) => s + r.rateLimited, 0);
  const max = (k: 'per10s' | 'searchPer1s' | 'total') => Math.max(...rows.map((r) => r[k]));
  const min = (k: 'total') => Math.min(...rows.map((r) => r[k]));
  console.log(
    `one scheduler tick: ${(wall / 1000).toFixed(1)} s wall; ${outcomes.filter((o) => o.outcome === 'ran').length} job runs, ${failed.length} failed`,
  );
  console.log(
    `HubSpot requests: ${total.toLocaleString('en-US')} in all, ${min('total')} to ${max('total')} per portal; 429s ${limited} (${((100 * limited) / Math.max(1, total)).toFixed(2)} %)`,
  );
  console.log(
    `busiest window of any portal: ${max('per10s')} requests in 10 s (limit 110), ${max('searchPer1s')} searches in 1 s (limit 5)`,
  );
  if (failed.length > 0) console.log('failures:', failed.slice(0, 5));
} finally {
  await backend.close();
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
