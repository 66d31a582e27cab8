/**
 * The coaching note routes end to end (POST /api/v1/coaching/notes, PATCH and DELETE
 * /api/v1/coaching/notes/:noteId): signed requests through real HTTP as the demo portal's people, the
 * access matrix on every route, the notes lifecycle, idempotent replay and bad input.
 */
import { coachingNoteSchema, SETTINGS_KEYS } from '@pillars/contracts';
import type { CoachingNoteView, CoachingPanel } from '@pillars/contracts';
import { addDays, localDateOf } from '../../../src/functions/coaching/team-series.js';
import type { DemoBackend } from '../../support/demo-backend.js';
import { demoPeople, signedClient, startCoachingBackend } from './helpers.js';
import type { DemoPeople } from './helpers.js';

const SECRET = 'coaching-notes-client-secret-0123';

let demo: DemoBackend & { now: Date };
let people: DemoPeople;
let call: ReturnType<typeof signedClient>;
let today: string;

// The rep the notes are about (the no-show rep), their team's coach and the others of the matrix.
let rep: string;
let repUser: number;
let repName: string;
let team: string;
let coach: number;
let otherRep: number;
let otherCoach: number;
let admin: number;
let contact: string;

beforeAll(async () => {
  demo = await startCoachingBackend({ secret: SECRET, prefix: 'pillars-coaching-notes-', size: 3000 });
  people = demoPeople(demo.fixture);
  call = signedClient(demo.backend, SECRET);
  today = localDateOf(demo.now.getTime(), demo.fixture.portal.timeZone);
  rep = people.ownerOf('no-show');
  repUser = people.userOf(rep);
  const owner = demo.fixture.owners.find((o) => o.id === rep);
  repName = `${owner?.firstName} ${owner?.lastName}`;
  team = people.primaryTeamOf(rep);
  coach = people.managerOf(team);
  otherRep = people.userOf(people.ownerOf('star'));
  const otherTeam = ['8010001', '8010002', '8010003'].find((t) => t !== team) as string;
  otherCoach = people.managerOf(otherTeam);
  admin = people.superAdmins[0] as number;
  contact = people.contactsOf(rep)[0] as string;
  await setCoaches({ [team]: [coach], [otherTeam]: [otherCoach] });
}, 60_000);

afterAll(async () => {
  await demo.close();
}, 30_000);

async function setCoaches(teams: Record<string, number[]>): Promise<void> {
  const value = { teams: Object.fromEntries(Object.entries(teams).map(([t, ids]) => [t, ids.map(String)])) };
  await demo.backend.store.settings.put(demo.backend.portalId, SETTINGS_KEYS.coaches, value);
}

let keys = 0;
const key = () => `notes-test-key-${++keys}`;

function post(userId: number, body: Record<string, unknown>, portalId?: number) {
  return call('POST', '/api/v1/coaching/notes', {
    userId,
    body: { idempotencyKey: key(), ...body },
    ...(portalId === undefined ? {} : { portalId }),
  });
}
function patch(userId: number, noteId: string, body: Record<string, unknown>, portalId?: number) {
  return call('PATCH', `/api/v1/coaching/notes/${noteId}`, {
    userId,
    body: { idempotencyKey: key(), ...body },
    ...(portalId === undefined ? {} : { portalId }),
  });
}
function del(userId: number, noteId: string, portalId?: number) {
  return call('DELETE', `/api/v1/coaching/notes/${noteId}`, {
    userId,
    ...(portalId === undefined ? {} : { portalId }),
  });
}

async function createAsCoach(body: Record<string, unknown>): Promise<CoachingNoteView> {
  const res = await post(coach, { contactId: contact, ...body });
  expect([res.status, res.text.slice(0, 200)]).toEqual([201, expect.any(String)]);
  const parsed = coachingNoteSchema.safeParse((res.json as { note: unknown }).note);
  expect(parsed.error).toBeUndefined();
  return parsed.data as CoachingNoteView;
}

async function panelNotes(userId: number): Promise<CoachingNoteView[]> {
  const res = await call('GET', '/api/v1/coaching-panel', { userId, query: `contactId=${contact}` });
  expect(res.status).toBe(200);
  const panel = res.json as CoachingPanel;
  return panel.view === 'full' ? panel.notes : [];
}

describe('the notes lifecycle', () => {
  test('create, list newest first, edit by the author only, commitment done by the rep, delete by the author only', async () => {
    const note = await createAsCoach({ kind: 'note', body: '  Great energy on calls this week.  ' });
    expect(note).toMatchObject({
      kind: 'note',
      body: 'Great energy on calls this week.',
      repOwnerId: rep,
      authorUserId: coach,
      contactId: contact,
      dueDate: null,
      done: null,
      editable: true,
    });
    expect(note.authorName).toMatch(/\w+ \w+/);
    const commitment = await createAsCoach({
      kind: 'commitment',
      body: 'Send agendas with every meeting invite.',
      dueDate: addDays(today, 7),
    });
    expect(commitment).toMatchObject({ dueDate: addDays(today, 7), done: false });

    // The thread, newest first, as the coach and as the rep; editable only for the author.
    const asCoach = await panelNotes(coach);
    expect(asCoach.map((n) => n.id).slice(0, 2)).toEqual([commitment.id, note.id]);
    expect(asCoach.find((n) => n.id === note.id)?.editable).toBe(true);
    const asRep = await panelNotes(repUser);
    expect(asRep.find((n) => n.id === note.id)?.editable).toBe(false);

    // Edit text: the author only.
    const repEdit = await patch(repUser, note.id, { body: 'rewritten by the rep' });
    expect(repEdit.status).toBe(403);
    expect(repEdit.text).not.toContain(repName);
    const edited = await patch(coach, note.id, { body: 'Great energy on calls this week!' });
    expect(edited.status).toBe(200);
    expect((edited.json as { note: CoachingNoteView }).note.body).toBe('Great energy on calls this week!');

    // The rep marks the commitment kept; the coach can undo it.
    const done = await patch(repUser, commitment.id, { done: true });
    expect(done.status).toBe(200);
    expect((done.json as { note: CoachingNoteView }).note).toMatchObject({ done: true, editable: false });
    const undone = await patch(coach, commitment.id, { done: false });
    expect((undone.json as { note: CoachingNoteView }).note.done).toBe(false);
    // done is for commitments only.
    expect((await patch(coach, note.id, { done: true })).status).toBe(400);

    // Delete: the author only.
    expect((await del(repUser, note.id)).status).toBe(403);
    const deleted = await del(coach, note.id);
    expect([deleted.status, deleted.json]).toEqual([200, { deleted: true }]);
    expect((await del(coach, note.id)).status).toBe(404);
    expect((await panelNotes(coach)).some((n) => n.id === note.id)).toBe(false);
  }, 60_000); // the portal's first panel view computes its weekly snapshots

  test('an idempotent replay creates one note and answers the same', async () => {
    const before = await demo.backend.store.coachingNotes.listForRep(demo.backend.portalId, rep);
    const body = {
      contactId: contact,
      kind: 'praise',
      body: 'Held every meeting on Tuesday.',
      idempotencyKey: 'replay-key-0001',
    };
    const first = await call('POST', '/api/v1/coaching/notes', { userId: coach, body });
    const second = await call('POST', '/api/v1/coaching/notes', { userId: coach, body });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    const after = await demo.backend.store.coachingNotes.listForRep(demo.backend.portalId, rep);
    expect(after).toHaveLength(before.length + 1);
  });
});

describe('bad input', () => {
  test.each([
    ['an empty note', { kind: 'note', body: '   ' }, /body/],
    ['an over-long note', { kind: 'note', body: 'x'.repeat(2001) }, /2000/],
    ['a commitment without a due date', { kind: 'commitment', body: 'Do it' }, /dueDate/],
    ['a due date on a plain note', { kind: 'note', body: 'Do it', dueDate: '2030-01-01' }, /dueDate/],
    ['an unknown kind', { kind: 'memo', body: 'Do it' }, /kind/],
    ['an unknown field', { kind: 'note', body: 'Do it', repOwnerId: '61400205' }, /repOwnerId/],
  ])('%s → 400 naming the problem', async (_name, fields, message) => {
    const res = await post(coach, { contactId: contact, ...fields });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(message);
  });

  test('a commitment due in the past (the portal’s local today) → 400', async () => {
    const res = await post(coach, {
      contactId: contact,
      kind: 'commitment',
      body: 'Late',
      dueDate: addDays(today, -1),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/past/);
    const ok = await post(coach, {
      contactId: contact,
      kind: 'commitment',
      body: 'Today is fine',
      dueDate: today,
    });
    expect(ok.status).toBe(201);
    const id = (ok.json as { note: CoachingNoteView }).note.id;
    expect((await patch(coach, id, { dueDate: addDays(today, -3) })).status).toBe(400);
  });

  test('an unknown contact → 404; a contact without owner → 400; a missing idempotency key → 400', async () => {
    expect((await post(coach, { contactId: '999999999', kind: 'note', body: 'x' })).status).toBe(404);
    const ownerless = await post(admin, { contactId: people.ownerlessContact, kind: 'note', body: 'x' });
    expect(ownerless.status).toBe(400);
    expect(JSON.stringify(ownerless.json)).toMatch(/no owner/);
    const noKey = await call('POST', '/api/v1/coaching/notes', {
      userId: coach,
      body: { contactId: contact, kind: 'note', body: 'x' },
    });
    expect(noKey.status).toBe(400);
    expect(JSON.stringify(noKey.json)).toMatch(/idempotencyKey/);
  });

  test('an unknown or malformed note id → 404 on PATCH and DELETE', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-note']) {
      expect((await patch(coach, id, { body: 'x' })).status).toBe(404);
      expect((await del(coach, id)).status).toBe(404);
    }
  });
});

describe('the access matrix of the note routes', () => {
  const text = 'Matrix: confidential coaching text.';
  let note: CoachingNoteView;

  beforeAll(async () => {
    note = await createAsCoach({ kind: 'commitment', body: text, dueDate: addDays(today, 3) });
  });
  afterEach(async () =>
    setCoaches({ [team]: [coach], [people.primaryTeamOf(people.ownerOf('star'))]: [otherCoach] }),
  );

  test('POST: only a coach of the rep may write; refusals never name the rep', async () => {
    for (const userId of [repUser, otherRep, otherCoach]) {
      const res = await post(userId, { contactId: contact, kind: 'note', body: 'attempt' });
      expect([userId, res.status]).toEqual([userId, 403]);
      expect(res.text).not.toContain(repName);
      expect(res.text).not.toContain(rep);
    }
    expect((await post(coach, { contactId: contact, kind: 'note', body: 'coach writes' })).status).toBe(201);
  });

  test('POST: a super admin writes for a team without coaches, not for a team that has them', async () => {
    await setCoaches({});
    expect((await post(admin, { contactId: contact, kind: 'note', body: 'admin writes' })).status).toBe(201);
    await setCoaches({ [team]: [coach] });
    expect((await post(admin, { contactId: contact, kind: 'note', body: 'admin refused' })).status).toBe(403);
  });

  test('PATCH and DELETE: someone who cannot see the rep gets 404, as for an unknown note', async () => {
    await setCoaches({ [team]: [coach], [people.primaryTeamOf(people.ownerOf('star'))]: [otherCoach] });
    for (const userId of [otherRep, otherCoach, admin]) {
      const edit = await patch(userId, note.id, { done: true });
      expect([userId, edit.status]).toEqual([userId, 404]);
      expect(edit.text).not.toContain(text);
      expect((await del(userId, note.id)).status).toBe(404);
    }
    // The rep sees it: may mark it, not edit or delete it.
    expect((await patch(repUser, note.id, { done: true })).status).toBe(200);
    expect((await patch(repUser, note.id, { dueDate: addDays(today, 5) })).status).toBe(403);
    expect((await del(repUser, note.id)).status).toBe(403);
  });

  test('another rep cannot read the notes: their panel is the summary, without the text', async () => {
    const res = await call('GET', '/api/v1/coaching-panel', {
      userId: otherRep,
      query: `contactId=${contact}`,
    });
    expect(res.status).toBe(200);
    expect((res.json as CoachingPanel).view).toBe('summary-only');
    expect(res.text).not.toContain(text);
  });

  test('a user of another portal is refused on every route', async () => {
    const other = demo.backend.portalId + 1;
    expect((await post(coach, { contactId: contact, kind: 'note', body: 'x' }, other)).status).toBe(404);
    expect((await patch(coach, note.id, { body: 'x' }, other)).status).toBe(404);
    expect((await del(coach, note.id, other)).status).toBe(404);
  });

  test('unsigned requests are refused on every route', async () => {
    const q = `portalId=${demo.backend.portalId}&userId=${coach}`;
    const base = `${demo.backend.url}/api/v1/coaching/notes`;
    const body = JSON.stringify({ contactId: contact, kind: 'note', body: 'x', idempotencyKey: key() });
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(`${base}?${q}`, { method: 'POST', headers, body })).status).toBe(401);
    expect((await fetch(`${base}/${note.id}?${q}`, { method: 'PATCH', headers, body })).status).toBe(401);
    expect((await fetch(`${base}/${note.id}?${q}`, { method: 'DELETE' })).status).toBe(401);
    // Nothing changed.
    const stored = await demo.backend.store.coachingNotes.get(demo.backend.portalId, note.id);
    expect(stored?.body).toBe(text);
  });
});
