// The weekly pack's pure parts: the week, the scoreboard, status and reasons, the deal search and the
// classification of open deals against stage timing, training due and overdue.
import { ZERO_METRICS } from '@pillars/contracts';
import type { Diagnosis, PackAssignment, StageTimingEntry, VolumeCheck } from '@pillars/contracts';
import type { CrmRecord, Owner, Pipeline } from '../../../core/crm.js';
import {
  classifyDeals,
  memberStatus,
  openDealsQueries,
  packScoreboard,
  packWeekStart,
  teamMembers,
  teamVolumeMedians,
  trainingDue,
} from '../weekly-pack.js';

const NY = 'America/New_York';
const DAY = 86_400_000;

describe('packWeekStart', () => {
  const wednesday = Date.parse('2026-11-25T15:00:00Z');
  it('defaults to the last complete local week', () => {
    expect(packWeekStart(undefined, wednesday, NY)).toBe('2026-11-16');
  });
  it('takes the complete week containing a date', () => {
    expect(packWeekStart('2026-11-11', wednesday, NY)).toBe('2026-11-09');
    expect(packWeekStart('2026-11-22', wednesday, NY)).toBe('2026-11-16');
  });
  it('refuses the week in progress and later', () => {
    expect(() => packWeekStart('2026-11-23', wednesday, NY)).toThrow(/not complete/);
    expect(() => packWeekStart('2027-01-04', wednesday, NY)).toThrow(/not complete/);
  });
});

describe('teamMembers', () => {
  const owner = (id: string, first: string, teams: string[]): Owner => ({
    id,
    userId: null,
    email: null,
    firstName: first,
    lastName: 'X',
    archived: false,
    teams: teams.map((t, i) => ({ id: t, name: t, primary: i === 0 })),
  });
  it('keeps primary and secondary members, by name', () => {
    const owners = [owner('3', 'Zoe', ['7']), owner('1', 'Ana', ['8', '7']), owner('2', 'Bo', ['8'])];
    expect(teamMembers('7', owners).map((o) => o.id)).toEqual(['1', '3']);
  });
});

describe('packScoreboard', () => {
  it('puts value, target and team median side by side', () => {
    const rows = packScoreboard(
      { ...ZERO_METRICS, dials: 40, connectRate: 0.1 },
      { ...ZERO_METRICS, dials: 50 },
      [{ metric: 'dials', perWeek: 60 }],
    );
    expect(rows.find((r) => r.metric === 'dials')).toEqual({
      metric: 'dials',
      value: 40,
      target: 60,
      teamMedian: 50,
    });
    expect(rows.find((r) => r.metric === 'connectRate')).toEqual({
      metric: 'connectRate',
      value: 0.1,
      target: null,
      teamMedian: null,
    });
    expect(packScoreboard({ ...ZERO_METRICS }, null, [])[0]?.teamMedian).toBeNull();
  });
});

function diagnosis(
  status: Diagnosis['status'],
  volume: VolumeCheck[] = [],
  summary = `${status} summary`,
): Diagnosis {
  return {
    ownerId: '1',
    weeks: [],
    status,
    weakestStep: status === 'gap' ? 'connect' : null,
    summary,
    steps: [],
    volume,
    trends: [],
  };
}
const dials = (average: number, hit: number, pace: VolumeCheck['pace'] = null): VolumeCheck => ({
  metric: 'dials',
  targetPerWeek: 60,
  averagePerWeek: average,
  weeksHit: hit,
  weeks: 4,
  pace,
});

describe('memberStatus', () => {
  it('not enough data says why', () => {
    expect(memberStatus({ diagnosis: diagnosis('not-enough-data') }, new Map(), null)).toEqual({
      status: 'not-enough-data',
      reasons: ['not-enough-data summary'],
    });
  });
  it('a gap is off pace, the diagnosis first', () => {
    const r = memberStatus(
      { diagnosis: diagnosis('gap', [], 'Weakest step: connect rate') },
      new Map(),
      null,
    );
    expect(r).toEqual({ status: 'off-pace', reasons: ['Weakest step: connect rate'] });
  });
  it('a target the whole team misses is not held against one rep', () => {
    const r = memberStatus(
      { diagnosis: diagnosis('no-clear-gap', [dials(45, 0)]) },
      new Map([['dials', 50]]),
      null,
    );
    expect(r).toEqual({ status: 'on-pace', reasons: [] });
  });
  it('missing a target in most weeks while well below the team is off pace, with the pace of the week', () => {
    const pace = { weekStart: '2026-11-23', soFar: 10, projected: 16, onPace: false };
    const r = memberStatus(
      { diagnosis: diagnosis('no-clear-gap', [dials(30, 1, pace)]) },
      new Map([['dials', 50]]),
      { elapsedShare: 0.6 },
    );
    expect(r.status).toBe('off-pace');
    expect(r.reasons).toEqual([
      'Low dials: 30 a week over the last 4 weeks (target 60 hit in 1 of 4), against a team median of 50.',
      'Still behind on dials this week: 10 so far, on track for about 16.',
    ]);
  });
  it('team volume medians leave out members the diagnosis cannot judge', () => {
    const m = teamVolumeMedians([
      { diagnosis: diagnosis('no-clear-gap', [dials(40, 0)]) },
      { diagnosis: diagnosis('gap', [dials(60, 4)]) },
      { diagnosis: diagnosis('not-enough-data', [dials(0, 0)]) },
    ]);
    expect(m.get('dials')).toBe(50);
  });
});

const pipeline: Pipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  stages: [
    {
      id: 'appt',
      label: 'Appointment',
      displayOrder: 0,
      metadata: { isClosed: 'false', probability: '0.2' },
    },
    { id: 'demo', label: 'Demo', displayOrder: 1, metadata: { isClosed: 'false', probability: '0.5' } },
    { id: 'won', label: 'Won', displayOrder: 2, metadata: { isClosed: 'true', probability: '1.0' } },
  ],
} as unknown as Pipeline;

describe('openDealsQueries', () => {
  it('searches the members’ open deals with the stage-entered dates, 100 owners per group, 5 groups per search', () => {
    const ids = Array.from({ length: 501 }, (_, i) => String(i + 1));
    const queries = openDealsQueries(ids, [pipeline]);
    expect(queries).toHaveLength(2);
    expect(queries[0]?.filterGroups).toHaveLength(5);
    expect(queries[1]?.filterGroups).toHaveLength(1);
    expect(queries[0]?.filterGroups[0]?.filters).toEqual([
      { propertyName: 'hubspot_owner_id', operator: 'IN', values: ids.slice(0, 100) },
      { propertyName: 'hs_is_closed', operator: 'EQ', value: 'false' },
    ]);
    expect(queries[0]?.properties).toEqual(
      expect.arrayContaining(['dealname', 'hs_v2_date_entered_appt', 'hs_v2_date_entered_demo']),
    );
    expect(queries[0]?.properties).not.toContain('hs_v2_date_entered_won');
  });
});

describe('classifyDeals', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const entry = (stageId: string, p75: number, p90: number): StageTimingEntry => ({
    stageId,
    sampleSize: 12,
    p50: p75 / 2,
    p75,
    p90,
    source: 'history',
  });
  const deal = (id: string, stage: string, daysAgo: number, owner = '7'): CrmRecord => ({
    id,
    properties: {
      dealname: `Deal ${id}`,
      dealstage: stage,
      pipeline: 'default',
      hubspot_owner_id: owner,
      [`hs_v2_date_entered_${stage}`]: new Date(now - daysAgo * DAY).toISOString(),
    },
  });
  it('keeps slow and stalled deals, stalled first then the longest past p90', () => {
    const out = classifyDeals({
      deals: [
        deal('1', 'appt', 5),
        deal('2', 'appt', 12),
        deal('3', 'demo', 40),
        deal('4', 'demo', 90),
        deal('5', 'won', 300),
      ],
      pipelines: [pipeline],
      timing: new Map([['default', { appt: entry('appt', 7, 14), demo: entry('demo', 20, 30) }]]),
      owners: new Map([['7', 'Diego Alvarez']]),
      nowMs: now,
    });
    expect(out.map((d) => [d.dealId, d.age])).toEqual([
      ['4', 'stalled'],
      ['3', 'stalled'],
      ['2', 'slow'],
    ]);
    expect(out[0]).toMatchObject({
      ownerName: 'Diego Alvarez',
      stageLabel: 'Demo',
      pipelineLabel: 'Sales Pipeline',
      daysInStage: 90,
      typicalDays: { p75: 20, p90: 30, source: 'history' },
    });
  });
  it('falls back to the current-stage date, and leaves out deals without a date or a timing', () => {
    const current: CrmRecord = {
      id: '9',
      properties: {
        dealstage: 'demo',
        pipeline: 'default',
        hubspot_owner_id: '7',
        hs_v2_date_entered_current_stage: new Date(now - 40 * DAY).toISOString(),
      },
    };
    const undated: CrmRecord = { id: '10', properties: { dealstage: 'demo', pipeline: 'default' } };
    const out = classifyDeals({
      deals: [current, undated, deal('11', 'appt', 99)],
      pipelines: [pipeline],
      timing: new Map([['default', { demo: entry('demo', 20, 30) }]]),
      owners: new Map(),
      nowMs: now,
    });
    expect(out.map((d) => d.dealId)).toEqual(['9']);
    expect(out[0]?.ownerName).toBe('Owner 7');
  });
});

describe('trainingDue', () => {
  const a = (id: string, dueDate: string, status: PackAssignment['status'] = 'open') =>
    ({ id, dueDate, status }) as PackAssignment;
  it('splits open assignments into due within 7 days and overdue, soonest first', () => {
    const { due, overdue } = trainingDue(
      [
        a('1', '2026-11-30'),
        a('2', '2026-11-25'),
        a('3', '2026-12-03'),
        a('4', '2026-11-20'),
        a('5', '2026-11-21', 'completed'),
      ],
      '2026-11-25',
    );
    expect(due.map((x) => x.id)).toEqual(['2', '1']);
    expect(overdue.map((x) => x.id)).toEqual(['4']);
  });
});
