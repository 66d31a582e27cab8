// fast-check generators of HubSpot-like records, wide enough to hit every rule and edge.
import fc from 'fast-check';
import type { CrmRecord, Owner } from '../../crm.js';
import { resolvePeriod, splitIntoWeeks } from '../../time/period.js';
import type { MetricObjectType } from '../properties.js';
import { CONNECTED, NOT_CONNECTED } from './helpers.js';

export const ZONE = 'America/New_York';
/** Three weeks in New York, the middle one 169 h long (DST ends 2026-11-01). */
export const PERIOD = resolvePeriod('2026-10-19', '2026-11-09', ZONE);
export const WEEKS = splitIntoWeeks(PERIOD, ZONE);
export const CUSTOM_CONNECTED = '11111111-2222-3333-4444-555555555555';

const DAY = 86_400_000;
const instant = fc.integer({ min: PERIOD.startMs - 3 * DAY, max: PERIOD.endMs + 3 * DAY });
const edge = fc.constantFrom(...WEEKS.flatMap((w) => [w.startMs, w.endMs, w.endMs - 1]));

/** A timestamp value: ISO (Z or offset), epoch ms, missing, or garbage. */
export const timestamp: fc.Arbitrary<string | null | undefined> = fc.oneof(
  { weight: 4, arbitrary: instant.map((ms) => new Date(ms).toISOString()) },
  { weight: 2, arbitrary: edge.map((ms) => new Date(ms).toISOString()) },
  { weight: 2, arbitrary: instant.map((ms) => String(ms)) },
  {
    weight: 1,
    arbitrary: instant.map((ms) => `${new Date(ms - 5 * 3_600_000).toISOString().slice(0, 19)}-05:00`),
  },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, '', 'garbage', '2026-02-30T00:00:00Z', 'NaN') },
);

const maybe = <T>(values: T[]) => fc.constantFrom<T | null | undefined>(...values, null, undefined);

export const OWNER_IDS = ['1', '2', '3', '4', '50', '999', '1000'];
const ownerId = fc.constantFrom<string | null | undefined>(...OWNER_IDS, '', null, undefined, ' 2 ', '77');

let id = 0;
const record = (props: fc.Arbitrary<Record<string, string | null | undefined>>): fc.Arbitrary<CrmRecord> =>
  fc.record({ owner: ownerId, props }).map(({ owner, props: p }) => ({
    id: String(++id),
    properties: { hubspot_owner_id: owner, ...p },
  }));

export const RECORD_ARBITRARIES: Record<MetricObjectType, fc.Arbitrary<CrmRecord>> = {
  calls: record(
    fc.record({
      hs_timestamp: timestamp,
      hs_call_direction: maybe(['OUTBOUND', 'INBOUND', 'outbound ', 'Inbound', 'OTHER', '']),
      hs_call_disposition: maybe([
        CONNECTED,
        NOT_CONNECTED,
        CUSTOM_CONNECTED,
        ` ${CUSTOM_CONNECTED.toUpperCase()}`,
      ]),
      hs_call_duration: maybe(['0', '184000', '1000', 'abc', '-5', '12.4']),
    }),
  ),
  emails: record(
    fc.record({
      hs_timestamp: timestamp,
      hs_email_direction: maybe(['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL', 'email']),
      hs_email_status: maybe(['SENT', 'BOUNCED', 'SCHEDULED', 'SENDING', 'FAILED', 'failed', '']),
    }),
  ),
  meetings: record(
    fc.record({
      hs_createdate: timestamp,
      hs_meeting_start_time: timestamp,
      hs_timestamp: timestamp,
      hs_meeting_outcome: maybe([
        'COMPLETED',
        'NO_SHOW',
        'CANCELED',
        'RESCHEDULED',
        'SCHEDULED',
        'completed',
      ]),
    }),
  ),
  notes: record(fc.record({ hs_timestamp: timestamp })),
  tasks: record(
    fc.record({
      hs_task_status: maybe(['COMPLETED', 'NOT_STARTED', 'IN_PROGRESS', ' Completed']),
      hs_task_completion_date: timestamp,
    }),
  ),
  deals: record(
    fc.record({
      createdate: timestamp,
      closedate: timestamp,
      hs_is_closed: maybe(['true', 'false', 'TRUE']),
      hs_is_closed_won: maybe(['true', 'false']),
      amount: maybe(['100', '2500.5', '0', 'abc', '', '-20']),
    }),
  ),
};

export type Portal = Record<MetricObjectType, CrmRecord[]>;

/** A portal's worth of records of every type. */
export const portalRecords: fc.Arbitrary<Portal> = fc.record({
  calls: fc.array(RECORD_ARBITRARIES.calls, { maxLength: 40 }),
  emails: fc.array(RECORD_ARBITRARIES.emails, { maxLength: 25 }),
  meetings: fc.array(RECORD_ARBITRARIES.meetings, { maxLength: 25 }),
  notes: fc.array(RECORD_ARBITRARIES.notes, { maxLength: 15 }),
  tasks: fc.array(RECORD_ARBITRARIES.tasks, { maxLength: 15 }),
  deals: fc.array(RECORD_ARBITRARIES.deals, { maxLength: 25 }),
});

/** Owners drawn from OWNER_IDS (some left out: their items are "unknown owner"), with teams and archiving. */
export const owners: fc.Arbitrary<Owner[]> = fc
  .array(
    fc.record({
      include: fc.boolean(),
      archived: fc.boolean(),
      teams: fc.subarray(['7', '8', '10']),
    }),
    { minLength: OWNER_IDS.length, maxLength: OWNER_IDS.length },
  )
  .map((specs) =>
    specs.flatMap((s, i) =>
      s.include
        ? [
            {
              id: OWNER_IDS[i],
              userId: null,
              email: null,
              firstName: `Rep${OWNER_IDS[i]}`,
              lastName: null,
              archived: s.archived,
              teams: s.teams.map((t, j) => ({ id: t, name: `Team ${t}`, primary: j === 0 })),
            },
          ]
        : [],
    ),
  );
