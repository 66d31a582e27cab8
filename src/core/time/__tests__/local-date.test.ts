import fc from 'fast-check';
import { DateTime } from 'luxon';
import { lastCompleteWeekStart, localDateOf } from '../index.js';

describe('localDateOf', () => {
  test('the local date differs from the UTC date across midnight', () => {
    const ms = Date.UTC(2026, 10, 30, 3, 30); // Mon 30 Nov 03:30 UTC
    expect(localDateOf(ms, 'UTC')).toBe('2026-11-30');
    expect(localDateOf(ms, 'America/New_York')).toBe('2026-11-29'); // Sun 22:30
    expect(localDateOf(ms, 'Australia/Sydney')).toBe('2026-11-30'); // Mon 14:30
    expect(localDateOf(Date.UTC(2026, 10, 29, 18, 45), 'Asia/Kolkata')).toBe('2026-11-30'); // 00:15 IST
  });
  test('an unknown zone is refused', () => {
    expect(() => localDateOf(0, 'Mars/Olympus')).toThrow();
  });
});

describe('lastCompleteWeekStart', () => {
  test('the Monday of the previous local week', () => {
    // Mon 30 Nov 03:30 UTC: already Monday in UTC, still Sunday in New York.
    const ms = Date.UTC(2026, 10, 30, 3, 30);
    expect(lastCompleteWeekStart(ms, 'UTC')).toBe('2026-11-23');
    expect(lastCompleteWeekStart(ms, 'America/New_York')).toBe('2026-11-16');
  });
});

test('property: the local date agrees with luxon for any instant and zone (DST days included)', () => {
  const zones = [
    'UTC',
    'America/New_York',
    'Europe/London',
    'Australia/Sydney',
    'Asia/Kolkata',
    'Pacific/Chatham',
    'America/St_Johns',
    'Pacific/Kiritimati',
    'Pacific/Pago_Pago',
  ];
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.constantFrom(...zones),
      (ms, zone) => {
        expect(localDateOf(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).toISODate());
      },
    ),
    { numRuns: 2000 },
  );
});
