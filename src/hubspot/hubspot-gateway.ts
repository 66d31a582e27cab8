/**
 * The HubSpot gateway on top of `@hubspot/api-client` 13.5: one isolated Client per gateway, our
 * own per-portal throttle, retries and per-request deadline, zod on every answer, and the closed
 * HUBSPOT_* error codes. See gateway.ts for the port it implements.
 */
import type http from 'node:http';
import type { CrmObjectType, CrmRecord, Owner, PortalUser } from '../core/crm.js';
import { AppError, isAppError } from '../core/errors.js';
import type { CreateObjectInput, HubSpotGateway, PageHandler, SearchQuery, SearchStats } from './gateway.js';
import { createHubSpotAgent } from './http-agent.js';
import { chunks, collectPages, unique } from './paging.js';
import { silentLogger, type GatewayLogger } from './logger.js';
import { toOwner, toPipeline, toPortalDetails, toRecord, toTeam, toUser } from './mappers.js';
import { rawGet } from './raw-get.js';
import { createRequestRunner, type HubSpotRequestEvent } from './request-runner.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import {
  accountDetailsSchema,
  associationBatchReadSchema,
  batchReadSchema,
  crmObjectSchema,
  dispositionsSchema,
  ownerSchema,
  ownersPageSchema,
  pipelinesSchema,
  searchPageSchema,
  teamsSchema,
  usersPageSchema,
} from './schemas.js';
import { createSdkApis } from './sdk-client.js';
import { toSdkCreateInput, toSdkSearchRequest } from './sdk-requests.js';
import { searchAllPages, type SearchPageRequest, type SearchPageResult } from './search-all.js';
import type { PortalThrottle } from './throttle.js';

/** Production HubSpot API origin. */
export const HUBSPOT_BASE_PATH = 'https://api.hubapi.com';
/** Per-request deadline: below hubspot.fetch's 15 s, so a card still gets a clean answer. */
export const DEFAULT_TIMEOUT_MS = 8_000;

const IDLE_GRACE_MS = 250;
const OWNERS_PAGE = 500;
const USERS_PAGE = 100;
const BATCH_READ_CHUNK = 100;
const ASSOCIATION_CHUNK = 1_000;

export interface HubSpotGatewayOptions {
  /** The portal this gateway speaks for; unknown during install (then it shares a budget with other unknowns). */
  portalId?: number;
  /** A token, or a function asked before every attempt (so a refreshed token is picked up). */
  accessToken: string | (() => Promise<string>);
  /** HubSpot's base URL; the sandbox or a test server in tests. Requests never leave its origin. */
  basePath?: string;
  /** Per-portal throttle; share one per process (or the Redis one across processes). */
  throttle: PortalThrottle;
  /** Retry policy overrides (defaults in retry-policy.ts). */
  retry?: Partial<RetryPolicy>;
  /** Deadline of one attempt in ms (default 8,000); its socket is closed once idle a little longer. */
  timeoutMs?: number;
  logger?: GatewayLogger;
  /** Called once per HTTP attempt (metrics). Exceptions it throws are logged and ignored. */
  onRequest?: (e: HubSpotRequestEvent) => void;
  /** Sleep between retries; injectable so tests run fast. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** A keep-alive agent from createHubSpotAgent to share between gateways; default: one per gateway. */
  httpAgent?: http.Agent;
}

/** Build a gateway for one portal. */
export function createHubSpotGateway(options: HubSpotGatewayOptions): HubSpotGateway {
  const basePath = (options.basePath ?? HUBSPOT_BASE_PATH).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const token = options.accessToken;
  const apis = createSdkApis(basePath);
  const portalName = options.portalId === undefined ? 'unknown portal' : `portal ${options.portalId}`;
  const run = createRequestRunner({
    portalId: options.portalId,
    throttle: options.throttle,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    timeoutMs,
    // Idle timeout a little past the deadline: the deadline fails the attempt, the idle timeout
    // then frees the socket of a request we gave up on.
    agent: options.httpAgent ?? createHubSpotAgent({ basePath, idleTimeoutMs: timeoutMs + IDLE_GRACE_MS }),
    origin: new URL(basePath).origin,
    getToken: typeof token === 'string' ? () => Promise.resolve(token) : token,
    logger: options.logger ?? silentLogger,
    onRequest: options.onRequest,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
  });

  async function searchPage(
    objectType: CrmObjectType,
    request: SearchPageRequest,
  ): Promise<SearchPageResult> {
    const page = await run({
      endpoint: `POST /crm/v3/objects/${objectType}/search`,
      kind: 'search',
      safeToRetry: true,
      schema: searchPageSchema,
      send: (a) => apis.search.doSearch(objectType, toSdkSearchRequest(request), a.sdkOptions),
    });
    return { results: page.results.map(toRecord), nextAfter: page.paging?.next?.after };
  }

  return {
    async getPortalDetails() {
      const details = await run({
        endpoint: 'GET /account-info/v3/details',
        kind: 'general',
        safeToRetry: true,
        schema: accountDetailsSchema,
        send: (a) => rawGet(basePath, '/account-info/v3/details', a.token, a.selectAgent, a.probe),
      });
      if (options.portalId !== undefined && details.portalId !== options.portalId) {
        // The token belongs to another portal: never let its data flow under this portal's id.
        throw new AppError(
          'HUBSPOT_INVALID_RESPONSE',
          `HubSpot account details for ${portalName} name portal ${details.portalId}: token and portal do not match`,
        );
      }
      return toPortalDetails(details);
    },

    async listOwners({ archived }): Promise<Owner[]> {
      const endpoint = 'GET /crm/v3/owners';
      return collectPages(
        `HubSpot ${endpoint} for ${portalName}`,
        (after) =>
          run({
            endpoint,
            kind: 'general',
            safeToRetry: true,
            schema: ownersPageSchema,
            send: (a) => apis.owners.getPage(undefined, after, OWNERS_PAGE, archived, a.sdkOptions),
          }),
        (page) => page.results.map(toOwner),
      );
    },

    async getOwnerByUserId(userId) {
      try {
        const owner = await run({
          endpoint: 'GET /crm/v3/owners/{ownerId}',
          kind: 'general',
          safeToRetry: true,
          schema: ownerSchema,
          send: (a) => apis.owners.getById(userId, 'userId', false, a.sdkOptions),
        });
        return toOwner(owner);
      } catch (err) {
        if (isAppError(err) && err.code === 'HUBSPOT_NOT_FOUND') return null;
        throw err;
      }
    },

    async listUsers(): Promise<PortalUser[]> {
      const endpoint = 'GET /settings/v3/users';
      return collectPages(
        `HubSpot ${endpoint} for ${portalName}`,
        (after) =>
          run({
            endpoint,
            kind: 'general',
            safeToRetry: true,
            schema: usersPageSchema,
            send: (a) => apis.users.getPage(USERS_PAGE, after, a.sdkOptions),
          }),
        (page) => page.results.map(toUser),
      );
    },

    async listTeams() {
      const teams = await run({
        endpoint: 'GET /settings/v3/users/teams',
        kind: 'general',
        safeToRetry: true,
        schema: teamsSchema,
        send: (a) => apis.teams.getAll(a.sdkOptions),
      });
      return teams.results.map(toTeam);
    },

    async listDealPipelines() {
      const pipelines = await run({
        endpoint: 'GET /crm/v3/pipelines/deals',
        kind: 'general',
        safeToRetry: true,
        schema: pipelinesSchema,
        send: (a) => apis.pipelines.getAll('deals', a.sdkOptions),
      });
      return pipelines.results.map(toPipeline).sort((x, y) => x.displayOrder - y.displayOrder);
    },

    async listCallDispositions() {
      const dispositions = await run({
        endpoint: 'GET /calling/v1/dispositions',
        kind: 'general',
        safeToRetry: true,
        schema: dispositionsSchema,
        send: (a) => rawGet(basePath, '/calling/v1/dispositions', a.token, a.selectAgent, a.probe),
      });
      return dispositions.map((d) => ({ id: d.id, label: d.label }));
    },

    async searchAll(
      objectType: CrmObjectType,
      query: SearchQuery,
      onPage: PageHandler,
    ): Promise<SearchStats> {
      return searchAllPages(
        query,
        (request) => searchPage(objectType, request),
        onPage,
        undefined,
        `HubSpot POST /crm/v3/objects/${objectType}/search for ${portalName}`,
      );
    },

    async batchRead(objectType, ids, properties): Promise<CrmRecord[]> {
      const out: CrmRecord[] = [];
      for (const chunk of chunks(unique(ids), BATCH_READ_CHUNK)) {
        const batch = await run({
          endpoint: `POST /crm/v3/objects/${objectType}/batch/read`,
          kind: 'general',
          safeToRetry: true, // a POST, but a read
          schema: batchReadSchema,
          send: (a) =>
            apis.batch.read(
              objectType,
              { inputs: chunk.map((id) => ({ id })), properties, propertiesWithHistory: [] },
              false,
              a.sdkOptions,
            ),
        });
        out.push(...batch.results.map(toRecord));
      }
      return out;
    },

    async createObject(objectType, input: CreateObjectInput): Promise<CrmRecord> {
      const created = await run({
        endpoint: `POST /crm/v3/objects/${objectType}`,
        kind: 'general',
        safeToRetry: false,
        schema: crmObjectSchema,
        send: (a) => apis.objects.create(objectType, toSdkCreateInput(input), a.sdkOptions),
      });
      return toRecord(created);
    },

    async updateObject(objectType, id, properties): Promise<CrmRecord> {
      const updated = await run({
        endpoint: `PATCH /crm/v3/objects/${objectType}/{id}`,
        kind: 'general',
        safeToRetry: false,
        schema: crmObjectSchema,
        send: (a) => apis.objects.update(objectType, id, { properties }, undefined, a.sdkOptions),
      });
      return toRecord(updated);
    },

    async batchReadAssociations(fromType, toType, ids) {
      const endpoint = `POST /crm/v4/associations/${fromType}/${toType}/batch/read`;
      const found = new Map<string, Set<string>>();
      for (const id of unique(ids)) found.set(id, new Set());
      for (const chunk of chunks([...found.keys()], ASSOCIATION_CHUNK)) {
        let inputs: { id: string; after?: string }[] = chunk.map((id) => ({ id }));
        const seen = new Set<string>();
        while (inputs.length > 0) {
          const request = inputs;
          const page = await run({
            endpoint,
            kind: 'general',
            safeToRetry: true, // a POST, but a read
            schema: associationBatchReadSchema,
            send: (a) => apis.associations.getPage(fromType, toType, { inputs: request }, a.sdkOptions),
          });
          inputs = [];
          for (const result of page.results) {
            const fromId = String(result._from.id);
            const targets = found.get(fromId);
            if (!targets) continue; // an id we did not ask about
            for (const to of result.to) targets.add(String(to.toObjectId));
            const after = result.paging?.next?.after;
            if (after !== undefined) {
              const key = `${fromId}\u0000${after}`;
              if (seen.has(key)) {
                throw new AppError(
                  'HUBSPOT_INVALID_RESPONSE',
                  `HubSpot ${endpoint} for ${portalName} repeated cursor ${after} for id ${fromId}`,
                );
              }
              seen.add(key);
              inputs.push({ id: fromId, after });
            }
          }
        }
      }
      return new Map([...found].map(([id, targets]) => [id, [...targets]]));
    },
  };
}
