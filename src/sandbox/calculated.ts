/**
 * HubSpot's calculated deal properties that Pillars reads, computed on read from the sandbox's
 * associations as HubSpot maintains them:
 * - `num_associated_contacts`: the number of contacts associated with the deal;
 * - `notes_next_activity_date`: the start of the soonest upcoming activity associated with the deal
 *   (a meeting not canceled, or a task not completed, dated after now); empty when there is none.
 * Only record reads (get, list, batch read) compute them; search filters on them see the stored value.
 */
import type { CrmObjectType } from '../core/crm.js';
import type { PortalState } from './portal-state.js';
import { ownValue } from './properties.js';

/** Deal properties HubSpot calculates that the sandbox computes on read. */
export const CALCULATED_DEAL_PROPERTIES: readonly string[] = [
  'num_associated_contacts',
  'notes_next_activity_date',
];

function instant(value: string | null): number | null {
  if (value === null || value === '') return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** The calculated properties among `requested` for one record; {} for other types or none requested. */
export function calculatedProperties(
  portal: PortalState,
  type: CrmObjectType,
  id: string,
  requested: readonly string[] | undefined,
  nowMs: number,
): Record<string, string | null> {
  if (type !== 'deals' || requested === undefined) return {};
  const out: Record<string, string | null> = {};
  if (requested.includes('num_associated_contacts')) {
    out.num_associated_contacts = String(portal.associations.idsOf('deals', id, 'contacts').size);
  }
  if (requested.includes('notes_next_activity_date')) {
    let next: number | null = null;
    const consider = (at: number | null) => {
      if (at !== null && at > nowMs && (next === null || at < next)) next = at;
    };
    for (const mid of portal.associations.idsOf('deals', id, 'meetings')) {
      const m = portal.tables.meetings.byId.get(mid);
      if (!m || m.archived || ownValue(m.properties, 'hs_meeting_outcome') === 'CANCELED') continue;
      consider(
        instant(ownValue(m.properties, 'hs_meeting_start_time') ?? ownValue(m.properties, 'hs_timestamp')),
      );
    }
    for (const tid of portal.associations.idsOf('deals', id, 'tasks')) {
      const t = portal.tables.tasks.byId.get(tid);
      if (!t || t.archived || ownValue(t.properties, 'hs_task_status') === 'COMPLETED') continue;
      consider(instant(ownValue(t.properties, 'hs_timestamp')));
    }
    out.notes_next_activity_date = next === null ? null : new Date(next).toISOString();
  }
  return out;
}
