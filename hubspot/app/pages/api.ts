/**
 * The only place the home page talks to the Pillars backend. One request: the activity-metrics
 * report of a week, optionally narrowed to a team. It goes through `hubspot.fetch` (HubSpot signs
 * it and checks the origin against `permittedUrls.fetch`), with an explicit timeout, and throws a
 * typed error for anything that is not a usable report. The request and its errors are
 * @pillars/ui-kit's, shared with the other UI folders; this module holds the route and the check of
 * what the page renders.
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { HubSpotFetch } from '@pillars/ui-kit';
import { BACKEND_TIMEOUT_MS, requestJson } from '@pillars/ui-kit';
// Types only: the contracts package pulls in zod at runtime, which the card does not need (see
// docs/hubspot-project.md, "Validation in the card").
import type { MetricsReport } from '@pillars/contracts';

export const REPORT_PATH = '/api/v1/activity-metrics';

/** HubSpot's documented default and the limit we design for (reference §3.2). */
export const REPORT_TIMEOUT_MS = BACKEND_TIMEOUT_MS;

// The shared client's pieces the page's modules and tests reach through this module.
export type { HubSpotFetch } from '@pillars/ui-kit';
export { BackendError, BackendUnreachableError } from '@pillars/ui-kit';

export interface ReportRequest {
  /** An https origin from the profile variable BACKEND_ORIGIN, without a trailing slash. */
  backendOrigin: string;
  /** The Monday of the week, `YYYY-MM-DD`. */
  week: string;
  /** Narrow the report to one HubSpot team; omitted for every rep the caller may see. */
  teamId?: string;
}

export type FetchReport = (request: ReportRequest) => Promise<MetricsReport>;

/** An answer that is not a metrics report (deploy skew, a proxy page, truncated JSON). */
export class InvalidReportError extends Error {
  constructor(reason: string) {
    super(`the backend sent something that is not a metrics report: ${reason}`);
    this.name = 'InvalidReportError';
  }
}

/** `https://host/api/v1/activity-metrics?week=...&teamId=...`, parameters in a fixed order. */
export function reportUrl({ backendOrigin, week, teamId }: ReportRequest): string {
  const query = new URLSearchParams({ week });
  if (teamId !== undefined) query.set('teamId', teamId);
  return `${backendOrigin}${REPORT_PATH}?${query.toString()}`;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isRate = (v: unknown): boolean => v === null || isNumber(v);

/** The metrics the page reads; the rest of the report may grow without breaking a deployed card. */
function hasMetrics(value: unknown): boolean {
  return (
    isObject(value) &&
    isNumber(value.dials) &&
    isNumber(value.connects) &&
    isRate(value.connectRate) &&
    isNumber(value.talkTimeMs) &&
    isNumber(value.meetingsHeld) &&
    isRate(value.meetingHeldRate) &&
    isNumber(value.dealsWon) &&
    isNumber(value.wonAmount)
  );
}

/**
 * A structural check of the fields the page renders. Deliberately not the contract's zod schema:
 * that schema is strict (unknown keys fail), so every additive backend change would break cards
 * already deployed in customer portals until the next upload; and it would put zod in the bundle.
 */
export function checkReport(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (
    !isObject(value.period) ||
    typeof value.period.from !== 'string' ||
    typeof value.period.to !== 'string'
  ) {
    return 'period is missing';
  }
  if (!Array.isArray(value.reps)) return 'reps is not a list';
  for (const rep of value.reps) {
    if (
      !isObject(rep) ||
      typeof rep.ownerId !== 'string' ||
      !Array.isArray(rep.teamIds) ||
      !hasMetrics(rep.metrics)
    ) {
      return 'a rep is malformed';
    }
  }
  if (!Array.isArray(value.teams)) return 'teams is not a list';
  for (const team of value.teams) {
    if (
      !isObject(team) ||
      typeof team.teamId !== 'string' ||
      typeof team.name !== 'string' ||
      !hasMetrics(team.median)
    ) {
      return 'a team is malformed';
    }
  }
  return undefined;
}

/** Builds the report fetcher over a `hubspot.fetch`-shaped function. */
export function createReportFetcher(fetchImpl: HubSpotFetch): FetchReport {
  return async (request) => {
    const body = await requestJson(fetchImpl, reportUrl(request), { timeout: REPORT_TIMEOUT_MS });
    const problem = checkReport(body);
    if (problem !== undefined) throw new InvalidReportError(problem);
    // checkReport covered every field the page reads; the rest is the contract's word.
    return body as MetricsReport;
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time (it only exists inside HubSpot's worker). */
export const fetchMetricsReport: FetchReport = createReportFetcher((url, options) =>
  hubspot.fetch(url, options),
);
