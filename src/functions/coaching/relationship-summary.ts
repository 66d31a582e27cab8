/**
 * How a contact's relationship is being worked: touches by channel over the last 30 days, the last
 * touch, and the next scheduled activity (a future meeting or an open task).
 *
 * HubSpot requests: one search per engagement type (5), each scoped by association to the contact
 * (`associations.contact EQ <id>`) and dated from 30 days ago onwards (future meetings and tasks
 * included), as the deal card scopes engagements to a deal. The alternative, v4 associations
 * contact → type (one request per type) then a batch read per type, costs 10 requests and reads the
 * contact's whole history; the search costs 5 and reads only the window. A contact's window fits in
 * one page (200) per type, so 5 requests in all, the gateway's search limiter pacing them.
 *
 * What counts (dated in [now − 30 days, now]):
 * - calls, emails, notes: by `hs_timestamp`;
 * - meetings: by start time (`hs_meeting_start_time`, else `hs_timestamp`), except those CANCELED or
 *   NO_SHOW (they did not happen);
 * - tasks: completed ones, by completion date (else `hs_timestamp`).
 * The last touch is the latest of these. The next activity is the earliest meeting starting after
 * now (not canceled) or open task due after now.
 */
import type { RelationshipSummary } from '@pillars/contracts';
import type { CrmRecord, EngagementType } from '../../core/crm.js';
import { parseInstant } from '../../core/time/index.js';
import type { SearchFilter, SearchQuery } from '../../hubspot/gateway.js';
import type { FunctionContext } from '../context.js';

/** Days covered by the touches. */
export const RELATIONSHIP_DAYS = 30;
const DAY_MS = 86_400_000;

const CHANNELS: readonly EngagementType[] = ['calls', 'emails', 'meetings', 'notes', 'tasks'];

const PROPERTIES: Readonly<Record<EngagementType, readonly string[]>> = {
  calls: ['hs_timestamp'],
  emails: ['hs_timestamp'],
  meetings: ['hs_timestamp', 'hs_meeting_start_time', 'hs_meeting_outcome', 'hs_meeting_title'],
  notes: ['hs_timestamp'],
  tasks: ['hs_timestamp', 'hs_task_status', 'hs_task_completion_date', 'hs_task_subject'],
};

/** The search of one engagement type for the contact: associated, dated from `sinceMs` on. */
export function relationshipQuery(type: EngagementType, contactId: string, sinceMs: number): SearchQuery {
  const byContact: SearchFilter = { propertyName: 'associations.contact', operator: 'EQ', value: contactId };
  const since = (property: string) => ({
    filters: [byContact, { propertyName: property, operator: 'GTE' as const, value: String(sinceMs) }],
  });
  const filterGroups = [since('hs_timestamp')];
  if (type === 'meetings') filterGroups.push(since('hs_meeting_start_time'));
  if (type === 'tasks') filterGroups.push(since('hs_task_completion_date'));
  return { filterGroups, properties: [...PROPERTIES[type]] };
}

type Channel = RelationshipSummary['touches'] extends Record<infer K, number> ? K : never;

/** The summary from the engagements found (pure: tests feed records directly). */
export function summarizeRelationship(
  found: Readonly<Partial<Record<EngagementType, readonly CrmRecord[]>>>,
  nowMs: number,
  days = RELATIONSHIP_DAYS,
): RelationshipSummary {
  const sinceMs = nowMs - days * DAY_MS;
  const touches = { calls: 0, emails: 0, meetings: 0, notes: 0, tasks: 0 };
  let last: { channel: Channel; at: number } | null = null;
  let next: { channel: Channel; at: number; title: string | null } | null = null;
  const touch = (channel: Channel, at: number | null) => {
    if (at === null || at < sinceMs || at > nowMs) return;
    touches[channel]++;
    if (last === null || at > last.at) last = { channel, at };
  };
  const upcoming = (channel: Channel, at: number | null, title: string | null | undefined) => {
    if (at === null || at <= nowMs) return;
    if (next === null || at < next.at) next = { channel, at, title: title?.trim() || null };
  };
  for (const channel of CHANNELS) {
    for (const r of found[channel] ?? []) {
      const p = r.properties;
      if (channel === 'meetings') {
        const at = parseInstant(p.hs_meeting_start_time) ?? parseInstant(p.hs_timestamp);
        const outcome = (p.hs_meeting_outcome ?? '').toUpperCase();
        if (outcome === 'CANCELED') continue;
        if (outcome !== 'NO_SHOW') touch('meetings', at);
        upcoming('meetings', at, p.hs_meeting_title);
      } else if (channel === 'tasks') {
        if ((p.hs_task_status ?? '').toUpperCase() === 'COMPLETED') {
          touch('tasks', parseInstant(p.hs_task_completion_date) ?? parseInstant(p.hs_timestamp));
        } else {
          upcoming('tasks', parseInstant(p.hs_timestamp), p.hs_task_subject);
        }
      } else {
        touch(channel, parseInstant(p.hs_timestamp));
      }
    }
  }
  const lastTouch = last as { channel: Channel; at: number } | null;
  const nextActivity = next as { channel: Channel; at: number; title: string | null } | null;
  return {
    days,
    touches,
    lastTouch: lastTouch ? { channel: lastTouch.channel, at: new Date(lastTouch.at).toISOString() } : null,
    nextActivity: nextActivity
      ? {
          channel: nextActivity.channel,
          at: new Date(nextActivity.at).toISOString(),
          title: nextActivity.title,
        }
      : null,
  };
}

/** Read the contact's engagements (5 searches) and summarize them. */
export async function loadRelationshipSummary(
  ctx: FunctionContext,
  contactId: string,
): Promise<RelationshipSummary> {
  const nowMs = ctx.now().getTime();
  const sinceMs = nowMs - RELATIONSHIP_DAYS * DAY_MS;
  const found: Partial<Record<EngagementType, CrmRecord[]>> = {};
  await Promise.all(
    CHANNELS.map(async (type) => {
      const out: CrmRecord[] = [];
      await ctx.hubspot.searchAll(type, relationshipQuery(type, contactId, sinceMs), (page) => {
        out.push(...page);
      });
      found[type] = out;
    }),
  );
  return summarizeRelationship(found, nowMs);
}
