/**
 * Calls, emails, meetings, notes and tasks. Volumes are planned per person and day first (so the
 * total lands on the requested size with every profile's share and rates preserved), then drawn
 * day by day, which keeps ids roughly chronological as in HubSpot.
 */
import {
  AM_MEETING_TITLES,
  CALL_TITLES,
  DISPOSITION,
  EMAIL_SUBJECTS,
  INBOUND_CALL_TITLES,
  INCOMING_EMAIL_SUBJECTS,
  MEETING_TITLES,
  NOT_CONNECTED_OUTCOMES,
  NOTE_BODIES,
  OPS_TASK_SUBJECTS,
  TASK_PRIORITIES,
  TASK_SUBJECTS,
} from './catalog.js';
import { cumulative } from './prng.js';
import type { Rng } from './prng.js';
import type { DemoProfile, RepParams, RosterMember } from './profiles.js';
import { ASSOC, iso } from './world.js';
import type { Props, Ref, World } from './world.js';

const CALL = 0;
const EMAIL = 1;
const MEETING = 2;
const NOTE = 3;
const TASK = 4;
const TYPE_NAMES = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
const TO_CONTACT = [
  ASSOC.callToContact,
  ASSOC.emailToContact,
  ASSOC.meetingToContact,
  ASSOC.noteToContact,
  ASSOC.taskToContact,
];
const TO_DEAL = [
  ASSOC.callToDeal,
  ASSOC.emailToDeal,
  ASSOC.meetingToDeal,
  ASSOC.noteToDeal,
  ASSOC.taskToDeal,
];
// Chance an activity is logged against one of the owner's open deals (when there is one).
const DEAL_SHARE = [0.35, 0.45, 0.75, 0.6, 0.5];
const FUTURE_DAYS = 21;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const NOT_CONNECTED_IDS = NOT_CONNECTED_OUTCOMES.map((o) => o[0]);
const NOT_CONNECTED_CUM = cumulative(NOT_CONNECTED_OUTCOMES.map((o) => o[1]));
const FORWARDED_SUBJECTS = ['Fwd: Proposal attached', 'Fwd: Security questionnaire', 'Fwd: Intro'];

/** Someone activities are generated for: a roster member, a deleted user, or nobody. */
export interface Actor {
  /** Roster index, or -1 for people not on the roster. */
  index: number;
  /** Value of hubspot_owner_id; undefined leaves the property out (unowned). */
  ownerId: string | undefined;
  profile: DemoProfile;
  params: RepParams;
  hourShift: number;
  startDay: number;
  endDay: number;
}

/** The actor view of a roster member. */
export function actorOf(m: RosterMember): Actor {
  return {
    index: m.index,
    ownerId: m.ownerId,
    profile: m.profile,
    params: m.params,
    hourShift: m.hourShift,
    startDay: m.startDay,
    endDay: m.endDay,
  };
}

/** Generates the engagements of a World. */
export class ActivityBuilder {
  private readonly pastDays: number;
  private readonly past: Float64Array;
  private readonly future: Float64Array;
  private readonly mixes: Float64Array[];
  private unit = 0;
  /** Index of the actor being drawn (into `actors`). */
  private current = 0;
  // Error-diffusion accumulators per actor, and per actor-week jitter of the connect rate.
  private readonly connectCarry: Float64Array;
  private readonly noShowCarry: Float64Array;
  private readonly weekJitter: Float64Array;
  private readonly weeks: number;
  // The association targets of the activity being built (fields, not return objects: no garbage).
  private targetDeal = -1;
  private targetContact = -1;

  constructor(
    private readonly w: World,
    private readonly rng: Rng,
    private readonly actors: readonly Actor[],
  ) {
    const { frame } = w;
    this.pastDays = frame.anchorDay + 1 - frame.windowStartDay;
    this.past = new Float64Array(actors.length * this.pastDays);
    this.future = new Float64Array(actors.length * FUTURE_DAYS * 3);
    this.mixes = actors.map((a) => cumulative(a.params.mix));
    this.connectCarry = new Float64Array(actors.length).map(() => rng.next());
    this.noShowCarry = new Float64Array(actors.length).map(() => rng.next());
    this.weeks = Math.ceil(this.pastDays / 7) + 1;
    this.weekJitter = new Float64Array(actors.length * this.weeks).map(() => rng.logNormal(1, 0.15));
  }

  /** Plan volumes so that the expected number of engagements is `budget`. */
  plan(budget: number): void {
    const { cal, frame } = this.w;
    const span = Math.max(1, frame.anchorDay - frame.windowStartDay);
    let total = 0;
    this.actors.forEach((a, ai) => {
      const p = a.params;
      // One week of vacation per rep somewhere in the window (not for a new hire).
      const vacation =
        a.profile === 'new-hire' || p.dealRate === 0 ? -1 : frame.windowStartDay + 7 * (1 + this.rng.int(23));
      for (let d = 0; d < this.pastDays; d++) {
        const day = frame.windowStartDay + d;
        let v = 0;
        if (day >= a.startDay && day < a.endDay) {
          const t = (day - frame.windowStartDay) / span;
          v = p.volume * cal.workFactor(day) * (1 + p.volumeTrend * (t - 0.5)) * this.rng.logNormal(1, 0.25);
          if (a.profile === 'new-hire') v *= Math.min(1, 0.25 + (0.75 * (day - a.startDay)) / 35);
          if (a.endDay - day <= 14) v *= 0.6; // the last two weeks before leaving
          if (day >= vacation && day < vacation + 5) v *= 0.03;
        }
        this.past[ai * this.pastDays + d] = v;
        total += v;
      }
      const mixTotal = p.mix[0] + p.mix[1] + p.mix[2] + p.mix[3] + p.mix[4];
      for (let k = 1; k <= FUTURE_DAYS; k++) {
        const day = frame.anchorDay + k;
        if (day >= a.endDay) continue;
        const base = (p.volume * cal.workFactor(day) * (1 + p.volumeTrend * 0.5)) / mixTotal;
        const slot = (ai * FUTURE_DAYS + k - 1) * 3;
        // Already-booked meetings, open tasks and scheduled emails thin out further ahead.
        this.future[slot] = base * p.mix[MEETING] * Math.exp(-k / 6);
        this.future[slot + 1] = base * p.mix[TASK] * 0.9 * Math.exp(-k / 7);
        this.future[slot + 2] = base * p.mix[EMAIL] * 0.01 * Math.exp(-k / 3);
        total +=
          (this.future[slot] as number) +
          (this.future[slot + 1] as number) +
          (this.future[slot + 2] as number);
      }
    });
    this.unit = total > 0 ? Math.max(0, budget) / total : 0;
  }

  /** Draw the planned activities: history day by day, then the future. */
  build(): void {
    const { frame } = this.w;
    const secs: number[] = [];
    for (let d = 0; d < this.pastDays; d++) {
      const day = frame.windowStartDay + d;
      for (let ai = 0; ai < this.actors.length; ai++) {
        const a = this.actors[ai] as Actor;
        this.current = ai;
        const n = this.rng.roundStochastic(this.unit * (this.past[ai * this.pastDays + d] as number));
        if (n === 0) continue;
        secs.length = 0;
        for (let i = 0; i < n; i++) secs.push(this.second(a));
        secs.sort((x, y) => x - y);
        const mix = this.mixes[ai] as Float64Array;
        for (let i = 0; i < n; i++) {
          const ms = this.w.cal.at(day, secs[i] as number);
          this.activity(this.rng.weighted(mix), a, day, ms);
        }
      }
    }
    for (let k = 1; k <= FUTURE_DAYS; k++) {
      const day = frame.anchorDay + k;
      for (let ai = 0; ai < this.actors.length; ai++) {
        const a = this.actors[ai] as Actor;
        this.current = ai;
        const slot = (ai * FUTURE_DAYS + k - 1) * 3;
        const meetings = this.rng.roundStochastic(this.unit * (this.future[slot] as number));
        for (let i = 0; i < meetings; i++)
          this.meeting(a, day, this.meetingStartNear(this.moment(a, day), day));
        const tasks = this.rng.roundStochastic(this.unit * (this.future[slot + 1] as number));
        for (let i = 0; i < tasks; i++) this.task(a, day, this.moment(a, day));
        const emails = this.rng.roundStochastic(this.unit * (this.future[slot + 2] as number));
        for (let i = 0; i < emails; i++) this.scheduledEmail(a, day);
      }
    }
  }

  /** Local second of an activity: working hours, and now and then right around midnight. */
  private second(a: Actor): number {
    if (this.rng.chance(0.002)) {
      return this.rng.chance(0.5) ? 86_400 - this.rng.range(1, 1800) : this.rng.range(0, 1800);
    }
    return this.w.workSecond(this.rng, a.hourShift);
  }

  private activity(type: number, a: Actor, day: number, ms: number): void {
    switch (type) {
      case CALL:
        return this.call(a, day, ms);
      case EMAIL:
        return this.email(a, day, ms);
      case MEETING:
        return this.meeting(a, day, this.meetingStartNear(ms, day));
      case NOTE:
        return this.note(a, day, ms);
      default:
        return this.task(a, day, ms);
    }
  }

  /** Choose the deal (maybe none) and contact an activity is about. */
  private target(a: Actor, day: number, type: number): void {
    const deals = this.w.dealsOn(a.index, day);
    this.targetDeal =
      deals.length > 0 && this.rng.chance(DEAL_SHARE[type] as number) ? this.rng.pick(deals) : -1;
    const dealContacts = this.targetDeal >= 0 ? (this.w.dealContacts[this.targetDeal] ?? []) : [];
    if (dealContacts.length > 0) {
      this.targetContact = this.rng.pick(dealContacts);
      return;
    }
    const own = a.index >= 0 ? (this.w.ownerContacts[a.index] ?? []) : [];
    this.targetContact = own.length > 0 ? this.rng.pick(own) : this.rng.int(this.w.contactRefs.length);
  }

  private link(ref: Ref, type: number): void {
    if (this.targetContact >= 0)
      this.w.associate(ref, this.w.contactRefs[this.targetContact] as Ref, TO_CONTACT[type] as number);
    if (this.targetDeal >= 0)
      this.w.associate(ref, this.w.dealRefs[this.targetDeal] as Ref, TO_DEAL[type] as number);
  }

  private push(type: number, id: string, created: string, updated: string, properties: Props): Ref {
    const name = TYPE_NAMES[type] as (typeof TYPE_NAMES)[number];
    this.w.objects[name].push({ id, archived: false, createdAt: created, updatedAt: updated, properties });
    const ref = { type: name, id };
    this.link(ref, type);
    return ref;
  }

  /** A working moment of `day` for `a`. */
  private moment(a: Actor, day: number): number {
    return this.w.cal.at(day, this.w.workSecond(this.rng, a.hourShift));
  }

  /** A working moment on a workday up to `maxBack` days before `day` (when things get booked or planned). */
  private earlierMoment(a: Actor, day: number, maxBack: number): number {
    let d = day - this.rng.int(maxBack + 1);
    while (d > 0 && this.w.cal.workFactor(d) < 0.5) d--;
    return this.moment(a, d);
  }

  /**
   * A Bernoulli draw with error diffusion: the chance grows with the probability owed since the
   * last success, so a profile's rate shows within a few dozen tries instead of a few thousand,
   * while single outcomes stay random.
   */
  private dither(carry: Float64Array, p: number): boolean {
    const owed = (carry[this.current] as number) + p;
    const hit = this.rng.next() < owed;
    carry[this.current] = hit ? owed - 1 : owed;
    return hit;
  }

  /** Connect probability of `a` on `day`, with trends, weekly ups and downs, and the new hire's ramp. */
  private connectRate(a: Actor, day: number): number {
    const p = a.params;
    const { frame } = this.w;
    const week = Math.max(0, Math.floor((day - frame.windowStartDay) / 7));
    const jitter = this.weekJitter[this.current * this.weeks + Math.min(week, this.weeks - 1)] as number;
    if (a.profile === 'new-hire') return jitter * (0.07 + 0.03 * Math.min(1, (day - a.startDay) / 35));
    const t = (day - frame.windowStartDay) / Math.max(1, frame.anchorDay - frame.windowStartDay);
    return jitter * p.connectRate * (1 + p.connectTrend * (t - 0.5));
  }

  private call(a: Actor, day: number, ms: number): void {
    const rng = this.rng;
    const ts = iso(ms);
    const roll = rng.next();
    const inbound = roll < a.params.inboundShare;
    // About one call in a hundred is logged without a direction (counted as a dial).
    const noDirection = !inbound && roll < a.params.inboundShare + 0.01;
    let disposition: string | undefined;
    let durationMs: number;
    if (inbound) {
      const answered = rng.chance(0.85);
      disposition = answered ? DISPOSITION.connected : DISPOSITION.noAnswer;
      durationMs = answered ? this.talkTime() : rng.range(3_000, 25_000);
    } else if (this.dither(this.connectCarry, this.connectRate(a, day))) {
      disposition = rng.chance(0.1) ? DISPOSITION.customConnected : DISPOSITION.connected;
      durationMs = this.talkTime();
    } else {
      // A few reps skip the outcome field on unanswered dials.
      disposition = rng.chance(0.015) ? undefined : NOT_CONNECTED_IDS[rng.weighted(NOT_CONNECTED_CUM)];
      durationMs =
        disposition === DISPOSITION.leftVoicemail ? rng.range(20_000, 75_000) : rng.range(3_000, 40_000);
    }
    const props: Props = { hs_timestamp: ts, hs_createdate: ts, hs_lastmodifieddate: ts };
    if (a.ownerId !== undefined) props.hubspot_owner_id = a.ownerId;
    props.hs_call_title = inbound ? rng.pick(INBOUND_CALL_TITLES) : rng.pick(CALL_TITLES);
    if (!noDirection) props.hs_call_direction = inbound ? 'INBOUND' : 'OUTBOUND';
    if (disposition !== undefined) props.hs_call_disposition = disposition;
    props.hs_call_duration = String(Math.round(durationMs));
    props.hs_call_status = 'COMPLETED';
    this.target(a, day, CALL);
    this.push(CALL, this.w.engagementId(), ts, ts, props);
  }

  private talkTime(): number {
    return Math.min(3_600_000, Math.max(45_000, this.rng.logNormal(240_000, 0.7)));
  }

  private email(a: Actor, day: number, ms: number): void {
    const rng = this.rng;
    const ts = iso(ms);
    const roll = rng.next();
    let direction: string;
    let status: string | undefined = 'SENT';
    let subject: string;
    if (roll < 0.64) {
      direction = 'EMAIL';
      subject = rng.pick(EMAIL_SUBJECTS);
      const s = rng.next();
      if (s < 0.04) status = 'BOUNCED';
      else if (s < 0.045) status = 'FAILED';
      else if (s < 0.06) status = undefined;
    } else if (roll < 0.97) {
      direction = 'INCOMING_EMAIL';
      subject = rng.pick(INCOMING_EMAIL_SUBJECTS);
    } else {
      direction = 'FORWARDED_EMAIL';
      subject = rng.pick(FORWARDED_SUBJECTS);
    }
    const props: Props = { hs_timestamp: ts, hs_createdate: ts, hs_lastmodifieddate: ts };
    if (a.ownerId !== undefined) props.hubspot_owner_id = a.ownerId;
    props.hs_email_direction = direction;
    if (status !== undefined) props.hs_email_status = status;
    props.hs_email_subject = subject;
    this.target(a, day, EMAIL);
    this.push(EMAIL, this.w.engagementId(), ts, ts, props);
  }

  private scheduledEmail(a: Actor, day: number): void {
    const ts = iso(this.moment(a, day));
    const created = iso(this.earlierMoment(a, this.w.frame.anchorDay, 2));
    const props: Props = { hs_timestamp: ts, hs_createdate: created, hs_lastmodifieddate: created };
    if (a.ownerId !== undefined) props.hubspot_owner_id = a.ownerId;
    props.hs_email_direction = 'EMAIL';
    props.hs_email_status = 'SCHEDULED';
    props.hs_email_subject = this.rng.pick(EMAIL_SUBJECTS);
    this.target(a, day, EMAIL);
    this.push(EMAIL, this.w.engagementId(), created, created, props);
  }

  /** Meetings start on the hour or half hour. */
  private meetingStartNear(ms: number, day: number): number {
    const start = this.w.cal.dayStart(day);
    return start + Math.floor((ms - start) / 1_800_000) * 1_800_000;
  }

  private meeting(a: Actor, day: number, startMs: number): void {
    const rng = this.rng;
    const { cal, frame } = this.w;
    const future = startMs >= frame.nowMs;
    // Booked some days ahead (a few the same day); never before the owner started, never in the future.
    let createdMs: number;
    if (rng.chance(0.12)) createdMs = startMs - rng.range(HOUR_MS, 5 * HOUR_MS);
    else if (future) createdMs = this.earlierMoment(a, frame.anchorDay, 9);
    else createdMs = this.earlierMoment(a, day - 1 - Math.min(20, Math.floor(rng.logNormal(3, 0.7))), 0);
    const earliest = cal.at(Math.max(a.startDay, 0), 8 * 3600);
    if (createdMs < earliest) createdMs = Math.min(earliest, startMs);
    if (createdMs >= frame.nowMs) createdMs = frame.nowMs - rng.range(HOUR_MS, DAY_MS);
    if (createdMs > startMs) createdMs = startMs;
    const minutes = rng.chance(0.5) ? 30 : rng.chance(0.3) ? 45 : 60;
    const endMs = startMs + minutes * 60_000;
    let outcome = 'SCHEDULED';
    if (!future) {
      const p = a.params;
      const r = rng.next();
      // A few past meetings never get their outcome logged.
      if (r < 0.02) outcome = 'SCHEDULED';
      else if (this.dither(this.noShowCarry, p.noShow)) outcome = 'NO_SHOW';
      else {
        const s = rng.next() * (1 - p.noShow);
        if (s < p.cancel) outcome = 'CANCELED';
        else if (s < p.cancel + p.reschedule) outcome = 'RESCHEDULED';
        else outcome = 'COMPLETED';
      }
    }
    const start = iso(startMs);
    const created = iso(createdMs);
    const updated = future ? created : iso(Math.min(endMs, frame.nowMs - 1));
    const props: Props = { hs_timestamp: start, hs_createdate: created, hs_lastmodifieddate: updated };
    if (a.ownerId !== undefined) props.hubspot_owner_id = a.ownerId;
    props.hs_meeting_title = rng.pick(a.profile === 'account-manager' ? AM_MEETING_TITLES : MEETING_TITLES);
    props.hs_meeting_start_time = start;
    props.hs_meeting_end_time = iso(endMs);
    props.hs_meeting_outcome = outcome;
    this.target(a, day, MEETING);
    const ref = this.push(MEETING, this.w.engagementId(), created, updated, props);
    // Meetings about a deal often include more of its buying group.
    if (this.targetDeal >= 0) {
      for (const c of this.w.dealContacts[this.targetDeal] ?? []) {
        if (c !== this.targetContact && rng.chance(0.4)) {
          this.w.associate(ref, this.w.contactRefs[c] as Ref, ASSOC.meetingToContact);
        }
      }
    }
  }

  private note(a: Actor, day: number, ms: number): void {
    const ts = iso(ms);
    const props: Props = { hs_timestamp: ts, hs_createdate: ts, hs_lastmodifieddate: ts };
    if (a.ownerId !== undefined) props.hubspot_owner_id = a.ownerId;
    props.hs_note_body = this.rng.pick(NOTE_BODIES);
    this.target(a, day, NOTE);
    this.push(NOTE, this.w.engagementId(), ts, ts, props);
  }

  private task(a: Actor, day: number, dueMs: number): void {
    const rng = this.rng;
    const { cal, frame } = this.w;
    const earliest = cal.at(Math.max(a.startDay, 0), 8 * 3600);
    const due = dueMs >= frame.nowMs;
    // Planned on a workday up to ten days ahead of the due date (open future tasks: this past week).
    let createdMs = due ? this.earlierMoment(a, frame.anchorDay, 7) : this.earlierMoment(a, day, 10);
    if (createdMs > dueMs) createdMs = dueMs - rng.range(600_000, 3 * HOUR_MS);
    if (createdMs < earliest) createdMs = Math.min(earliest, dueMs);
    let status: string;
    let completedMs = -1;
    const r = rng.next();
    if (due) status = r < 0.8 ? 'NOT_STARTED' : r < 0.92 ? 'IN_PROGRESS' : r < 0.97 ? 'WAITING' : 'DEFERRED';
    else if (r < 0.78) {
      status = 'COMPLETED';
      let doneDay = day + Math.round(rng.range(-2, 1.5));
      doneDay = Math.min(Math.max(doneDay, cal.dayOf(createdMs)), frame.anchorDay);
      while (doneDay < frame.anchorDay && cal.workFactor(doneDay) < 0.5) doneDay++;
      completedMs = cal.at(doneDay, this.w.workSecond(rng, a.hourShift));
      completedMs = Math.min(Math.max(completedMs, createdMs + 60_000), frame.nowMs - 1);
    } else status = r < 0.88 ? 'NOT_STARTED' : r < 0.93 ? 'IN_PROGRESS' : r < 0.96 ? 'WAITING' : 'DEFERRED';
    const [subject, taskType] = rng.pick(a.profile === 'ops-admin' ? OPS_TASK_SUBJECTS : TASK_SUBJECTS);
    const dueIso = iso(dueMs);
    const created = iso(createdMs);
    const updated = completedMs >= 0 ? iso(completedMs) : created;
    const props: Props = { hs_timestamp: dueIso, hs_createdate: created, hs_lastmodifieddate: updated };
    if (a.ownerId !== undefined) props.hubspot_owner_id = a.ownerId;
    props.hs_task_subject = subject;
    props.hs_task_type = taskType;
    props.hs_task_priority = rng.pick(TASK_PRIORITIES);
    props.hs_task_status = status;
    if (completedMs >= 0) props.hs_task_completion_date = updated;
    this.target(a, day, TASK);
    // A tenth of tasks are free-standing reminders with no record attached.
    if (rng.chance(0.1)) {
      this.targetContact = -1;
      this.targetDeal = -1;
    }
    this.push(TASK, this.w.engagementId(), created, updated, props);
  }
}
