/**
 * The weekly meeting pack's requests to the Pillars backend: the teams the signed user coaches, and
 * one team's pack. Through `hubspot.fetch` (HubSpot signs them), with the same timeout and the same
 * typed errors as the scoreboard's report (api.ts); a structural check of what the page renders
 * instead of the contract's strict zod schema (see api.ts for why).
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { PackTeam, WeeklyPack } from '@pillars/contracts';
import type { HubSpotFetch } from '@pillars/ui-kit';
import { requestJson } from '@pillars/ui-kit';
import { InvalidReportError, REPORT_TIMEOUT_MS } from './api';

export const PACK_PATH = '/api/v1/weekly-pack';
export const PACK_TEAMS_PATH = '/api/v1/weekly-pack/teams';

export interface PackRequest {
  backendOrigin: string;
  teamId: string;
}

export type FetchPackTeams = (backendOrigin: string) => Promise<PackTeam[]>;
export type FetchPack = (request: PackRequest) => Promise<WeeklyPack>;

export function packTeamsUrl(backendOrigin: string): string {
  return `${backendOrigin}${PACK_TEAMS_PATH}`;
}

export function packUrl({ backendOrigin, teamId }: PackRequest): string {
  return `${backendOrigin}${PACK_PATH}?${new URLSearchParams({ teamId }).toString()}`;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isList = (v: unknown): v is unknown[] => Array.isArray(v);

function isTeam(v: unknown): boolean {
  return isObject(v) && isString(v.id) && isString(v.name);
}

/** What the teams answer must hold; undefined when fine, else why not. */
export function checkPackTeams(value: unknown): string | undefined {
  if (!isObject(value) || !isList(value.teams)) return 'teams is not a list';
  return value.teams.every(isTeam) ? undefined : 'a team is malformed';
}

/** The fields of a pack the page renders; undefined when fine, else why not. */
export function checkPack(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (!isTeam(value.team)) return 'team is missing';
  if (!isString(value.weekStart)) return 'weekStart is missing';
  if (!isList(value.members)) return 'members is not a list';
  for (const m of value.members) {
    if (
      !isObject(m) ||
      !isString(m.ownerId) ||
      !isString(m.name) ||
      !isString(m.status) ||
      !isList(m.scoreboard) ||
      !isList(m.reasons) ||
      !isObject(m.diagnosis)
    )
      return 'a member is malformed';
  }
  if (!isList(value.praise)) return 'praise is not a list';
  if (!isList(value.stalledDeals)) return 'stalledDeals is not a list';
  if (!isObject(value.training) || !isList(value.training.due) || !isList(value.training.overdue))
    return 'training is malformed';
  if (!isList(value.moduleEffects)) return 'moduleEffects is not a list';
  return undefined;
}

function getJson(fetchImpl: HubSpotFetch, url: string): Promise<unknown> {
  return requestJson(fetchImpl, url, { timeout: REPORT_TIMEOUT_MS });
}

export function createPackTeamsFetcher(fetchImpl: HubSpotFetch): FetchPackTeams {
  return async (backendOrigin) => {
    const body = await getJson(fetchImpl, packTeamsUrl(backendOrigin));
    const problem = checkPackTeams(body);
    if (problem !== undefined) throw new InvalidReportError(problem);
    return (body as { teams: PackTeam[] }).teams;
  };
}

export function createPackFetcher(fetchImpl: HubSpotFetch): FetchPack {
  return async (request) => {
    const body = await getJson(fetchImpl, packUrl(request));
    const problem = checkPack(body);
    if (problem !== undefined) throw new InvalidReportError(problem);
    return body as WeeklyPack;
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time. */
const viaHubSpot: HubSpotFetch = (url, options) => hubspot.fetch(url, options);
export const fetchPackTeams: FetchPackTeams = createPackTeamsFetcher(viaHubSpot);
export const fetchWeeklyPack: FetchPack = createPackFetcher(viaHubSpot);
