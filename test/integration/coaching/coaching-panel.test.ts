/**
 * GET /api/v1/coaching-panel end to end: the backend booted through startBackend on SQLite and a
 * sandbox holding the generated demo portal (30,000 engagements, anchored on DEMO_ANCHOR with the
 * backend's clock pinned to it, so the numbers match src/core/coaching/__tests__), signed requests
 * through real HTTP as the demo's people, HubSpot requests counted by the sandbox.
 */
import { coachingPanelSchema, SETTINGS_KEYS } from '@pillars/contracts';
import type { CoachingPanel, FullPanel } from '@pillars/contracts';
import type { DemoBackend } from '../../support/demo-backend.js';
import { demoPeople, requestsOf, signedClient, startCoachingBackend } from './helpers.js';
import type { DemoPeople } from './helpers.js';

const SECRET = 'coaching-panel-client-secret-0123';

let demo: DemoBackend & { now: Date };
let people: DemoPeople;
let call: ReturnType<typeof signedClient>;

beforeAll(async () => {
  demo = await startCoachingBackend({ secret: SECRET, prefix: 'pillars-coaching-panel-', size: 30_000 });
  people = demoPeople(demo.fixture);
  call = signedClient(demo.backend, SECRET);
}, 60_000);

afterAll(async () => {
  await demo.close();
}, 30_000);

async function setCoaches(teams: Record<string, number[]>): Promise<void> {
  const value = { teams: Object.fromEntries(Object.entries(teams).map(([t, ids]) => [t, ids.map(String)])) };
  await demo.backend.store.settings.put(demo.backend.portalId, SETTINGS_KEYS.coaches, value);
}

async function panel(contactId: string, userId: number | null, portalId?: number) {
  return call('GET', '/api/v1/coaching-panel', {
    userId,
    query: `contactId=${contactId}`,
    ...(portalId === undefined ? {} : { portalId }),
  });
}

async function panelOk(contactId: string, userId: number): Promise<CoachingPanel> {
  const res = await panel(contactId, userId);
  expect([res.status, res.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
  const parsed = coachingPanelSchema.safeParse(res.json);
  expect(parsed.error).toBeUndefined();
  return parsed.data as CoachingPanel;
}

function full(p: CoachingPanel): FullPanel {
  if (p.view !== 'full') throw new Error(`expected a full panel, got ${p.view}`);
  return p;
}

const contactOf = (profile: string) => {
  const [first] = people.contactsOf(people.ownerOf(profile));
  if (first === undefined) throw new Error(`no contact owned by the ${profile} rep`);
  return first;
};

describe('what a coach sees: the diagnosis of each demo profile', () => {
  beforeAll(async () => setCoaches({}));

  test('HubSpot requests per view: cold once per portal, then per rep, warm none', async () => {
    const lowConnect = people.ownerOf('low-connect');
    const coach = people.managerOf(people.primaryTeamOf(lowConnect));
    await setCoaches({ [people.primaryTeamOf(lowConnect)]: [coach] });
    demo.sandbox.resetStats();
    const first = full(await panelOk(contactOf('low-connect'), coach));
    const cold = requestsOf(demo.sandbox, demo.backend.portalId);
    // The portal's first view computes and stores the 8 complete weeks (snapshotWeek, 6 searches each).
    const stored = await demo.backend.store.snapshots.listWeeks(demo.backend.portalId, {
      fromWeek: first.trend.weeks[0] as string,
      toWeek: first.trend.weeks[7] as string,
      ownerIds: [lowConnect],
    });
    expect(stored).toHaveLength(8);

    // Another rep of the portal: weeks come from snapshots, and the portal's week in progress is
    // shared (2 minutes): the contact and its 5 relationship searches only.
    demo.sandbox.resetStats();
    await panelOk(contactOf('no-show'), coach);
    const perRep = requestsOf(demo.sandbox, demo.backend.portalId);
    expect(perRep.byEndpoint['POST /crm/v3/objects/contacts/batch/read']).toBe(1);
    expect(perRep.byEndpoint['POST /crm/v3/objects/calls/search']).toBe(1);
    expect(perRep.total).toBe(6);
    expect(cold.total).toBeGreaterThan(perRep.total);

    // Warm: the same two panels again, no HubSpot request.
    demo.sandbox.resetStats();
    await panelOk(contactOf('low-connect'), coach);
    await panelOk(contactOf('no-show'), coach);
    const warm = requestsOf(demo.sandbox, demo.backend.portalId);
    expect(warm.total).toBe(0);
    // Printed for the report (figures, not assertions).
    console.log(
      `coaching panel HubSpot requests: first view of the portal ${cold.total}, cold view of another rep ${perRep.total}, warm 0`,
      JSON.stringify(perRep.byEndpoint),
    );
  }, 120_000);

  test('the low-connect rep is diagnosed at connect, with cold-calling suggested', async () => {
    const rep = people.ownerOf('low-connect');
    await setCoaches({ [people.primaryTeamOf(rep)]: [people.managerOf(people.primaryTeamOf(rep))] });
    const p = full(await panelOk(contactOf('low-connect'), people.managerOf(people.primaryTeamOf(rep))));
    expect(p.access).toBe('coach');
    expect(p.rep.ownerId).toBe(rep);
    expect(p.hasData).toBe(true);
    expect(p.diagnosis.status).toBe('gap');
    expect(p.diagnosis.weakestStep).toBe('connect');
    expect(p.diagnosis.weeks).toHaveLength(4);
    expect(p.trend.weeks).toHaveLength(8);
    expect(p.trend.series.map((s) => s.metric)).toEqual([
      'dials',
      'connectRate',
      'meetingsBooked',
      'meetingHeldRate',
      'dealsCreated',
      'winRate',
    ]);
    for (const s of p.trend.series) expect(s.values).toHaveLength(8);
    expect(p.training.suggested.map((m) => m.moduleId)).toContain('cold-call-openers');
    expect(p.training.suggested.every((m) => m.reason.length > 20)).toBe(true);
    const dials = p.scorecard.find((r) => r.metric === 'dials');
    expect(dials?.target).toBe(60);
    expect(p.scorecard.find((r) => r.metric === 'connectRate')?.target).toBeNull();
    expect(p.permissions).toEqual({ writeNotes: true, assignTraining: true, completeTraining: true });
    expect(p.weekStart).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test("ops changing a team's targets shows on the next panel view, not after the cache expires", async () => {
    const rep = people.ownerOf('low-connect');
    const team = people.primaryTeamOf(rep);
    const coach = people.managerOf(team);
    await setCoaches({ [team]: [coach] });
    const before = full(await panelOk(contactOf('low-connect'), coach));
    expect(before.scorecard.find((r) => r.metric === 'dials')?.target).toBe(60);
    const admin = people.superAdmins[0] as number;
    const put = await call('PUT', '/api/v1/settings/targets', {
      userId: admin,
      body: {
        value: {
          default: [{ metric: 'dials', perWeek: 60 }],
          teams: { [team]: [{ metric: 'dials', perWeek: 75 }] },
        },
        idempotencyKey: 'targets-change-0001',
      },
    });
    expect(put.status).toBe(200);
    const after = full(await panelOk(contactOf('low-connect'), coach));
    expect(after.scorecard.find((r) => r.metric === 'dials')?.target).toBe(75);
    await demo.backend.store.settings.delete(demo.backend.portalId, 'coaching:targets');
    demo.backend.coachingPanel.clearCache();
  }, 120_000);

  test('the no-show rep is diagnosed at held meetings', async () => {
    const rep = people.ownerOf('no-show');
    const team = people.primaryTeamOf(rep);
    await setCoaches({ [team]: [people.managerOf(team)] });
    const p = full(await panelOk(contactOf('no-show'), people.managerOf(team)));
    expect(p.diagnosis.status).toBe('gap');
    expect(p.diagnosis.weakestStep).toBe('held');
    expect(p.training.suggested.map((m) => m.moduleId)).toContain('discovery-agenda');
  });

  test('the star has no false gap', async () => {
    const rep = people.ownerOf('star');
    const team = people.primaryTeamOf(rep);
    await setCoaches({ [team]: [people.managerOf(team)] });
    const p = full(await panelOk(contactOf('star'), people.managerOf(team)));
    expect(p.diagnosis.status).toBe('no-clear-gap');
    expect(p.diagnosis.steps.some((s) => s.realGap && s.persistent)).toBe(false);
    expect(p.training.suggested).toEqual([]);
  });

  test('the new hire gets "not enough data"', async () => {
    const rep = people.ownerOf('new-hire');
    const team = people.primaryTeamOf(rep);
    await setCoaches({ [team]: [people.managerOf(team)] });
    const p = full(await panelOk(contactOf('new-hire'), people.managerOf(team)));
    expect(p.diagnosis.status).toBe('not-enough-data');
    expect(p.diagnosis.summary).toMatch(/^Not enough data/);
  });

  test('clean-process praise: only once exceptions are attributed, and not for the rep who has one', async () => {
    const star = people.ownerOf('star');
    const lowConnect = people.ownerOf('low-connect');
    const coachOf = (id: string) => people.managerOf(people.primaryTeamOf(id));
    await setCoaches({
      [people.primaryTeamOf(star)]: [coachOf(star)],
      [people.primaryTeamOf(lowConnect)]: [coachOf(lowConnect)],
    });
    const kinds = async (profile: string, id: string) =>
      full(await panelOk(contactOf(profile), coachOf(id))).praise.map((p) => p.kind);
    // No exception recorded (no webhooks): nobody is praised for a clean process.
    expect(await kinds('star', star)).not.toContain('clean-process');
    await demo.backend.store.exceptions.record({
      portalId: demo.backend.portalId,
      dealId: '1',
      fromStageId: 'presentationscheduled',
      toStageId: 'decisionmakerboughtin',
      criterionIds: ['presentationscheduled.demo-held'],
      occurredAt: new Date(demo.now.getTime() - 2 * 86_400_000),
      ownerId: lowConnect,
    });
    demo.backend.coachingPanel.clearCache();
    expect(await kinds('star', star)).toContain('clean-process');
    expect(await kinds('low-connect', lowConnect)).not.toContain('clean-process');
  }, 30_000);

  test('a contact without owner is "no-owner": the relationship only', async () => {
    const p = await panelOk(people.ownerlessContact, people.superAdmins[0] as number);
    expect(p.view).toBe('no-owner');
    expect(Object.keys(p).sort()).toEqual(['contact', 'generatedAt', 'relationship', 'view']);
    expect(p.relationship.days).toBe(30);
  });

  test('the relationship summary counts the contact’s touches of the last 30 days', async () => {
    const contactId = contactOf('low-connect');
    const p = await panelOk(contactId, people.userOf(people.ownerOf('low-connect')));
    const r = p.relationship;
    const total = Object.values(r.touches).reduce((s, n) => s + n, 0);
    if (total > 0) expect(r.lastTouch).not.toBeNull();
    else expect(r.lastTouch).toBeNull();
    const now = demo.now.getTime();
    if (r.lastTouch) expect(Date.parse(r.lastTouch.at)).toBeLessThanOrEqual(now);
    if (r.lastTouch) expect(Date.parse(r.lastTouch.at)).toBeGreaterThanOrEqual(now - 30 * 86_400_000);
    if (r.nextActivity) expect(Date.parse(r.nextActivity.at)).toBeGreaterThan(now);
  });
});

describe('the access matrix of GET /api/v1/coaching-panel', () => {
  const rep = () => people.ownerOf('low-connect');
  const team = () => people.primaryTeamOf(rep());
  const contact = () => contactOf('low-connect');
  const noteText = 'Private: work on the opener before the Tuesday call block.';
  let repName: string;

  beforeAll(async () => {
    const coach = people.managerOf(team());
    await setCoaches({ [team()]: [coach] });
    const created = await call('POST', '/api/v1/coaching/notes', {
      userId: coach,
      body: { contactId: contact(), kind: 'note', body: noteText, idempotencyKey: 'panel-matrix-note-1' },
    });
    expect(created.status).toBe(201);
    const owner = demo.fixture.owners.find((o) => o.id === rep());
    repName = `${owner?.firstName} ${owner?.lastName}`;
  });

  test('the rep sees their own full panel, notes included, and may not write notes', async () => {
    const p = full(await panelOk(contact(), people.userOf(rep())));
    expect(p.access).toBe('self');
    expect(p.rep.name).toBe(repName);
    expect(p.notes.map((n) => n.body)).toContain(noteText);
    expect(p.notes.every((n) => n.editable === false)).toBe(true);
    expect(p.permissions).toEqual({ writeNotes: false, assignTraining: false, completeTraining: true });
  });

  test('the coach of the team sees the full panel; their own notes are editable', async () => {
    const coach = people.managerOf(team());
    const p = full(await panelOk(contact(), coach));
    expect(p.access).toBe('coach');
    const note = p.notes.find((n) => n.body === noteText);
    expect(note?.editable).toBe(true);
    expect(note?.authorUserId).toBe(coach);
    expect(note?.authorName).toMatch(/\w+ \w+/);
  });

  test('another rep and the coach of another team get the summary, and nothing about the rep', async () => {
    const otherRep = people.userOf(people.ownerOf('star'));
    const otherTeam = ['8010001', '8010002', '8010003'].find((t) => t !== team()) as string;
    await setCoaches({ [team()]: [people.managerOf(team())], [otherTeam]: [people.managerOf(otherTeam)] });
    for (const userId of [otherRep, people.managerOf(otherTeam)]) {
      const res = await panel(contact(), userId);
      expect(res.status).toBe(200);
      expect((res.json as CoachingPanel).view).toBe('summary-only');
      expect(res.text).not.toContain(repName);
      expect(res.text).not.toContain(repName.split(' ')[0] as string);
      expect(res.text).not.toContain(rep());
      expect(res.text).not.toContain(noteText);
      expect(res.text).not.toContain('Private');
      expect(Object.keys(res.json as object).sort()).toEqual([
        'contact',
        'generatedAt',
        'relationship',
        'view',
      ]);
    }
  });

  test('a super admin coaches a team without coaches, not a team that has them', async () => {
    const admin = people.superAdmins[0] as number;
    await setCoaches({});
    const p = full(await panelOk(contact(), admin));
    expect(p.access).toBe('coach');
    await setCoaches({ [team()]: [people.managerOf(team())] });
    const res = await panel(contact(), admin);
    expect((res.json as CoachingPanel).view).toBe('summary-only');
    expect(res.text).not.toContain(noteText);
  });

  test('a user of another portal, an unsigned request and a request without user are refused', async () => {
    const other = await panel(contact(), people.userOf(rep()), demo.backend.portalId + 1);
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(repName);

    const url = `${demo.backend.url}/api/v1/coaching-panel?contactId=${contact()}&portalId=${demo.backend.portalId}&userId=${people.userOf(rep())}`;
    const unsigned = await fetch(url);
    expect(unsigned.status).toBe(401);

    const noUser = await panel(contact(), null);
    expect(noUser.status).toBe(403);
  });

  test('bad input: a malformed or unknown contact id', async () => {
    const bad = await panel('abc', people.userOf(rep()));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/contactId/);
    const unknown = await panel('999999999', people.userOf(rep()));
    expect(unknown.status).toBe(404);
  });
});
