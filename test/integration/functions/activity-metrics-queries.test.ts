/**
 * The HubSpot searches behind activity metrics must select every record that can count, and the
 * skipped ones: for random portals, the report computed through the sandbox (real HubSpot client,
 * real search filters, paging) equals the report computed by the engine over every live record.
 */
import fc from 'fast-check';
import { metricsReportSchema } from '@pillars/contracts';
import type { CrmRecord, Owner } from '../../../src/core/crm.js';
import {
  buildMetricsReport,
  connectedOutcomeIds,
  createMetricsAccumulator,
  METRIC_OBJECT_TYPES,
  type MetricObjectType,
} from '../../../src/core/metrics/index.js';
import { resolvePeriod } from '../../../src/core/time/period.js';
import { createActivityMetrics } from '../../../src/functions/activity-metrics/activity-metrics.js';
import type { FunctionContext } from '../../../src/functions/context.js';
import { createHubSpotGateway, createInProcessThrottle } from '../../../src/hubspot/index.js';
import { parsePortalFixture, type PortalFixture } from '../../../src/sandbox/fixture.js';
import { createSandbox, type Sandbox } from '../../../src/sandbox/index.js';

const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
const ZONE = 'Europe/London';
// The week of the 2026 spring-forward in London, and the days around it.
const FROM = '2026-03-23';
const TO = '2026-03-30';
const SPAN_START = Date.parse('2026-03-20T00:00:00Z');
const SPAN_END = Date.parse('2026-04-03T00:00:00Z');

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const instant = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.integer({ min: SPAN_START, max: SPAN_END }).map((ms) => new Date(ms).toISOString()),
  },
  { weight: 2, arbitrary: fc.integer({ min: SPAN_START, max: SPAN_END }).map((ms) => String(ms)) },
  // exactly on the period's edges (local midnights)
  { weight: 1, arbitrary: fc.constantFrom('2026-03-23T00:00:00.000Z', '2026-03-29T23:00:00.000Z') },
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 4 });
const owner = fc.constantFrom('1', '2', '3', '4', '77', '', undefined);

const props: Record<MetricObjectType, fc.Arbitrary<Record<string, string | undefined>>> = {
  calls: fc.record({
    hs_timestamp: maybe(instant),
    hubspot_owner_id: owner,
    hs_call_direction: maybe(fc.constantFrom('OUTBOUND', 'INBOUND')),
    hs_call_disposition: maybe(fc.constantFrom(CONNECTED, 'custom-connected', 'no-answer')),
    hs_call_duration: maybe(fc.integer({ min: 0, max: 600_000 }).map(String)),
  }),
  emails: fc.record({
    hs_timestamp: maybe(instant),
    hubspot_owner_id: owner,
    hs_email_direction: fc.constantFrom('EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL'),
    hs_email_status: maybe(fc.constantFrom('SENT', 'SCHEDULED', 'FAILED', 'BOUNCED', 'SENDING')),
  }),
  meetings: fc.record({
    hs_timestamp: maybe(instant),
    hs_meeting_start_time: maybe(instant),
    hs_createdate: maybe(instant),
    hubspot_owner_id: owner,
    hs_meeting_outcome: maybe(
      fc.constantFrom('COMPLETED', 'NO_SHOW', 'CANCELED', 'RESCHEDULED', 'SCHEDULED'),
    ),
  }),
  notes: fc.record({ hs_timestamp: maybe(instant), hubspot_owner_id: owner }),
  tasks: fc.record({
    hs_timestamp: maybe(instant),
    hubspot_owner_id: owner,
    hs_task_status: fc.constantFrom('COMPLETED', 'NOT_STARTED', 'IN_PROGRESS'),
    hs_task_completion_date: maybe(instant),
  }),
  deals: fc.record({
    createdate: maybe(instant),
    closedate: maybe(instant),
    hubspot_owner_id: owner,
    hs_is_closed: fc.constantFrom('true', 'false'),
    hs_is_closed_won: fc.constantFrom('true', 'false'),
    amount: maybe(fc.integer({ min: 0, max: 100_000 }).map(String)),
  }),
};

const records = (type: MetricObjectType) =>
  fc.array(
    fc.record({ archived: fc.integer({ min: 0, max: 7 }).map((n) => n === 0), properties: props[type] }),
    { maxLength: 40 },
  );

const owners: Owner[] = [
  {
    id: '1',
    userId: 1,
    email: 'a@x.test',
    firstName: 'A',
    lastName: 'One',
    archived: false,
    teams: [{ id: '10', name: 'T', primary: true }],
  },
  {
    id: '2',
    userId: 2,
    email: 'b@x.test',
    firstName: 'B',
    lastName: 'Two',
    archived: false,
    teams: [{ id: '10', name: 'T', primary: true }],
  },
  {
    id: '3',
    userId: 3,
    email: 'c@x.test',
    firstName: 'C',
    lastName: 'Three',
    archived: true,
    teams: [{ id: '10', name: 'T', primary: true }],
  },
  { id: '4', userId: 4, email: 'd@x.test', firstName: null, lastName: null, archived: false, teams: [] },
];

function clean(p: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) out[k] = v;
  return out;
}

let sandbox: Sandbox;
let nextPortal = 50_000;

beforeAll(async () => {
  sandbox = createSandbox({ portals: [], limits: false });
  await sandbox.start();
});
afterAll(async () => {
  await sandbox.stop();
});

test('the sandbox path equals the engine over every live record', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record(
        Object.fromEntries(METRIC_OBJECT_TYPES.map((t) => [t, records(t)])) as Record<
          MetricObjectType,
          ReturnType<typeof records>
        >,
      ),
      async (data) => {
        const portalId = nextPortal++;
        let id = 1;
        const objects: Record<string, unknown[]> = {};
        for (const type of METRIC_OBJECT_TYPES) {
          objects[type] = data[type].map((r) => ({
            id: String(id++),
            archived: r.archived,
            // HubSpot always has a creation time; the fixture's createdAt carries it when the property is absent
            createdAt: '2026-03-01T00:00:00.000Z',
            properties: clean(r.properties),
          }));
        }
        const fixture: PortalFixture = parsePortalFixture({
          portal: { portalId, timeZone: ZONE },
          owners: owners.map((o) => ({ ...o })),
          callDispositions: [
            { id: CONNECTED, label: 'Connected' },
            { id: 'custom-connected', label: ' CONNECTED ' },
            { id: 'no-answer', label: 'No answer' },
          ],
          objects,
        });
        sandbox.addPortal(fixture);

        const throttle = createInProcessThrottle({
          limits: { general: { minTime: 0 }, search: { minTime: 0, maxConcurrent: 6 } },
        });
        const gateway = createHubSpotGateway({
          portalId,
          accessToken: sandbox.tokenFor(portalId),
          basePath: sandbox.baseUrl,
          throttle,
        });
        const ctx: FunctionContext = { portalId, hubspot: gateway, now: () => new Date(), logger: silent };
        const viaSandbox = await createActivityMetrics()({ from: FROM, to: TO }, ctx);
        await throttle.close();

        // The engine over every live record, as if search returned everything.
        const period = resolvePeriod(FROM, TO, ZONE);
        const acc = createMetricsAccumulator({
          buckets: [{ startMs: period.startMs, endMs: period.endMs }],
          connectedOutcomes: connectedOutcomeIds([
            { id: CONNECTED, label: 'Connected' },
            { id: 'custom-connected', label: ' CONNECTED ' },
          ]),
        });
        for (const type of METRIC_OBJECT_TYPES) {
          const live: CrmRecord[] = fixture.objects[type]
            .filter((r) => !r.archived)
            .map((r) => ({
              id: r.id,
              properties: {
                ...r.properties,
                // derived as HubSpot does
                ...(type === 'deals' ? { createdate: r.properties.createdate ?? r.createdAt } : {}),
                ...(type === 'meetings' ? { hs_createdate: r.properties.hs_createdate ?? r.createdAt } : {}),
              },
            }));
          acc.add(type, live);
        }
        const direct = buildMetricsReport({
          portalId,
          timeZone: ZONE,
          period,
          owners,
          accumulatorResult: acc.result(),
        });
        expect(metricsReportSchema.safeParse(viaSandbox).success).toBe(true);
        expect(viaSandbox).toEqual(direct);
      },
    ),
    { numRuns: 40 },
  );
}, 120_000);
