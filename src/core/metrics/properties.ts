/**
 * What the metrics engine reads from HubSpot, per object type: the properties (the gateway requests only
 * these) and which timestamp property places a record in a period for which metrics (the gateway builds
 * its search filters from this). The engine in accumulator.ts implements exactly these rules; a test
 * holds the two together.
 */
import type { CountMetric } from '@pillars/contracts';

/** The CRM object types the metrics engine reads. */
export const METRIC_OBJECT_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks', 'deals'] as const;
export type MetricObjectType = (typeof METRIC_OBJECT_TYPES)[number];

/** Exactly the properties the engine reads per object type. */
export const REQUIRED_PROPERTIES: Readonly<Record<MetricObjectType, readonly string[]>> = {
  calls: ['hubspot_owner_id', 'hs_timestamp', 'hs_call_direction', 'hs_call_disposition', 'hs_call_duration'],
  emails: ['hubspot_owner_id', 'hs_timestamp', 'hs_email_direction', 'hs_email_status'],
  meetings: [
    'hubspot_owner_id',
    'hs_createdate',
    'hs_meeting_start_time',
    'hs_timestamp',
    'hs_meeting_outcome',
  ],
  notes: ['hubspot_owner_id', 'hs_timestamp'],
  tasks: ['hubspot_owner_id', 'hs_task_status', 'hs_task_completion_date'],
  deals: ['hubspot_owner_id', 'createdate', 'closedate', 'hs_is_closed_won', 'hs_is_closed', 'amount'],
};

/**
 * A condition on one property. Values are compared as HubSpot sends them (enumerations in upper case,
 * booleans as "true"/"false"); the engine also tolerates other letter case and surrounding whitespace,
 * which a HubSpot search filter may not. `null` in `in` means "missing or empty"; a missing value
 * satisfies `notIn` (an email with no status counts as sent).
 */
export type PropertyCondition =
  { property: string; in: readonly (string | null)[] } | { property: string; notIn: readonly string[] };

/**
 * One deciding timestamp of an object type.
 *
 * - `properties`: timestamp properties in order of precedence. The first one with a non-empty value is
 *   the deciding timestamp (so a meeting with a start time is placed by it, even when it is unparseable).
 * - `metrics`: the count metrics this timestamp places in a period.
 * - `when`: which records qualify for those metrics, in HubSpot filter-group form: OR over the groups,
 *   AND within a group. Absent: every record of the type qualifies.
 *
 * A record is counted in a bucket for those metrics when it qualifies and its deciding timestamp is in
 * `[startMs, endMs)`. A record that qualifies but whose deciding timestamp is missing or unparseable is
 * skipped (counted once in `skipped`). So a gateway that wants `skipped` to be complete must also fetch,
 * per entry, qualifying records where every listed property is missing (NOT_HAS_PROPERTY).
 */
export interface DecidingTimestamp {
  properties: readonly string[];
  metrics: readonly CountMetric[];
  when?: readonly (readonly PropertyCondition[])[];
}

/** Per object type, which timestamp decides which metrics, and for which records (see DecidingTimestamp). */
export const DECIDING_TIMESTAMPS: Readonly<Record<MetricObjectType, readonly DecidingTimestamp[]>> = {
  calls: [
    {
      properties: ['hs_timestamp'],
      metrics: ['dials', 'connects', 'talkTimeMs', 'inboundCalls'],
      // OUTBOUND or no direction: a dial; INBOUND: an inbound call; any other direction counts nowhere.
      when: [[{ property: 'hs_call_direction', in: ['OUTBOUND', null, 'INBOUND'] }]],
    },
  ],
  emails: [
    {
      properties: ['hs_timestamp'],
      metrics: ['emailsSent', 'emailsReceived'],
      when: [
        [
          { property: 'hs_email_direction', in: ['EMAIL'] },
          { property: 'hs_email_status', notIn: ['SCHEDULED', 'SENDING', 'FAILED'] },
        ],
        [{ property: 'hs_email_direction', in: ['INCOMING_EMAIL'] }],
      ],
    },
  ],
  meetings: [
    { properties: ['hs_createdate'], metrics: ['meetingsBooked'] },
    {
      properties: ['hs_meeting_start_time', 'hs_timestamp'],
      metrics: ['meetingsScheduled', 'meetingsHeld', 'meetingsNoShow', 'meetingsCanceled'],
    },
  ],
  notes: [{ properties: ['hs_timestamp'], metrics: ['notes'] }],
  tasks: [
    {
      properties: ['hs_task_completion_date'],
      metrics: ['tasksCompleted'],
      when: [[{ property: 'hs_task_status', in: ['COMPLETED'] }]],
    },
  ],
  deals: [
    { properties: ['createdate'], metrics: ['dealsCreated'] },
    {
      properties: ['closedate'],
      metrics: ['dealsWon', 'dealsLost', 'wonAmount'],
      // Won: hs_is_closed_won true. Lost: hs_is_closed true and not won. Together: either flag true.
      when: [[{ property: 'hs_is_closed_won', in: ['true'] }], [{ property: 'hs_is_closed', in: ['true'] }]],
    },
  ],
};
