/**
 * The only place the settings page talks to the Pillars backend: the playbook of a pipeline, the
 * coaching and training settings, and the connection. Same rules as the cards' api.ts (copied here:
 * a UI folder cannot import another's): `hubspot.fetch` (HubSpot signs each request), an explicit
 * timeout, typed errors (BackendError with the backend's public message, the field a 400 names and
 * the request id), and a structural check of what the page reads instead of the contracts' strict
 * zod schemas (which would put zod in the bundle and break on every additive backend change).
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { FetchHttpMethod, HubSpotFetchOptions } from '@hubspot/ui-extensions';
// Types only: the contracts package pulls in zod at runtime, which the page does not need.
import type {
  CatalogueSetting,
  CoachesSetting,
  Playbook,
  RulesSetting,
  TargetsSetting,
} from '@pillars/contracts';

/** HubSpot's documented default and the limit we design for (reference §3.2). */
export const SETTINGS_TIMEOUT_MS = 15_000;

export const PLAYBOOKS_PATH = '/api/v1/settings/playbooks';
export const CONNECTION_PATH = '/api/v1/settings/connection';
export const DISCONNECT_PATH = '/api/v1/settings/connection/disconnect';

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

/** The part of `hubspot.fetch` we use; injectable so tests never touch the worker global. */
export type HubSpotFetch = (url: string, options?: HubSpotFetchOptions) => Promise<Response>;

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
  /** Days an uninstalled portal's data is kept; only when a backend sends it. */
  retentionDays?: number;
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
}

/** The backend answered with an error status (directly, or wrapped by HubSpot's proxy). */
export class BackendError extends Error {
  readonly status: number;
  /** The backend's error code (src/core/errors.ts), when it sent one. */
  readonly code: string | undefined;
  /** The backend's user-safe message, when it sent one. */
  readonly publicMessage: string | undefined;
  /** The backend's request id, to quote to support. */
  readonly requestId: string | undefined;
  /** The input field a 400 names (`playbook.stages.x.goal`, `value.modules.2.url`). */
  readonly field: string | undefined;

  constructor(
    status: number,
    code: string | undefined,
    publicMessage: string | undefined,
    requestId?: string | undefined,
    field?: string | undefined,
  ) {
    super(`backend answered ${status}${code ? ` ${code}` : ''}`);
    this.name = 'BackendError';
    this.status = status;
    this.code = code;
    this.publicMessage = publicMessage;
    this.requestId = requestId;
    this.field = field;
  }
}

/** No answer: network failure, or no response within the timeout. */
export class BackendUnreachableError extends Error {
  constructor(cause: unknown) {
    super('the backend did not answer', { cause });
    this.name = 'BackendUnreachableError';
  }
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

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

interface ErrorDetails {
  code?: string;
  message?: string;
  requestId?: string;
  field?: string;
}

/** Our backend's error body: `{ error: { code, message, requestId, details: { field } } }`. */
export function errorDetails(body: unknown): ErrorDetails {
  if (typeof body === 'string') {
    try {
      return errorDetails(JSON.parse(body));
    } catch {
      return {};
    }
  }
  if (!isObject(body)) return {};
  const source = isObject(body.error) ? body.error : body;
  const field = isObject(source.details) ? source.details.field : undefined;
  return {
    ...(isString(source.code) ? { code: source.code } : {}),
    ...(isString(source.message) ? { message: source.message } : {}),
    ...(isString(source.requestId) ? { requestId: source.requestId } : {}),
    ...(isString(field) ? { field } : {}),
  };
}

/**
 * HubSpot's fetch proxy can turn a backend 3xx–5xx into a 200 carrying
 * `{ status: "error", category, context: { appServerStatusCode }, responseBody }` (reference §3.2).
 * Unwrap that into the backend's real status.
 */
export function proxyError(body: unknown): { status: number; responseBody: unknown } | undefined {
  if (!isObject(body) || body.status !== 'error' || !isObject(body.context)) return undefined;
  const status = body.context.appServerStatusCode;
  if (typeof status !== 'number') return undefined;
  return { status, responseBody: body.responseBody };
}

async function send(
  fetchImpl: HubSpotFetch,
  method: FetchHttpMethod,
  url: string,
  body?: Record<string, unknown>,
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method,
      ...(body !== undefined ? { body } : {}),
      timeout: SETTINGS_TIMEOUT_MS,
    });
  } catch (error) {
    throw new BackendUnreachableError(error);
  }
  const json = await readJson(response);
  const wrapped = proxyError(json);
  if (!response.ok || wrapped) {
    const status = wrapped?.status ?? response.status;
    const { code, message, requestId, field } = errorDetails(wrapped ? wrapped.responseBody : json);
    throw new BackendError(status, code, message, requestId, field);
  }
  return json;
}

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
  return undefined;
}

function playbookOf(json: unknown): PlaybookAnswer {
  const problem = checkPlaybookAnswer(json);
  if (problem !== undefined) throw new InvalidAnswerError(problem);
  return json as PlaybookAnswer;
}

/** Builds the client over a `hubspot.fetch`-shaped function. */
export function createSettingsApi(fetchImpl: HubSpotFetch): SettingsApi {
  return {
    async getPlaybook(origin, pipelineId) {
      return playbookOf(await send(fetchImpl, 'GET', `${origin}${playbookPath(pipelineId)}`));
    },
    async putPlaybook(origin, pipelineId, playbook, idempotencyKey) {
      const url = `${origin}${playbookPath(pipelineId)}`;
      return playbookOf(await send(fetchImpl, 'PUT', url, { playbook, idempotencyKey }));
    },
    async resetPlaybook(origin, pipelineId) {
      return playbookOf(await send(fetchImpl, 'DELETE', `${origin}${playbookPath(pipelineId)}`));
    },
    async getSetting(origin, name) {
      const json = await send(fetchImpl, 'GET', `${origin}${settingPath(name)}`);
      const problem = checkSettingAnswer(name, json);
      if (problem !== undefined) throw new InvalidAnswerError(problem);
      const answer = json as Json;
      return {
        value: answer.value as SettingValues[typeof name],
        source: answer.source as 'saved' | 'default',
        warnings: (answer.warnings as string[] | undefined) ?? [],
      };
    },
    async putSetting(origin, name, value, idempotencyKey) {
      const json = await send(fetchImpl, 'PUT', `${origin}${settingPath(name)}`, { value, idempotencyKey });
      const problem = checkSettingAnswer(name, json);
      if (problem !== undefined) throw new InvalidAnswerError(problem);
      const answer = json as Json;
      return {
        value: answer.value as SettingValues[typeof name],
        source: answer.source as 'saved' | 'default',
        warnings: (answer.warnings as string[] | undefined) ?? [],
      };
    },
    async getConnection(origin) {
      const json = await send(fetchImpl, 'GET', `${origin}${CONNECTION_PATH}`);
      const problem = checkConnection(json);
      if (problem !== undefined) throw new InvalidAnswerError(problem);
      return json as Connection;
    },
    async disconnect(origin, idempotencyKey) {
      const json = await send(fetchImpl, 'POST', `${origin}${DISCONNECT_PATH}`, { idempotencyKey });
      if (!isObject(json) || !isString(json.status)) {
        throw new InvalidAnswerError('the answer does not confirm the disconnection');
      }
      return {
        portalId: isNumber(json.portalId) ? json.portalId : 0,
        status: json.status,
        dataDeleted: json.dataDeleted !== false,
      };
    },
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time (it only exists inside HubSpot's worker). */
export const settingsApi: SettingsApi = createSettingsApi((url, options) => hubspot.fetch(url, options));
