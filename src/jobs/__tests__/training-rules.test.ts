/**
 * The training-rules job's helpers, and its selection (rules per team, release rules, the cap)
 * against fakes: snapshots, a deals search and an assign function that records what it is asked.
 */
import type { Metrics, WeeklyPoint } from '@pillars/contracts';
import { ZERO_METRICS } from '@pillars/contracts';
import type { Owner } from '../../core/crm.js';
import type { FunctionContext } from '../../functions/context.js';
import type { CoachingSettings } from '../../functions/coaching/coaching-settings.js';
import type { AssignRequest } from '../../functions/training/assign-training.js';
import { DEFAULT_RULES, DEMO_CATALOGUE, NO_TARGETS } from '../../functions/training/default-catalogue.js';
import type { HubSpotGateway, PageHandler } from '../../hubspot/gateway.js';
import type { JobClaim, JobRunStore, TrainingAssignment } from '../../store/coaching-ports.js';
import type { SnapshotStore, WeeklySnapshot } from '../../store/ports.js';
import { completeWeeksBefore, runTrainingRules, teamSeriesOf, trainingRulesJob } from '../training-rules.js';
import type { TrainingRulesDeps } from '../training-rules.js';

test('completeWeeksBefore lists the Mondays before the run week, oldest first', () => {
  expect(completeWeeksBefore('2026-11-23', 4)).toEqual([
    '2026-10-26',
    '2026-11-02',
    '2026-11-09',
    '2026-11-16',
  ]);
  expect(completeWeeksBefore('2026-03-09', 1)).toEqual(['2026-03-02']);
});

test('teamSeriesOf keeps members with stored weeks only', () => {
  const p: WeeklyPoint = { weekStart: '2026-11-16', metrics: { ...ZERO_METRICS } as Metrics };
  const teams = teamSeriesOf(new Map([['t1', ['a', 'b']]]), new Map([['a', [p]]]));
  expect([...(teams.get('t1')?.keys() ?? [])]).toEqual(['a']);
});

test('the scheduler entry names the week in progress as the period', () => {
  const job = trainingRulesJob({} as TrainingRulesDeps);
  expect(job.name).toBe('training-rules');
  // Sunday evening in New York is still the week of Monday the 23rd.
  expect(job.periodAt(new Date('2026-11-30T03:00:00Z'), 'America/New_York')).toBe('2026-11-23');
});

function week(dials: number, connects: number): Metrics {
  return { ...(ZERO_METRICS as Metrics), dials, connects, connectRate: dials > 0 ? connects / dials : null };
}

function owner(id: string, team: string): Owner {
  return {
    id,
    userId: Number(id),
    email: null,
    firstName: null,
    lastName: null,
    archived: false,
    teams: [{ id: team, name: team, primary: true }],
  };
}

function fakes(options: { monthlyCap: number; existing?: TrainingAssignment[] }) {
  const weeks = completeWeeksBefore('2026-11-23', 4);
  const rows: WeeklySnapshot[] = [];
  for (const w of weeks) {
    rows.push({ ownerId: '1', weekStart: w, metrics: week(60, 3), computedAt: new Date() });
    rows.push({ ownerId: '2', weekStart: w, metrics: week(60, 9), computedAt: new Date() });
    rows.push({ ownerId: '3', weekStart: w, metrics: week(60, 10), computedAt: new Date() });
  }
  const snapshots: Partial<SnapshotStore> = {
    lastRun: () => Promise.resolve({ computedAt: new Date(), owners: 3 }),
    listWeeks: () => Promise.resolve(rows),
  };
  const claims = new Map<string, JobClaim>();
  const jobRuns: Partial<JobRunStore> = {
    claim(_p, job, period) {
      const key = `${job}/${period}`;
      const before = claims.get(key);
      claims.set(key, before ?? 'running');
      return Promise.resolve(before === undefined ? 'claimed' : before === 'done' ? 'done' : 'running');
    },
    finish(_p, job, period) {
      claims.set(`${job}/${period}`, 'done');
      return Promise.resolve();
    },
    fail() {
      return Promise.resolve();
    },
  };
  const asked: AssignRequest[] = [];
  const settings: CoachingSettings = {
    coaches: () => Promise.resolve({ teams: {} }),
    targets: () => Promise.resolve(NO_TARGETS),
    catalogue: () => Promise.resolve(DEMO_CATALOGUE),
    rules: () => Promise.resolve({ ...DEFAULT_RULES, monthlyCap: options.monthlyCap }),
  };
  const gateway: Partial<HubSpotGateway> = {
    getPortalDetails: () => Promise.resolve({ portalId: 1, timeZone: 'America/New_York', currency: 'USD' }),
    listOwners: () => Promise.resolve([owner('1', 't'), owner('2', 't'), owner('3', 't')]),
    async searchAll(_type, _query, onPage: PageHandler) {
      await onPage([{ id: 'd1', properties: { dealstage: 'presentationscheduled', hubspot_owner_id: '1' } }]);
      return { requests: 1, records: 1 };
    },
  };
  const deps: TrainingRulesDeps = {
    settings,
    snapshots: snapshots as SnapshotStore,
    jobRuns: jobRuns as JobRunStore,
    assignments: { listForPortal: () => Promise.resolve(options.existing ?? []) },
    assignTraining: {
      assign(request) {
        asked.push(request);
        return Promise.resolve({
          assignment: { id: `x${asked.length}` } as TrainingAssignment,
          created: true,
          taskCreated: true,
        });
      },
    },
    activityMetrics: () => Promise.reject(new Error('not called: every week is stored')),
  };
  const quiet = () => undefined;
  const ctx: FunctionContext = {
    portalId: 1,
    hubspot: gateway as HubSpotGateway,
    now: () => new Date('2026-11-24T15:00:00Z'),
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  };
  return { deps, ctx, asked };
}

test('the lagging rep gets the rule module first; the release module too under a cap of 2', async () => {
  const { deps, ctx, asked } = fakes({ monthlyCap: 2 });
  const summary = await runTrainingRules(ctx, deps);
  expect(summary).toMatchObject({ status: 'ran', weekStart: '2026-11-23', fired: 2, assigned: 2 });
  expect(asked.map((a) => [a.repOwnerId, a.moduleId, a.source])).toEqual([
    ['1', 'cold-call-openers', 'rule'],
    ['1', 'release-analytics-suite', 'release'],
  ]);
  expect(asked[0]?.reason).toContain('connectRate below the team median in 4 of the last 4 weeks');
  // The same week again: skipped.
  expect(await runTrainingRules(ctx, deps)).toMatchObject({ status: 'skipped', skipped: 'done' });
});

test('a cap of 1 holds the release module back; an open assignment is held as already assigned', async () => {
  const capped = fakes({ monthlyCap: 1 });
  const s1 = await runTrainingRules(capped.ctx, capped.deps);
  expect(s1).toMatchObject({ assigned: 1, held: { capReached: 1, alreadyAssigned: 0 } });
  expect(capped.asked.map((a) => a.moduleId)).toEqual(['cold-call-openers']);

  const open = {
    id: 'old',
    repOwnerId: '1',
    moduleId: 'cold-call-openers',
    source: 'coach',
    status: 'open',
    createdAt: new Date('2026-10-01T00:00:00Z'),
  } as TrainingAssignment;
  const held = fakes({ monthlyCap: 2, existing: [open] });
  const s2 = await runTrainingRules(held.ctx, held.deps);
  expect(s2).toMatchObject({ assigned: 1, held: { capReached: 0, alreadyAssigned: 1 } });
  expect(held.asked.map((a) => a.moduleId)).toEqual(['release-analytics-suite']);
});
