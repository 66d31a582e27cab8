// CRM search through the real @hubspot/api-client: every operator, groups, sorts, typed
// comparisons (datetimes as instants, numbers as numbers, strings case-insensitive), derived
// properties, associations.<type>, paging to completion, and HubSpot's limits as 400s.
import type { Client } from '@hubspot/api-client';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { basicFixture, call, clientFor, rejection, startSandbox } from './helpers.js';

type SearchBody = Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1];
interface F {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}
interface Opts {
  sorts?: unknown[];
  properties?: string[];
  limit?: number;
  after?: string;
  query?: string;
}

const BIG = 10_500;
let sandbox: Sandbox;
let client: Client;
let bigClient: Client;

beforeAll(async () => {
  const bigCalls = Array.from({ length: BIG }, (_, i) =>
    call(
      String(i + 1),
      new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
      String(1 + (i % 3)),
      {},
    ),
  );
  sandbox = await startSandbox({
    portals: [basicFixture(101), basicFixture(404, { objects: { calls: bigCalls } })],
    limits: false,
  });
  client = clientFor(sandbox, sandbox.tokenFor(101));
  bigClient = clientFor(sandbox, sandbox.tokenFor(404));
});

afterAll(async () => {
  await sandbox.stop();
});

function body(groups: F[][], opts: Opts = {}): SearchBody {
  return {
    filterGroups: groups.map((filters) => ({ filters })),
    sorts: opts.sorts ?? [],
    properties: opts.properties ?? [],
    limit: opts.limit ?? 100,
    after: opts.after ?? '0',
    ...(opts.query === undefined ? {} : { query: opts.query }),
  } as unknown as SearchBody;
}

async function ids(type: string, groups: F[][], opts: Opts = {}, c: Client = client): Promise<string[]> {
  const res = await c.crm.objects.searchApi.doSearch(type, body(groups, opts));
  return res.results.map((r) => r.id);
}

const f = (propertyName: string, operator: string, value?: string, extra: Partial<F> = {}): F => ({
  propertyName,
  operator,
  ...(value === undefined ? {} : { value }),
  ...extra,
});

describe('operators', () => {
  test('EQ and NEQ: strings case-insensitive; NEQ matches records without the property', async () => {
    expect(await ids('calls', [[f('hubspot_owner_id', 'EQ', '11')]])).toEqual(['5001', '5002']);
    expect(await ids('calls', [[f('hs_call_direction', 'EQ', 'outbound')]])).toEqual([
      '5001',
      '5003',
      '5004',
    ]);
    expect(await ids('calls', [[f('hs_call_direction', 'NEQ', 'OUTBOUND')]])).toEqual(['5002', '5005']);
  });

  test('LT, LTE, GT, GTE on a datetime compare instants; ISO and epoch-ms filter values both work', async () => {
    const ts5002 = String(Date.UTC(2026, 10, 4, 14)); // stored as epoch ms
    expect(await ids('calls', [[f('hs_timestamp', 'GTE', '2026-11-04T14:00:00Z')]])).toEqual([
      '5002',
      '5003',
      '5005',
    ]);
    expect(await ids('calls', [[f('hs_timestamp', 'GT', ts5002)]])).toEqual(['5003', '5005']);
    expect(await ids('calls', [[f('hs_timestamp', 'LT', '2026-11-04T14:00:00.000Z')]])).toEqual(['5001']);
    expect(await ids('calls', [[f('hs_timestamp', 'LTE', ts5002)]])).toEqual(['5001', '5002']);
    // An offset in the stored value is honoured: 16:00-05:00 is 21:00Z.
    expect(await ids('calls', [[f('hs_timestamp', 'EQ', '2026-11-06T21:00:00Z')]])).toEqual(['5005']);
    expect(await ids('calls', [[f('hs_timestamp', 'EQ', String(Date.UTC(2026, 10, 3, 14)))]])).toEqual([
      '5001',
    ]);
  });

  test('BETWEEN is inclusive; numeric properties compare as numbers, not strings', async () => {
    expect(
      await ids('calls', [
        [f('hs_timestamp', 'BETWEEN', '2026-11-03T14:00:00Z', { highValue: '2026-11-05T09:30:00Z' })],
      ]),
    ).toEqual(['5001', '5002', '5003']);
    // "184000" < "60000" as strings; as numbers 60000 <= 184000.
    expect(
      await ids('calls', [[f('hs_call_duration', 'BETWEEN', '60000', { highValue: '184000' })]]),
    ).toEqual(['5001', '5002']);
    expect(await ids('calls', [[f('hs_call_duration', 'LT', '100000')]])).toEqual(['5002']);
    expect(await ids('deals', [[f('amount', 'GT', '1000')]])).toEqual(['301']);
    expect(await ids('deals', [[f('amount', 'LTE', '900.0')]])).toEqual(['302']);
  });

  test('IN and NOT_IN take values; case-insensitive', async () => {
    expect(await ids('calls', [[f('hs_call_direction', 'IN', undefined, { values: ['inbound'] })]])).toEqual([
      '5002',
    ]);
    expect(await ids('calls', [[f('hubspot_owner_id', 'IN', undefined, { values: ['11', '12'] })]])).toEqual([
      '5001',
      '5002',
      '5003',
      '5004',
    ]);
    expect(
      await ids('calls', [[f('hs_call_direction', 'NOT_IN', undefined, { values: ['OUTBOUND'] })]]),
    ).toEqual(['5002', '5005']);
  });

  test('HAS_PROPERTY and NOT_HAS_PROPERTY; an empty string is no value', async () => {
    expect(await ids('calls', [[f('hubspot_owner_id', 'HAS_PROPERTY')]])).toEqual([
      '5001',
      '5002',
      '5003',
      '5004',
    ]);
    expect(await ids('calls', [[f('hubspot_owner_id', 'NOT_HAS_PROPERTY')]])).toEqual(['5005']);
    expect(await ids('calls', [[f('hs_call_title', 'HAS_PROPERTY')]])).toEqual(['5003', '5005']);
  });

  test('CONTAINS_TOKEN and NOT_CONTAINS_TOKEN match whole tokens, with * wildcards', async () => {
    expect(await ids('calls', [[f('hs_call_title', 'CONTAINS_TOKEN', 'acme')]])).toEqual(['5003']);
    expect(await ids('calls', [[f('hs_call_title', 'CONTAINS_TOKEN', 'ac')]])).toEqual([]);
    expect(await ids('calls', [[f('hs_call_title', 'CONTAINS_TOKEN', 'fol*')]])).toEqual(['5005']);
    expect(await ids('calls', [[f('hs_call_title', 'NOT_CONTAINS_TOKEN', 'ACME')]])).toEqual([
      '5001',
      '5002',
      '5004',
      '5005',
    ]);
  });

  test('hs_object_id is the record id: ranges and IN; archived records are never returned', async () => {
    expect(await ids('calls', [[f('hs_object_id', 'GT', '5002')]])).toEqual(['5003', '5004', '5005']);
    expect(await ids('calls', [[f('hs_object_id', 'IN', undefined, { values: ['5001', '5006'] })]])).toEqual([
      '5001',
    ]);
    expect(await ids('calls', [[f('hs_object_id', 'EQ', '5006')]])).toEqual([]);
    expect(await ids('calls', [[f('hs_timestamp', 'EQ', '2026-11-03T15:00:00Z')]])).toEqual([]);
  });
});

describe('groups, sorts and derived properties', () => {
  test('groups are ORed, filters inside a group ANDed, results by id ascending', async () => {
    expect(
      await ids('calls', [[f('hubspot_owner_id', 'EQ', '12')], [f('hs_call_direction', 'EQ', 'INBOUND')]]),
    ).toEqual(['5002', '5003', '5004']);
    expect(
      await ids('calls', [[f('hubspot_owner_id', 'EQ', '11'), f('hs_call_direction', 'EQ', 'OUTBOUND')]]),
    ).toEqual(['5001']);
    expect(await ids('calls', [])).toEqual(['5001', '5002', '5003', '5004', '5005']);
  });

  test('sorts: object form and string form, missing values last, ties by id', async () => {
    expect(
      await ids('calls', [], { sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }] }),
    ).toEqual(['5005', '5003', '5002', '5001', '5004']);
    expect(await ids('calls', [], { sorts: ['hs_timestamp'] })).toEqual([
      '5001',
      '5002',
      '5003',
      '5005',
      '5004',
    ]);
    expect(await ids('calls', [], { sorts: ['-hs_call_duration'] })).toEqual([
      '5001',
      '5002',
      '5003',
      '5004',
      '5005',
    ]);
    expect(
      await ids('calls', [], { sorts: [{ propertyName: 'hubspot_owner_id', direction: 'DESCENDING' }] }),
    ).toEqual(['5003', '5004', '5001', '5002', '5005']);
    const bad = await rejection(
      client.crm.objects.searchApi.doSearch(
        'calls',
        body([], { sorts: [{ propertyName: 'x', direction: 'SIDEWAYS' }] }),
      ),
    );
    expect(bad.code).toBe(400);
  });

  test('hs_createdate falls back to createdAt; datetimes on deals (closedate, hs_v2_date_entered_*)', async () => {
    expect(await ids('calls', [[f('hs_createdate', 'EQ', '2026-11-01T00:00:00Z')]])).toHaveLength(5);
    expect(await ids('deals', [[f('createdate', 'GTE', '2026-10-02T00:00:00Z')]])).toEqual(['302']);
    expect(await ids('deals', [[f('closedate', 'HAS_PROPERTY')]])).toEqual(['301']);
    expect(await ids('deals', [[f('hs_v2_date_entered_closedwon', 'NOT_HAS_PROPERTY')]])).toEqual([
      '301',
      '302',
    ]);
  });

  test('associations.<type> finds activities of a record', async () => {
    expect(await ids('calls', [[f('associations.deal', 'EQ', '301')]])).toEqual(['5001', '5003']);
    expect(await ids('calls', [[f('associations.contact', 'EQ', '1')]])).toEqual(['5001']);
    expect(
      await ids('calls', [
        [
          f('associations.deal', 'IN', undefined, { values: ['301', '302'] }),
          f('hubspot_owner_id', 'EQ', '12'),
        ],
      ]),
    ).toEqual(['5003']);
    expect(await ids('deals', [[f('associations.contact', 'EQ', '2')]])).toEqual(['302']);
    expect(
      (
        await rejection(
          client.crm.objects.searchApi.doSearch('calls', body([[f('associations.widget', 'EQ', '1')]])),
        )
      ).code,
    ).toBe(400);
  });

  test('only requested properties come back, plus the ones HubSpot always returns', async () => {
    const res = await client.crm.objects.searchApi.doSearch(
      'calls',
      body([[f('hs_object_id', 'EQ', '5001')]], { properties: ['hs_call_duration', 'hs_call_title'] }),
    );
    expect(res.total).toBe(1);
    expect(res.results[0].properties).toEqual({
      hs_call_duration: '184000',
      hs_call_title: null,
      hs_createdate: '2026-11-01T00:00:00.000Z',
      hs_lastmodifieddate: '2026-11-01T00:00:00.000Z',
      hs_object_id: '5001',
    });
    expect(res.results[0].archived).toBe(false);
    const contacts = await client.crm.objects.searchApi.doSearch(
      'contacts',
      body([], { properties: ['email'] }),
    );
    expect(Object.keys(contacts.results[0].properties).sort()).toEqual([
      'createdate',
      'email',
      'hs_object_id',
      'lastmodifieddate',
    ]);
  });

  test('query searches property text', async () => {
    expect(await ids('calls', [], { query: 'acme' })).toEqual(['5003']);
  });
});

describe('datetimes HubSpot could not index', () => {
  test('an unparseable stored datetime counts as no value', async () => {
    const everything = await ids('calls', [[f('hs_timestamp', 'GTE', '1970-01-01T00:00:00Z')]]);
    expect(everything).not.toContain('5004');
    expect(await ids('calls', [[f('hs_timestamp', 'LT', '2100-01-01')]])).not.toContain('5004');
    expect(await ids('calls', [[f('hs_timestamp', 'NOT_HAS_PROPERTY')]])).toEqual(['5004']);
    expect(await ids('calls', [[f('hs_timestamp', 'HAS_PROPERTY')]])).toEqual([
      '5001',
      '5002',
      '5003',
      '5005',
    ]);
  });

  test('an unparseable filter value is a 400', async () => {
    const res = await rejection(
      client.crm.objects.searchApi.doSearch('calls', body([[f('hs_timestamp', 'GTE', 'last tuesday')]])),
    );
    expect(res.code).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
  });
});

describe('paging and limits', () => {
  test('default limit is 10; paging to completion yields every match once, in id order', async () => {
    const res = await bigClient.crm.objects.searchApi.doSearch('calls', {
      filterGroups: [],
      sorts: [],
      properties: [],
    } as unknown as SearchBody);
    expect(res.results).toHaveLength(10);
    expect(res.paging?.next?.after).toBe('10');
    const group = [
      [
        f('hubspot_owner_id', 'EQ', '2'),
        f('hs_timestamp', 'LT', new Date(Date.UTC(2026, 0, 1) + 1500 * 3_600_000).toISOString()),
      ],
    ];
    const seen: string[] = [];
    let after: string | undefined = '0';
    let total = -1;
    while (after !== undefined) {
      const page = await bigClient.crm.objects.searchApi.doSearch(
        'calls',
        body(group, { limit: 200, after }),
      );
      total = page.total;
      seen.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
    }
    expect(total).toBe(500);
    expect(seen).toHaveLength(500);
    expect(seen).toEqual([...seen].sort((a, b) => Number(a) - Number(b)));
    expect(new Set(seen).size).toBe(500);
  });

  test('a query stops at 10,000 results: total is real, paging past the cap is a 400', async () => {
    const seen = new Set<string>();
    let after: string | undefined = '0';
    let requests = 0;
    let refused: { code: number; body: Record<string, unknown> } | undefined;
    while (after !== undefined) {
      try {
        const page = await bigClient.crm.objects.searchApi.doSearch('calls', body([], { limit: 200, after }));
        requests++;
        expect(page.total).toBe(BIG);
        for (const r of page.results) seen.add(r.id);
        after = page.paging?.next?.after;
      } catch (e) {
        refused = await rejection(Promise.reject(e));
        break;
      }
    }
    expect(requests).toBe(50);
    expect(seen.size).toBe(10_000);
    expect(refused?.code).toBe(400);
    expect(refused?.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
    expect(
      (
        await rejection(
          bigClient.crm.objects.searchApi.doSearch('calls', body([], { limit: 200, after: '9900' })),
        )
      ).code,
    ).toBe(400);
    const last = await bigClient.crm.objects.searchApi.doSearch(
      'calls',
      body([], { limit: 200, after: '9800' }),
    );
    expect(last.results).toHaveLength(200);
  });

  test('limit above 200 is a 400; 200 is fine', async () => {
    const res = await rejection(client.crm.objects.searchApi.doSearch('calls', body([], { limit: 201 })));
    expect(res.code).toBe(400);
    expect(res.body.category).toBe('VALIDATION_ERROR');
    expect((await client.crm.objects.searchApi.doSearch('calls', body([], { limit: 200 }))).total).toBe(5);
  });

  test('at most 5 groups, 10 filters a group, 25 filters in all', async () => {
    const one = f('hubspot_owner_id', 'HAS_PROPERTY');
    const groups = (n: number, each: number): F[][] =>
      Array.from({ length: n }, () => Array.from({ length: each }, () => one));
    const search = (g: F[][]) => client.crm.objects.searchApi.doSearch('calls', body(g));
    expect((await search(groups(5, 5))).total).toBe(4);
    expect((await rejection(search(groups(6, 1)))).code).toBe(400);
    expect((await rejection(search(groups(1, 11)))).code).toBe(400);
    expect((await search(groups(1, 10))).total).toBe(4);
    expect((await rejection(search(groups(3, 9)))).code).toBe(400);
  });

  test('malformed filters are 400s', async () => {
    const search = (g: F[][]) => rejection(client.crm.objects.searchApi.doSearch('calls', body(g)));
    expect((await search([[f('hs_timestamp', 'BETWEEN', '2026-01-01')]])).code).toBe(400);
    expect((await search([[f('hs_call_direction', 'IN')]])).code).toBe(400);
    expect((await search([[f('hs_call_direction', 'EQ')]])).code).toBe(400);
    expect((await search([[f('hs_call_direction', 'LIKE', 'x')]])).code).toBe(400);
  });
});
