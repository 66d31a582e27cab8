// The search engine against a naive reference: random records (ISO, epoch-ms, unparseable and
// missing timestamps), random filter groups and random writes in between, so the index, its
// overflow after writes and the query cache must all agree with a plain scan.
import fc from 'fast-check';
import { AssociationStore } from '../associations.js';
import { ObjectTable } from '../object-store.js';
import {
  SearchCache,
  searchRequestSchema,
  validateSearch as validateParsed,
  type NormalisedFilter,
} from '../search-engine.js';

const validateSearch = (body: unknown) => validateParsed(searchRequestSchema.parse(body));

const BASE = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;

interface Truth {
  id: string;
  t: number; // NaN when missing or unparseable
  owner: string | null;
  duration: number | null;
  archived: boolean;
}

type TsForm = 'iso' | 'epoch' | 'offset' | 'garbage' | 'missing';

function tsText(t: number, form: TsForm): string | undefined {
  switch (form) {
    case 'iso':
      return new Date(t).toISOString();
    case 'epoch':
      return String(t);
    case 'offset': {
      const local = new Date(t - 5 * HOUR).toISOString().slice(0, 19);
      return `${local}-05:00`;
    }
    case 'garbage':
      return 'soon';
    case 'missing':
      return undefined;
  }
}

const recordArb = fc.record({
  hour: fc.integer({ min: 0, max: 200 }),
  form: fc.constantFrom<TsForm>('iso', 'epoch', 'offset', 'garbage', 'missing'),
  owner: fc.option(fc.constantFrom('1', '2', '3'), { nil: null }),
  duration: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  archived: fc.boolean(),
});

const filterArb: fc.Arbitrary<NormalisedFilter> = fc.oneof(
  fc.record({
    propertyName: fc.constant('hs_timestamp'),
    operator: fc.constantFrom('EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'),
    value: fc
      .integer({ min: -5, max: 205 })
      .map((h) => (h % 2 ? String(BASE + h * HOUR) : new Date(BASE + h * HOUR).toISOString())),
  }),
  fc.record({
    propertyName: fc.constant('hs_timestamp'),
    operator: fc.constant('BETWEEN'),
    value: fc.integer({ min: -5, max: 205 }).map((h) => String(BASE + h * HOUR)),
    highValue: fc.integer({ min: -5, max: 205 }).map((h) => new Date(BASE + h * HOUR).toISOString()),
  }),
  fc.record({
    propertyName: fc.constant('hubspot_owner_id'),
    operator: fc.constantFrom('EQ', 'NEQ', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'),
    value: fc.constantFrom('1', '2', '3'),
  }),
  fc.record({
    propertyName: fc.constant('hubspot_owner_id'),
    operator: fc.constantFrom('IN', 'NOT_IN'),
    values: fc.subarray(['1', '2', '3'], { minLength: 1 }),
  }),
  fc.record({
    propertyName: fc.constant('hs_call_duration'),
    operator: fc.constantFrom('LT', 'GTE'),
    value: fc.integer({ min: 0, max: 100_000 }).map(String),
  }),
  fc.record({
    propertyName: fc.constant('hs_object_id'),
    operator: fc.constantFrom('LT', 'GT', 'LTE', 'GTE', 'EQ'),
    value: fc.integer({ min: 0, max: 60 }).map(String),
  }),
) as fc.Arbitrary<NormalisedFilter>;

function refMatches(r: Truth, f: NormalisedFilter): boolean {
  const num = (s: string | undefined) => Number(s);
  switch (f.propertyName) {
    case 'hs_timestamp': {
      const v = f.value === undefined ? NaN : /^\d+$/.test(f.value) ? num(f.value) : Date.parse(f.value);
      const has = !Number.isNaN(r.t);
      switch (f.operator) {
        case 'EQ':
          return has && r.t === v;
        case 'NEQ':
          return !(has && r.t === v);
        case 'LT':
          return has && r.t < v;
        case 'LTE':
          return has && r.t <= v;
        case 'GT':
          return has && r.t > v;
        case 'GTE':
          return has && r.t >= v;
        case 'BETWEEN':
          return has && r.t >= v && r.t <= Date.parse(f.highValue ?? '');
        case 'HAS_PROPERTY':
          return has;
        case 'NOT_HAS_PROPERTY':
          return !has;
        default:
          throw new Error(f.operator);
      }
    }
    case 'hubspot_owner_id':
      switch (f.operator) {
        case 'EQ':
          return r.owner === f.value;
        case 'NEQ':
          return r.owner !== f.value;
        case 'IN':
          return r.owner !== null && (f.values ?? []).includes(r.owner);
        case 'NOT_IN':
          return r.owner === null || !(f.values ?? []).includes(r.owner);
        case 'HAS_PROPERTY':
          return r.owner !== null;
        case 'NOT_HAS_PROPERTY':
          return r.owner === null;
        default:
          throw new Error(f.operator);
      }
    case 'hs_call_duration':
      if (r.duration === null) return false;
      return f.operator === 'LT' ? r.duration < num(f.value) : r.duration >= num(f.value);
    case 'hs_object_id': {
      const id = Number(r.id);
      const v = num(f.value);
      return f.operator === 'LT'
        ? id < v
        : f.operator === 'GT'
          ? id > v
          : f.operator === 'LTE'
            ? id <= v
            : f.operator === 'GTE'
              ? id >= v
              : id === v;
    }
    default:
      throw new Error(f.propertyName);
  }
}

interface RecordGen {
  hour: number;
  form: TsForm;
  owner: string | null;
  duration: number | null;
  archived: boolean;
}

function load(table: ObjectTable, truth: Map<string, Truth>, id: string, rec: RecordGen): void {
  const t = BASE + rec.hour * HOUR;
  const text = tsText(t, rec.form);
  const props: Record<string, string | null> = {};
  if (text !== undefined) props.hs_timestamp = text;
  if (rec.owner !== null) props.hubspot_owner_id = rec.owner;
  if (rec.duration !== null) props.hs_call_duration = String(rec.duration);
  table.upsert(
    { id, archived: rec.archived, createdAt: '2026-01-01T00:00:00.000Z', properties: props },
    '2026-01-01T00:00:00.000Z',
  );
  truth.set(id, {
    id,
    t: rec.form === 'garbage' || rec.form === 'missing' ? NaN : t,
    owner: rec.owner,
    duration: rec.duration,
    archived: rec.archived,
  });
}

test('search matches a naive scan, across writes, with the index and the cache', () => {
  fc.assert(
    fc.property(
      fc.array(recordArb, { minLength: 0, maxLength: 60 }),
      fc.array(
        fc.record({
          groups: fc.array(fc.array(filterArb, { minLength: 1, maxLength: 3 }), {
            minLength: 0,
            maxLength: 3,
          }),
          writes: fc.array(fc.record({ id: fc.integer({ min: 1, max: 70 }), rec: recordArb }), {
            maxLength: 3,
          }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      (initial, rounds) => {
        const table = new ObjectTable();
        const truth = new Map<string, Truth>();
        initial.forEach((r, i) => load(table, truth, String(i + 1), r));
        const cache = new SearchCache();
        const ctx = { type: 'calls' as const, table, associations: new AssociationStore() };
        for (const round of rounds) {
          const q = validateSearch({
            filterGroups: round.groups.map((filters) => ({ filters })),
            limit: 200,
          });
          const expected = [...truth.values()]
            .filter(
              (r) =>
                !r.archived &&
                (q.groups.length === 0 || q.groups.some((g) => g.every((f) => refMatches(r, f)))),
            )
            .map((r) => r.id)
            .sort((a, b) => Number(a) - Number(b));
          expect(cache.run(ctx, q).map((r) => r.id)).toEqual(expected);
          // Same query again: served from the cache, same answer.
          expect(cache.run(ctx, q).map((r) => r.id)).toEqual(expected);
          for (const w of round.writes) load(table, truth, String(w.id), w.rec);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('paging a query reuses the cached match list; a write invalidates it', () => {
  const table = new ObjectTable();
  table.load(
    Array.from({ length: 1000 }, (_, i) => ({
      id: String(i + 1),
      properties: { hs_timestamp: new Date(BASE + i * HOUR).toISOString() },
    })),
    '2026-01-01T00:00:00.000Z',
  );
  const cache = new SearchCache();
  const ctx = { type: 'calls' as const, table, associations: new AssociationStore() };
  const body = (after: number) => ({
    filterGroups: [
      { filters: [{ propertyName: 'hs_timestamp', operator: 'GTE', value: String(BASE + 100 * HOUR) }] },
    ],
    limit: 200,
    after: String(after),
  });
  for (let after = 0; after < 900; after += 200) cache.run(ctx, validateSearch(body(after)));
  expect(cache.misses).toBe(1);
  expect(cache.hits).toBe(4);
  table.create({ hs_timestamp: new Date(BASE).toISOString() }, '2026-01-01T00:00:00.000Z');
  expect(cache.run(ctx, validateSearch(body(0)))).toHaveLength(900);
  expect(cache.misses).toBe(2);
});

test('validateSearch enforces HubSpot limits', () => {
  const filter = { propertyName: 'a', operator: 'HAS_PROPERTY' };
  expect(() => validateSearch({ limit: 201 })).toThrow(/limit/);
  expect(() => validateSearch({ after: '9801', limit: 200 })).toThrow(/10000/);
  expect(() => validateSearch({ after: 'abc' })).toThrow(/after/);
  expect(() =>
    validateSearch({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [filter] })) }),
  ).toThrow(/filter groups/);
  expect(() =>
    validateSearch({ filterGroups: [{ filters: Array.from({ length: 11 }, () => filter) }] }),
  ).toThrow(/filter group 0/);
  expect(() =>
    validateSearch({
      filterGroups: Array.from({ length: 3 }, () => ({ filters: Array.from({ length: 9 }, () => filter) })),
    }),
  ).toThrow(/at most 25/);
  expect(
    validateSearch({ sorts: ['-hs_timestamp', '{"propertyName":"amount","direction":"ASCENDING"}'] }).sorts,
  ).toEqual([
    { propertyName: 'hs_timestamp', descending: true },
    { propertyName: 'amount', descending: false },
  ]);
});

test('a fixture that repeats an id keeps the last record', () => {
  const table = new ObjectTable();
  table.load(
    [
      { id: '2', properties: { a: 'first' } },
      { id: '1', properties: {} },
      { id: '2', properties: { a: 'second' } },
    ],
    '2026-01-01T00:00:00.000Z',
  );
  expect(table.records.map((r) => [r.id, r.properties.a])).toEqual([
    ['1', undefined],
    ['2', 'second'],
  ]);
  expect(table.byId.get('2')?.properties.a).toBe('second');
});

test('sorting by hs_object_id follows the id order, both directions', () => {
  const table = new ObjectTable();
  table.load(
    ['10', '9', '100', '2'].map((id) => ({ id, properties: { hs_timestamp: '2026-01-01T00:00:00Z' } })),
    '2026-01-01T00:00:00.000Z',
  );
  const cache = new SearchCache();
  const ctx = { type: 'calls' as const, table, associations: new AssociationStore() };
  const run = (sorts: unknown[]) => cache.run(ctx, validateSearch({ sorts })).map((r) => r.id);
  expect(run(['hs_object_id'])).toEqual(['2', '9', '10', '100']);
  expect(run([{ propertyName: 'hs_object_id', direction: 'DESCENDING' }])).toEqual(['100', '10', '9', '2']);
});
