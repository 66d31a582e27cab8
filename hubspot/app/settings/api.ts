/**
 * The only place the settings page talks to the Pillars backend: the playbook of a pipeline, the
 * coaching and training settings, the connection, and the pipelines, teams and users the pickers
 * offer. The request and its errors are @pillars/ui-kit's, shared with the other UI folders
 * (`hubspot.fetch`, an explicit timeout, BackendError with the backend's public message, the field a
 * 400 names and the request id); this module holds the routes and a structural check of what the
 * page reads instead of the contracts' strict zod schemas (which would put zod in the bundle and
 * break on every additive backend change).
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { HubSpotFetch } from '@pillars/ui-kit';
import { BACKEND_TIMEOUT_MS, requestJson } from '@pillars/ui-kit';
// Types only: the contracts package pulls in zod at runtime, which the page does not need.
import type {
  CatalogueSetting,
  CoachesSetting,
  Playbook,
  RulesSetting,
  TargetsSetting,
} from '@pillars/contracts';

// The shared client's pieces the page's modules and tests reach through this module.
export type { HubSpotFetch } from '@pillars/ui-kit';
export { BackendError, BackendUnreachableError } from '@pillars/ui-kit';

/** HubSpot's documented default and the limit we design for (reference §3.2). */
export const SETTINGS_TIMEOUT_MS = BACKEND_TIMEOUT_MS;

export const PLAYBOOKS_PATH = '/api/v1/settings/playbooks';
export const CONNECTION_PATH = '/api/v1/settings/connection';
export const DISCONNECT_PATH = '/api/v1/settings/connection/disconnect';
export const PIPELINES_PATH = '/api/v1/settings/pipelines';
export const DIRECTORY_PATH = '/api/v1/settings/directory';

/** `/api/v1/settings/playbooks/<pipelineId>`. */
export function playbookPath(pipelineId: string): string {
  return `${PLAYBOOKS_PATH}/${encodeURIComponent(pipelineId)}`;
}

/** The coaching and training settings, by URL segment, with the value each one holds. */
export interface SettingValues {
  coaches: CoachesSetting;
  targets: TargetsSetting;
  'training-catalogue': CatalogueSetting;
  'training-rules': RulesSetting;
}
export type SettingName = keyof SettingValues;

export function settingPath(name: SettingName): string {
  return `/api/v1/settings/${name}`;
}

export interface PlaybookAnswer {
  source: 'stored' | 'default';
  playbook: Playbook;
}

export interface SettingAnswer<T> {
  value: T;
  source: 'saved' | 'default';
  /** Only after a save: what was accepted but deserves attention. */
  warnings: string[];
}

export interface Connection {
  portalId: number;
  hubDomain: string | null;
  installedAt: string;
  scopes: string[];
  status: string;
  /** Days an uninstalled portal's data is kept (older backends do not send it). */
  retentionDays?: number;
}

/** A deal stage, in pipeline order; `closed` for won and lost stages. */
export interface PipelineStage {
  id: string;
  label: string;
  closed: boolean;
}

/** A deal pipeline of the account (archived ones left out) with its stages in display order. */
export interface Pipeline {
  id: string;
  label: string;
  stages: PipelineStage[];
}

export interface DirectoryTeam {
  id: string;
  name: string;
  /** Its members, primary and secondary. */
  userIds: string[];
}

export interface DirectoryUser {
  id: string;
  email: string;
  superAdmin: boolean;
}

/** The account's teams and users, for the coaches and targets pickers. */
export interface Directory {
  teams: DirectoryTeam[];
  users: DirectoryUser[];
}

export interface DisconnectAnswer {
  portalId: number;
  status: string;
  /** False when the immediate purge failed: the purge job finishes it. */
  dataDeleted: boolean;
}

/** What the page can load and do; injectable so tests never touch the worker global. */
export interface SettingsApi {
  getPlaybook(backendOrigin: string, pipelineId: string): Promise<PlaybookAnswer>;
  putPlaybook(
    backendOrigin: string,
    pipelineId: string,
    playbook: Playbook,
    idempotencyKey: string,
  ): Promise<PlaybookAnswer>;
  resetPlaybook(backendOrigin: string, pipelineId: string): Promise<PlaybookAnswer>;
  getSetting<N extends SettingName>(backendOrigin: string, name: N): Promise<SettingAnswer<SettingValues[N]>>;
  putSetting<N extends SettingName>(
    backendOrigin: string,
    name: N,
    value: SettingValues[N],
    idempotencyKey: string,
  ): Promise<SettingAnswer<SettingValues[N]>>;
  getConnection(backendOrigin: string): Promise<Connection>;
  disconnect(backendOrigin: string, idempotencyKey: string): Promise<DisconnectAnswer>;
  getPipelines(backendOrigin: string): Promise<Pipeline[]>;
  getDirectory(backendOrigin: string): Promise<Directory>;
}

/** An answer that is not what the route promises (deploy skew, a proxy page, truncated JSON). */
export class InvalidAnswerError extends Error {
  constructor(reason: string) {
    super(`the backend sent an answer the settings page cannot use: ${reason}`);
    this.name = 'InvalidAnswerError';
  }
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isList = (v: unknown): v is unknown[] => Array.isArray(v);

/** The fields of a playbook the editor reads; undefined when fine, else why not. */
export function checkPlaybookAnswer(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.source !== 'stored' && value.source !== 'default') return 'source is unknown';
  const { playbook } = value;
  if (!isObject(playbook) || !isString(playbook.pipelineId) || !isObject(playbook.stages)) {
    return 'playbook is missing';
  }
  for (const stage of Object.values(playbook.stages)) {
    if (
      !isObject(stage) ||
      !isString(stage.goal) ||
      !isString(stage.guidance) ||
      !isList(stage.criteria) ||
      !stage.criteria.every((c) => isObject(c) && isString(c.id) && isString(c.kind))
    ) {
      return 'a stage is malformed';
    }
  }
  return undefined;
}

const SETTING_CHECKS: { [N in SettingName]: (value: unknown) => boolean } = {
  coaches: (v) => isObject(v) && isObject(v.teams) && Object.values(v.teams).every((ids) => isList(ids)),
  targets: (v) => isObject(v) && isList(v.default) && isObject(v.teams),
  'training-catalogue': (v) =>
    isObject(v) && isList(v.modules) && v.modules.every((m) => isObject(m) && isString(m.id)),
  'training-rules': (v) => isObject(v) && isList(v.rules) && typeof v.releaseRules === 'boolean',
};

export function checkSettingAnswer(name: SettingName, value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (value.source !== 'saved' && value.source !== 'default') return 'source is unknown';
  if (!SETTING_CHECKS[name](value.value)) return `the ${name} value is malformed`;
  if (value.warnings !== undefined && !(isList(value.warnings) && value.warnings.every(isString))) {
    return 'warnings are malformed';
  }
  return undefined;
}

export function checkConnection(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (!isNumber(value.portalId) || !isString(value.installedAt) || !isString(value.status)) {
    return 'the connection is malformed';
  }
  if (!isList(value.scopes) || !value.scopes.every(isString)) return 'scopes are malformed';
  if (value.retentionDays !== undefined && !isNumber(value.retentionDays))
    return 'retentionDays is malformed';
  return undefined;
}

const isStage = (v: unknown): boolean =>
  isObject(v) && isString(v.id) && isString(v.label) && typeof v.closed === 'boolean';
const isPipeline = (v: unknown): boolean =>
  isObject(v) && isString(v.id) && isString(v.label) && isList(v.stages) && v.stages.every(isStage);
const isTeam = (v: unknown): boolean =>
  isObject(v) && isString(v.id) && isString(v.name) && isList(v.userIds) && v.userIds.every(isString);
const isUser = (v: unknown): boolean =>
  isObject(v) && isString(v.id) && isString(v.email) && typeof v.superAdmin === 'boolean';

export function checkPipelines(value: unknown): string | undefined {
  if (!isObject(value) || !isList(value.pipelines)) return 'pipelines is not a list';
  return value.pipelines.every(isPipeline) ? undefined : 'a pipeline is malformed';
}

export function checkDirectory(value: unknown): string | undefined {
  if (!isObject(value) || !isList(value.teams) || !isList(value.users)) return 'teams or users are missing';
  if (!value.teams.every(isTeam)) return 'a team is malformed';
  return value.users.every(isUser) ? undefined : 'a user is malformed';
}

/** The answer once `check` finds nothing wrong with it; what it checked is what the page reads. */
function checked<T>(json: unknown, check: (value: unknown) => string | undefined): T {
  const problem = check(json);
  if (problem !== undefined) throw new InvalidAnswerError(problem);
  return json as T;
}

function settingOf<N extends SettingName>(name: N, json: unknown): SettingAnswer<SettingValues[N]> {
  const answer = checked<Json>(json, (value) => checkSettingAnswer(name, value));
  return {
    value: answer.value as SettingValues[N],
    source: answer.source as 'saved' | 'default',
    warnings: (answer.warnings as string[] | undefined) ?? [],
  };
}

function playbookOf(json: unknown): PlaybookAnswer {
  return checked(json, checkPlaybookAnswer);
}

/** Builds the client over a `hubspot.fetch`-shaped function. */
export function createSettingsApi(fetchImpl: HubSpotFetch): SettingsApi {
  const send = (url: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE' = 'GET', body?: Json) =>
    requestJson(fetchImpl, url, { method, ...(body !== undefined ? { body } : {}) });
  return {
    async getPlaybook(origin, pipelineId) {
      return playbookOf(await send(`${origin}${playbookPath(pipelineId)}`));
    },
    async putPlaybook(origin, pipelineId, playbook, idempotencyKey) {
      return playbookOf(
        await send(`${origin}${playbookPath(pipelineId)}`, 'PUT', { playbook, idempotencyKey }),
      );
    },
    async resetPlaybook(origin, pipelineId) {
      return playbookOf(await send(`${origin}${playbookPath(pipelineId)}`, 'DELETE'));
    },
    async getSetting(origin, name) {
      return settingOf(name, await send(`${origin}${settingPath(name)}`));
    },
    async putSetting(origin, name, value, idempotencyKey) {
      return settingOf(name, await send(`${origin}${settingPath(name)}`, 'PUT', { value, idempotencyKey }));
    },
    async getConnection(origin) {
      return checked(await send(`${origin}${CONNECTION_PATH}`), checkConnection);
    },
    async disconnect(origin, idempotencyKey) {
      const json = await send(`${origin}${DISCONNECT_PATH}`, 'POST', { idempotencyKey });
      if (!isObject(json) || !isString(json.status)) {
        throw new InvalidAnswerError('the answer does not confirm the disconnection');
      }
      return {
        portalId: isNumber(json.portalId) ? json.portalId : 0,
        status: json.status,
        dataDeleted: json.dataDeleted !== false,
      };
    },
    async getPipelines(origin) {
      const json = checked<{ pipelines: Pipeline[] }>(
        await send(`${origin}${PIPELINES_PATH}`),
        checkPipelines,
      );
      return json.pipelines;
    },
    async getDirectory(origin) {
      const { teams, users } = checked<Directory>(await send(`${origin}${DIRECTORY_PATH}`), checkDirectory);
      return { teams, users };
    },
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time (it only exists inside HubSpot's worker). */
export const settingsApi: SettingsApi = createSettingsApi((url, options) => hubspot.fetch(url, options));
