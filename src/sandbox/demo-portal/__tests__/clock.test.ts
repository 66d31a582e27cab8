import fc from 'fast-check';
import { DateTime } from 'luxon';
import { LocalCalendar, parseAnchor } from '../clock.js';

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/Santiago',
  'Pacific/Chatham',
];
const calendars = new Map<string, LocalCalendar>();
function calendarOf(zone: string): LocalCalendar {
  let cal = calendars.get(zone);
  if (!cal)
    calendars.set(zone, (cal = new LocalCalendar(zone, DateTime.fromISO('2026-01-01', { zone }), 365)));
  return cal;
}

describe('LocalCalendar', () => {
  it('turns local wall-clock times into the instants luxon gives, across DST changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 364 }),
        fc.integer({ min: 0, max: 86_399_999 }),
        (zone, day, msOfDay) => {
          const first = DateTime.fromISO('2026-01-01', { zone });
          const cal = calendarOf(zone);
          const date = first.plus({ days: day });
          const hour = Math.floor(msOfDay / 3_600_000);
          const rest = msOfDay - hour * 3_600_000;
          const expected = DateTime.fromObject(
            { year: date.year, month: date.month, day: date.day, hour },
            { zone },
          );
          // Hours that do not exist locally (the skipped DST hour) are not compared.
          if (expected.hour !== hour) return;
          expect(cal.at(day, msOfDay / 1000)).toBe(expected.toMillis() + rest);
          expect(cal.dayOf(cal.at(day, msOfDay / 1000))).toBe(day);
          expect(cal.isoDate(day)).toBe(date.toISODate());
          expect(cal.weekday(day)).toBe(date.weekday);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('knows the 23- and 25-hour days of New York', () => {
    const zone = 'America/New_York';
    const first = DateTime.fromISO('2026-01-01', { zone });
    const cal = new LocalCalendar(zone, first, 365);
    const spring = cal.indexOf(DateTime.fromISO('2026-03-08', { zone }));
    const fall = cal.indexOf(DateTime.fromISO('2026-11-01', { zone }));
    expect(cal.dayStart(spring + 1) - cal.dayStart(spring)).toBe(23 * 3_600_000);
    expect(cal.dayStart(fall + 1) - cal.dayStart(fall)).toBe(25 * 3_600_000);
    expect(cal.isOffsetChangeDay(spring) && cal.isOffsetChangeDay(fall)).toBe(true);
    expect(new Date(cal.at(spring, 9 * 3600)).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(new Date(cal.at(spring - 1, 9 * 3600)).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(cal.dayOf(cal.dayStart(0) - 1)).toBe(-1);
  });

  it('parses anchors as local dates', () => {
    expect(parseAnchor('2026-11-04', 'Asia/Tokyo').toISO()).toBe('2026-11-04T00:00:00.000+09:00');
    expect(parseAnchor('2026-11-04T02:00:00Z', 'America/New_York').toISODate()).toBe('2026-11-03');
  });
});
