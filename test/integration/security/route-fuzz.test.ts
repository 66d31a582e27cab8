/**
 * Property-based fuzz of every route the booted backend serves (threats C1–C5, C7, C8, A10, H2,
 * B7): the routes are read from the Express router stack of the real backend (OAuth mode, so the
 * install and connection routes are there too), and a route without a generator below fails the
 * suite, so a new route is fuzzed as soon as it exists.
 *
 * Every request is properly signed for the demo portal (its super admin, sometimes a rep), with
 * hostile query parameters, path parameters and JSON bodies (wrong types, huge and unicode strings,
 * out-of-range numbers, nested objects and arrays, `__proto__`/`constructor`/mass-assignment keys),
 * and then raw malformed bodies (invalid JSON, not UTF-8, wrong or missing content type, gzip,
 * oversized) and wrong methods. The property of every answer: never a 5xx; a 4xx carries the JSON
 * error body with a code of the closed set (src/core/errors.ts) and its status; nothing is written
 * (the row count of every table is unchanged, the sandbox records no HubSpot write); and a refused
 * request never claims an idempotency key (bad input fails before the claim).
 */
import fc from 'fast-check';
import { ERROR_CODES, HTTP_STATUS, type ErrorCode } from '../../../src/core/errors.js';
import { IDEMPOTENCY_KEY } from '../../../src/server/idempotency.js';
import {
  hostileJson,
  hostileString,
  invalidObjectBody,
  notAString,
  notMatching,
  strictEncode,
  type FieldSpec,
} from './fuzz-arbitraries.js';
import { startSecurityBackend, userOfOwner, VP_OWNER, type SecurityBackend } from './security-backend.js';

jest.setTimeout(180_000);

/** Runs per route of the property (fast-check's default is 100; the nightly can raise it). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261128);

let h: SecurityBackend;
let portal: number;
let admin: number;
let rep: number;
let dealIds: string[];
let contactIds: string[];
let teamIds: string[];
let seededNoteId: string;

beforeAll(async () => {
  h = await startSecurityBackend({ prefix: 'route-fuzz', seeds: [1], size: 600 });
  portal = h.portals[0] as number;
  const fixture = h.fixtures[0];
  if (!fixture) throw new Error('no fixture');
  admin = userOfOwner(fixture, VP_OWNER);
  const repOwner = Object.keys(fixture.demo.profiles)[0] as string;
  rep = userOfOwner(fixture, repOwner);
  expect((await h.install(portal, admin)).status).toBe(302);
  dealIds = fixture.objects.deals.slice(0, 5).map((d) => d.id);
  contactIds = (fixture.objects.contacts ?? []).slice(0, 5).map((c) => c.id);
  teamIds = Object.keys(fixture.demo.teams);
  // A note to aim PATCH at, so its body validation is reached past the lookup.
  const note = await h.backend.store.coachingNotes.create({
    portalId: portal,
    repOwnerId: repOwner,
    kind: 'note',
    body: 'seeded note',
    dueDate: null,
    done: null,
    authorUserId: admin,
    contactId: contactIds[0] ?? '1',
    createdAt: new Date(),
  });
  seededNoteId = note.id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

// ---- value generators -------------------------------------------------------------------------

const key = fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/);
const localDate = fc.oneof(
  fc.constantFrom('2026-11-16', '2026-11-23', '2026-02-30', '1970-01-01', '9999-12-31', '2026-13-01'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
);
const digits = fc.oneof(
  fc.constantFrom('1', '0', '007', '9'.repeat(21), '18446744073709551616'),
  fc.bigInt({ min: 1n, max: 10n ** 20n }).map(String),
);
const pick = <T>(values: () => T[]) => fc.constant(null).map(() => values());
const oneOf = (values: () => string[]) =>
  pick(values).chain((v) => (v.length > 0 ? fc.constantFrom(...v) : fc.constant('1')));
/** Plausible or hostile query/path values (always strings). */
const qv = (...plausible: fc.Arbitrary<string>[]): fc.Arbitrary<string> =>
  fc.oneof(...plausible, hostileString);

const idempotencyKeyField: FieldSpec = {
  name: 'idempotencyKey',
  plausible: key,
  wrong: notMatching(IDEMPOTENCY_KEY),
  required: true,
};
const wrongObject = hostileJson.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v));

// ---- per-route generators ---------------------------------------------------------------------

interface RouteFuzz {
  /** Query parameters the route reads (and hostile values for them). */
  query?: Record<string, fc.Arbitrary<string>>;
  /** Path parameters. */
  params?: Record<string, fc.Arbitrary<string>>;
  /** A body the route must refuse (methods with a body). */
  body?: fc.Arbitrary<string>;
  /** Whether the request is signed with a portal identity in the query (false: public, webhooks). */
  identity: 'query' | 'none' | 'public';
  /**
   * Tables a successful answer may add rows to: /oauth/install records its state (one row); the
   * coaching panel and the weekly pack store the weekly snapshots they had to compute.
   */
  mayWrite?: string[];
}

const SNAPSHOT_TABLES = ['metric_snapshots', 'snapshot_runs'];

const settingBody = invalidObjectBody([
  { name: 'value', plausible: hostileJson, wrong: wrongObject, required: true },
  idempotencyKeyField,
]);

const webhookEvent = (portalId: () => number): FieldSpec[] => [
  {
    name: 'eventId',
    plausible: fc.nat(),
    wrong: fc.constantFrom(-1, 1.5, 'x1', null, true, {}),
    required: true,
  },
  {
    name: 'subscriptionId',
    plausible: fc.nat(),
    wrong: notAString.filter((v) => typeof v !== 'number'),
    required: true,
  },
  {
    name: 'portalId',
    plausible: fc.oneof(fc.constant(null).map(portalId), fc.nat()),
    wrong: fc.constantFrom(0, -1, 1.5, '101', null, [], 2 ** 60),
    required: true,
  },
  { name: 'appId', plausible: fc.nat(), wrong: fc.constantFrom(-1, 'a', null), required: true },
  {
    name: 'occurredAt',
    plausible: fc.constant(Date.now()),
    wrong: fc.constantFrom(0, -5, 1e300, 'now', null),
    required: true,
  },
  {
    name: 'subscriptionType',
    plausible: fc.constantFrom('deal.propertyChange', 'contact.privacyDeletion', 'task.propertyChange'),
    wrong: fc.oneof(fc.constant(''), fc.constant('x'.repeat(201)), notAString),
    required: true,
  },
  {
    name: 'attemptNumber',
    plausible: fc.nat({ max: 5 }),
    wrong: fc.constantFrom(-1, 1001, '0', null),
    required: true,
  },
  { name: 'objectId', plausible: digits, wrong: fc.constantFrom(-1, 'abc', 1.5, {}, []), required: false },
  { name: 'propertyValue', plausible: hostileString, wrong: fc.constant('v'.repeat(4097)), required: false },
];

const webhookBody: fc.Arbitrary<string> = fc.oneof(
  // One event refused inside a batch.
  fc
    .tuple(
      invalidObjectBody(
        webhookEvent(() => portal),
        { strict: false },
      ).filter((b) => b.startsWith('{')),
      fc.nat({ max: 2 }),
    )
    .map(([event, n]) => `[${[event, ...Array<string>(n).fill(event)].join(',')}]`),
  // Not a batch: an object, a scalar, an empty array, or more than 100 events.
  hostileJson.filter((v) => !Array.isArray(v)).map((v) => JSON.stringify(v) ?? 'null'),
  fc.constant('[]'),
  fc.constant(
    JSON.stringify(
      Array.from({ length: 101 }, (_, i) => ({
        eventId: i + 1,
        subscriptionId: 1,
        portalId: 1,
        appId: 1,
        occurredAt: Date.now(),
        subscriptionType: 'deal.creation',
        attemptNumber: 0,
      })),
    ),
  ),
);

function generators(): Record<string, RouteFuzz> {
  const settings = ['coaches', 'targets', 'training-catalogue', 'training-rules'];
  const out: Record<string, RouteFuzz> = {
    'GET /healthz': { identity: 'public', query: { x: hostileString } },
    'GET /readyz': { identity: 'public', query: { x: hostileString } },
    'GET /metrics': { identity: 'public', query: { x: hostileString } },
    'GET /oauth/install': { identity: 'public', query: { portalId: digits }, mayWrite: ['oauth_states'] },
    'GET /oauth/installed': { identity: 'public', query: { name: hostileString } },
    'GET /oauth/callback': {
      identity: 'public',
      query: {
        state: qv(fc.stringMatching(/^[A-Za-z0-9._-]{10,80}$/)),
        code: hostileString,
        error: hostileString,
      },
    },
    'GET /api/v1/activity-metrics': {
      identity: 'query',
      query: {
        week: qv(localDate),
        from: qv(localDate),
        to: qv(localDate),
        ownerIds: qv(
          digits,
          fc.array(digits, { maxLength: 5 }).map((a) => a.join(',')),
        ),
        teamId: qv(
          digits,
          oneOf(() => teamIds),
        ),
      },
    },
    'GET /api/v1/deal-guidance': {
      identity: 'query',
      query: {
        dealId: qv(
          digits,
          oneOf(() => dealIds),
        ),
      },
    },
    'POST /api/v1/deal-guidance/waivers': {
      identity: 'query',
      body: invalidObjectBody([
        {
          name: 'dealId',
          plausible: oneOf(() => dealIds),
          wrong: notMatching(/^[1-9]\d{0,19}$/),
          required: true,
        },
        {
          name: 'criterionId',
          plausible: hostileString,
          wrong: fc.oneof(notAString, fc.constant(''), fc.constant('c'.repeat(101))),
          required: true,
        },
        {
          name: 'reason',
          plausible: hostileString,
          wrong: fc.oneof(notAString, fc.constantFrom('', '   ')),
          required: true,
        },
        idempotencyKeyField,
      ]),
    },
    'POST /api/v1/deal-guidance/follow-up': {
      identity: 'query',
      body: invalidObjectBody([
        {
          name: 'dealId',
          plausible: oneOf(() => dealIds),
          wrong: notMatching(/^[1-9]\d{0,19}$/),
          required: true,
        },
        idempotencyKeyField,
        {
          name: 'subject',
          plausible: hostileString,
          wrong: fc.oneof(
            notAString.filter((v) => v !== undefined),
            fc.constantFrom('', '  ', 's'.repeat(201)),
          ),
          required: false,
        },
        {
          name: 'dueInDays',
          plausible: fc.integer({ min: 1, max: 30 }),
          wrong: fc.oneof(fc.constantFrom(0, 31, 1.5, -1, 1e9, '2', null)),
          required: false,
        },
      ]),
    },
    'GET /api/v1/settings/playbooks/:pipelineId': {
      identity: 'query',
      params: {
        pipelineId: qv(fc.constantFrom('default', 'nope'), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
      },
    },
    'PUT /api/v1/settings/playbooks/:pipelineId': {
      identity: 'query',
      params: { pipelineId: qv(fc.constantFrom('default'), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)) },
      body: invalidObjectBody([
        { name: 'playbook', plausible: hostileJson, wrong: wrongObject, required: true },
        idempotencyKeyField,
      ]),
    },
    'DELETE /api/v1/settings/playbooks/:pipelineId': {
      identity: 'query',
      // Never the real pipelines: a DELETE of one is a valid request.
      params: {
        pipelineId: fc
          .oneof(hostileString, fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/))
          .filter((s) => s !== 'default' && s.length > 0),
      },
    },
    'POST /api/v1/training/assignments': {
      identity: 'query',
      body: invalidObjectBody([
        {
          name: 'contactId',
          plausible: oneOf(() => contactIds),
          wrong: notMatching(/^[1-9]\d{0,19}$/),
          required: true,
        },
        {
          name: 'moduleId',
          plausible: fc.constantFrom('cold-call-openers', 'nope'),
          wrong: notMatching(/^[A-Za-z0-9._:-]{1,64}$/),
          required: true,
        },
        { name: 'dueDate', plausible: localDate, wrong: notMatching(/^\d{4}-\d{2}-\d{2}$/), required: false },
        idempotencyKeyField,
      ]),
    },
    'POST /api/v1/training/assignments/:assignmentId/complete': {
      identity: 'query',
      params: { assignmentId: qv(fc.uuid(), fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)) },
      body: invalidObjectBody([idempotencyKeyField]),
    },
    'GET /api/v1/coaching-panel': {
      identity: 'query',
      query: {
        contactId: qv(
          digits,
          oneOf(() => contactIds),
        ),
      },
      mayWrite: SNAPSHOT_TABLES,
    },
    'POST /api/v1/coaching/notes': {
      identity: 'query',
      body: invalidObjectBody([
        {
          name: 'contactId',
          plausible: oneOf(() => contactIds),
          wrong: notMatching(/^[1-9]\d{0,19}$/),
          required: true,
        },
        {
          name: 'kind',
          plausible: fc.constantFrom('note', 'praise', 'commitment'),
          wrong: fc.oneof(notAString, fc.constantFrom('', 'NOTE', 'admin')),
          required: true,
        },
        {
          name: 'body',
          plausible: hostileString,
          wrong: fc.oneof(notAString, fc.constantFrom('', '   ', 'b'.repeat(2001))),
          required: true,
        },
        { name: 'dueDate', plausible: localDate, wrong: notMatching(/^\d{4}-\d{2}-\d{2}$/), required: false },
        idempotencyKeyField,
      ]),
    },
    'PATCH /api/v1/coaching/notes/:noteId': {
      identity: 'query',
      params: {
        noteId: qv(
          oneOf(() => [seededNoteId]),
          fc.uuid(),
        ),
      },
      body: invalidObjectBody([
        {
          name: 'body',
          plausible: hostileString,
          wrong: notAString.filter((v) => v !== undefined),
          required: false,
        },
        { name: 'dueDate', plausible: localDate, wrong: notMatching(/^\d{4}-\d{2}-\d{2}$/), required: false },
        {
          name: 'done',
          plausible: fc.boolean(),
          wrong: hostileJson.filter((v) => typeof v !== 'boolean'),
          required: false,
        },
        idempotencyKeyField,
      ]),
    },
    'DELETE /api/v1/coaching/notes/:noteId': {
      identity: 'query',
      // Never the seeded note: deleting it is a valid request.
      params: {
        noteId: fc.oneof(fc.uuid(), hostileString).filter((s) => s !== seededNoteId && s.length > 0),
      },
    },
    'GET /api/v1/weekly-pack': {
      identity: 'query',
      query: {
        teamId: qv(
          digits,
          oneOf(() => teamIds),
        ),
        week: qv(localDate),
      },
      mayWrite: SNAPSHOT_TABLES,
    },
    'GET /api/v1/weekly-pack/teams': { identity: 'query', query: { x: hostileString } },
    'GET /api/v1/process-report': { identity: 'query', query: { from: qv(localDate), to: qv(localDate) } },
    'GET /api/v1/settings/connection': { identity: 'query', query: { x: hostileString } },
    'GET /api/v1/settings/pipelines': { identity: 'query', query: { x: hostileString } },
    'GET /api/v1/settings/directory': { identity: 'query', query: { x: hostileString } },
    'POST /api/v1/settings/connection/disconnect': {
      identity: 'query',
      body: invalidObjectBody([idempotencyKeyField]),
    },
    'POST /webhooks/hubspot': { identity: 'none', body: webhookBody },
  };
  for (const s of settings) {
    out[`GET /api/v1/settings/${s}`] = { identity: 'query', query: { x: hostileString } };
    out[`PUT /api/v1/settings/${s}`] = { identity: 'query', body: settingBody };
  }
  return out;
}

// ---- the property -----------------------------------------------------------------------------

interface Sent {
  method: string;
  target: string;
  body?: string | Buffer;
  contentType?: string | null;
  headers?: Record<string, string>;
  identity: { portalId: number; userId: number | null } | null;
}

const figures = { requests: 0, byStatus: {} as Record<number, number>, claimsOnRefusal: [] as string[] };

function isErrorBody(json: unknown): json is { error: { code: string; message: string; requestId: string } } {
  if (typeof json !== 'object' || json === null) return false;
  const e = (json as { error?: unknown }).error;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as { code?: unknown }).code === 'string' &&
    typeof (e as { message?: unknown }).message === 'string' &&
    typeof (e as { requestId?: unknown }).requestId === 'string'
  );
}

/** Send one request and check the property; returns the status. */
async function check(route: string, sent: Sent, mayWrite: readonly string[] = []): Promise<number> {
  const rowsBefore = h.rowCounts();
  const writesBefore = h.sandboxWrites(portal);
  const callsBefore = h.calls.length;
  const res = await h.signed(sent.method, sent.target, sent.identity, {
    ...(sent.body === undefined ? {} : { body: sent.body }),
    ...(sent.contentType === undefined ? {} : { contentType: sent.contentType }),
    ...(sent.headers ? { headers: sent.headers } : {}),
  });
  figures.requests += 1;
  figures.byStatus[res.status] = (figures.byStatus[res.status] ?? 0) + 1;
  const where = `${route}: ${sent.method} ${sent.target.slice(0, 300)} body=${String(sent.body ?? '').slice(0, 300)} → ${res.status} ${res.text.slice(0, 300)}`;
  if (res.status >= 500) throw new Error(`5xx from ${where}`);
  if (res.status >= 400) {
    if (!isErrorBody(res.json)) throw new Error(`4xx without the JSON error body: ${where}`);
    const code = res.json.error.code as ErrorCode;
    if (!ERROR_CODES.includes(code)) throw new Error(`code outside the closed set: ${where}`);
    const protocol = code === 'INVALID_INPUT' && (res.status === 405 || res.status === 415);
    if (HTTP_STATUS[code] !== res.status && !protocol)
      throw new Error(`status does not match the code: ${where}`);
    if (/\bat .+\.(ts|js):\d+|node_modules|select |insert into/i.test(res.text))
      throw new Error(`a stack trace or SQL in the answer: ${where}`);
    const claims = h.calls
      .slice(callsBefore)
      .filter((c) => c.store === 'idempotency' && c.method === 'claim');
    if (claims.length > 0) figures.claimsOnRefusal.push(where);
  } else if (sent.method !== 'GET') {
    throw new Error(`a request that must be refused was accepted: ${where}`);
  }
  const rowsAfter = h.rowCounts();
  for (const [table, n] of Object.entries(rowsAfter)) {
    if (n === rowsBefore[table]) continue;
    const before = rowsBefore[table] ?? 0;
    const allowed = table === 'oauth_states' ? n === before + 1 : n >= before;
    if (res.status < 400 && mayWrite.includes(table) && allowed) continue;
    throw new Error(`${table} went from ${rowsBefore[table]} to ${n} rows: ${where}`);
  }
  if (h.sandboxWrites(portal) !== writesBefore) throw new Error(`HubSpot was written to: ${where}`);
  return res.status;
}

function identityArb(): fc.Arbitrary<{ portalId: number; userId: number | null }> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(null).map(() => ({ portalId: portal, userId: admin })) },
    { weight: 2, arbitrary: fc.constant(null).map(() => ({ portalId: portal, userId: rep })) },
    { weight: 1, arbitrary: fc.constant(null).map(() => ({ portalId: portal, userId: null })) },
  );
}

/** A request for the route: hostile query and path values, duplicate identity now and then, the body. */
function requestArb(method: string, path: string, spec: RouteFuzz): fc.Arbitrary<Sent> {
  const params = Object.entries(spec.params ?? {});
  const query = Object.entries(spec.query ?? {});
  return fc
    .record({
      params: fc.tuple(...params.map(([, arb]) => arb)),
      query: fc.tuple(
        ...query.map(([name, arb]) =>
          fc.option(
            arb.map((v) => [name, v] as const),
            { nil: null },
          ),
        ),
      ),
      extra: fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom('__proto__', 'constructor', 'sort', 'limit', 'filter'),
            fc.string({ maxLength: 8 }),
          ),
          hostileString,
        ),
        { maxLength: 2 },
      ),
      duplicate: fc.option(fc.constantFrom('portalId', 'userId', 'appId', 'userEmail'), {
        nil: null,
        freq: 8,
      }),
      identity: identityArb(),
      body: spec.body ?? fc.constant(undefined),
    })
    .map((r) => {
      let p = path;
      params.forEach(([name], i) => {
        const value = r.params[i] as string;
        p = p.replace(`:${name}`, value.length === 0 ? '%20' : strictEncode(value.slice(0, 2000)));
      });
      const pairs = [
        ...r.query.filter((q): q is readonly [string, string] => q !== null),
        ...r.extra.filter(([name]) => !['portalId', 'userId', 'appId', 'userEmail'].includes(name)),
      ].map(([k, v]) => `${strictEncode(k)}=${strictEncode(v.slice(0, 2000))}`);
      if (r.duplicate !== null) pairs.push(`${r.duplicate}=${r.duplicate === 'userEmail' ? 'a%40b.c' : '7'}`);
      if (r.duplicate === 'userEmail') pairs.push('userEmail=d%40e.f');
      const target = pairs.length > 0 ? `${p}?${pairs.join('&')}` : p;
      const sent: Sent = {
        method,
        target,
        identity: spec.identity === 'query' ? r.identity : null,
        ...(r.body === undefined ? {} : { body: r.body }),
      };
      return sent;
    });
}

describe('route fuzz: every served route, signed, hostile input', () => {
  let table: Array<{ method: string; path: string; spec: RouteFuzz | undefined }>;

  beforeAll(() => {
    const specs = generators();
    table = h.routes().map((r) => ({ ...r, spec: specs[`${r.method} ${r.path}`] }));
  });

  it('every route on the app has a generator', () => {
    expect(table.length).toBeGreaterThan(25);
    expect(table.filter((r) => r.spec === undefined).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('hostile query, path and JSON body: never 5xx, closed error codes, nothing written', async () => {
    const started = Date.now();
    for (const { method, path, spec } of table) {
      if (spec === undefined) continue;
      await fc.assert(
        fc.asyncProperty(requestArb(method, path, spec), async (sent) => {
          await check(`${method} ${path}`, sent, spec.mayWrite);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    }
    console.log(
      `route fuzz: ${table.length} routes × ${RUNS} runs, ${figures.requests} requests in ${Date.now() - started} ms; statuses ${JSON.stringify(figures.byStatus)}`,
    );
  });

  it('raw malformed bodies: invalid JSON, not UTF-8, wrong type, gzip, oversized → 4xx, nothing written', async () => {
    const bodies: Array<{
      name: string;
      body: string | Buffer;
      contentType?: string | null;
      headers?: Record<string, string>;
      status: number[];
    }> = [
      { name: 'truncated', body: '{"idempotencyKey": "abc', status: [400] },
      { name: 'single quotes', body: "{'idempotencyKey': 'abcdefgh12'}", status: [400] },
      { name: 'trailing comma', body: '{"idempotencyKey":"abcdefgh12",}', status: [400] },
      {
        name: 'not utf-8',
        body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
        status: [400],
      },
      {
        name: 'proto key',
        body: '{"__proto__":{"polluted":1},"idempotencyKey":"abcdefgh12"}',
        status: [400],
      },
      {
        name: 'nested proto key',
        body: '{"a":{"b":[{"constructor":{"prototype":{"polluted":1}}}]}}',
        status: [400],
      },
      {
        name: 'deep nesting',
        body: `{"idempotencyKey":${'['.repeat(1500)}${']'.repeat(1500)}}`,
        status: [400],
      },
      {
        name: 'text/plain',
        body: '{"idempotencyKey":"abcdefgh12"}',
        contentType: 'text/plain',
        status: [415],
      },
      { name: 'no content type', body: '{"idempotencyKey":"abcdefgh12"}', contentType: null, status: [415] },
      {
        name: 'form',
        body: 'idempotencyKey=abcdefgh12',
        contentType: 'application/x-www-form-urlencoded',
        status: [415],
      },
      {
        name: 'gzip',
        body: '{"idempotencyKey":"abcdefgh12"}',
        headers: { 'content-encoding': 'gzip' },
        status: [415],
      },
      { name: 'oversized', body: `{"x":"${'y'.repeat(1_100_000)}"}`, status: [413] },
    ];
    let sent = 0;
    for (const { method, path, spec } of table) {
      if (spec === undefined || method === 'GET') continue;
      const target = path.replace(/:[A-Za-z_]\w*/g, 'abcdef12');
      for (const b of bodies) {
        const status = await check(`${method} ${path} [${b.name}]`, {
          method,
          target,
          identity: spec.identity === 'query' ? { portalId: portal, userId: admin } : null,
          body: b.body,
          ...(b.contentType === undefined ? {} : { contentType: b.contentType }),
          ...(b.headers ? { headers: b.headers } : {}),
        });
        // Routes that refuse the caller or the path first may answer 403/404 before reading the body.
        if (!b.status.includes(status) && ![403, 404].includes(status))
          throw new Error(`${method} ${path} [${b.name}] answered ${status}, expected ${b.status.join('/')}`);
        sent += 1;
      }
    }
    expect(sent).toBeGreaterThan(50);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).filter((k) => k.includes('pollut'))).toEqual([]);
  });

  it('wrong methods on every served path → 405 JSON with Allow, nothing written (C8)', async () => {
    const paths = [...new Set(table.map((r) => r.path))];
    for (const path of paths) {
      const allowed = new Set(table.filter((r) => r.path === path).map((r) => r.method));
      const target = path.replace(/:[A-Za-z_]\w*/g, 'abcdef12');
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.has(m))) {
        const status = await check(`${method} ${path}`, {
          method,
          target,
          identity: { portalId: portal, userId: admin },
          ...(method === 'GET' ? {} : { body: '{}' }),
        });
        expect(status).toBe(405);
      }
    }
  });

  it('no refused request claimed an idempotency key (bad input fails before the claim)', () => {
    expect(figures.claimsOnRefusal).toEqual([]);
  });

  it('prototype pollution reached no global object (C4)', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(Object.keys(Array.prototype)).toEqual([]);
  });
});
