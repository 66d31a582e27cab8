/**
 * Connected call outcomes (METRICS.md §2): read per portal, because portals create their own outcomes.
 */
import type { CallDisposition } from '../crm.js';

/** HubSpot's default "Connected" call outcome, counted even when the portal's list does not name it. */
export const DEFAULT_CONNECTED_OUTCOME_ID = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

/** Canonical form of a disposition id: trimmed, lower case (HubSpot writes GUIDs in lower case). */
export function normalizeOutcomeId(id: string): string {
  return id.trim().toLowerCase();
}

/**
 * The ids of the portal's connected outcomes: dispositions labelled "Connected" (case-insensitive,
 * trimmed), HubSpot's default one always, and `extraIds` from the portal's settings. Ids are normalized
 * (trimmed, lower case); blank ids are ignored.
 */
export function connectedOutcomeIds(
  dispositions: readonly CallDisposition[],
  extraIds: readonly string[] = [],
): Set<string> {
  const ids = new Set<string>([DEFAULT_CONNECTED_OUTCOME_ID]);
  for (const d of dispositions) {
    if (d.label.trim().toLowerCase() === 'connected') add(ids, d.id);
  }
  for (const id of extraIds) add(ids, id);
  return ids;
}

function add(ids: Set<string>, id: string): void {
  const normalized = normalizeOutcomeId(id);
  if (normalized !== '') ids.add(normalized);
}
