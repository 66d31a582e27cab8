/**
 * The HubSpot searches behind the activity metrics: for each object type, one query whose filter
 * groups (OR'd) select every record that can count in [startMs, endMs) by one of its deciding
 * timestamps (METRICS.md §2), plus the records whose deciding timestamp is missing, so the engine can
 * report them in `skipped` instead of silently dropping them. The engine re-checks every timestamp,
 * so a record fetched for one reason never counts for another by accident.
 */
import type { MetricObjectType } from '../../core/metrics/index.js';
import type { SearchFilter, SearchFilterGroup, SearchQuery } from '../../hubspot/gateway.js';

function inRange(property: string, startMs: number, endMs: number): SearchFilter[] {
  // Half-open [start, end): BETWEEN is inclusive at both ends, so use GTE + LT.
  return [
    { propertyName: property, operator: 'GTE', value: String(startMs) },
    { propertyName: property, operator: 'LT', value: String(endMs) },
  ];
}

const missing = (property: string): SearchFilter => ({
  propertyName: property,
  operator: 'NOT_HAS_PROPERTY',
});
const equals = (property: string, value: string): SearchFilter => ({
  propertyName: property,
  operator: 'EQ',
  value,
});
const group = (...filters: SearchFilter[]): SearchFilterGroup => ({ filters });

/** The filter groups that select the records of `type` relevant to the period. */
export function metricFilterGroups(
  type: MetricObjectType,
  startMs: number,
  endMs: number,
): SearchFilterGroup[] {
  switch (type) {
    case 'calls':
    case 'emails':
    case 'notes':
      return [group(...inRange('hs_timestamp', startMs, endMs)), group(missing('hs_timestamp'))];
    case 'meetings':
      return [
        // booked: created in the period
        group(...inRange('hs_createdate', startMs, endMs)),
        // scheduled/held/no-show/canceled: starting in the period (start time, else hs_timestamp)
        group(...inRange('hs_meeting_start_time', startMs, endMs)),
        group(missing('hs_meeting_start_time'), ...inRange('hs_timestamp', startMs, endMs)),
        group(missing('hs_meeting_start_time'), missing('hs_timestamp')),
        // no creation date: cannot be placed as booked (HubSpot always has one; a fixture may not)
        group(missing('hs_createdate')),
      ];
    case 'tasks':
      return [
        group(equals('hs_task_status', 'COMPLETED'), ...inRange('hs_task_completion_date', startMs, endMs)),
        group(equals('hs_task_status', 'COMPLETED'), missing('hs_task_completion_date')),
      ];
    case 'deals':
      return [
        group(...inRange('createdate', startMs, endMs)),
        group(equals('hs_is_closed', 'true'), ...inRange('closedate', startMs, endMs)),
        group(equals('hs_is_closed_won', 'true'), ...inRange('closedate', startMs, endMs)),
        group(equals('hs_is_closed', 'true'), missing('closedate')),
        group(equals('hs_is_closed_won', 'true'), missing('closedate')),
      ];
  }
}

/** The full search for one object type: its filter groups and only the properties the engine reads. */
export function metricQuery(
  type: MetricObjectType,
  startMs: number,
  endMs: number,
  properties: readonly string[],
): SearchQuery {
  return { filterGroups: metricFilterGroups(type, startMs, endMs), properties: [...properties] };
}
