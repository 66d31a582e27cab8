import { effectiveValue, parseInstant, projectProperties, propertyKind } from '../properties.js';

describe('parseInstant', () => {
  test.each([
    ['2026-11-03T14:00:00.000Z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00:00Z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00Z', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00:00', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03 14:00:00', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03', Date.UTC(2026, 10, 3)],
    ['2026-11-03T09:00:00-05:00', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T19:30:00+0530', Date.UTC(2026, 10, 3, 14)],
    ['2026-11-03T14:00:00.123456Z', Date.UTC(2026, 10, 3, 14) + 123],
    ['1793714400000', Date.UTC(2026, 10, 3, 14)],
    [' 1793714400000 ', Date.UTC(2026, 10, 3, 14)],
    ['0', 0],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('%s', (text, expected) => {
    expect(parseInstant(text)).toBe(expected);
  });

  test.each([
    '',
    'not a date',
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '2026-11-03T24:00:00Z',
    '2026-11-03T14:60:00Z',
    '11/03/2026',
    '1e12',
    '12345678901234567',
    'Tue Nov 03 2026',
  ])('rejects %j', (text) => {
    expect(parseInstant(text)).toBeNaN();
  });
});

describe('propertyKind', () => {
  test.each([
    ['hs_timestamp', 'datetime'],
    ['closedate', 'datetime'],
    ['hs_meeting_start_time', 'datetime'],
    ['hs_v2_date_entered_appointmentscheduled', 'datetime'],
    ['hs_v2_date_exited_123', 'datetime'],
    ['notes_last_contacted', 'datetime'],
    ['my_custom_date', 'datetime'],
    ['amount', 'number'],
    ['hs_object_id', 'number'],
    ['hs_call_duration', 'number'],
    ['hubspot_owner_id', 'auto'],
    ['dealstage', 'auto'],
  ])('%s is %s', (name, kind) => {
    expect(propertyKind(name)).toBe(kind);
  });
});

describe('derived properties', () => {
  const rec = {
    id: '7',
    properties: { hs_createdate: '', note: 'x' },
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-02-01T00:00:00.000Z',
  };

  test('hs_object_id, create and modify dates fall back to the record', () => {
    expect(effectiveValue(rec, 'hs_object_id')).toBe('7');
    expect(effectiveValue(rec, 'hs_createdate')).toBe('2026-01-01T00:00:00.000Z');
    expect(effectiveValue(rec, 'createdate')).toBe('2026-01-01T00:00:00.000Z');
    expect(effectiveValue(rec, 'hs_lastmodifieddate')).toBe('2026-02-01T00:00:00.000Z');
    expect(effectiveValue(rec, 'missing')).toBeNull();
  });

  test('inherited keys are never read, and a requested __proto__ stays an ordinary key', () => {
    expect(effectiveValue(rec, 'constructor')).toBeNull();
    const out = projectProperties(rec, 'calls', ['__proto__', 'note']);
    expect(Object.keys(out)).toEqual([
      '__proto__',
      'note',
      'hs_createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
    ]);
    const parsed = JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });
});
