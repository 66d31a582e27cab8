/**
 * searchAll never pages a query past HubSpot's 10,000-result cap: keyset on hs_object_id instead.
 * First against a HubSpot-like search fake (nock, through the real SDK) with 25,000 records, then
 * the paging function's edge cases with tiny limits.
 */
import nock from 'nock';
import { AppError } from '../../core/errors.js';
import type { CrmRecord } from '../../core/crm.js';
import type { SearchFilter, SearchFilterGroup } from '../gateway.js';
import { searchAllPages, withKeyset, type SearchPageRequest, type SearchPageResult } from '../search-all.js';
import { BASE, expectNockDone, testGateway, restoreNockAfterAll } from './helpers.js';

restoreNockAfterAll();
afterEach(expectNockDone);

interface FakeRecord {
  id: string;
  properties: Record<string, string>;
}

interface SearchBody {
  filterGroups: SearchFilterGroup[];
  sorts: unknown;
  properties: string[];
  limit: number;
  after?: string;
}

function matches(record: FakeRecord, filter: SearchFilter): boolean {
  const raw = record.properties[filter.propertyName];
  if (raw === undefined) return false;
  const numeric = filter.propertyName === 'hs_object_id';
  const cmp = (a: string, b: string) => (numeric ? Number(a) - Number(b) : a.localeCompare(b));
  switch (filter.operator) {
    case 'EQ':
      return raw === filter.value;
    case 'GT':
      return cmp(raw, filter.value ?? '') > 0;
    case 'GTE':
      return cmp(raw, filter.value ?? '') >= 0;
    case 'LT':
      return cmp(raw, filter.value ?? '') < 0;
    default:
      throw new Error(`fake does not support ${filter.operator}`);
  }
}

/** A HubSpot-like search endpoint: filters, id sort, offset cursor, 400 past 10,000. */
function searchFake(objectType: string, records: FakeRecord[]) {
  const state = { requests: [] as SearchBody[], pageInFlight: false, overlappingRequests: 0 };
  const sorted = [...records].sort((a, b) => Number(a.id) - Number(b.id));
  nock(BASE)
    .persist()
    .post(`/crm/v3/objects/${objectType}/search`)
    .reply((_uri, raw) => {
      const body = raw as SearchBody;
      state.requests.push(body);
      if (state.pageInFlight) state.overlappingRequests += 1;
      const offset = body.after === undefined ? 0 : Number(body.after);
      if (offset + body.limit > 10_000) {
        return [
          400,
          {
            status: 'error',
            message: 'paging past 10000 results is not allowed',
            category: 'VALIDATION_ERROR',
          },
        ];
      }
      const hits = sorted.filter(
        (r) =>
          body.filterGroups.length === 0 ||
          body.filterGroups.some((g) => g.filters.every((f) => matches(r, f))),
      );
      const page = hits.slice(offset, offset + body.limit).map((r) => ({
        id: r.id,
        properties: Object.fromEntries(body.properties.map((p) => [p, r.properties[p] ?? null])),
        createdAt: '2024-01-01T00:00:00Z',
        updatedAt: '2024-01-01T00:00:00Z',
        archived: false,
      }));
      const next =
        offset + body.limit < hits.length
          ? { next: { after: String(offset + body.limit), link: 'https://evil.example' } }
          : undefined;
      return [
        200,
        { total: Math.min(hits.length, 10_000), results: page, ...(next ? { paging: next } : {}) },
      ];
    });
  return state;
}

describe('searchAll against a 25,000-record portal', () => {
  // Sparse, non-contiguous ids as in a real portal; every record matches the owner filter but one in ten.
  const records: FakeRecord[] = Array.from({ length: 27_777 }, (_, i) => ({
    id: String(10_000_000 + i * 7),
    properties: {
      hs_object_id: String(10_000_000 + i * 7),
      hubspot_owner_id: i % 10 === 9 ? '99' : '7',
      hs_timestamp: String(1_700_000_000_000 + i),
      hs_call_body: 'not asked for',
    },
  }));
  const matching = records.filter((r) => r.properties.hubspot_owner_id === '7');

  it('returns every record exactly once with ceil(n/200) requests and no page past the cap', async () => {
    expect(matching).toHaveLength(25_000);
    const fake = searchFake('calls', records);
    const { gateway, throttle } = testGateway();
    const seen = new Map<string, number>();
    let pages = 0;
    const stats = await gateway.searchAll(
      'calls',
      {
        filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: '7' }] }],
        properties: ['hs_timestamp', 'hubspot_owner_id'],
      },
      async (page: CrmRecord[]) => {
        fake.pageInFlight = true;
        pages += 1;
        for (const r of page) seen.set(r.id, (seen.get(r.id) ?? 0) + 1);
        await new Promise((resolve) => setImmediate(resolve)); // the next request must wait for this
        fake.pageInFlight = false;
      },
    );

    expect(stats).toEqual({ requests: 125, records: 25_000 });
    expect(fake.requests).toHaveLength(Math.ceil(25_000 / 200));
    expect(pages).toBe(125);
    expect(fake.overlappingRequests).toBe(0);
    expect(throttle.calls.every((c) => c.kind === 'search')).toBe(true);
    // No request pages a query to 10,000 or beyond.
    expect(fake.requests.every((r) => r.after === undefined || Number(r.after) + r.limit <= 10_000)).toBe(
      true,
    );
    expect(fake.requests.every((r) => r.after === undefined || Number(r.after) < 10_000)).toBe(true);
    // Every matching record exactly once, nothing else.
    expect(seen.size).toBe(25_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(matching.every((r) => seen.has(r.id))).toBe(true);
    // Always sorted by id ascending, page size 200, only the properties asked for.
    for (const r of fake.requests) {
      expect(r.sorts).toEqual([{ propertyName: 'hs_object_id', direction: 'ASCENDING' }]);
      expect(r.limit).toBe(200);
      expect(r.properties).toEqual(['hs_timestamp', 'hubspot_owner_id']);
    }
    // Three queries: the plain one, then two keyset restarts that keep the caller's filter.
    const restarts = fake.requests.filter((r) => r.after === undefined);
    expect(restarts).toHaveLength(3);
    expect(restarts[1]?.filterGroups).toEqual([
      {
        filters: [
          { propertyName: 'hubspot_owner_id', operator: 'EQ', value: '7' },
          { propertyName: 'hs_object_id', operator: 'GT', value: [...seen.keys()][9_999] },
        ],
      },
    ]);
  });

  it('hands over only the requested properties', async () => {
    searchFake('calls', records.slice(0, 3));
    const { gateway } = testGateway();
    const got: CrmRecord[] = [];
    await gateway.searchAll('calls', { filterGroups: [], properties: ['hs_timestamp'] }, (p) => {
      got.push(...p);
    });
    expect(got[0]).toEqual({ id: '10000000', properties: { hs_timestamp: '1700000000000' } });
  });

  it('retries a failed page and still returns each record once', async () => {
    const { gateway, events } = testGateway();
    nock(BASE).post('/crm/v3/objects/deals/search').reply(503, 'down'); // consumed first
    searchFake('deals', records.slice(0, 450));
    let count = 0;
    const stats = await gateway.searchAll('deals', { filterGroups: [], properties: [] }, (p) => {
      count += p.length;
    });
    expect(count).toBe(450);
    expect(stats).toEqual({ requests: 3, records: 450 });
    expect(events.map((e) => e.status)).toEqual([503, 200, 200, 200]);
  });
});

describe('searchAllPages with small limits', () => {
  const limits = { pageSize: 2, resultCap: 6 };
  const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));

  /** Pages over ids with an offset cursor; `cursorOnLastFullPage` mimics a cursor with nothing behind it. */
  function pager(all: string[], cursorOnLastFullPage = false) {
    const requests: SearchPageRequest[] = [];
    const fetchPage = (req: SearchPageRequest): Promise<SearchPageResult> => {
      requests.push(req);
      const gt = req.filterGroups.flatMap((g) => g.filters).find((f) => f.propertyName === 'hs_object_id');
      const hits = all.filter((id) => gt === undefined || Number(id) > Number(gt.value));
      const offset = Number(req.after ?? 0);
      if (offset + req.limit > limits.resultCap) throw new Error('past the cap');
      const results = hits.slice(offset, offset + req.limit).map((id) => ({ id, properties: {} }));
      const more = offset + req.limit < hits.length || (cursorOnLastFullPage && results.length === req.limit);
      return Promise.resolve({ results, nextAfter: more ? String(offset + req.limit) : undefined });
    };
    return { requests, fetchPage };
  }

  it.each([
    [0, 1],
    [1, 1],
    [5, 3],
    [6, 3],
    [7, 4],
    [13, 7],
  ])('%i records -> %i requests, each once', async (n, expected) => {
    const { requests, fetchPage } = pager(ids(n));
    const seen: string[] = [];
    const stats = await searchAllPages(
      { filterGroups: [], properties: [] },
      fetchPage,
      (p) => {
        seen.push(...p.map((r) => r.id));
      },
      limits,
    );
    expect(stats).toEqual({ requests: expected, records: n });
    expect(seen).toEqual(ids(n));
    expect(requests.length).toBe(expected);
  });

  it('costs one extra request only when the last page was full and a cursor still came', async () => {
    const { fetchPage } = pager(ids(4), true);
    const stats = await searchAllPages(
      { filterGroups: [], properties: [] },
      fetchPage,
      () => undefined,
      limits,
    );
    expect(stats).toEqual({ requests: 3, records: 4 });
  });

  it('adds the keyset filter to every group, or makes it the only group', () => {
    const eq = (v: string): SearchFilter => ({ propertyName: 'x', operator: 'EQ', value: v });
    expect(withKeyset([], '9')).toEqual([
      { filters: [{ propertyName: 'hs_object_id', operator: 'GT', value: '9' }] },
    ]);
    expect(withKeyset([{ filters: [eq('a')] }, { filters: [eq('b')] }], '9')).toEqual([
      { filters: [eq('a'), { propertyName: 'hs_object_id', operator: 'GT', value: '9' }] },
      { filters: [eq('b'), { propertyName: 'hs_object_id', operator: 'GT', value: '9' }] },
    ]);
    expect(() => withKeyset([{ filters: Array.from({ length: 10 }, (_, i) => eq(String(i))) }], '9')).toThrow(
      AppError,
    );
    expect(() =>
      withKeyset(
        Array.from({ length: 5 }, () => ({ filters: Array.from({ length: 5 }, (_, i) => eq(String(i))) })),
        '9',
      ),
    ).toThrow(AppError);
  });

  it('refuses a cursor that does not move', async () => {
    const fetchPage = (): Promise<SearchPageResult> =>
      Promise.resolve({ results: [{ id: '1', properties: {} }], nextAfter: '2' });
    await expect(
      searchAllPages({ filterGroups: [], properties: [] }, fetchPage, () => undefined, limits),
    ).rejects.toMatchObject({
      code: 'HUBSPOT_INVALID_RESPONSE',
    });
  });
});
