import fc from 'fast-check';
import { parseInstant } from '../instant.js';

describe('parseInstant', () => {
  it.each([
    ['2026-11-03T14:00:00.000Z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00:00Z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00Z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T09:00:00-05:00', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T19:30:00+05:30', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T15:00:00+0100', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T15:00:00+01', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00:00.5Z', Date.UTC(2026, 10, 3, 14, 0, 0, 500)],
    ['2026-11-03T14:00:00.12Z', Date.UTC(2026, 10, 3, 14, 0, 0, 120)],
    ['2026-11-03T14:00:00.123456789Z', Date.UTC(2026, 10, 3, 14, 0, 0, 123)],
    ['2026-11-03t14:00:00z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03 14:00:00Z', Date.UTC(2026, 10, 3, 14)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['  2026-11-03T14:00:00Z\n', Date.UTC(2026, 10, 3, 14)],
    ['1762182000000', 1762182000000],
    ['0', 0],
    // Date-only: midnight UTC (HubSpot's date properties; ECMAScript's reading), not portal-local midnight.
    ['2026-11-03', Date.UTC(2026, 10, 3)],
  ])('accepts %j', (value, expected) => {
    expect(parseInstant(value)).toBe(expected);
  });

  it.each([
    [null],
    [undefined],
    [''],
    ['   '],
    ['garbage'],
    ['NaN'],
    ['Infinity'],
    ['12.5'],
    ['-5'],
    ['+1762182000000'],
    ['1e12'],
    ['0x1A'],
    ['17621820000000000'], // beyond the Date range
    ['2026-11-03T14:00:00'], // no zone: would depend on the machine's zone
    ['2026-02-30T14:00:00Z'],
    ['2026-02-29T00:00:00Z'], // 2026 is not a leap year
    ['2026-04-31'],
    ['2026-13-01T00:00:00Z'],
    ['2026-11-03T24:00:00Z'],
    ['2026-11-03T14:60:00Z'],
    ['2026-11-03T14:00:60Z'],
    ['2026-11-03T14:00:00.Z'],
    ['2026-11-03T14:00:00.1234567891Z'],
    ['2026-11-03T14:00:00+24:00'],
    ['2026-11-03T14:00:00+01:0'],
    ['2026-11-03T14:00:00ZZ'],
    ['2026-11-03T14'],
    ['2026-W45-2'],
    ['2026-307'],
    ['20261103T140000Z'],
    ['0099-01-01T00:00:00Z'],
    ['Tue, 03 Nov 2026 14:00:00 GMT'],
  ])('refuses %j', (value) => {
    expect(parseInstant(value)).toBeNull();
  });

  const instants = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) });

  it('round-trips every toISOString and epoch string', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        expect(parseInstant(new Date(ms).toISOString())).toBe(ms);
        expect(parseInstant(String(ms))).toBe(ms);
      }),
    );
  });

  it('reads any offset to the same instant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (ms, offsetMinutes) => {
          const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const hh = String(Math.floor(abs / 60)).padStart(2, '0');
          const mm = String(abs % 60).padStart(2, '0');
          expect(parseInstant(`${local}${sign}${hh}:${mm}`)).toBe(ms);
          expect(parseInstant(`${local}${sign}${hh}${mm}`)).toBe(ms);
        },
      ),
    );
  });

  it('agrees with Date.parse wherever it accepts a string, and never returns NaN', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        const v = parseInstant(s);
        if (v === null) return;
        expect(Number.isFinite(v)).toBe(true);
        if (!/^\s*\d+\s*$/.test(s)) expect(v).toBe(Date.parse(s.trim()));
      }),
    );
  });
});
