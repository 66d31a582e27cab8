/**
 * The page's pure parts: week arithmetic, display formatting, configuration and the scoreboard
 * model (what is compared with what, and what counts as "no activity").
 */
import { backendOriginFrom, resolveLocale } from '@pillars/ui-kit';
import { NO_VALUE, formatCount, formatDuration, formatMoney, formatRate } from '../format';
import { buildScoreboard, compareToMedian, mergeTeamNames, repName } from '../scoreboard-model';
import { addWeeks, currentWeek, isLocalDate, mondayOf, todayIn } from '../week';
import { eastReport, makeRep, makeReport, makeTeam } from './test-utils/mocks';

describe('week', () => {
  it('finds the Monday of a week, across months, years and DST changes', () => {
    expect(mondayOf('2026-11-04')).toBe('2026-11-02');
    expect(mondayOf('2026-11-02')).toBe('2026-11-02');
    expect(mondayOf('2026-11-08')).toBe('2026-11-02'); // Sunday ends the week
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
    expect(mondayOf('2026-03-29')).toBe('2026-03-23'); // EU DST change day
  });

  it('steps whole weeks', () => {
    expect(addWeeks('2026-11-02', -1)).toBe('2026-10-26');
    expect(addWeeks('2026-12-28', 1)).toBe('2027-01-04');
  });

  it("takes today's date on the portal's wall clock", () => {
    const instant = new Date('2026-11-02T03:00:00.000Z'); // Sunday evening in New York, Monday in Auckland
    expect(todayIn('America/New_York', instant)).toBe('2026-11-01');
    expect(todayIn('Pacific/Auckland', instant)).toBe('2026-11-02');
    expect(currentWeek('America/New_York', instant)).toBe('2026-10-26');
    expect(currentWeek('Pacific/Auckland', instant)).toBe('2026-11-02');
  });

  it('falls back to UTC for a time zone Intl does not know', () => {
    expect(todayIn('Mars/Olympus_Mons', new Date('2026-11-02T03:00:00.000Z'))).toBe('2026-11-02');
  });

  it('recognises real calendar dates only', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
  });
});

describe('format', () => {
  it('formats counts, halves and rates', () => {
    expect(formatCount(1234, 'en-US')).toBe('1,234');
    expect(formatCount(3.5, 'en-US')).toBe('3.5');
    expect(formatRate(0.4286, 'en-US')).toBe('43%');
    expect(formatRate(null, 'en-US')).toBe(NO_VALUE);
  });

  it('formats talk time', () => {
    expect(formatDuration(0)).toBe('0 min');
    expect(formatDuration(40_000)).toBe('40 s');
    expect(formatDuration(720_000)).toBe('12 min');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
  });

  it('formats money only with a currency it can trust', () => {
    expect(formatMoney(12_500, 'USD', 'en-US')).toBe('$12,500');
    expect(formatMoney(12_500, undefined, 'en-US')).toBe('12,500');
    expect(formatMoney(12_500, 'NOT-A-CODE', 'en-US')).toBe('12,500');
  });

  it("uses the user's locale when Intl knows it", () => {
    expect(resolveLocale('de-de')).toBe('de-DE');
    expect(resolveLocale(undefined)).toBe('en-US');
    expect(resolveLocale('not a locale!')).toBe('en-US');
    expect(formatCount(1234.5, resolveLocale('de-de'))).toBe('1.234,5');
  });
});

describe('backendOriginFrom', () => {
  it('accepts an https origin, with or without a trailing slash', () => {
    expect(backendOriginFrom({ BACKEND_ORIGIN: 'https://api.example.com' })).toEqual({
      ok: true,
      origin: 'https://api.example.com',
    });
    expect(backendOriginFrom({ BACKEND_ORIGIN: 'https://api.example.com/' })).toEqual({
      ok: true,
      origin: 'https://api.example.com',
    });
  });

  it.each([
    [undefined, 'the profile variable BACKEND_ORIGIN is missing'],
    [{ BACKEND_ORIGIN: 42 }, 'the profile variable BACKEND_ORIGIN is missing'],
    [{ BACKEND_ORIGIN: 'api.example.com' }, 'BACKEND_ORIGIN is not a URL'],
    [{ BACKEND_ORIGIN: 'http://api.example.com' }, 'BACKEND_ORIGIN is not an https URL'],
    [{ BACKEND_ORIGIN: 'https://api.example.com/v1' }, 'BACKEND_ORIGIN must be an origin, without a path'],
  ])('refuses %j', (variables, problem) => {
    expect(backendOriginFrom(variables)).toEqual({ ok: false, problem });
  });
});

describe('scoreboard model', () => {
  const options = { locale: 'en-US', currency: undefined };

  it('compares with the median, and not at all without a value', () => {
    expect(compareToMedian(3, 2)).toBe('above');
    expect(compareToMedian(1, 2)).toBe('below');
    expect(compareToMedian(2, 2)).toBe('at');
    expect(compareToMedian(null, 2)).toBe('none');
    expect(compareToMedian(0.5, null)).toBe('none');
    expect(compareToMedian(3, undefined)).toBe('none');
  });

  it("keeps only the team's reps, sorted by name, and the team's median", () => {
    const report = makeReport(
      [
        makeRep('103', 'Zoe West', ['8'], { dials: 1 }),
        makeRep('102', 'Ben Okafor', ['7'], { dials: 2 }),
        makeRep('101', 'Ana Diaz', ['7', '8'], { dials: 3 }),
      ],
      [makeTeam('7', 'East', ['101', '102'], { dials: 2.5 }), makeTeam('8', 'West', ['101', '103'])],
    );
    const board = buildScoreboard(report, '7', options);

    expect(board.team?.name).toBe('East');
    expect(board.rows.map((r) => r.name)).toEqual(['Ana Diaz', 'Ben Okafor']);
    expect(board.median?.find((c) => c.metric === 'dials')?.display).toBe('2.5');
    expect(buildScoreboard(report, undefined, options).rows).toHaveLength(3);
    expect(buildScoreboard(report, undefined, options).median).toBeUndefined();
  });

  it('calls it no activity only when every metric of every rep is zero', () => {
    const quiet = makeReport([makeRep('101', 'Ana Diaz', ['7'])], [makeTeam('7', 'East', ['101'])]);
    expect(buildScoreboard(quiet, '7', options).noActivity).toBe(true);
    const oneNote = makeReport(
      [makeRep('101', 'Ana Diaz', ['7'], { notes: 1 })],
      [makeTeam('7', 'East', ['101'])],
    );
    expect(buildScoreboard(oneNote, '7', options).noActivity).toBe(false);
    expect(buildScoreboard(eastReport(), '7', options).noActivity).toBe(false);
  });

  it('names reps by name, then email, then owner id, and marks deactivated owners', () => {
    expect(repName(makeRep('101', 'Ana Diaz', []))).toBe('Ana Diaz');
    expect(repName({ ...makeRep('102', null, []), email: 'ben@example.com' })).toBe('ben@example.com');
    expect(repName(makeRep('103', null, []))).toBe('Owner 103');
    expect(repName({ ...makeRep('104', 'Old Rep', []), archived: true })).toBe('Old Rep (deactivated)');
  });

  it('remembers team names and keeps the same object when nothing changed', () => {
    const known = mergeTeamNames({}, [{ teamId: '7', name: 'East' }]);
    expect(mergeTeamNames(known, [{ teamId: '7', name: 'East' }])).toBe(known);
    expect(mergeTeamNames(known, [{ teamId: '8', name: 'West' }])).toEqual({ '7': 'East', '8': 'West' });
  });
});
