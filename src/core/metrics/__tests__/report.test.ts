import { METRIC_NAMES, metricsReportSchema } from '@pillars/contracts';
import type { MetricsReport } from '@pillars/contracts';
import type { Owner } from '../../crm.js';
import { AppError } from '../../errors.js';
import { connectedOutcomeIds } from '../outcomes.js';
import { buildMetricsReport } from '../report.js';
import type { MetricsReportFilter } from '../report.js';
import type { Batch } from './helpers.js';
import { accumulate, CONNECTED, IN_WEEK, NY, owner, rec, team, WEEK } from './helpers.js';

function report(owners: Owner[], batch: Batch, filter?: MetricsReportFilter): MetricsReport {
  const built = buildMetricsReport({
    portalId: 123,
    timeZone: NY,
    period: WEEK,
    owners,
    accumulatorResult: accumulate(batch),
    ...(filter ? { filter } : {}),
  });
  metricsReportSchema.parse(built); // every report honours the contract
  return built;
}

const dial = (ownerId: string | undefined, n = 1) =>
  Array.from({ length: n }, () => rec({ hubspot_owner_id: ownerId, hs_timestamp: IN_WEEK }));

describe('buildMetricsReport', () => {
  it('reproduces the METRICS.md §4/§5 example', () => {
    const ana: Owner = {
      id: '101',
      userId: 9001,
      email: 'ana@example.com',
      firstName: 'Ana',
      lastName: 'Diaz',
      archived: false,
      teams: [{ id: '7', name: 'East', primary: true }],
    };
    const call = rec({
      hs_timestamp: '2026-11-03T14:00:00.000Z',
      hubspot_owner_id: '101',
      hs_call_direction: 'OUTBOUND',
      hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
      hs_call_duration: '184000',
    });
    const r = buildMetricsReport({
      portalId: 123,
      timeZone: 'America/New_York',
      period: WEEK,
      owners: [ana],
      accumulatorResult: accumulate(
        { calls: [call] },
        [WEEK],
        connectedOutcomeIds([{ id: CONNECTED, label: 'Connected' }]),
      ),
    });
    expect(r.period).toEqual({
      from: '2026-11-02',
      to: '2026-11-09',
      startUtc: '2026-11-02T05:00:00.000Z',
      endUtc: '2026-11-09T05:00:00.000Z',
    });
    expect(r.reps).toHaveLength(1);
    expect(r.reps[0]).toMatchObject({
      ownerId: '101',
      name: 'Ana Diaz',
      email: 'ana@example.com',
      archived: false,
      teamIds: ['7'],
    });
    expect(r.reps[0].metrics).toMatchObject({
      dials: 1,
      connects: 1,
      connectRate: 1,
      talkTimeMs: 184000,
      winRate: null,
    });
    expect(r.teams).toEqual([
      { teamId: '7', name: 'East', ownerIds: ['101'], totals: r.reps[0].metrics, median: r.reps[0].metrics },
    ]);
    expect(r.unassigned.dials).toBe(0);
    expect(r.skipped).toBe(0);
    expect(metricsReportSchema.parse(r)).toEqual(r);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('lists every active owner with zeros, sorted by ownerId as a plain string', () => {
    const r = report([owner('999'), owner('1000'), owner('20'), owner('3')], {});
    expect(r.reps.map((x) => x.ownerId)).toEqual(['1000', '20', '3', '999']);
    expect(r.reps.every((x) => x.metrics.dials === 0 && x.metrics.connectRate === null)).toBe(true);
  });

  it('carries all 20 metrics by name in every metrics object', () => {
    const r = report([owner('1', { teams: [team('7')] })], { notes: dial('1') });
    for (const m of [r.reps[0].metrics, r.teams[0].totals, r.teams[0].median, r.unassigned]) {
      expect(Object.keys(m)).toEqual([...METRIC_NAMES]);
    }
  });

  it('gives an unknown owner with items its own row: name and email null, not archived, no teams', () => {
    const r = report([owner('1')], { notes: dial('555', 2) });
    expect(r.reps.find((x) => x.ownerId === '555')).toEqual(
      expect.objectContaining({ name: null, email: null, archived: false, teamIds: [] }),
    );
    expect(r.reps.find((x) => x.ownerId === '555')?.metrics.notes).toBe(2);
  });

  it('lists an archived owner only when they have counted items', () => {
    const owners = [owner('1'), owner('2', { archived: true }), owner('3', { archived: true })];
    const r = report(owners, { notes: dial('3') });
    expect(r.reps.map((x) => [x.ownerId, x.archived])).toEqual([
      ['1', false],
      ['3', true],
    ]);
  });

  it('includes an archived member in team totals but not in the median', () => {
    const east = team('7', 'East');
    const owners = [
      owner('1', { teams: [east] }),
      owner('2', { teams: [east] }),
      owner('3', { teams: [east], archived: true }),
      owner('4', { teams: [east], archived: true }), // no items: no row, not listed as a member
    ];
    const r = report(owners, { notes: [...dial('1', 2), ...dial('2', 4), ...dial('3', 30)] });
    const t = r.teams[0];
    expect(t.ownerIds).toEqual(['1', '2', '3']);
    expect(t.totals.notes).toBe(36);
    expect(t.median.notes).toBe(3); // (2 + 4) / 2: the archived 30 is left out
  });

  it('builds names "First Last", trimmed, null when both are missing', () => {
    const r = report(
      [
        owner('1', { firstName: ' Ana ', lastName: null }),
        owner('2', { firstName: null, lastName: 'Diaz' }),
        owner('3', { firstName: null, lastName: null, email: null }),
        owner('4', { firstName: '', lastName: '  ' }),
      ],
      {},
    );
    expect(r.reps.map((x) => x.name)).toEqual(['Ana', 'Diaz', null, null]);
    expect(r.reps[2].email).toBeNull();
  });

  it('puts an owner in every team of its list, primary and secondary; teams sorted by id', () => {
    const owners = [
      owner('1', { teams: [team('9', 'West'), team('10', 'North', false)] }),
      owner('2', { teams: [team('9', 'West')] }),
    ];
    const r = report(owners, { notes: [...dial('1'), ...dial('2', 3)] });
    expect(r.reps[0].teamIds).toEqual(['10', '9']);
    expect(r.teams.map((t) => [t.teamId, t.name, t.ownerIds, t.totals.notes])).toEqual([
      ['10', 'North', ['1'], 1],
      ['9', 'West', ['1', '2'], 4],
    ]);
  });

  it('reports unassigned items and skipped records', () => {
    const r = report([owner('1')], {
      notes: [...dial(undefined, 2), ...dial(''), rec({ hubspot_owner_id: '1' })],
    });
    expect(r.unassigned.notes).toBe(3);
    expect(r.skipped).toBe(1);
    expect(r.reps[0].metrics.notes).toBe(0);
  });

  describe('filters', () => {
    const east = team('7', 'East');
    const west = team('8', 'West');
    const owners = [
      owner('1', { teams: [east] }),
      owner('2', { teams: [east] }),
      owner('3', { teams: [west] }),
      owner('4'),
    ];
    const batch: Batch = {
      notes: [...dial('1', 1), ...dial('2', 5), ...dial('3', 7), ...dial(undefined, 2)],
    };

    it('ownerIds keeps those reps and their teams, whose totals and median stay whole-team', () => {
      const r = report(owners, batch, { ownerIds: ['1', '4', '404'] });
      expect(r.reps.map((x) => x.ownerId)).toEqual(['1', '4']);
      expect(r.teams.map((t) => t.teamId)).toEqual(['7']);
      expect(r.teams[0].ownerIds).toEqual(['1', '2']);
      expect(r.teams[0].totals.notes).toBe(6);
      expect(r.teams[0].median.notes).toBe(3);
      expect(r.unassigned.notes).toBe(2);
    });

    it('teamId keeps that team and its members', () => {
      const r = report(owners, batch, { teamId: '8' });
      expect(r.reps.map((x) => x.ownerId)).toEqual(['3']);
      expect(r.teams.map((t) => [t.teamId, t.totals.notes])).toEqual([['8', 7]]);
    });

    it('an unknown team gives no reps and no teams', () => {
      const r = report(owners, batch, { teamId: '99' });
      expect([r.reps, r.teams]).toEqual([[], []]);
    });
  });

  it('refuses an accumulator result that is not the single period bucket', () => {
    const build = (buckets: { startMs: number; endMs: number }[]) => () =>
      buildMetricsReport({
        portalId: 1,
        timeZone: NY,
        period: WEEK,
        owners: [],
        accumulatorResult: accumulate({}, buckets),
      });
    expect(build([WEEK, WEEK])).toThrow(AppError);
    expect(build([{ startMs: WEEK.startMs, endMs: WEEK.endMs + 1 }])).toThrow(AppError);
  });
});
