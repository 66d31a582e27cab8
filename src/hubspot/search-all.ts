/**
 * Runs a CRM search to completion without ever paging one query past HubSpot's 10,000-result cap.
 * Results are always sorted by hs_object_id ascending; when the next page would cross the cap, a
 * fresh query starts with `hs_object_id GT <last id seen>` added to every filter group (keyset).
 * Keyset rather than time windows: a record matching several timestamps (a meeting booked in one
 * window and held in another) would come back twice from windows, and keyset needs no count call.
 */
import type { CrmRecord } from '../core/crm.js';
import { AppError } from '../core/errors.js';
import type { PageHandler, SearchFilterGroup, SearchQuery, SearchStats } from './gateway.js';

/** HubSpot's search limits. */
export const SEARCH_PAGE_SIZE = 200;
export const SEARCH_RESULT_CAP = 10_000;
export const MAX_FILTERS_PER_GROUP = 10;
export const MAX_FILTERS_TOTAL = 25;

/** The request body of one search page. */
export interface SearchPageRequest {
  filterGroups: SearchFilterGroup[];
  sorts: [{ propertyName: 'hs_object_id'; direction: 'ASCENDING' }];
  properties: string[];
  limit: number;
  after?: string;
}

/** One page of results and the cursor to the next one, if HubSpot gave one. */
export interface SearchPageResult {
  results: CrmRecord[];
  nextAfter: string | undefined;
}

export interface SearchAllLimits {
  pageSize: number;
  resultCap: number;
}

/** Add `hs_object_id GT lastId` to every group (or make it the only group). */
export function withKeyset(
  groups: SearchFilterGroup[],
  lastId: string,
  label = 'HubSpot search',
): SearchFilterGroup[] {
  const keyset = { propertyName: 'hs_object_id', operator: 'GT' as const, value: lastId };
  if (groups.length === 0) return [{ filters: [keyset] }];
  const total = groups.reduce((n, g) => n + g.filters.length, 0) + groups.length;
  if (total > MAX_FILTERS_TOTAL || groups.some((g) => g.filters.length + 1 > MAX_FILTERS_PER_GROUP)) {
    throw new AppError(
      'INTERNAL',
      `${label} has more than ${SEARCH_RESULT_CAP} results and no room for the keyset filter (max ${MAX_FILTERS_PER_GROUP} per group, ${MAX_FILTERS_TOTAL} in all)`,
    );
  }
  return groups.map((g) => ({ filters: [...g.filters, keyset] }));
}

/**
 * Fetch every page of `query` through `fetchPage`, handing each to `onPage` (awaited before the
 * next request, so memory stays at one page). Requests = ceil(records / pageSize), plus one when
 * the last page was exactly full and HubSpot still gave a cursor. `label` names the search (portal,
 * endpoint) in errors.
 */
export async function searchAllPages(
  query: SearchQuery,
  fetchPage: (request: SearchPageRequest) => Promise<SearchPageResult>,
  onPage: PageHandler,
  limits: SearchAllLimits = { pageSize: SEARCH_PAGE_SIZE, resultCap: SEARCH_RESULT_CAP },
  label = 'HubSpot search',
): Promise<SearchStats> {
  const stats: SearchStats = { requests: 0, records: 0 };
  let lastId: string | undefined;
  let keysetFrom: string | undefined; // lastId the current query started after
  let after: string | undefined;
  let fetchedInQuery = 0;

  for (;;) {
    const request: SearchPageRequest = {
      filterGroups:
        keysetFrom === undefined ? query.filterGroups : withKeyset(query.filterGroups, keysetFrom, label),
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: query.properties,
      limit: limits.pageSize,
      ...(after !== undefined ? { after } : {}),
    };
    const page = await fetchPage(request);
    stats.requests += 1;
    stats.records += page.results.length;
    fetchedInQuery += page.results.length;
    const last = page.results.at(-1);
    if (last) {
      await onPage(page.results);
      lastId = last.id;
    }
    if (page.nextAfter === undefined || !last) return stats;
    if (page.nextAfter === after) {
      throw new AppError(
        'HUBSPOT_INVALID_RESPONSE',
        `${label} returned the same paging cursor twice (${after})`,
      );
    }

    const offset = Number(page.nextAfter);
    const position = Number.isFinite(offset) ? Math.max(offset, fetchedInQuery) : fetchedInQuery;
    if (position + limits.pageSize <= limits.resultCap) {
      after = page.nextAfter;
      continue;
    }
    if (lastId === keysetFrom) {
      throw new AppError(
        'HUBSPOT_INVALID_RESPONSE',
        `${label} paging made no progress past id ${String(lastId)}`,
      );
    }
    keysetFrom = lastId; // fresh query: no cursor, no overlap with what was already handed over
    after = undefined;
    fetchedInQuery = 0;
  }
}
