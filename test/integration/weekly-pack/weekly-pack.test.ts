/**
 * GET /api/v1/weekly-pack and /api/v1/weekly-pack/teams end to end: the backend booted through
 * startBackend on SQLite and a sandbox holding the demo portal (30,000 engagements anchored on
 * DEMO_ANCHOR, the functions' clock pinned to it, as the coaching panel suite), signed requests through
 * real HTTP as the demo's people. The pack must name the right people for the right reasons:
 * New Business West holds the low-connect rep (diagnosed at connect), the no-show rep (at held), the
 * staller (their presentation deals stalled) and the new hire (not enough data); New Business East
 * holds the star (not diagnosed, praised).
 */
import { SETTINGS_KEYS, weeklyPackSchema, weeklyPackTeamsSchema } from '@pillars/contracts';
import type { StageTiming, WeeklyPack } from '@pillars/contracts';
import type { CrmRecord, Pipeline } from '../../../src/core/crm.js';
import { computeStageTiming, defaultPlaybook } from '../../../src/core/process/index.js';
import { stageTimingKey } from '../../../src/functions/deal-guidance/deal-guidance.js';
import { TEAM_NOT_FOUND } from '../../../src/functions/weekly-pack/weekly-pack.js';
import type { DemoBackend } from '../../support/demo-backend.js';
import { stallerOpenDeals } from '../../support/demo-backend.js';
import { demoPeople, requestsOf, signedClient, startCoachingBackend } from '../coaching/helpers.js';
import type { DemoPeople } from '../coaching/helpers.js';

const SECRET = 'weekly-pack-client-secret-0123456';
const EAST = '8010001';
const WEST = '8010002';

let demo: DemoBackend & { now: Date };
let people: DemoPeople;
let call: ReturnType<typeof signedClient>;

beforeAll(async () => {
  demo = await startCoachingBackend({ secret: SECRET, prefix: 'pillars-weekly-pack-', size: 30_000 });
  people = demoPeople(demo.fixture);
  call = signedClient(demo.backend, SECRET);
  // The stage-timing job's result for the sales pipeline, stored as the job stores it.
  const sales = (demo.fixture.pipelines.deals as Pipeline[]).find((p) => p.id === 'default') as Pipeline;
  const timing: StageTiming = computeStageTiming({
    deals: demo.fixture.objects.deals as CrmRecord[],
    pipeline: sales,
    now: demo.now,
    playbook: defaultPlaybook(sales),
  });
  await demo.backend.store.settings.put(demo.backend.portalId, stageTimingKey('default'), timing);
}, 90_000);

afterAll(async () => {
  await demo.close();
});

async function setCoaches(teams: Record<string, number[]>): Promise<void> {
  const value = { teams: Object.fromEntries(Object.entries(teams).map(([t, ids]) => [t, ids.map(String)])) };
  await demo.backend.store.settings.put(demo.backend.portalId, SETTINGS_KEYS.coaches, value);
}

const vp = () => people.superAdmins[0] as number;

async function pack(teamId: string, userId: number | null, extra = '') {
  return call('GET', '/api/v1/weekly-pack', { userId, query: `teamId=${teamId}${extra}` });
}

async function packOk(teamId: string, userId: number): Promise<WeeklyPack> {
  const res = await pack(teamId, userId);
  expect([res.status, res.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
  const parsed = weeklyPackSchema.safeParse(res.json);
  expect(parsed.error).toBeUndefined();
  return parsed.data as WeeklyPack;
}

const member = (p: WeeklyPack, ownerId: string) => {
  const m = p.members.find((x) => x.ownerId === ownerId);
  if (!m) throw new Error(`owner ${ownerId} is not in the pack of ${p.team.name}`);
  return m;
};

describe('the pack names the right people for the right reasons', () => {
  let west: WeeklyPack;
  let east: WeeklyPack;

  beforeAll(async () => {
    await setCoaches({});
    demo.backend.weeklyPack.clearCache();
    demo.sandbox.resetStats();
    west = await packOk(WEST, vp());
    const cold = requestsOf(demo.sandbox, demo.backend.portalId);
    demo.sandbox.resetStats();
    east = await packOk(EAST, vp());
    const otherTeam = requestsOf(demo.sandbox, demo.backend.portalId);
    demo.sandbox.resetStats();
    await packOk(WEST, vp());
    await packOk(EAST, vp());
    const warm = requestsOf(demo.sandbox, demo.backend.portalId);
    expect(warm.total).toBe(0);
    // Printed for the report (figures, not assertions).
    console.log(
      `weekly pack HubSpot requests: first pack of the portal ${cold.total}, another team ${otherTeam.total}, warm ${warm.total}`,
      JSON.stringify(otherTeam.byEndpoint),
    );
  }, 180_000);

  test('team, weeks and members', () => {
    expect(west.team).toEqual({ id: WEST, name: 'New Business West' });
    // The clock is pinned on Wednesday 2026-11-25: the last complete week starts Monday 2026-11-16.
    expect(west.weekStart).toBe('2026-11-16');
    expect(west.weekInProgress?.weekStart).toBe('2026-11-23');
    expect(west.diagnosisWeeks).toEqual(['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']);
    expect(west.members.map((m) => m.ownerId)).toEqual(
      expect.arrayContaining(['61400257', '61400270', '61400283', '61400296']),
    );
    const dials = member(west, '61400270').scoreboard.find((r) => r.metric === 'dials');
    expect(dials).toMatchObject({ target: 60, value: expect.any(Number), teamMedian: expect.any(Number) });
  });

  test('the low-connect rep is off pace, diagnosed at connect', () => {
    const m = member(west, people.ownerOf('low-connect'));
    expect(m.ownerId).toBe('61400270');
    expect(m.status).toBe('off-pace');
    expect(m.diagnosis.weakestStep).toBe('connect');
    expect(m.reasons[0]).toMatch(/^Weakest step: connect rate/);
  });

  test('the no-show rep is off pace, diagnosed at held meetings', () => {
    const m = member(west, people.ownerOf('no-show'));
    expect(m.ownerId).toBe('61400283');
    expect(m.status).toBe('off-pace');
    expect(m.diagnosis.weakestStep).toBe('held');
    expect(m.reasons[0]).toMatch(/meeting held rate/);
  });

  test("the staller's long-sitting presentation deals are stalled, against the stored timing", () => {
    const staller = people.ownerOf('staller');
    expect(staller).toBe('61400257');
    const stalled = west.stalledDeals.filter((d) => d.ownerId === staller && d.age === 'stalled');
    const expected = stallerOpenDeals(demo.fixture);
    expect(stalled.length).toBeGreaterThanOrEqual(3);
    for (const d of stalled) {
      expect(expected).toContain(d.dealId);
      expect(d).toMatchObject({ stageId: 'presentationscheduled', ownerName: 'Diego Alvarez' });
      expect(d.typicalDays.source).toBe('history');
      expect(d.daysInStage).toBeGreaterThan(d.typicalDays.p90);
    }
    // Stalled before slow.
    const ages = west.stalledDeals.map((d) => d.age);
    expect(ages).toEqual([...ages].sort((a, b) => (a === b ? 0 : a === 'stalled' ? -1 : 1)));
  });

  test('the new hire is "not enough data"', () => {
    const m = member(west, people.ownerOf('new-hire'));
    expect(m.ownerId).toBe('61400296');
    expect(m.status).toBe('not-enough-data');
    expect(m.diagnosis.summary).toMatch(/^Not enough data/);
  });

  test('the star is not diagnosed, and is praised', () => {
    const star = people.ownerOf('star');
    expect(star).toBe('61400205');
    const m = member(east, star);
    expect(m.diagnosis.status).not.toBe('gap');
    expect(m.status).not.toBe('off-pace');
    expect(east.praise.some((p) => p.ownerId === star && p.name === "Kevin O'Brien")).toBe(true);
  });

  test('same numbers as the coaching panel: the pack reads the same series and diagnosis', async () => {
    const rep = people.ownerOf('low-connect');
    const [contact] = people.contactsOf(rep);
    const res = await call('GET', '/api/v1/coaching-panel', { userId: vp(), query: `contactId=${contact}` });
    expect(res.status).toBe(200);
    const panel = res.json as { diagnosis: { summary: string; weakestStep: string } };
    expect(member(west, rep).diagnosis.summary).toBe(panel.diagnosis.summary);
  });
});

describe('clean-process praise from attributed stage exceptions', () => {
  test('a rep whose deal left a stage with criteria unmet is not praised for it; a teammate is', async () => {
    await setCoaches({});
    const lowConnect = people.ownerOf('low-connect');
    await demo.backend.store.exceptions.record({
      portalId: demo.backend.portalId,
      dealId: '15000000843',
      fromStageId: 'appointmentscheduled',
      toStageId: 'qualifiedtobuy',
      criterionIds: ['appointmentscheduled.meeting'],
      occurredAt: new Date('2026-11-10T15:00:00Z'),
      ownerId: lowConnect,
    });
    demo.backend.weeklyPack.clearCache();
    const west = await packOk(WEST, vp());
    const clean = west.praise.filter((p) => p.kind === 'clean-process').map((p) => p.ownerId);
    expect(clean).not.toContain(lowConnect);
    expect(clean).toContain(people.ownerOf('no-show'));
    expect(
      member(west, people.ownerOf('no-show')).praise.find((p) => p.kind === 'clean-process')?.evidence,
    ).toMatch(/^No unwaived stage exceptions in the last 4 weeks/);
  }, 60_000);
});

describe('training due and overdue', () => {
  test('open assignments of the team show as overdue or due this week, with the rep and the module', async () => {
    await setCoaches({});
    const base = {
      portalId: demo.backend.portalId,
      moduleVersion: '1',
      source: 'coach' as const,
      ruleId: null,
      assignedByUserId: vp(),
      reason: 'Connect rate below the team.',
      metric: 'connectRate' as const,
      createdAt: new Date('2026-11-02T15:00:00Z'),
    };
    const lowConnect = people.ownerOf('low-connect');
    const overdue = await demo.backend.store.trainingAssignments.openOnce({
      ...base,
      repOwnerId: lowConnect,
      moduleId: 'cold-call-openers',
      dueDate: '2026-11-20',
    });
    const due = await demo.backend.store.trainingAssignments.openOnce({
      ...base,
      repOwnerId: people.ownerOf('no-show'),
      moduleId: 'discovery-agenda',
      dueDate: '2026-11-30',
    });
    demo.backend.weeklyPack.clearCache();
    const west = await packOk(WEST, vp());
    expect(west.training.overdue.map((a) => [a.id, a.ownerName, a.overdue])).toEqual([
      [overdue.assignment.id, 'Hannah Kim', true],
    ]);
    expect(west.training.due.map((a) => [a.id, a.ownerName, a.dueDate])).toEqual([
      [due.assignment.id, 'Marco Rossi', '2026-11-30'],
    ]);
    expect(west.training.overdue[0]?.moduleTitle).not.toBe('cold-call-openers');
    // Another team's pack does not list them.
    const east = await packOk(EAST, vp());
    expect([...east.training.due, ...east.training.overdue]).toEqual([]);
  }, 60_000);
});

describe('module effects', () => {
  test('a completed assignment with 4 weeks on each side is rolled up per module, with its n', async () => {
    await setCoaches({});
    const rep = people.ownerOf('low-connect');
    const { assignment } = await demo.backend.store.trainingAssignments.openOnce({
      portalId: demo.backend.portalId,
      repOwnerId: rep,
      moduleId: 'call-openers-old',
      moduleVersion: '1',
      source: 'rule',
      ruleId: null,
      assignedByUserId: null,
      reason: 'Connect rate below the team.',
      metric: 'connectRate',
      dueDate: '2026-10-16',
      createdAt: new Date('2026-10-01T15:00:00Z'),
    });
    await demo.backend.store.trainingAssignments.complete(
      demo.backend.portalId,
      assignment.id,
      new Date('2026-10-14T15:00:00Z'),
      'card',
    );
    demo.backend.weeklyPack.clearCache();
    const west = await packOk(WEST, vp());
    const effect = west.moduleEffects.find((e) => e.moduleTag === 'call-openers-old');
    expect(effect).toMatchObject({ metric: 'connectRate', total: 1 });
    expect(effect?.supported).toBeLessThanOrEqual(1);
  }, 120_000);
});

describe('who may see which pack', () => {
  test('super admins see every team while no coaches are set', async () => {
    await setCoaches({});
    const res = await call('GET', '/api/v1/weekly-pack/teams', { userId: vp() });
    expect(res.status).toBe(200);
    const { teams } = weeklyPackTeamsSchema.parse(res.json);
    expect(teams.map((t) => t.id).sort()).toEqual(['8010001', '8010002', '8010003']);
  });

  test("a coach of another team gets 404 for this team, naming nothing; their own team's pack is served", async () => {
    const eastCoach = people.managerOf(EAST);
    await setCoaches({ [EAST]: [eastCoach], [WEST]: [people.managerOf(WEST)] });
    const teams = await call('GET', '/api/v1/weekly-pack/teams', { userId: eastCoach });
    expect(weeklyPackTeamsSchema.parse(teams.json).teams).toEqual([{ id: EAST, name: 'New Business East' }]);

    const res = await pack(WEST, eastCoach);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ error: { code: 'NOT_FOUND', message: TEAM_NOT_FOUND } });
    expect(res.text).not.toContain('West');
    expect(res.text).not.toContain('Hannah');
    // An unknown team answers exactly the same.
    const unknown = await pack('8019999', eastCoach);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error: { code: 'NOT_FOUND', message: TEAM_NOT_FOUND } });

    expect((await packOk(EAST, eastCoach)).team.id).toBe(EAST);
  });

  test('a super admin is not a coach of a team that has coaches', async () => {
    await setCoaches({ [EAST]: [people.managerOf(EAST)] });
    const teams = weeklyPackTeamsSchema.parse(
      (await call('GET', '/api/v1/weekly-pack/teams', { userId: vp() })).json,
    );
    expect(teams.teams.map((t) => t.id).sort()).toEqual([WEST, '8010003']);
    expect((await pack(EAST, vp())).status).toBe(404);
  });

  test('a plain rep coaches no team: no teams, and 404 for their own team', async () => {
    await setCoaches({});
    const rep = people.userOf(people.ownerOf('star'));
    const teams = await call('GET', '/api/v1/weekly-pack/teams', { userId: rep });
    expect([teams.status, teams.json]).toEqual([200, { teams: [] }]);
    expect((await pack(EAST, rep)).status).toBe(404);
  });

  test('a signed request without a user is refused; bad input is 400 naming the field', async () => {
    const anonymous = await pack(EAST, null);
    expect(anonymous.status).toBe(403);
    expect((await call('GET', '/api/v1/weekly-pack/teams', { userId: null })).status).toBe(403);
    const bad = await pack('east', vp());
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('teamId');
    const future = await pack(WEST, vp(), '&week=2026-11-25');
    expect(future.status).toBe(400);
    expect(future.text).toContain('not complete');
  });

  test('an older complete week: its pack, with no week in progress', async () => {
    await setCoaches({});
    const res = await pack(WEST, vp(), '&week=2026-11-11');
    expect(res.status).toBe(200);
    const older = weeklyPackSchema.parse(res.json);
    expect(older.weekStart).toBe('2026-11-09');
    expect(older.weekInProgress).toBeNull();
    expect(older.diagnosisWeeks.at(-1)).toBe('2026-11-09');
  }, 60_000);
});
