/**
 * Deliberate edge cases, present at every size: the items METRICS.md has rules for (deleted and
 * missing owners, direction-less calls, custom outcomes, scheduled/failed emails, week and DST
 * boundaries...). Each is labelled in demo.edgeCases so other features' tests can find it.
 */
import { DISPOSITION, EMAIL_SUBJECTS } from './catalog.js';
import type { DealBuilder } from './deals.js';
import type { Rng } from './prng.js';
import type { RepParams, RosterMember } from './profiles.js';
import { ASSOC, iso } from './world.js';
import type { ObjectType, Props, Ref, World } from './world.js';

/** Owner id of a user who was deleted: items still carry it, the owners list does not. */
export const UNKNOWN_OWNER_ID = '61499999';

const DAY_S = 86_400;
const TO_CONTACT: Partial<Record<ObjectType, number>> = {
  calls: ASSOC.callToContact,
  emails: ASSOC.emailToContact,
  meetings: ASSOC.meetingToContact,
  notes: ASSOC.noteToContact,
  tasks: ASSOC.taskToContact,
};

/** How hubspot_owner_id is set: a value, '' or null, or left out (undefined). */
type OwnerValue = string | null | undefined;

class EdgeWriter {
  constructor(
    private readonly w: World,
    private readonly rng: Rng,
  ) {}

  add(
    type: ObjectType,
    label: string,
    owner: OwnerValue,
    props: Props,
    createdMs: number,
    archived = false,
  ): void {
    const id = this.w.engagementId();
    const created = iso(createdMs);
    const full: Props = { ...props };
    if (owner !== undefined) full.hubspot_owner_id = owner;
    this.w.objects[type].push({ id, archived, createdAt: created, updatedAt: created, properties: full });
    const contact = this.rng.int(this.w.contactRefs.length);
    const typeId = TO_CONTACT[type];
    if (typeId !== undefined) this.w.associate({ type, id }, this.w.contactRefs[contact] as Ref, typeId);
    this.w.tagEdge(label, id);
  }

  call(
    label: string,
    owner: OwnerValue,
    ms: number,
    direction: string | undefined,
    disposition: string,
    archived = false,
  ): void {
    const ts = iso(ms);
    const connected = disposition === DISPOSITION.connected || disposition === DISPOSITION.customConnected;
    const props: Props = {
      hs_timestamp: ts,
      hs_createdate: ts,
      hs_lastmodifieddate: ts,
      hs_call_title: 'Follow-up call',
    };
    if (direction !== undefined) props.hs_call_direction = direction;
    props.hs_call_disposition = disposition;
    props.hs_call_duration = String(
      connected ? 180_000 + this.rng.int(300_000) : 5_000 + this.rng.int(20_000),
    );
    props.hs_call_status = 'COMPLETED';
    this.add('calls', label, owner, props, ms, archived);
  }

  email(
    label: string,
    owner: OwnerValue,
    ms: number,
    direction: string,
    status: string | undefined,
    createdMs = ms,
  ): void {
    const ts = iso(ms);
    const created = iso(createdMs);
    const props: Props = {
      hs_timestamp: ts,
      hs_createdate: created,
      hs_lastmodifieddate: created,
      hs_email_direction: direction,
    };
    if (status !== undefined) props.hs_email_status = status;
    props.hs_email_subject = this.rng.pick(EMAIL_SUBJECTS);
    this.add('emails', label, owner, props, createdMs);
  }

  meeting(label: string, owner: OwnerValue, startMs: number, outcome: string, withStartTime = true): void {
    const start = iso(startMs);
    const createdMs = startMs - 3 * DAY_S * 1000;
    const created = iso(createdMs);
    const props: Props = {
      hs_timestamp: start,
      hs_createdate: created,
      hs_lastmodifieddate: created,
      hs_meeting_title: 'Product demo',
    };
    if (withStartTime) props.hs_meeting_start_time = start;
    props.hs_meeting_end_time = iso(startMs + 1_800_000);
    props.hs_meeting_outcome = outcome;
    this.add('meetings', label, owner, props, createdMs);
  }

  note(label: string, owner: OwnerValue, ms: number | undefined, createdMs: number): void {
    const created = iso(createdMs);
    const props: Props = {};
    if (ms !== undefined) props.hs_timestamp = iso(ms);
    props.hs_createdate = created;
    props.hs_lastmodifieddate = created;
    props.hs_note_body = 'Called the main line; routed to the right person.';
    this.add('notes', label, owner, props, createdMs);
  }

  task(label: string, owner: OwnerValue, dueMs: number, status: string, completedMs?: number): void {
    const createdMs = dueMs - 2 * DAY_S * 1000;
    const created = iso(createdMs);
    const props: Props = {
      hs_timestamp: iso(dueMs),
      hs_createdate: created,
      hs_lastmodifieddate: created,
      hs_task_subject: 'Follow up',
      hs_task_type: 'CALL',
      hs_task_priority: 'MEDIUM',
      hs_task_status: status,
    };
    if (completedMs !== undefined) props.hs_task_completion_date = iso(completedMs);
    this.add('tasks', label, owner, props, createdMs);
  }
}

/** Add the edge cases; `steadyParams` shapes the deleted user's deal. */
export function buildEdgeCases(w: World, rng: Rng, deals: DealBuilder, steadyParams: RepParams): void {
  const { cal, frame, roster } = w;
  const e = new EdgeWriter(w, rng);
  const reps = roster.filter((m) => m.profile === 'steady');
  const rep = (reps[0] ?? roster[0]) as RosterMember;
  const other = (reps[1] ?? rep) as RosterMember;
  const me = rep.ownerId;
  const at = (day: number, hour: number) => cal.at(day, hour * 3600 + rng.int(3600));
  const lastWeek = frame.anchorMonday - 7;
  const wednesday = lastWeek + 2;

  // Week boundaries of the last full week (Monday 00:00 local is the first instant of a week).
  e.call('call.week-start-00:00:00.000', me, cal.dayStart(lastWeek), 'OUTBOUND', DISPOSITION.connected);
  e.call(
    'call.week-end-23:59:59.999',
    me,
    cal.dayStart(frame.anchorMonday) - 1,
    'OUTBOUND',
    DISPOSITION.connected,
  );
  e.call(
    'call.next-week-start-00:00:00.000',
    me,
    cal.dayStart(frame.anchorMonday),
    'OUTBOUND',
    DISPOSITION.noAnswer,
  );
  // Around local midnight in the middle of a week.
  e.call('call.around-midnight', me, cal.at(wednesday, DAY_S - 90), 'OUTBOUND', DISPOSITION.leftVoicemail);
  e.call('call.around-midnight', me, cal.at(wednesday + 1, 75), 'OUTBOUND', DISPOSITION.connected);

  // The latest DST change in the window: the skipped or repeated hour, and the evening before.
  for (let day = frame.anchorDay; day > frame.windowStartDay; day--) {
    if (!cal.isOffsetChangeDay(day)) continue;
    e.call('call.dst-change-day', me, cal.at(day, 1.5 * 3600), 'OUTBOUND', DISPOSITION.connected);
    e.call('call.dst-change-day', me, cal.at(day, 3.5 * 3600), 'OUTBOUND', DISPOSITION.noAnswer);
    e.note('note.dst-eve-23:30', me, cal.at(day - 1, 23.5 * 3600), cal.at(day - 1, 23.5 * 3600));
    break;
  }

  // Outcomes and directions.
  e.call('call.custom-connected-outcome', me, at(wednesday, 10), 'OUTBOUND', DISPOSITION.customConnected);
  e.call('call.no-direction', me, at(wednesday, 11), undefined, DISPOSITION.connected);
  e.call('call.no-direction', other.ownerId, at(wednesday, 14), undefined, DISPOSITION.noAnswer);
  const epochMs = at(wednesday, 15);
  e.call('call.epoch-ms-timestamp', me, epochMs, 'OUTBOUND', DISPOSITION.connected);
  const epochCall = w.objects.calls[w.objects.calls.length - 1];
  if (epochCall) epochCall.properties.hs_timestamp = String(epochMs);
  // Deleted in HubSpot: search never returns it, so it must never count.
  e.call('call.archived-record', me, at(wednesday, 16), 'OUTBOUND', DISPOSITION.connected, true);

  // The departed rep's last day.
  const departed = roster.find((m) => m.archived);
  if (departed && Number.isFinite(departed.endDay)) {
    let lastDay = departed.endDay - 1;
    while (cal.workFactor(lastDay) < 0.5) lastDay--;
    e.call('call.archived-owner', departed.ownerId, at(lastDay, 11), 'OUTBOUND', DISPOSITION.connected);
  }

  // A deleted user: the owner id is on items but not in the owners list.
  e.call('call.unknown-owner', UNKNOWN_OWNER_ID, at(lastWeek + 1, 9), 'OUTBOUND', DISPOSITION.connected);
  e.call('call.unknown-owner', UNKNOWN_OWNER_ID, at(lastWeek + 1, 10), 'OUTBOUND', DISPOSITION.noAnswer);
  e.call('call.unknown-owner', UNKNOWN_OWNER_ID, at(lastWeek + 3, 14), 'INBOUND', DISPOSITION.connected);
  e.email('email.unknown-owner', UNKNOWN_OWNER_ID, at(lastWeek + 1, 11), 'EMAIL', 'SENT');
  e.meeting('meeting.unknown-owner', UNKNOWN_OWNER_ID, cal.at(lastWeek + 2, 14 * 3600), 'NO_SHOW');
  const dealStart = frame.anchorDay - 100;
  const path = deals.simulateSales(
    steadyParams,
    0,
    { day: dealStart, sec: 10 * 3600 },
    frame.anchorDay,
    true,
  );
  const companyIndex = deals.companyFor(undefined);
  const dealIndex = deals.emit(path, {
    ownerId: UNKNOWN_OWNER_ID,
    ownerIndex: -1,
    companyIndex,
    pipeline: 'default',
    dealtype: 'newbusiness',
    name: `${w.companyNames[companyIndex] as string} - Platform`,
    amount: 21_500,
    contacts: deals.pickContacts(companyIndex),
    staleCloseDates: false,
  });
  w.tagEdge('deal.unknown-owner', w.objects.deals[dealIndex]?.id ?? '');

  // No owner: missing, empty and null hubspot_owner_id.
  e.call('call.unowned', undefined, at(lastWeek + 1, 9), 'INBOUND', DISPOSITION.connected);
  e.call('call.unowned', undefined, at(lastWeek + 2, 13), 'OUTBOUND', DISPOSITION.noAnswer);
  e.call('call.unowned-empty-string', '', at(lastWeek + 3, 10), 'OUTBOUND', DISPOSITION.connected);
  e.call('call.unowned-null', null, at(lastWeek + 4, 15), 'OUTBOUND', DISPOSITION.busy);
  e.email('email.unowned', undefined, at(lastWeek + 2, 9), 'INCOMING_EMAIL', 'SENT');
  e.note('note.unowned', undefined, at(lastWeek + 3, 12), at(lastWeek + 3, 12));
  e.task('task.unowned', undefined, at(lastWeek + 4, 9), 'NOT_STARTED');
  e.meeting('meeting.unowned', undefined, cal.at(lastWeek + 1, 15 * 3600), 'COMPLETED');

  // Email statuses the metric must exclude or include.
  e.email('email.failed', me, at(wednesday, 9), 'EMAIL', 'FAILED');
  e.email('email.failed', other.ownerId, at(wednesday + 1, 9), 'EMAIL', 'FAILED');
  e.email('email.sending', me, frame.nowMs - 120_000, 'EMAIL', 'SENDING');
  for (let k = 1; k <= 3; k++) {
    e.email(
      'email.scheduled',
      k === 2 ? other.ownerId : me,
      at(frame.anchorDay + k, 9),
      'EMAIL',
      'SCHEDULED',
      frame.nowMs - k * 3_600_000,
    );
  }
  e.email('email.no-status', me, at(wednesday, 13), 'EMAIL', undefined);
  e.email('email.no-status', other.ownerId, at(wednesday + 1, 13), 'EMAIL', undefined);
  e.email('email.forwarded', me, at(wednesday, 14), 'FORWARDED_EMAIL', 'SENT');
  e.email('email.bounced', me, at(wednesday, 16), 'EMAIL', 'BOUNCED');

  // Meetings: rescheduled, no start time (the metric falls back to hs_timestamp), future.
  e.meeting('meeting.rescheduled', me, cal.at(wednesday, 10 * 3600), 'RESCHEDULED');
  e.meeting('meeting.rescheduled', other.ownerId, cal.at(wednesday + 1, 11 * 3600), 'RESCHEDULED');
  e.meeting('meeting.no-start-time', me, cal.at(wednesday, 15 * 3600), 'COMPLETED', false);
  e.meeting('meeting.scheduled-future', me, cal.at(frame.anchorDay + 2, 14 * 3600), 'SCHEDULED');

  // Completed tasks without a completion date are skipped by the metric.
  const owners = [me, other.ownerId, (reps[2] ?? rep).ownerId];
  for (let k = 0; k < 6; k++) {
    e.task(
      'task.completed-no-completion-date',
      owners[k % 3],
      at(frame.anchorDay - 3 - 2 * k, 10),
      'COMPLETED',
    );
  }
  e.task('task.completed', me, at(wednesday, 11), 'COMPLETED', at(wednesday, 16));

  // A note with no timestamp at all: skipped and counted in `skipped`.
  e.note('note.missing-timestamp', me, undefined, at(wednesday, 12));
}
