import fc from 'fast-check';
import { AppError } from '../../errors.js';
import { resolvePeriod, splitIntoWeeks, startOfLocalDay, weekContaining, weekStarts } from '../period.js';

const HOUR = 3_600_000;
const hours = (p: { startMs: number; endMs: number }): number => (p.endMs - p.startMs) / HOUR;

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('INVALID_INPUT');
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('resolvePeriod', () => {
  it('resolves the METRICS.md §4 example', () => {
    expect(resolvePeriod('2026-11-02', '2026-11-09', 'America/New_York')).toEqual({
      from: '2026-11-02',
      to: '2026-11-09',
      startUtc: '2026-11-02T05:00:00.000Z',
      endUtc: '2026-11-09T05:00:00.000Z',
      startMs: Date.UTC(2026, 10, 2, 5),
      endMs: Date.UTC(2026, 10, 9, 5),
    });
  });

  it('gives the New York week with the DST end (2026-11-01) 169 hours', () => {
    const week = resolvePeriod('2026-10-26', '2026-11-02', 'America/New_York');
    expect(week.startUtc).toBe('2026-10-26T04:00:00.000Z');
    expect(week.endUtc).toBe('2026-11-02T05:00:00.000Z');
    expect(hours(week)).toBe(169);
    expect(hours(resolvePeriod('2026-11-01', '2026-11-02', 'America/New_York'))).toBe(25);
  });

  it('gives the London week with the spring-forward (2026-03-29) 167 hours', () => {
    const week = resolvePeriod('2026-03-23', '2026-03-30', 'Europe/London');
    expect(week.startUtc).toBe('2026-03-23T00:00:00.000Z');
    expect(week.endUtc).toBe('2026-03-29T23:00:00.000Z');
    expect(hours(week)).toBe(167);
    expect(hours(resolvePeriod('2026-03-29', '2026-03-30', 'Europe/London'))).toBe(23);
  });

  it('follows Sydney: DST ends 2026-04-05 (25 h day), starts 2026-10-04 (23 h day)', () => {
    const autumn = resolvePeriod('2026-04-05', '2026-04-06', 'Australia/Sydney');
    expect(autumn.startUtc).toBe('2026-04-04T13:00:00.000Z'); // +11:00
    expect(autumn.endUtc).toBe('2026-04-05T14:00:00.000Z'); // +10:00
    expect(hours(autumn)).toBe(25);
    const spring = resolvePeriod('2026-10-04', '2026-10-05', 'Australia/Sydney');
    expect(spring.startUtc).toBe('2026-10-03T14:00:00.000Z');
    expect(hours(spring)).toBe(23);
  });

  it('handles a half-hour offset (Asia/Kolkata, +05:30)', () => {
    const p = resolvePeriod('2026-11-02', '2026-11-09', 'Asia/Kolkata');
    expect(p.startUtc).toBe('2026-11-01T18:30:00.000Z');
    expect(p.endUtc).toBe('2026-11-08T18:30:00.000Z');
  });

  it('starts a day at the first of two midnights, or when the clocks jump past a missing one', () => {
    // Havana: DST ends 2026-11-01 01:00 -> 00:00, so midnight happens twice; the day starts at the first.
    expect(new Date(startOfLocalDay('2026-11-01', 'America/Havana')).toISOString()).toBe(
      '2026-11-01T04:00:00.000Z',
    );
    // Havana: DST starts 2026-03-08 00:00 -> 01:00, so there is no midnight; the day starts at the jump.
    expect(new Date(startOfLocalDay('2026-03-08', 'America/Havana')).toISOString()).toBe(
      '2026-03-08T05:00:00.000Z',
    );
    // Santiago: DST starts 2026-09-06 at 24:00 -> 01:00.
    expect(new Date(startOfLocalDay('2026-09-06', 'America/Santiago')).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
  });

  it('refuses malformed and impossible dates, naming the field', () => {
    expect(refusal(() => resolvePeriod('2026-02-30', '2026-03-02', 'UTC')).message).toMatch(
      /--from.*2026-02-30/,
    );
    expect(refusal(() => resolvePeriod('2026-03-01', '2026-13-01', 'UTC')).message).toMatch(
      /--to.*2026-13-01/,
    );
    for (const bad of ['2026-1-01', '2026/01/01', '', '2026-01-01T00:00', ' 2026-01-01', '0000-01-01']) {
      refusal(() => resolvePeriod(bad, '2026-03-02', 'UTC'));
    }
  });

  it('refuses --to not after --from', () => {
    expect(refusal(() => resolvePeriod('2026-11-09', '2026-11-02', 'UTC')).message).toMatch(
      '--to must be after --from',
    );
    expect(refusal(() => resolvePeriod('2026-11-02', '2026-11-02', 'UTC')).message).toMatch(
      '--to must be after --from',
    );
  });

  it('accepts at most 366 days', () => {
    expect(resolvePeriod('2024-01-01', '2025-01-01', 'UTC').to).toBe('2025-01-01'); // leap year: 366 days
    expect(refusal(() => resolvePeriod('2026-01-01', '2027-01-03', 'UTC')).message).toMatch(
      'at most one year',
    );
  });

  it('refuses an unknown time zone', () => {
    expect(refusal(() => resolvePeriod('2026-11-02', '2026-11-09', 'Mars/Olympus')).message).toMatch(
      /unknown time zone "Mars\/Olympus"/,
    );
    refusal(() => resolvePeriod('2026-11-02', '2026-11-09', ''));
  });

  const zones = fc.constantFrom(
    'UTC',
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'Asia/Kolkata',
    'America/Havana',
    'America/Santiago',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kathmandu',
  );
  const days = fc.integer({ min: Date.UTC(2000, 0, 1) / 86_400_000, max: Date.UTC(2040, 0, 1) / 86_400_000 });
  const date = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);

  it('tiles time: consecutive periods meet exactly, and every day lasts 22-26 hours', () => {
    fc.assert(
      fc.property(
        zones,
        days,
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (zone, a, n, m) => {
          const first = resolvePeriod(date(a), date(a + n), zone);
          const second = resolvePeriod(date(a + n), date(a + n + m), zone);
          expect(first.endMs).toBe(second.startMs);
          expect(first.endUtc).toBe(second.startUtc);
          expect(hours(first)).toBeGreaterThanOrEqual(n * 24 - 2);
          expect(hours(first)).toBeLessThanOrEqual(n * 24 + 2);
        },
      ),
    );
  });
});

describe('weeks', () => {
  it('weekContaining runs Monday 00:00 local to the next Monday', () => {
    for (const d of ['2026-10-26', '2026-10-28', '2026-11-01']) {
      const w = weekContaining(d, 'America/New_York');
      expect([w.from, w.to, hours(w)]).toEqual(['2026-10-26', '2026-11-02', 169]);
    }
    expect(weekContaining('2026-11-02', 'America/New_York').from).toBe('2026-11-02');
    refusal(() => weekContaining('2026-02-30', 'UTC'));
  });

  it('weekStarts lists the Mondays of every week overlapping [from, to)', () => {
    expect(weekStarts('2026-11-02', '2026-11-09')).toEqual(['2026-11-02']);
    expect(weekStarts('2026-10-28', '2026-11-03')).toEqual(['2026-10-26', '2026-11-02']);
    expect(weekStarts('2026-11-04', '2026-11-05')).toEqual(['2026-11-02']);
    expect(weekStarts('2026-12-28', '2027-01-05')).toEqual(['2026-12-28', '2027-01-04']);
  });

  it('splitIntoWeeks clips the first and last week to the period', () => {
    const period = resolvePeriod('2026-10-28', '2026-11-04', 'America/New_York');
    const weeks = splitIntoWeeks(period, 'America/New_York');
    expect(weeks).toEqual([
      { weekStart: '2026-10-26', startMs: period.startMs, endMs: Date.UTC(2026, 10, 2, 5) },
      { weekStart: '2026-11-02', startMs: Date.UTC(2026, 10, 2, 5), endMs: period.endMs },
    ]);
  });

  it('splitIntoWeeks partitions any period with no gap or overlap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Sydney', 'Asia/Kolkata'),
        fc.integer({ min: Date.UTC(2020, 0, 1) / 86_400_000, max: Date.UTC(2035, 0, 1) / 86_400_000 }),
        fc.integer({ min: 1, max: 366 }),
        (zone, a, n) => {
          const from = new Date(a * 86_400_000).toISOString().slice(0, 10);
          const to = new Date((a + n) * 86_400_000).toISOString().slice(0, 10);
          const period = resolvePeriod(from, to, zone);
          const weeks = splitIntoWeeks(period, zone);
          expect(weeks[0].startMs).toBe(period.startMs);
          expect(weeks[weeks.length - 1].endMs).toBe(period.endMs);
          for (let i = 1; i < weeks.length; i++) expect(weeks[i].startMs).toBe(weeks[i - 1].endMs);
          for (const w of weeks) {
            expect(w.endMs).toBeGreaterThan(w.startMs);
            expect(new Date(`${w.weekStart}T00:00:00Z`).getUTCDay()).toBe(1);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});
