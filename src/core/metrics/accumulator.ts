/**
 * The streaming metrics engine (METRICS.md §1-§2). Records are fed page by page; state is one row of
 * counts per owner per bucket, so memory grows with owners x buckets, never with the number of records.
 *
 * Rules, exactly as implemented (the deciding timestamps are also described in DECIDING_TIMESTAMPS):
 * - Owner: `hubspot_owner_id` (trimmed); missing or blank puts the item in `unassigned`.
 * - Enumerations and booleans are compared as HubSpot sends them (OUTBOUND, COMPLETED, "true"), tolerating
 *   other letter case and surrounding whitespace ("completed ", "TRUE").
 * - calls, by hs_timestamp: direction OUTBOUND or missing/blank is a dial; a dial whose disposition is a
 *   connected outcome is a connect and adds hs_call_duration to talkTimeMs (missing, unparseable or
 *   negative = 0; rounded to whole ms); INBOUND is an inbound call. Any other direction counts nowhere.
 * - emails, by hs_timestamp: direction EMAIL with status not SCHEDULED/SENDING/FAILED (missing status
 *   counts; BOUNCED counts) is sent; INCOMING_EMAIL is received. Other directions count nowhere.
 * - meetings: booked by hs_createdate (every meeting). Scheduled by the deciding start: hs_meeting_start_time
 *   when it has a value, else hs_timestamp; held / no-show / canceled are scheduled meetings with outcome
 *   COMPLETED / NO_SHOW / CANCELED (a rescheduled or scheduled outcome is only scheduled).
 * - notes: by hs_timestamp. tasks: status COMPLETED, by hs_task_completion_date.
 * - deals: created by createdate (every deal). By closedate: won when hs_is_closed_won is true (adds amount
 *   to wonAmount; missing or unparseable = 0); lost when hs_is_closed is true and hs_is_closed_won is not.
 * - A record counts in every bucket `[startMs, endMs)` that contains its deciding timestamp; records that
 *   fall in no bucket are ignored.
 *
 * `skipped` counts RECORDS, once each, that qualify for at least one metric whose deciding timestamp is
 * missing or unparseable: a dial, inbound call, countable email or note without a valid hs_timestamp; a
 * meeting without a valid hs_createdate, or whose deciding start (start time, else hs_timestamp) is
 * missing or unparseable; a completed task without a valid completion date; a deal without a valid
 * createdate, or a won/closed deal without a valid closedate. Such a record still counts for its other
 * metrics (a meeting with no start but a valid hs_createdate is still booked). Records that qualify for
 * nothing (an open task, a scheduled email, a forwarded email) are never skipped, whatever their timestamps.
 */
import type { CrmRecord } from '../crm.js';
import { AppError } from '../errors.js';
import { parseInstant } from '../time/instant.js';
import type { TimeBucket } from '../time/period.js';
import { COUNT_INDEX, zeroCounts } from './counts.js';
import type { CountMetrics } from './counts.js';
import type { MetricObjectType } from './properties.js';
import { COUNT_METRICS } from '@pillars/contracts';

/** The counts of one bucket: per owner id, and for items without an owner. */
export interface BucketCounts extends TimeBucket {
  /** Owners with at least one counted item in any bucket (zeros where they had none in this one). */
  owners: Map<string, CountMetrics>;
  /** Items with no (or a blank) `hubspot_owner_id`. */
  unassigned: CountMetrics;
}

/** What the accumulator has counted so far. */
export interface AccumulatorResult {
  /** One entry per bucket given at creation, in the same order. */
  buckets: BucketCounts[];
  /** Records skipped for a missing or unparseable deciding timestamp (see the file header). */
  skipped: number;
  /** Records fed to `add`, counted or not. */
  seen: number;
}

export interface MetricsAccumulatorOptions {
  /** Half-open instant ranges to count in; they may overlap (each counts independently). */
  buckets: readonly TimeBucket[];
  /** Connected call outcome ids (see connectedOutcomeIds); compared trimmed and case-insensitively. */
  connectedOutcomes: ReadonlySet<string>;
}

/** A streaming counter of METRICS.md §2 counts, fed one page of records at a time. */
export interface MetricsAccumulator {
  /** Count one page of records of one object type. */
  add(objectType: MetricObjectType, records: readonly CrmRecord[]): void;
  /** A snapshot of the counts so far; the accumulator may keep being fed afterwards. */
  result(): AccumulatorResult;
}

/** Create an accumulator over the given buckets. */
export function createMetricsAccumulator(options: MetricsAccumulatorOptions): MetricsAccumulator {
  return new Accumulator(options);
}

type Props = CrmRecord['properties'];
type Value = string | null | undefined;

const N = COUNT_METRICS.length;
const DIALS = COUNT_INDEX.dials;
const CONNECTS = COUNT_INDEX.connects;
const TALK_TIME = COUNT_INDEX.talkTimeMs;
const INBOUND = COUNT_INDEX.inboundCalls;
const EMAILS_SENT = COUNT_INDEX.emailsSent;
const EMAILS_RECEIVED = COUNT_INDEX.emailsReceived;
const BOOKED = COUNT_INDEX.meetingsBooked;
const SCHEDULED = COUNT_INDEX.meetingsScheduled;
const HELD = COUNT_INDEX.meetingsHeld;
const NO_SHOW = COUNT_INDEX.meetingsNoShow;
const CANCELED = COUNT_INDEX.meetingsCanceled;
const NOTES = COUNT_INDEX.notes;
const TASKS_COMPLETED = COUNT_INDEX.tasksCompleted;
const DEALS_CREATED = COUNT_INDEX.dealsCreated;
const DEALS_WON = COUNT_INDEX.dealsWon;
const DEALS_LOST = COUNT_INDEX.dealsLost;
const WON_AMOUNT = COUNT_INDEX.wonAmount;

/** No metric: used as "this record does not qualify". */
const NONE = -1;

// Bounded so garbage values cannot grow memory with the number of records.
const TOKEN_CACHE_LIMIT = 1024;
const DECIMAL = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** True when a property has a value (not missing, empty or only whitespace). */
function hasValue(v: Value): v is string {
  if (v == null || v === '') return false;
  if (!isSpace(v.charCodeAt(0))) return true;
  return v.trim() !== '';
}

/** A decimal number, or null (no hex, no "Infinity", no trailing garbage). */
function parseDecimal(v: Value): number | null {
  if (v == null || !DECIMAL.test(v)) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

class Accumulator implements MetricsAccumulator {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly bucketCount: number;
  /** Buckets are sorted and disjoint, so the scan can stop at the first hit. */
  private readonly disjoint: boolean;
  private readonly connected: ReadonlySet<string>;
  private readonly connectedUpper: ReadonlySet<string>;
  /** Owner id ('' = unassigned) -> counts, bucket-major: row[bucket * N + metric]. */
  private readonly rows = new Map<string, Float64Array>();
  private readonly tokens = new Map<string, string>();
  private skipped = 0;
  private seen = 0;

  constructor(options: MetricsAccumulatorOptions) {
    const buckets = options.buckets;
    this.bucketCount = buckets.length;
    this.starts = new Float64Array(buckets.length);
    this.ends = new Float64Array(buckets.length);
    let disjoint = true;
    buckets.forEach((b, i) => {
      if (!Number.isFinite(b.startMs) || !Number.isFinite(b.endMs) || b.endMs < b.startMs) {
        throw new AppError('INTERNAL', `metrics bucket ${i} is not a valid [startMs, endMs) range`);
      }
      this.starts[i] = b.startMs;
      this.ends[i] = b.endMs;
      if (i > 0 && b.startMs < buckets[i - 1].endMs) disjoint = false;
    });
    this.disjoint = disjoint;
    this.connected = options.connectedOutcomes;
    this.connectedUpper = new Set([...options.connectedOutcomes].map((id) => id.trim().toUpperCase()));
  }

  add(objectType: MetricObjectType, records: readonly CrmRecord[]): void {
    this.seen += records.length;
    switch (objectType) {
      case 'calls':
        for (let i = 0; i < records.length; i++) this.call(records[i].properties);
        return;
      case 'emails':
        for (let i = 0; i < records.length; i++) this.email(records[i].properties);
        return;
      case 'meetings':
        for (let i = 0; i < records.length; i++) this.meeting(records[i].properties);
        return;
      case 'notes':
        for (let i = 0; i < records.length; i++) this.note(records[i].properties);
        return;
      case 'tasks':
        for (let i = 0; i < records.length; i++) this.task(records[i].properties);
        return;
      case 'deals':
        for (let i = 0; i < records.length; i++) this.deal(records[i].properties);
        return;
      default:
        this.seen -= records.length;
        throw new AppError('INTERNAL', `the metrics engine does not read ${String(objectType)}`);
    }
  }

  result(): AccumulatorResult {
    const buckets: BucketCounts[] = [];
    for (let b = 0; b < this.bucketCount; b++) {
      const owners = new Map<string, CountMetrics>();
      let unassigned = zeroCounts();
      for (const [ownerId, row] of this.rows) {
        const counts = zeroCounts();
        for (let m = 0; m < N; m++) counts[COUNT_METRICS[m]] = row[b * N + m];
        if (ownerId === '') unassigned = counts;
        else owners.set(ownerId, counts);
      }
      buckets.push({ startMs: this.starts[b], endMs: this.ends[b], owners, unassigned });
    }
    return { buckets, skipped: this.skipped, seen: this.seen };
  }

  // --- per object type -------------------------------------------------------------------------

  private call(p: Props): void {
    const direction = p.hs_call_direction;
    let kind: number;
    if (direction === 'OUTBOUND' || !hasValue(direction)) kind = DIALS;
    else if (direction === 'INBOUND') kind = INBOUND;
    else {
      const d = this.token(direction);
      kind = d === 'OUTBOUND' ? DIALS : d === 'INBOUND' ? INBOUND : NONE;
    }
    if (kind === NONE) return;
    const t = parseInstant(p.hs_timestamp);
    if (t === null) {
      this.skipped++;
      return;
    }
    let row: Float64Array | null = null;
    let connected = false;
    let duration = 0;
    for (let b = 0; b < this.bucketCount; b++) {
      if (t < this.starts[b] || t >= this.ends[b]) continue;
      if (row === null) {
        row = this.row(p.hubspot_owner_id);
        if (kind === DIALS && this.isConnected(p.hs_call_disposition)) {
          connected = true;
          duration = this.duration(p.hs_call_duration);
        }
      }
      const base = b * N;
      row[base + kind]++;
      if (connected) {
        row[base + CONNECTS]++;
        row[base + TALK_TIME] = row[base + TALK_TIME] + duration;
      }
      if (this.disjoint) return;
    }
  }

  private email(p: Props): void {
    const direction = p.hs_email_direction;
    let kind: number;
    if (direction === 'EMAIL') kind = this.emailSendable(p.hs_email_status) ? EMAILS_SENT : NONE;
    else if (direction === 'INCOMING_EMAIL') kind = EMAILS_RECEIVED;
    else if (!hasValue(direction)) kind = NONE;
    else {
      const d = this.token(direction);
      if (d === 'EMAIL') kind = this.emailSendable(p.hs_email_status) ? EMAILS_SENT : NONE;
      else kind = d === 'INCOMING_EMAIL' ? EMAILS_RECEIVED : NONE;
    }
    if (kind !== NONE) this.countOne(p, p.hs_timestamp, kind);
  }

  private note(p: Props): void {
    this.countOne(p, p.hs_timestamp, NOTES);
  }

  private task(p: Props): void {
    const status = p.hs_task_status;
    if (status !== 'COMPLETED' && (!hasValue(status) || this.token(status) !== 'COMPLETED')) return;
    this.countOne(p, p.hs_task_completion_date, TASKS_COMPLETED);
  }

  private meeting(p: Props): void {
    let skip = false;
    const booked = parseInstant(p.hs_createdate);
    if (booked === null) skip = true;
    else this.place(p, booked, BOOKED);

    const startValue = hasValue(p.hs_meeting_start_time) ? p.hs_meeting_start_time : p.hs_timestamp;
    const start = parseInstant(startValue);
    if (start === null) skip = true;
    else {
      const outcome = this.meetingOutcome(p.hs_meeting_outcome);
      let row: Float64Array | null = null;
      for (let b = 0; b < this.bucketCount; b++) {
        if (start < this.starts[b] || start >= this.ends[b]) continue;
        row ??= this.row(p.hubspot_owner_id);
        row[b * N + SCHEDULED]++;
        if (outcome !== NONE) row[b * N + outcome]++;
        if (this.disjoint) break;
      }
    }
    if (skip) this.skipped++;
  }

  private deal(p: Props): void {
    let skip = false;
    const created = parseInstant(p.createdate);
    if (created === null) skip = true;
    else this.place(p, created, DEALS_CREATED);

    const kind = this.isTrue(p.hs_is_closed_won)
      ? DEALS_WON
      : this.isTrue(p.hs_is_closed)
        ? DEALS_LOST
        : NONE;
    if (kind !== NONE) {
      const closed = parseInstant(p.closedate);
      if (closed === null) skip = true;
      else {
        let row: Float64Array | null = null;
        let amount = 0;
        for (let b = 0; b < this.bucketCount; b++) {
          if (closed < this.starts[b] || closed >= this.ends[b]) continue;
          if (row === null) {
            row = this.row(p.hubspot_owner_id);
            if (kind === DEALS_WON) amount = parseDecimal(p.amount) ?? 0;
          }
          row[b * N + kind]++;
          if (kind === DEALS_WON) row[b * N + WON_AMOUNT] = row[b * N + WON_AMOUNT] + amount;
          if (this.disjoint) break;
        }
      }
    }
    if (skip) this.skipped++;
  }

  // --- helpers ---------------------------------------------------------------------------------

  /** Count one metric of a record decided by one timestamp, or skip the record when it is invalid. */
  private countOne(p: Props, timestamp: Value, metric: number): void {
    const t = parseInstant(timestamp);
    if (t === null) this.skipped++;
    else this.place(p, t, metric);
  }

  /** Add 1 to `metric` in every bucket containing `t`. */
  private place(p: Props, t: number, metric: number): void {
    let row: Float64Array | null = null;
    for (let b = 0; b < this.bucketCount; b++) {
      if (t < this.starts[b] || t >= this.ends[b]) continue;
      row ??= this.row(p.hubspot_owner_id);
      row[b * N + metric]++;
      if (this.disjoint) return;
    }
  }

  private row(owner: Value): Float64Array {
    let key = owner ?? '';
    if (key !== '' && (isSpace(key.charCodeAt(0)) || isSpace(key.charCodeAt(key.length - 1))))
      key = key.trim();
    let row = this.rows.get(key);
    if (row === undefined) {
      row = new Float64Array(this.bucketCount * N);
      this.rows.set(key, row);
    }
    return row;
  }

  /** Trimmed upper-case form of an enumeration value, memoized (values repeat: a few distinct per portal). */
  private token(v: string): string {
    let t = this.tokens.get(v);
    if (t === undefined) {
      t = v.trim().toUpperCase();
      if (this.tokens.size >= TOKEN_CACHE_LIMIT) this.tokens.clear();
      this.tokens.set(v, t);
    }
    return t;
  }

  private isTrue(v: Value): boolean {
    return v === 'true' || (hasValue(v) && this.token(v) === 'TRUE');
  }

  private isConnected(disposition: Value): boolean {
    if (!hasValue(disposition)) return false;
    return this.connected.has(disposition) || this.connectedUpper.has(this.token(disposition));
  }

  private emailSendable(status: Value): boolean {
    if (status === 'SENT' || !hasValue(status)) return true;
    const s = this.token(status);
    return s !== 'SCHEDULED' && s !== 'SENDING' && s !== 'FAILED';
  }

  private meetingOutcome(outcome: Value): number {
    if (!hasValue(outcome)) return NONE;
    const o =
      outcome === 'COMPLETED' || outcome === 'NO_SHOW' || outcome === 'CANCELED'
        ? outcome
        : this.token(outcome);
    return o === 'COMPLETED' ? HELD : o === 'NO_SHOW' ? NO_SHOW : o === 'CANCELED' ? CANCELED : NONE;
  }

  private duration(v: Value): number {
    const n = parseDecimal(v);
    return n === null || n < 0 ? 0 : Math.round(n);
  }
}
