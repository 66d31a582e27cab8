import fc from 'fast-check';
import { AppError } from '../../core/errors.js';
import {
  assertLocalDate,
  assertOwnerId,
  assertPortalId,
  assertSettingKey,
  assertValidDate,
  assertWeekStart,
  chunk,
  toJsonText,
} from '../validation.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof AppError ? e.code : 'NOT_AN_APP_ERROR';
  }
}

describe('store argument checks', () => {
  it('accepts positive safe integers as portal ids only', () => {
    expect(codeOf(() => assertPortalId(1))).toBeUndefined();
    expect(codeOf(() => assertPortalId(Number.MAX_SAFE_INTEGER))).toBeUndefined();
    for (const bad of [0, -5, 2.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) {
      expect(codeOf(() => assertPortalId(bad))).toBe('INVALID_INPUT');
    }
  });

  it('accepts real calendar dates as YYYY-MM-DD only', () => {
    for (const ok of ['2024-02-29', '2025-12-31', '2000-01-01'])
      expect(codeOf(() => assertLocalDate('d', ok))).toBeUndefined();
    for (const bad of ['2023-02-29', '2025-13-01', '2025-1-01', '2025-01-01T00:00:00Z', '', ' 2025-01-01']) {
      expect(codeOf(() => assertLocalDate('d', bad))).toBe('INVALID_INPUT');
    }
  });

  it('accepts Mondays as week starts, whatever the machine time zone', () => {
    expect(codeOf(() => assertWeekStart('w', '2024-12-30'))).toBeUndefined();
    expect(codeOf(() => assertWeekStart('w', '2025-01-05'))).toBe('INVALID_INPUT'); // Sunday
    expect(codeOf(() => assertWeekStart('w', '2025-01-07'))).toBe('INVALID_INPUT'); // Tuesday
    // Every Monday over a few years passes, every other day fails.
    const start = Date.UTC(2023, 0, 2); // a Monday
    for (let d = 0; d < 3 * 366; d += 1) {
      const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
      expect(codeOf(() => assertWeekStart('w', day))).toBe(d % 7 === 0 ? undefined : 'INVALID_INPUT');
    }
  });

  it('checks owner ids, setting keys and dates', () => {
    expect(codeOf(() => assertOwnerId('o', '123'))).toBeUndefined();
    expect(codeOf(() => assertOwnerId('o', ''))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertOwnerId('o', 'x'.repeat(101)))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertSettingKey('outcome.ids:v2_x-y'))).toBeUndefined();
    for (const bad of ['', '.hidden', 'a b', 'a/b', 'x'.repeat(101)])
      expect(codeOf(() => assertSettingKey(bad))).toBe('INVALID_INPUT');
    expect(codeOf(() => assertValidDate('t', new Date(0)))).toBeUndefined();
    expect(codeOf(() => assertValidDate('t', new Date('x')))).toBe('INVALID_INPUT');
  });

  it('serialises JSON values and refuses what has no JSON form', () => {
    expect(toJsonText('v', { a: [1, null, 'x'] })).toBe('{"a":[1,null,"x"]}');
    expect(toJsonText('v', null)).toBe('null');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [undefined, () => 1, 1n, cyclic, Symbol('s')])
      expect(codeOf(() => toJsonText('v', bad))).toBe('INVALID_INPUT');
  });

  it('chunks into consecutive slices no larger than the size', () => {
    fc.assert(
      fc.property(fc.array(fc.integer()), fc.integer({ min: 1, max: 10 }), (items, size) => {
        const parts = chunk(items, size);
        expect(parts.flat()).toEqual(items);
        expect(parts.every((p) => p.length >= 1 && p.length <= size)).toBe(true);
        expect(parts.length).toBe(Math.ceil(items.length / size));
      }),
    );
  });
});
