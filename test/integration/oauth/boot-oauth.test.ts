/**
 * The real backend (startBackend) in OAuth (marketplace) mode: two HubSpot portals install Pillars
 * through /oauth/install → HubSpot's consent → /oauth/callback; each then gets its own data through
 * signed requests, a portal that never installed gets 404, the scheduler runs jobs for both, and a
 * disconnect uninstalls and purges one while the other keeps working.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, type Backend } from '../../../src/server/boot.js';
import { generateDemoPortal } from '../../../src/sandbox/demo-portal/index.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';
import { freePort } from '../../support/demo-backend.js';
import { signRequest } from '../../support/signer.js';

const CLIENT = { clientId: 'pillars-boot-oauth', clientSecret: 'boot-oauth-client-secret-77aa' };
let sandbox: Sandbox;
let backend: Backend;
let dir: string;
let portals: number[];
let vpUser: number | undefined;
let fixtureA: ReturnType<typeof generateDemoPortal>;
let fixtureB: ReturnType<typeof generateDemoPortal>;

beforeAll(async () => {
  const a = generateDemoPortal({ seed: 1, size: 2000 });
  const b = generateDemoPortal({ seed: 2, size: 2000 });
  fixtureA = a;
  fixtureB = b;
  vpUser = a.owners.find((o) => o.id === '61400101')?.userId ?? undefined;
  expect(b.owners.find((o) => o.id === '61400101')?.userId).toBe(vpUser);
  b.portal.portalId = a.portal.portalId + 1;
  sandbox = createSandbox({ portals: [a, b], oauthClients: [CLIENT], limits: false });
  await sandbox.start(0, '127.0.0.1');
  portals = sandbox.portalIds();
  dir = await mkdtemp(join(tmpdir(), 'pillars-boot-oauth-'));
  const port = await freePort();
  backend = await startBackend({
    NODE_ENV: 'test',
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
  });
}, 60_000);

afterAll(async () => {
  await backend?.close();
  await sandbox?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The demo VP's HubSpot user (a super admin; the same id in every generated demo portal). */
function userOf(_portalId: number): number {
  if (vpUser === undefined) throw new Error('no VP user');
  return vpUser;
}

async function install(portalId: number): Promise<Response> {
  const start = await fetch(`${backend.url}/oauth/install`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location') ?? '');
  authorize.searchParams.set('portal_id', String(portalId));
  authorize.searchParams.set('user_id', String(userOf(portalId)));
  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get('location') ?? '');
  return fetch(`${backend.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
}

function signedGet(path: string, portalId: number): Promise<Response> {
  const url = `${backend.url}${path}${path.includes('?') ? '&' : '?'}portalId=${portalId}&userId=${userOf(portalId)}`;
  return fetch(url, {
    headers: signRequest({ method: 'GET', url, secret: CLIENT.clientSecret, timestamp: Date.now() }),
  });
}

test('before any install, every portal is unknown; the backend has no single portal', async () => {
  expect((await signedGet('/api/v1/activity-metrics?week=2026-11-16', portals[0] as number)).status).toBe(
    404,
  );
  expect(() => backend.portalId).toThrow(/many portals/);
  expect(await backend.registry.activePortals()).toEqual([]);
});

test('two portals install and each reads its own data; the scheduler serves both', async () => {
  const [a, b] = portals as [number, number];
  expect((await install(a)).status).toBe(302);
  expect((await install(b)).status).toBe(302);
  expect(await backend.registry.activePortals()).toEqual([a, b]);

  const reportA = (await (await signedGet('/api/v1/activity-metrics?week=2026-11-16', a)).json()) as {
    portalId: number;
  };
  const reportB = (await (await signedGet('/api/v1/activity-metrics?week=2026-11-16', b)).json()) as {
    portalId: number;
  };
  expect(reportA.portalId).toBe(a);
  expect(reportB.portalId).toBe(b);

  // The cards work for an installed portal, and never for the other portal's records.
  const deal = fixtureA.objects.deals.find((d) => d.properties.hs_is_closed === 'false');
  const card = await signedGet(`/api/v1/deal-guidance?dealId=${deal?.id}`, a);
  expect(card.status).toBe(200);
  expect(((await card.json()) as { dealId: string }).dealId).toBe(deal?.id);
  const contact = fixtureA.objects.contacts.find((c) => c.properties.hubspot_owner_id);
  const panel = await signedGet(`/api/v1/coaching-panel?contactId=${contact?.id}`, a);
  expect(panel.status).toBe(200);
  expect(((await panel.json()) as { view: string }).view).toBe('full');
  // The demo generator gives both portals the same record ids: B's request for that id reads B's own
  // deal (its stage), never A's.
  const crossed = await signedGet(`/api/v1/deal-guidance?dealId=${deal?.id}`, b);
  const own = fixtureB.objects.deals.find((d) => d.id === deal?.id);
  if (own) {
    expect(crossed.status).toBe(200);
    expect(((await crossed.json()) as { stage: { id: string } }).stage.id).toBe(own.properties.dealstage);
  } else {
    expect(crossed.status).toBe(404);
  }

  const outcomes = await backend.scheduler.tick();
  for (const p of [a, b])
    expect(outcomes.filter((o) => o.portalId === p && o.outcome === 'ran').map((o) => o.job)).toEqual([
      'weekly-snapshots',
      'stage-timing',
      'training-rules',
      'training-sync',
    ]);
}, 120_000);

test('a disconnect uninstalls and purges one portal; the other keeps working', async () => {
  const [a, b] = portals as [number, number];
  const status = await signedGet('/api/v1/settings/connection', a);
  expect(await status.json()).toMatchObject({ portalId: a, status: 'active', retentionDays: 30 });
  const url = `${backend.url}/api/v1/settings/connection/disconnect?portalId=${a}&userId=${userOf(a)}`;
  const body = JSON.stringify({ idempotencyKey: 'disconnect-0001' });
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: {
      ...signRequest({ method: 'POST', url, body, secret: CLIENT.clientSecret, timestamp: Date.now() }),
      'content-type': 'application/json',
    },
  });
  expect(res.status).toBe(200);
  expect((await signedGet('/api/v1/activity-metrics?week=2026-11-16', a)).status).toBe(404);
  expect(await backend.store.snapshots.lastRun(a, '2026-11-16')).toBeNull();
  expect((await signedGet('/api/v1/activity-metrics?week=2026-11-16', b)).status).toBe(200);
  expect(await backend.registry.activePortals()).toEqual([b]);
}, 60_000);
