/**
 * The tenancy and authorisation matrix (threats B1–B3, B5, B6, B8): the real backend in OAuth mode
 * with two installed demo portals. In portal A, five roles (the super admin, the coach of the rep's
 * team as set in the coaches setting, the rep, another rep, a user with no owner) and a user of
 * portal B signing for B but naming A's ids; every signed route of the served route table (read
 * from the Express router stack; a route with no row below fails the suite) gets the status the
 * access policy says for each role (one declarative table), and:
 *
 * - requests signed for one portal never change the other's rows, and every store call they make
 *   carries the signed portal id (the store is recorded call by call);
 * - B's identity naming A's note, assignment, contact or deal ids gets 404, and A's note text never
 *   appears in an answer to anyone but the rep and their coach;
 * - a portal that never installed gets 404 on every signed route;
 * - B's disconnect purges B only; A keeps every row and keeps working.
 */
import { SETTINGS_KEYS, type CatalogueSetting } from '@pillars/contracts';
import { DEMO_CATALOGUE } from '../../../src/functions/training/default-catalogue.js';
import { demoPeople } from '../coaching/helpers.js';
import { startSecurityBackend, userOfOwner, VP_OWNER, type SecurityBackend } from './security-backend.js';

jest.setTimeout(120_000);

type Role = 'admin' | 'coach' | 'self' | 'other' | 'noOwner' | 'foreign';
const ROLES: readonly Role[] = ['admin', 'coach', 'self', 'other', 'noOwner', 'foreign'];
/** A user with no owner record, added to both portals. */
const NO_OWNER_USER = 99_001;
const NOTE_TEXT = 'tenancy-canary: private coaching note about the rep';
const WEEK = '2026-11-16';

let h: SecurityBackend;
let A: number;
let B: number;
/** Per portal: the user of each role (foreign is B's super admin). */
const users: Record<Role, number> = {
  admin: 0,
  coach: 0,
  self: 0,
  other: 0,
  noOwner: NO_OWNER_USER,
  foreign: 0,
};
let team: string;
let repOwner: string;
/** A contact and a deal of the rep that exist in A only (B has no record with the id). */
let contact: string;
let deal: string;
let pipeline: string;
let keyN = 0;
let moduleN = 0;
const key = () => `tenancy-key-${(keyN += 1)}-${Date.now()}`;

const CATALOGUE: CatalogueSetting = {
  modules: Array.from({ length: 40 }, (_, i) => {
    const base = DEMO_CATALOGUE.modules[0];
    if (!base) throw new Error('demo catalogue is empty');
    return { ...base, id: `tenancy-mod-${i}`, title: `Module ${i}` };
  }),
};

beforeAll(async () => {
  h = await startSecurityBackend({
    prefix: 'tenancy',
    seeds: [1, 2],
    size: 800,
    mutate: (fixtures) => {
      // B holds no contact or deal with an id of one of A's rep's records (ids would overlap otherwise).
      const [fa, fb] = fixtures;
      if (!fa || !fb) throw new Error('two fixtures expected');
      const rep = demoPeople(fa).ownerOf('no-show');
      const owned = (o: { properties: Record<string, string | null | undefined> }) =>
        o.properties.hubspot_owner_id === rep;
      const aIds = new Set([
        ...(fa.objects.contacts ?? []).filter(owned).map((c) => c.id),
        ...fa.objects.deals.filter(owned).map((d) => d.id),
      ]);
      fb.objects.contacts = (fb.objects.contacts ?? []).filter((c) => !aIds.has(c.id));
      fb.objects.deals = fb.objects.deals.filter((d) => !aIds.has(d.id));
      for (const f of fixtures)
        f.users.push({
          id: String(NO_OWNER_USER),
          email: 'no-owner@example.com',
          superAdmin: false,
          primaryTeamId: null,
          secondaryTeamIds: [],
        });
    },
  });
  [A, B] = h.portals as [number, number];
  const [fa, fb] = h.fixtures as [NonNullable<(typeof h.fixtures)[0]>, NonNullable<(typeof h.fixtures)[0]>];
  for (const p of [A, B]) expect((await h.install(p, userOfOwner(fa, VP_OWNER))).status).toBe(302);

  const people = demoPeople(fa);
  repOwner = people.ownerOf('no-show');
  team = people.primaryTeamOf(repOwner);
  users.admin = userOfOwner(fa, VP_OWNER);
  users.coach = people.managerOf(team);
  users.self = people.userOf(repOwner);
  users.foreign = userOfOwner(fb, VP_OWNER);
  const managers = new Set(Object.values(fa.demo.teams).map((t) => t.managerOwnerId));
  const otherTeam = Object.entries(fa.demo.teams).find(([id]) => id !== team)?.[1];
  const otherOwner = otherTeam?.ownerIds.find((o) => o !== repOwner && !managers.has(o));
  if (!otherOwner) throw new Error('no other rep');
  users.other = people.userOf(otherOwner);

  const bContacts = new Set((fb.objects.contacts ?? []).map((c) => c.id));
  const bDeals = new Set(fb.objects.deals.map((d) => d.id));
  contact = people.contactsOf(repOwner).find((c) => !bContacts.has(c)) ?? '';
  deal =
    fa.objects.deals.find((d) => d.properties.hubspot_owner_id === repOwner && !bDeals.has(d.id))?.id ?? '';
  expect(contact).not.toBe('');
  expect(deal).not.toBe('');
  pipeline = String(fa.objects.deals.find((d) => d.id === deal)?.properties.pipeline ?? 'default');

  // The coach coaches the rep's team in both portals (the super admin then does not); a catalogue.
  for (const p of [A, B]) {
    await h.backend.store.settings.put(p, SETTINGS_KEYS.coaches, {
      teams: { [team]: [String(users.coach)] },
    });
    await h.backend.store.settings.put(p, SETTINGS_KEYS.catalogue, CATALOGUE);
  }
}, 120_000);

afterAll(async () => {
  await h?.close();
});

// ---- helpers ------------------------------------------------------------------------------------

interface Req {
  method: string;
  target: string;
  body?: unknown;
}

function identityOf(role: Role): { portalId: number; userId: number } {
  return role === 'foreign' ? { portalId: B, userId: users.foreign } : { portalId: A, userId: users[role] };
}

async function send(role: Role, req: Req) {
  return h.signed(req.method, req.target, identityOf(role), {
    ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
  });
}

/** A fresh note about the rep, written by the coach (A's store, directly). */
async function freshNote(): Promise<string> {
  const note = await h.backend.store.coachingNotes.create({
    portalId: A,
    repOwnerId: repOwner,
    kind: 'note',
    body: NOTE_TEXT,
    dueDate: null,
    done: null,
    authorUserId: users.coach,
    contactId: contact,
    createdAt: new Date(),
  });
  return note.id;
}

/** A fresh open assignment of the rep, assigned by the coach through the route. */
async function freshAssignment(): Promise<string> {
  const res = await send('coach', {
    method: 'POST',
    target: '/api/v1/training/assignments',
    body: { contactId: contact, moduleId: `tenancy-mod-${(moduleN += 1)}`, idempotencyKey: key() },
  });
  if (res.status !== 201) throw new Error(`assignment setup: ${res.status} ${res.text}`);
  return (res.json as { assignment: { id: string } }).assignment.id;
}

async function adminValue(path: string): Promise<unknown> {
  const res = await send('admin', { method: 'GET', target: path });
  expect(res.status).toBe(200);
  return res.json;
}

// ---- the matrix ---------------------------------------------------------------------------------

/** Expected status per role; `foreign` is B's super admin naming A's ids (or B's own data when the route names none). */
type Expect = Record<Role, number>;
const ANY = (status: number, foreign: number): Expect => ({
  admin: status,
  coach: status,
  self: status,
  other: status,
  noOwner: status,
  foreign,
});
/** Super admins only (requireAdmin); B's super admin gets B's own answer. */
const ADMIN_ONLY = (ok: number): Expect => ({
  admin: ok,
  coach: 403,
  self: 403,
  other: 403,
  noOwner: 403,
  foreign: ok,
});

interface Row {
  /** How the cell's request is made (fresh records where a cell changes them). */
  request: () => Promise<Req>;
  expect: Expect;
  /** The answer may carry A's note text (the panel: only to the rep and their coach). */
  noteVisibleTo?: readonly Role[];
}

const settingsRows = (name: string): Record<string, Row> => ({
  [`GET /api/v1/settings/${name}`]: {
    request: async () => ({ method: 'GET', target: `/api/v1/settings/${name}` }),
    expect: ADMIN_ONLY(200),
  },
  [`PUT /api/v1/settings/${name}`]: {
    request: async () => {
      const { value } = (await adminValue(`/api/v1/settings/${name}`)) as { value: unknown };
      return { method: 'PUT', target: `/api/v1/settings/${name}`, body: { value, idempotencyKey: key() } };
    },
    expect: ADMIN_ONLY(200),
  },
});

const MATRIX: Record<string, Row | 'not-per-user'> = {
  'GET /api/v1/activity-metrics': {
    request: async () => ({ method: 'GET', target: `/api/v1/activity-metrics?week=${WEEK}` }),
    expect: ANY(200, 200),
  },
  'GET /api/v1/deal-guidance': {
    request: async () => ({ method: 'GET', target: `/api/v1/deal-guidance?dealId=${deal}` }),
    expect: ANY(200, 404),
  },
  'POST /api/v1/deal-guidance/waivers': {
    request: async () => ({
      method: 'POST',
      target: '/api/v1/deal-guidance/waivers',
      body: { dealId: deal, criterionId: 'no-such-criterion', reason: 'tenancy', idempotencyKey: key() },
    }),
    expect: ANY(400, 404),
  },
  'POST /api/v1/deal-guidance/follow-up': {
    request: async () => ({
      method: 'POST',
      target: '/api/v1/deal-guidance/follow-up',
      body: { dealId: deal, idempotencyKey: key() },
    }),
    expect: ANY(201, 404),
  },
  'GET /api/v1/settings/playbooks/:pipelineId': {
    request: async () => ({ method: 'GET', target: `/api/v1/settings/playbooks/${pipeline}` }),
    expect: ADMIN_ONLY(200),
  },
  'PUT /api/v1/settings/playbooks/:pipelineId': {
    request: async () => {
      const { playbook } = (await adminValue(`/api/v1/settings/playbooks/${pipeline}`)) as {
        playbook: unknown;
      };
      return {
        method: 'PUT',
        target: `/api/v1/settings/playbooks/${pipeline}`,
        body: { playbook, idempotencyKey: key() },
      };
    },
    expect: ADMIN_ONLY(200),
  },
  'DELETE /api/v1/settings/playbooks/:pipelineId': {
    request: async () => ({ method: 'DELETE', target: `/api/v1/settings/playbooks/${pipeline}` }),
    expect: ADMIN_ONLY(200),
  },
  ...settingsRows('coaches'),
  ...settingsRows('targets'),
  ...settingsRows('training-catalogue'),
  ...settingsRows('training-rules'),
  'GET /api/v1/settings/pipelines': {
    request: async () => ({ method: 'GET', target: '/api/v1/settings/pipelines' }),
    expect: ADMIN_ONLY(200),
  },
  'GET /api/v1/settings/directory': {
    request: async () => ({ method: 'GET', target: '/api/v1/settings/directory' }),
    expect: ADMIN_ONLY(200),
  },
  'POST /api/v1/training/assignments': {
    request: async () => ({
      method: 'POST',
      target: '/api/v1/training/assignments',
      body: { contactId: contact, moduleId: `tenancy-mod-${(moduleN += 1)}`, idempotencyKey: key() },
    }),
    // The rep is told they cannot assign themselves (403); anyone else learns nothing (404).
    expect: { admin: 404, coach: 201, self: 403, other: 404, noOwner: 404, foreign: 404 },
  },
  'POST /api/v1/training/assignments/:assignmentId/complete': {
    request: async () => ({
      method: 'POST',
      target: `/api/v1/training/assignments/${await freshAssignment()}/complete`,
      body: { idempotencyKey: key() },
    }),
    expect: { admin: 404, coach: 200, self: 200, other: 404, noOwner: 404, foreign: 404 },
  },
  'GET /api/v1/coaching-panel': {
    request: async () => {
      await freshNote();
      return { method: 'GET', target: `/api/v1/coaching-panel?contactId=${contact}` };
    },
    expect: ANY(200, 404),
    noteVisibleTo: ['coach', 'self'],
  },
  'POST /api/v1/coaching/notes': {
    request: async () => ({
      method: 'POST',
      target: '/api/v1/coaching/notes',
      body: { contactId: contact, kind: 'note', body: 'a new note', idempotencyKey: key() },
    }),
    expect: { admin: 403, coach: 201, self: 403, other: 403, noOwner: 403, foreign: 404 },
  },
  'PATCH /api/v1/coaching/notes/:noteId': {
    request: async () => ({
      method: 'PATCH',
      target: `/api/v1/coaching/notes/${await freshNote()}`,
      body: { body: 'edited', idempotencyKey: key() },
    }),
    expect: { admin: 404, coach: 200, self: 403, other: 404, noOwner: 404, foreign: 404 },
  },
  'DELETE /api/v1/coaching/notes/:noteId': {
    request: async () => ({ method: 'DELETE', target: `/api/v1/coaching/notes/${await freshNote()}` }),
    expect: { admin: 404, coach: 200, self: 403, other: 404, noOwner: 404, foreign: 404 },
  },
  'GET /api/v1/weekly-pack': {
    request: async () => ({ method: 'GET', target: `/api/v1/weekly-pack?teamId=${team}&week=${WEEK}` }),
    expect: { admin: 404, coach: 200, self: 404, other: 404, noOwner: 404, foreign: 404 },
  },
  'GET /api/v1/weekly-pack/teams': {
    request: async () => ({ method: 'GET', target: '/api/v1/weekly-pack/teams' }),
    expect: ANY(200, 200),
  },
  'GET /api/v1/process-report': {
    request: async () => ({ method: 'GET', target: '/api/v1/process-report?from=2026-10-01&to=2026-11-01' }),
    expect: ADMIN_ONLY(200),
  },
  'GET /api/v1/settings/connection': {
    request: async () => ({ method: 'GET', target: '/api/v1/settings/connection' }),
    expect: ADMIN_ONLY(200),
  },
  // The super admins' cells would uninstall a portal: the last test runs B's, and checks A survives.
  'POST /api/v1/settings/connection/disconnect': {
    request: async () => ({
      method: 'POST',
      target: '/api/v1/settings/connection/disconnect',
      body: { idempotencyKey: key() },
    }),
    expect: { admin: -1, coach: 403, self: 403, other: 403, noOwner: 403, foreign: -1 },
  },
  // Signed by the app, not a user: the portal of each event is in the body (webhooks.test.ts, marketplace.test.ts).
  'POST /webhooks/hubspot': 'not-per-user',
};

describe('tenancy matrix: two portals, six roles, every signed route', () => {
  let signedRoutes: string[];
  const observed: Record<string, Partial<Record<Role, number>>> = {};

  beforeAll(() => {
    const all = h.routes();
    const publicOrState = new Set([
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
      'GET /oauth/install',
      'GET /oauth/installed',
      'GET /oauth/callback',
    ]);
    signedRoutes = all.map((r) => `${r.method} ${r.path}`).filter((k) => !publicOrState.has(k));
  });

  it('every signed route has a row', () => {
    expect(signedRoutes.length).toBeGreaterThan(25);
    expect(signedRoutes.filter((r) => MATRIX[r] === undefined)).toEqual([]);
  });

  it('each role gets the status the policy says; nothing crosses portals', async () => {
    const mismatches: string[] = [];
    const timings: Array<[string, number]> = [];
    for (const route of signedRoutes) {
      const row = MATRIX[route];
      if (row === undefined || row === 'not-per-user') continue;
      for (const role of ROLES) {
        const expected = row.expect[role];
        if (expected === -1) continue;
        const req = await row.request();
        const signedPortal = identityOf(role).portalId;
        const otherPortal = signedPortal === A ? B : A;
        const otherRows = h.rowsOf(otherPortal);
        const otherWrites = h.sandboxWrites(otherPortal);
        const callsBefore = h.calls.length;
        const t0 = Date.now();
        const res = await send(role, req);
        (observed[route] ??= {})[role] = res.status;
        timings.push([`${route} ${role}`, Date.now() - t0]);
        if (res.status !== expected)
          mismatches.push(
            `${route} as ${role}: ${res.status} (expected ${expected}) ${res.text.slice(0, 160)}`,
          );
        // Store calls of the request carry the signed portal only; the other portal is untouched.
        const foreignCalls = h.calls
          .slice(callsBefore)
          .filter((c) => c.portalId !== null && c.portalId !== signedPortal);
        expect({ route, role, foreignCalls }).toEqual({ route, role, foreignCalls: [] });
        expect({ route, role, rows: h.rowsOf(otherPortal) }).toEqual({ route, role, rows: otherRows });
        expect({ route, role, writes: h.sandboxWrites(otherPortal) }).toEqual({
          route,
          role,
          writes: otherWrites,
        });
        // A's note text reaches the rep and their coach only.
        const mayShowNote = row.noteVisibleTo?.includes(role) ?? false;
        if (!mayShowNote)
          expect({ route, role, leaked: res.text.includes(NOTE_TEXT) }).toEqual({
            route,
            role,
            leaked: false,
          });
        // B's answers never carry A's portal.
        if (role === 'foreign')
          expect({ route, leaked: res.text.includes(String(A)) }).toEqual({ route, leaked: false });
      }
    }
    if (process.env.TENANCY_OBSERVE) {
      console.log(JSON.stringify({ observed, slow: timings.filter(([, ms]) => ms > 300) }));
    }
    expect(mismatches).toEqual([]);
  });

  it("B's identity naming A's note and assignment ids: 404, and A's rows are unchanged", async () => {
    const noteId = await freshNote();
    const assignmentId = await freshAssignment();
    const before = h.rowsOf(A);
    const foreign = [
      {
        method: 'PATCH',
        target: `/api/v1/coaching/notes/${noteId}`,
        body: { body: 'x', idempotencyKey: key() },
      },
      { method: 'DELETE', target: `/api/v1/coaching/notes/${noteId}` },
      {
        method: 'POST',
        target: `/api/v1/training/assignments/${assignmentId}/complete`,
        body: { idempotencyKey: key() },
      },
    ];
    for (const req of foreign) expect((await send('foreign', req)).status).toBe(404);
    expect(h.rowsOf(A)).toEqual(before);
    expect((await h.backend.store.coachingNotes.get(A, noteId))?.body).toBe(NOTE_TEXT);
    expect((await h.backend.store.trainingAssignments.get(A, assignmentId))?.status).toBe('open');
    // Nor do B's ids reach A's rows through the store: no note or assignment of A is B's.
    expect(await h.backend.store.coachingNotes.get(B, noteId)).toBeNull();
    expect(await h.backend.store.trainingAssignments.get(B, assignmentId)).toBeNull();
  });

  it('a portal that never installed gets 404 on every signed route, and nothing is written', async () => {
    const unknown = { portalId: A + 1000, userId: users.admin };
    const before = h.rowCounts();
    for (const route of signedRoutes) {
      if (MATRIX[route] === 'not-per-user') continue;
      const [method = 'GET', path = '/'] = route.split(' ');
      const res = await h.signed(method, path.replace(/:[A-Za-z_]\w*/g, 'abc123'), unknown, {
        ...(method === 'GET' || method === 'DELETE'
          ? {}
          : { body: JSON.stringify({ idempotencyKey: key() }) }),
      });
      expect({ route, status: res.status }).toEqual({ route, status: 404 });
    }
    expect(h.rowCounts()).toEqual(before);
  });

  it("B's disconnect purges B only: A keeps every row and keeps working", async () => {
    const aRows = h.rowsOf(A);
    const res = await send('foreign', {
      method: 'POST',
      target: '/api/v1/settings/connection/disconnect',
      body: { idempotencyKey: key() },
    });
    expect(res.status).toBe(200);
    expect((res.json as { portalId: number }).portalId).toBe(B);
    expect(h.rowsOf(A)).toEqual(aRows);
    const bRows = h.rowsOf(B);
    expect(Object.entries(bRows).filter(([t, n]) => n > 0 && t !== 'installations')).toEqual([]);
    expect((await send('admin', { method: 'GET', target: '/api/v1/settings/connection' })).status).toBe(200);
    expect((await send('foreign', { method: 'GET', target: '/api/v1/settings/connection' })).status).toBe(
      404,
    );
  });
});
