// OAuth (marketplace) mode through real HTTP (issue 5): installs of two portals through the
// sandbox's OAuth endpoints and our /oauth/install and /oauth/callback (E1–E4), the tenancy matrix
// (B1: every signed route, an unknown or uninstalled portal → 404 and nothing written; every store
// call of a request carries the signed portal), disconnect (B6, E8: non-admin 403, admin →
// HubSpot uninstall, tokens gone, every row purged, later requests 404, webhooks dropped),
// BAD_REFRESH_TOKEN after a HubSpot-side uninstall (E7) with the purge after retention, and the
// contact privacy deletion webhook (E9).
import { ZERO_METRICS } from '@pillars/contracts';
import { purgeDueJob } from '../../../src/jobs/purge.js';
import { APP_REQUIRED_SCOPES } from '../../../src/oauth/app-scopes.js';
import { buildRouteTable } from '../../../src/server/route-table.js';
import type { NewCoachingNote } from '../../../src/store/coaching-ports.js';
import {
  ADMIN_USER,
  CLIENT,
  REP_USER,
  T0,
  TOKEN_ENDPOINT,
  startMarketplaceHarness,
} from './marketplace-harness.js';
import type { MarketplaceHarness } from './marketplace-harness.js';

jest.setTimeout(30_000);

const A = 101;
const B = 202;
const UNKNOWN = 303;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const UNINSTALL_ENDPOINT = 'DELETE /appinstalls/v3/external-install';

let h: MarketplaceHarness;
beforeEach(async () => {
  h = await startMarketplaceHarness([A, B]);
});
afterEach(async () => {
  await h.close();
});

const admin = (portalId: number) => ({ portalId, userId: ADMIN_USER });
const rep = (portalId: number) => ({ portalId, userId: REP_USER });

async function errorOf(
  res: Response,
): Promise<{ code: string; message: string; details?: { reason?: string } }> {
  return ((await res.json()) as { error: { code: string; message: string; details?: { reason?: string } } })
    .error;
}

function note(
  portalId: number,
  contactId: string,
  overrides: Partial<NewCoachingNote> = {},
): NewCoachingNote {
  return {
    portalId,
    repOwnerId: '501',
    kind: 'note',
    body: 'private coaching note text',
    dueDate: null,
    done: null,
    authorUserId: ADMIN_USER,
    contactId,
    createdAt: new Date(T0),
    ...overrides,
  };
}

let nextEventId = 7_000_000;
function event(portalId: number, subscriptionType: string, objectId: number): Record<string, unknown> {
  return {
    eventId: (nextEventId += 1),
    subscriptionId: 11,
    portalId,
    appId: 4242,
    occurredAt: h.clock.now,
    subscriptionType,
    attemptNumber: 0,
    objectId,
  };
}

/** One row for the portal in every table that has a portal id. */
async function seedEverything(portalId: number): Promise<void> {
  const s = h.store;
  const at = new Date(h.clock.now);
  await s.settings.put(portalId, 'seed', { a: 1 });
  await s.snapshots.replaceWeek(
    portalId,
    '2026-10-26',
    [{ ownerId: '501', metrics: { ...ZERO_METRICS } }],
    at,
  );
  await s.waivers.waive({
    portalId,
    dealId: '9001',
    criterionId: 'budget',
    stageId: 'qualified',
    reason: 'known budget',
    userId: ADMIN_USER,
    createdAt: at,
  });
  await s.exceptions.record({
    portalId,
    dealId: '9001',
    fromStageId: 'qualified',
    toStageId: 'proposal',
    criterionIds: ['budget'],
    occurredAt: at,
  });
  await s.webhooks.acceptBatch(
    [
      {
        portalId,
        eventId: String((nextEventId += 1)),
        subscriptionType: 'object.creation',
        objectId: '1',
        objectTypeId: '0-48',
        propertyName: null,
        propertyValue: null,
        occurredAt: at,
      },
    ],
    at,
  );
  await s.idempotency.claim(portalId, 'seed-key', at, at);
  await s.coachingNotes.create(note(portalId, '601'));
  await s.trainingAssignments.openOnce({
    portalId,
    repOwnerId: '501',
    moduleId: 'discovery-101',
    moduleVersion: '1',
    source: 'rule',
    ruleId: 'low-connect',
    assignedByUserId: null,
    reason: 'Connect rate below the team median',
    metric: 'connectRate',
    dueDate: '2026-11-09',
    createdAt: at,
  });
  await s.jobRuns.claim(portalId, 'seed-job', '2026-11-02', at, 60_000);
}

describe('install through /oauth/install and /oauth/callback', () => {
  it('installs two portals under the hub ids of HubSpot token information, tokens sealed at rest', async () => {
    const start = await fetch(`${h.url}/oauth/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${h.sandbox.baseUrl}/oauth/authorize`);
    expect(authorize.searchParams.get('client_id')).toBe(CLIENT.clientId);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${h.origin}/oauth/callback`);
    expect(authorize.searchParams.get('scope')).toBe(APP_REQUIRED_SCOPES.join(' '));
    expect(authorize.searchParams.get('state')).toMatch(/^v1\./);

    const first = await h.install(A);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe('/oauth/installed');
    // E2: a portalId planted in the callback query is ignored; the token information decides.
    const second = await h.install(B, { tamperCallback: (u) => u.searchParams.set('portalId', String(A)) });
    expect(second.status).toBe(302);
    expect((await h.store.installations.listActive()).map((i) => i.portalId)).toEqual([A, B]);
    await expect(h.registry.activePortals()).resolves.toEqual([A, B]);

    const page = await fetch(`${h.url}/oauth/installed`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pillars is installed');

    const status = await h.signed('GET', '/api/v1/settings/connection', admin(B));
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({
      portalId: B,
      hubDomain: `portal-${B}.sandbox.test`,
      installedAt: new Date(T0).toISOString(),
      scopes: [...APP_REQUIRED_SCOPES],
      status: 'active',
      retentionDays: 30,
    });
    // E4: no plaintext token anywhere in the database; H1: none (nor any code or state) in the logs.
    const dump = h.dump();
    expect(dump).not.toMatch(/sbx-(at|rt)-/);
    const logs = h.lines.join('');
    expect(logs).not.toMatch(/sbx-(at|rt)-/);
    expect(logs).not.toContain('code=');
    expect(logs).not.toContain('state=v1');
    expect(logs).not.toContain(CLIENT.clientSecret);
  });

  it('refuses a callback without, with a tampered, an expired or a reused state: 400, no token call, nothing written', async () => {
    const stateFromInstall = async (): Promise<string> => {
      const start = await fetch(`${h.url}/oauth/install`, { redirect: 'manual' });
      return new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
    };
    const callback = (query: string) => fetch(`${h.url}/oauth/callback?${query}`, { redirect: 'manual' });
    const code = () =>
      h.sandbox.issueAuthorizationCode({
        portalId: A,
        clientId: CLIENT.clientId,
        redirectUri: `${h.origin}/oauth/callback`,
        scopes: [...APP_REQUIRED_SCOPES],
      });

    const good = await stateFromInstall();
    const tampered = `${good.slice(0, -2)}${good.endsWith('AA') ? 'BB' : 'AA'}`;
    const expiring = await stateFromInstall();
    h.sandbox.resetStats();
    const before = h.dump();

    const cases: Array<[string, string, string]> = [
      ['no state', `code=${code()}`, 'STATE_MISSING'],
      ['malformed state', `code=${code()}&state=nonsense`, 'STATE_MALFORMED'],
      ['repeated state', `code=${code()}&state=${good}&state=${good}`, 'STATE_MALFORMED'],
      ['tampered state', `code=${code()}&state=${tampered}`, 'STATE_TAMPERED'],
    ];
    for (const [name, query, reason] of cases) {
      const res = await callback(query);
      expect([name, res.status]).toEqual([name, 400]);
      const error = await errorOf(res);
      expect([name, error.details?.reason]).toEqual([name, reason]);
      expect(error.message).toMatch(/Start the install again/);
    }
    h.clock.now += 11 * MIN;
    const expired = await callback(`code=${code()}&state=${expiring}`);
    expect(expired.status).toBe(400);
    expect((await errorOf(expired)).details?.reason).toBe('STATE_EXPIRED');
    expect(h.sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBeUndefined();
    expect(h.dump()).toBe(before);

    // Reuse: a good callback installs once; the same callback again is refused before any token call.
    let used: URL | undefined;
    const ok = await h.install(A, { tamperCallback: (u) => (used = new URL(u)) });
    expect(ok.status).toBe(302);
    const calls = h.sandbox.stats().byEndpoint[TOKEN_ENDPOINT];
    const afterInstall = h.dump();
    const replay = await fetch(`${h.url}${used?.pathname ?? ''}${used?.search ?? ''}`, {
      redirect: 'manual',
    });
    expect(replay.status).toBe(400);
    expect((await errorOf(replay)).details?.reason).toBe('STATE_REUSED');
    expect(h.sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBe(calls);
    expect(h.dump()).toBe(afterInstall);
    expect(h.lines.join('')).toMatch(/"metric":"oauth_state_refused"/);
  });
});

describe('tenancy', () => {
  /** Every signed card route of the app (not the webhook route), with its path parameters filled. */
  function signedRoutes(): Array<{ method: string; path: string }> {
    const table = buildRouteTable({ ...h.appDeps, metrics: undefined });
    return table
      .filter((e) => e.auth === 'hubspotSignature' && e.signedIdentity !== 'none')
      .map((e) => ({ method: e.method.toUpperCase(), path: e.path.replace(/:[A-Za-z_]+/g, '123') }));
  }
  const bodyFor = (method: string) =>
    method === 'GET' || method === 'DELETE' ? undefined : { idempotencyKey: 'tenancy-key-0001' };

  it('an unknown or uninstalled portal gets 404 on every signed route, and nothing is written', async () => {
    await h.install(A);
    await h.install(B);
    await h.store.installations.markUninstalled(B, new Date(h.clock.now), new Date(h.clock.now + DAY));
    const routes = signedRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes).toContainEqual({ method: 'POST', path: '/api/v1/settings/connection/disconnect' });
    const before = h.dump();
    h.sandbox.resetStats();
    for (const portalId of [UNKNOWN, B]) {
      for (const route of routes) {
        const res = await h.signed(route.method, route.path, admin(portalId), bodyFor(route.method));
        const error = await errorOf(res);
        expect([portalId, route.method, route.path, res.status]).toEqual([
          portalId,
          route.method,
          route.path,
          404,
        ]);
        expect(error.message).toBe('Pillars is not installed in this HubSpot account.');
      }
    }
    expect(h.dump()).toBe(before);
    expect(h.sandbox.stats().total).toBe(0);
  });

  it("a request signed for portal A never touches portal B's data: every store call carries A", async () => {
    await h.install(A);
    await h.install(B);
    const foreign = await h.store.coachingNotes.create(note(B, '601'));
    h.calls.length = 0;
    for (const route of signedRoutes()) {
      if (route.path.endsWith('/disconnect')) continue;
      await h.signed(route.method, route.path, admin(A), bodyFor(route.method));
    }
    // B's note id, addressed as portal A: unknown in A.
    const del = await h.signed('DELETE', `/api/v1/coaching/notes/${foreign.id}`, admin(A));
    expect(del.status).toBe(404);
    const patch = await h.signed('PATCH', `/api/v1/coaching/notes/${foreign.id}`, admin(A), {
      body: 'overwritten',
      idempotencyKey: 'tenancy-key-0002',
    });
    expect(patch.status).toBe(404);
    const scoped = h.calls.filter((c) => c.portalId !== null);
    expect(scoped.length).toBeGreaterThan(20);
    expect(scoped.filter((c) => c.portalId !== A)).toEqual([]);
    await expect(h.store.coachingNotes.get(B, foreign.id)).resolves.toMatchObject({ body: foreign.body });
  });
});

describe('disconnect and purge', () => {
  it('refuses a non-admin (403, nothing written); an admin uninstalls in HubSpot, and every row of the portal goes', async () => {
    await h.install(A);
    await h.install(B);
    await seedEverything(A);
    await seedEverything(B);
    const seededA = h.rowsOf(A);
    // The seed covers every table that holds a portal id (a new table must be seeded and purged too).
    for (const [table, n] of Object.entries(seededA)) expect([table, n > 0]).toEqual([table, true]);
    const seededB = h.rowsOf(B);

    h.sandbox.resetStats();
    const before = h.dump();
    const refused = await h.signed('POST', '/api/v1/settings/connection/disconnect', rep(A), {
      idempotencyKey: 'disconnect-0001',
    });
    expect(refused.status).toBe(403);
    expect(h.dump()).toBe(before);
    expect(h.sandbox.stats().byEndpoint[UNINSTALL_ENDPOINT]).toBeUndefined();

    const res = await h.signed('POST', '/api/v1/settings/connection/disconnect', admin(A), {
      idempotencyKey: 'disconnect-0002',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      portalId: A,
      status: 'uninstalled',
      hubspot: 'uninstalled',
      dataDeleted: true,
    });
    expect(h.sandbox.stats().byEndpoint[UNINSTALL_ENDPOINT]).toBe(1);
    for (const [table, n] of Object.entries(h.rowsOf(A))) expect([table, n]).toEqual([table, 0]);
    expect(h.rowsOf(B)).toEqual(seededB);
    await expect(h.store.installations.get(A)).resolves.toBeNull();
    await expect(h.registry.servesPortal(A)).resolves.toBe(false);
    await expect(h.registry.activePortals()).resolves.toEqual([B]);

    // Later requests: 404, the replayed disconnect included; webhooks acknowledged and dropped.
    expect((await h.signed('GET', '/api/v1/settings/connection', admin(A))).status).toBe(404);
    const replay = await h.signed('POST', '/api/v1/settings/connection/disconnect', admin(A), {
      idempotencyKey: 'disconnect-0002',
    });
    expect(replay.status).toBe(404);
    const hook = event(A, 'contact.privacyDeletion', 601);
    expect((await h.deliver([hook])).status).toBe(204);
    await expect(h.store.webhooks.get(A, String(hook.eventId))).resolves.toBeNull();
    for (const [table, n] of Object.entries(h.rowsOf(A))) expect([table, n]).toEqual([table, 0]);
    expect(h.sandbox.stats().byEndpoint[UNINSTALL_ENDPOINT]).toBe(1);

    // HubSpot revoked the app's tokens; a new install works from scratch.
    expect((await h.install(A)).status).toBe(302);
    await expect(h.registry.activePortals()).resolves.toEqual([A, B]);
  });

  it('a refresh refused with BAD_REFRESH_TOKEN uninstalls the portal; the purge job deletes it after retention', async () => {
    await h.install(A);
    await h.install(B);
    await seedEverything(B);
    // Uninstalled from HubSpot's side: its tokens stop working (a 401 first, then the refresh fails).
    h.sandbox.uninstall(B);
    h.sandbox.resetStats();
    const res = await h.signed('GET', '/api/v1/settings/connection', admin(B));
    expect(res.status).toBe(502);
    expect(h.sandbox.stats().byEndpoint[TOKEN_ENDPOINT]).toBe(1);
    expect(await h.store.installations.get(B)).toMatchObject({
      status: 'uninstalled',
      refreshTokenSealed: null,
      accessTokenSealed: null,
      purgeAfter: new Date(T0 + 30 * DAY),
    });
    expect((await h.signed('GET', '/api/v1/settings/connection', admin(B))).status).toBe(404);
    await expect(h.registry.activePortals()).resolves.toEqual([A]);
    await expect(h.registry.gatewayFor(B)).resolves.toBeNull();
    const hook = event(B, 'object.creation', 5);
    expect((await h.deliver([hook])).status).toBe(204);
    await expect(h.store.webhooks.get(B, String(hook.eventId))).resolves.toBeNull();

    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    const forgotten: number[] = [];
    const early = await purgeDueJob({
      store: h.store,
      logger,
      now: () => new Date(T0 + 30 * DAY - 1),
      onPurged: (p) => forgotten.push(p),
    });
    expect(early.purged).toEqual([]);
    expect(h.rowsOf(B).coaching_notes).toBe(1);
    // The job as boot runs it, on the shared clock.
    h.clock.now = T0 + 30 * DAY;
    const due = await h.purgeDue();
    expect(due).toMatchObject({ purged: [B], failed: [] });
    expect(forgotten).toEqual([]);
    for (const [table, n] of Object.entries(h.rowsOf(B))) expect([table, n]).toEqual([table, 0]);
    expect((await h.store.installations.get(A))?.status).toBe('active');
  });
});

describe('contact privacy deletion', () => {
  it('a signed contact.privacyDeletion event deletes the notes written on that contact, and only those', async () => {
    await h.install(A);
    await h.install(B);
    const gone = [
      await h.store.coachingNotes.create(note(A, '601')),
      await h.store.coachingNotes.create(note(A, '601')),
    ];
    const kept = [
      await h.store.coachingNotes.create(note(A, '602')),
      await h.store.coachingNotes.create(note(A, '601', { contactId: null })),
      await h.store.coachingNotes.create(note(B, '601')),
    ];
    const res = await h.deliver([event(A, 'contact.privacyDeletion', 601)]);
    expect(res.status).toBe(204);
    const run = await h.processor.runOnce();
    expect(run).toMatchObject({ claimed: 1, done: 1, failed: 0 });
    for (const n of gone) await expect(h.store.coachingNotes.get(A, n.id)).resolves.toBeNull();
    for (const n of kept) await expect(h.store.coachingNotes.get(n.portalId, n.id)).resolves.not.toBeNull();
    expect(h.lines.join('')).toMatch(
      /"metric":"privacy_deletion".*"deleted":2|"deleted":2.*"metric":"privacy_deletion"/,
    );
    expect(h.lines.join('')).not.toContain('private coaching note text');
  });
});
