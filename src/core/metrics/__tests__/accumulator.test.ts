import { AppError } from '../../errors.js';
import { resolvePeriod, splitIntoWeeks } from '../../time/period.js';
import { createMetricsAccumulator } from '../accumulator.js';
import { connectedOutcomeIds } from '../outcomes.js';
import {
  accumulate,
  BEFORE_WEEK,
  CONNECTED,
  countsOf,
  IN_WEEK,
  nonZero,
  NOT_CONNECTED,
  rec,
  WEEK,
} from './helpers.js';

const OWNER = '101';

describe('calls', () => {
  const call = (p: Record<string, string | null | undefined>) =>
    rec({ hubspot_owner_id: OWNER, hs_timestamp: IN_WEEK, ...p });

  it('counts OUTBOUND and direction-less calls as dials, INBOUND as inbound only', () => {
    const r = accumulate({
      calls: [
        call({ hs_call_direction: 'OUTBOUND' }),
        call({}), // no direction at all
        call({ hs_call_direction: '' }),
        call({ hs_call_direction: null }),
        call({ hs_call_direction: 'INBOUND', hs_call_disposition: CONNECTED, hs_call_duration: '5000' }),
        call({ hs_call_direction: 'SIDEWAYS' }), // not a direction HubSpot has: counts nowhere
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ dials: 4, inboundCalls: 1 });
    expect(r.skipped).toBe(0);
  });

  it('counts connects and talk time over connected dials only', () => {
    const r = accumulate({
      calls: [
        call({ hs_call_direction: 'OUTBOUND', hs_call_disposition: CONNECTED, hs_call_duration: '184000' }),
        call({ hs_call_disposition: CONNECTED, hs_call_duration: '1000' }),
        call({ hs_call_disposition: CONNECTED }), // missing duration = 0
        call({ hs_call_disposition: CONNECTED, hs_call_duration: 'abc' }), // unparseable = 0
        call({ hs_call_disposition: CONNECTED, hs_call_duration: '-50' }), // negative = 0
        call({ hs_call_disposition: NOT_CONNECTED, hs_call_duration: '99999' }),
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ dials: 6, connects: 5, talkTimeMs: 185000 });
  });

  it('uses the portal connected outcomes: " Connected " labels, custom GUIDs, extra ids from settings', () => {
    const custom = '11111111-2222-3333-4444-555555555555';
    const fromSettings = '99999999-8888-7777-6666-555555555555';
    const connected = connectedOutcomeIds([{ id: custom, label: ' Connected ' }], [fromSettings]);
    const r = accumulate(
      {
        calls: [
          call({ hs_call_disposition: custom }),
          call({ hs_call_disposition: fromSettings }),
          call({ hs_call_disposition: CONNECTED }),
          call({ hs_call_disposition: ` ${custom.toUpperCase()} ` }), // tolerated
          call({ hs_call_disposition: NOT_CONNECTED }),
        ],
      },
      [WEEK],
      connected,
    );
    expect(nonZero(countsOf(r, OWNER))).toEqual({ dials: 5, connects: 4 });
  });

  it('tolerates letter case and whitespace in the direction', () => {
    const r = accumulate({
      calls: [call({ hs_call_direction: ' outbound ' }), call({ hs_call_direction: 'Inbound' })],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ dials: 1, inboundCalls: 1 });
  });

  it('skips calls without a valid hs_timestamp, and accepts epoch milliseconds', () => {
    const r = accumulate({
      calls: [
        call({ hs_timestamp: undefined }),
        call({ hs_timestamp: '' }),
        call({ hs_timestamp: 'yesterday' }),
        call({ hs_call_direction: 'INBOUND', hs_timestamp: 'NaN' }),
        call({ hs_timestamp: String(Date.parse(IN_WEEK)) }),
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ dials: 1 });
    expect(r.skipped).toBe(4);
  });
});

describe('period boundaries', () => {
  it('includes an item at local midnight of the start and excludes one at local midnight of the end', () => {
    const week = resolvePeriod('2026-10-26', '2026-11-02', 'America/New_York'); // 169 h: DST ends 2026-11-01
    const at = (hs_timestamp: string) => rec({ hubspot_owner_id: OWNER, hs_timestamp });
    const r = accumulate(
      {
        notes: [
          at('2026-10-26T00:00:00-04:00'), // start: included
          at('2026-10-26T03:59:59.999Z'), // just before: excluded
          at('2026-11-01T01:30:00-04:00'), // first 01:30 of the DST-end night
          at('2026-11-01T01:30:00-05:00'), // second 01:30
          at('2026-11-01T23:59:59.999-05:00'), // last instant: included
          at('2026-11-02T00:00:00-05:00'), // end: excluded
          at(String(Date.parse('2026-11-02T05:00:00Z'))), // end as epoch ms: excluded
        ],
      },
      [week],
    );
    expect(countsOf(r, OWNER).notes).toBe(4);
  });

  it('places items by the zone offset, including half-hour zones', () => {
    const week = resolvePeriod('2026-11-02', '2026-11-09', 'Asia/Kolkata');
    const at = (hs_timestamp: string) => rec({ hubspot_owner_id: OWNER, hs_timestamp });
    const r = accumulate(
      {
        notes: [at('2026-11-02T00:00:00+05:30'), at('2026-11-01T18:29:59.999Z'), at('2026-11-08T18:30:00Z')],
      },
      [week],
    );
    expect(countsOf(r, OWNER).notes).toBe(1);
  });

  it('ignores records that fall in no bucket, and counts in every bucket that contains them', () => {
    const weeks = splitIntoWeeks(
      resolvePeriod('2026-10-26', '2026-11-09', 'America/New_York'),
      'America/New_York',
    );
    const r = accumulate(
      {
        notes: [
          rec({ hubspot_owner_id: OWNER, hs_timestamp: BEFORE_WEEK }),
          rec({ hubspot_owner_id: OWNER, hs_timestamp: '2026-10-28T12:00:00Z' }),
          rec({ hubspot_owner_id: OWNER, hs_timestamp: IN_WEEK }),
        ],
      },
      [...weeks, WEEK], // WEEK overlaps the second week: both count
    );
    expect([0, 1, 2].map((b) => countsOf(r, OWNER, b).notes)).toEqual([1, 1, 1]);
    expect(r.skipped).toBe(0);
  });
});

describe('emails', () => {
  const email = (p: Record<string, string | null | undefined>) =>
    rec({ hubspot_owner_id: OWNER, hs_timestamp: IN_WEEK, ...p });

  it('counts sent emails except scheduled, sending and failed; a missing status or BOUNCED counts', () => {
    const r = accumulate({
      emails: [
        email({ hs_email_direction: 'EMAIL', hs_email_status: 'SENT' }),
        email({ hs_email_direction: 'EMAIL' }), // missing status counts
        email({ hs_email_direction: 'EMAIL', hs_email_status: '' }),
        email({ hs_email_direction: 'EMAIL', hs_email_status: 'BOUNCED' }),
        email({ hs_email_direction: 'EMAIL', hs_email_status: 'SCHEDULED' }),
        email({ hs_email_direction: 'EMAIL', hs_email_status: 'SENDING' }),
        email({ hs_email_direction: 'EMAIL', hs_email_status: 'FAILED' }),
        email({ hs_email_direction: 'EMAIL', hs_email_status: ' failed ' }),
        email({ hs_email_direction: 'INCOMING_EMAIL' }),
        email({ hs_email_direction: 'INCOMING_EMAIL', hs_email_status: 'FAILED' }),
        email({ hs_email_direction: 'FORWARDED_EMAIL' }),
        email({}),
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ emailsSent: 4, emailsReceived: 2 });
  });

  it('skips countable emails without a timestamp, but not emails that count nowhere', () => {
    const r = accumulate({
      emails: [
        email({ hs_email_direction: 'EMAIL', hs_timestamp: null }),
        email({ hs_email_direction: 'INCOMING_EMAIL', hs_timestamp: 'x' }),
        email({ hs_email_direction: 'EMAIL', hs_email_status: 'SCHEDULED', hs_timestamp: null }),
        email({ hs_email_direction: 'FORWARDED_EMAIL', hs_timestamp: null }),
      ],
    });
    expect(r.skipped).toBe(2);
  });
});

describe('meetings', () => {
  const meeting = (p: Record<string, string | null | undefined>) =>
    rec({ hubspot_owner_id: OWNER, hs_createdate: IN_WEEK, hs_meeting_start_time: IN_WEEK, ...p });

  it('counts scheduled meetings by outcome; a rescheduled one is only scheduled', () => {
    const r = accumulate({
      meetings: [
        meeting({ hs_meeting_outcome: 'COMPLETED' }),
        meeting({ hs_meeting_outcome: 'NO_SHOW' }),
        meeting({ hs_meeting_outcome: 'CANCELED' }),
        meeting({ hs_meeting_outcome: 'RESCHEDULED' }),
        meeting({ hs_meeting_outcome: 'SCHEDULED' }),
        meeting({ hs_meeting_outcome: ' completed ' }),
        meeting({}),
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({
      meetingsBooked: 7,
      meetingsScheduled: 7,
      meetingsHeld: 2,
      meetingsNoShow: 1,
      meetingsCanceled: 1,
    });
  });

  it('counts booked by hs_createdate and scheduled by start time, in different periods', () => {
    const r = accumulate({
      meetings: [
        meeting({ hs_createdate: BEFORE_WEEK, hs_meeting_outcome: 'COMPLETED' }), // booked earlier, held now
        meeting({ hs_meeting_start_time: '2026-12-01T15:00:00Z' }), // booked now, happens later
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ meetingsBooked: 1, meetingsScheduled: 1, meetingsHeld: 1 });
  });

  it('uses hs_timestamp when there is no start time', () => {
    const r = accumulate({
      meetings: [
        meeting({ hs_meeting_start_time: undefined, hs_timestamp: IN_WEEK, hs_meeting_outcome: 'NO_SHOW' }),
        meeting({ hs_meeting_start_time: '', hs_timestamp: IN_WEEK }),
        meeting({ hs_meeting_start_time: BEFORE_WEEK, hs_timestamp: IN_WEEK }), // start time wins
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({
      meetingsBooked: 3,
      meetingsScheduled: 2,
      meetingsNoShow: 1,
    });
    expect(r.skipped).toBe(0);
  });

  it('skips a meeting once, still counting what it can', () => {
    const r = accumulate({
      meetings: [
        meeting({ hs_meeting_start_time: null, hs_timestamp: null }), // booked, not scheduled: skipped
        meeting({ hs_createdate: null, hs_meeting_start_time: null }), // nothing: skipped once
        meeting({ hs_createdate: 'bad' }), // scheduled, not booked: skipped
        meeting({ hs_meeting_start_time: 'bad', hs_timestamp: IN_WEEK }), // the start time decides: skipped
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ meetingsBooked: 2, meetingsScheduled: 1 });
    expect(r.skipped).toBe(4);
  });
});

describe('notes and tasks', () => {
  it('counts notes by hs_timestamp', () => {
    const r = accumulate({
      notes: [rec({ hubspot_owner_id: OWNER, hs_timestamp: IN_WEEK }), rec({ hubspot_owner_id: OWNER })],
    });
    expect(countsOf(r, OWNER).notes).toBe(1);
    expect(r.skipped).toBe(1);
  });

  it('counts completed tasks by completion date; a completed task without one is skipped', () => {
    const task = (p: Record<string, string | null | undefined>) => rec({ hubspot_owner_id: OWNER, ...p });
    const r = accumulate({
      tasks: [
        task({ hs_task_status: 'COMPLETED', hs_task_completion_date: IN_WEEK }),
        task({ hs_task_status: 'completed', hs_task_completion_date: String(Date.parse(IN_WEEK)) }),
        task({ hs_task_status: 'COMPLETED', hs_task_completion_date: BEFORE_WEEK }),
        task({ hs_task_status: 'COMPLETED' }), // skipped, not counted
        task({ hs_task_status: 'COMPLETED', hs_task_completion_date: 'soon' }), // skipped
        task({ hs_task_status: 'NOT_STARTED' }), // open: needs no date
        task({ hs_task_status: 'IN_PROGRESS', hs_task_completion_date: IN_WEEK }),
        task({}),
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ tasksCompleted: 2 });
    expect(r.skipped).toBe(2);
  });
});

describe('deals', () => {
  const deal = (p: Record<string, string | null | undefined>) =>
    rec({ hubspot_owner_id: OWNER, createdate: BEFORE_WEEK, ...p });

  it('counts created, won, lost and won amount', () => {
    const r = accumulate({
      deals: [
        deal({ createdate: IN_WEEK }), // open, created now
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'true', closedate: IN_WEEK, amount: '1500.50' }),
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'true', closedate: IN_WEEK, amount: '2000' }),
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'true', closedate: IN_WEEK }), // missing amount = 0
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'true', closedate: IN_WEEK, amount: '1,000' }), // = 0
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'false', closedate: IN_WEEK, amount: '700' }),
        deal({ hs_is_closed: 'TRUE', closedate: IN_WEEK }), // lost: won flag missing
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'true', closedate: BEFORE_WEEK, amount: '5' }),
        deal({ hs_is_closed: 'false', hs_is_closed_won: 'false', closedate: IN_WEEK, amount: '9' }), // open
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({
      dealsCreated: 1,
      dealsWon: 4,
      dealsLost: 2,
      wonAmount: 3500.5,
    });
    expect(r.skipped).toBe(0);
  });

  it('skips a closed deal without a closedate and a deal without a createdate, once each', () => {
    const r = accumulate({
      deals: [
        deal({ hs_is_closed: 'true', hs_is_closed_won: 'true', createdate: IN_WEEK }), // created, no closedate
        deal({ hs_is_closed: 'true', createdate: null, closedate: null }), // skipped once
        deal({ createdate: null }), // open deal without createdate
        deal({ hs_is_closed: 'false', closedate: 'whenever' }), // open: closedate is not read
      ],
    });
    expect(nonZero(countsOf(r, OWNER))).toEqual({ dealsCreated: 1 });
    expect(r.skipped).toBe(3);
  });
});

describe('owners', () => {
  it('puts items without an owner in unassigned, and trims owner ids', () => {
    const r = accumulate({
      notes: [
        rec({ hs_timestamp: IN_WEEK }),
        rec({ hubspot_owner_id: '', hs_timestamp: IN_WEEK }),
        rec({ hubspot_owner_id: null, hs_timestamp: IN_WEEK }),
        rec({ hubspot_owner_id: '  ', hs_timestamp: IN_WEEK }),
        rec({ hubspot_owner_id: ' 101 ', hs_timestamp: IN_WEEK }),
      ],
    });
    expect(countsOf(r, '').notes).toBe(4);
    expect(countsOf(r, '101').notes).toBe(1);
    expect([...r.buckets[0].owners.keys()]).toEqual(['101']);
  });

  it('creates no owner row for records outside every bucket', () => {
    const r = accumulate({ notes: [rec({ hubspot_owner_id: '7', hs_timestamp: BEFORE_WEEK })] });
    expect(r.buckets[0].owners.size).toBe(0);
    expect(r.seen).toBe(1);
  });
});

describe('the accumulator itself', () => {
  it('keeps counting after a snapshot, and snapshots are independent', () => {
    const acc = createMetricsAccumulator({ buckets: [WEEK], connectedOutcomes: connectedOutcomeIds([]) });
    acc.add('notes', [rec({ hubspot_owner_id: OWNER, hs_timestamp: IN_WEEK })]);
    const first = acc.result();
    acc.add('notes', [rec({ hubspot_owner_id: OWNER, hs_timestamp: IN_WEEK })]);
    expect(first.buckets[0].owners.get(OWNER)?.notes).toBe(1);
    expect(acc.result().buckets[0].owners.get(OWNER)?.notes).toBe(2);
  });

  it('refuses invalid buckets and object types it does not read', () => {
    expect(() =>
      createMetricsAccumulator({ buckets: [{ startMs: 10, endMs: 5 }], connectedOutcomes: new Set() }),
    ).toThrow(AppError);
    const acc = createMetricsAccumulator({ buckets: [WEEK], connectedOutcomes: new Set() });
    expect(() => acc.add('contacts' as 'notes', [])).toThrow(/does not read contacts/);
  });

  it('counts 200,000 calls quickly (a sanity check; benchmarks live in bench/)', () => {
    const acc = createMetricsAccumulator({ buckets: [WEEK], connectedOutcomes: connectedOutcomeIds([]) });
    const page = Array.from({ length: 200 }, (_, i) =>
      rec({
        hubspot_owner_id: String(100 + (i % 20)),
        hs_timestamp: new Date(WEEK.startMs + i * 1000).toISOString(),
        hs_call_direction: i % 5 === 0 ? 'INBOUND' : 'OUTBOUND',
        hs_call_disposition: i % 3 === 0 ? CONNECTED : NOT_CONNECTED,
        hs_call_duration: '60000',
      }),
    );
    const started = performance.now();
    for (let i = 0; i < 1000; i++) acc.add('calls', page); // 200,000 records
    const perSecond = 200_000 / ((performance.now() - started) / 1000);
    const r = acc.result();
    let dials = 0;
    for (const c of r.buckets[0].owners.values()) dials += c.dials;
    expect(dials).toBe(160_000);
    expect(perSecond).toBeGreaterThan(200_000); // measured ~8M/s; a 40x margin for slow CI
  });
});
