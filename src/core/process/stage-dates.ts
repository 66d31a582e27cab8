/**
 * When a deal entered and left a stage, from HubSpot's hs_v2 stage-date properties.
 */
import type { CrmRecord } from '../crm.js';
import { parseInstant } from '../time/index.js';

export const DAY_MS = 86_400_000;

/** When the deal entered `stageId`: hs_v2_date_entered_<stageId>, else the current-stage date when it is current. */
export function enteredStageAt(deal: CrmRecord, stageId: string): number | null {
  const own = parseInstant(deal.properties[`hs_v2_date_entered_${stageId}`]);
  if (own !== null) return own;
  if (deal.properties.dealstage !== stageId) return null;
  return parseInstant(deal.properties.hs_v2_date_entered_current_stage);
}

/** When the deal left `stageId`, or null when it has not (or the date is missing). */
export function exitedStageAt(deal: CrmRecord, stageId: string): number | null {
  return parseInstant(deal.properties[`hs_v2_date_exited_${stageId}`]);
}
