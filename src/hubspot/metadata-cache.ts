/**
 * A gateway decorator that remembers a portal's slow-changing metadata (account details, owners,
 * users, teams, pipelines, call outcomes) for a short time. HubSpot recommends caching these, and
 * every card view and metrics run needs them, so without a cache they would dominate request counts.
 * Records (search, batch read, create) always go through.
 */
import type { HubSpotGateway } from './gateway.js';

export interface MetadataCacheOptions {
  /** How long a cached answer is served. Access changes (a rep leaving a team) show after at most this long. */
  ttlMs: number;
  now?: () => number;
}

type MetadataMethod =
  | 'getPortalDetails'
  | 'listOwners'
  | 'listUsers'
  | 'listTeams'
  | 'listDealPipelines'
  | 'listCallDispositions';

/** Wrap a gateway so metadata reads are served from memory for `ttlMs`; failures are never cached. */
export function withMetadataCache(gateway: HubSpotGateway, options: MetadataCacheOptions): HubSpotGateway {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<unknown> }>();

  function memo<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = entries.get(key);
    if (hit && now() - hit.at < options.ttlMs) return hit.value as Promise<T>;
    // Concurrent callers share one in-flight request; a failure drops the entry so the next call retries.
    const value = load().catch((e: unknown) => {
      if (entries.get(key)?.value === value) entries.delete(key);
      throw e;
    });
    entries.set(key, { at: now(), value });
    return value;
  }

  const cached: Pick<HubSpotGateway, MetadataMethod> = {
    getPortalDetails: () => memo('details', () => gateway.getPortalDetails()),
    listOwners: (o) => memo(`owners:${o.archived}`, () => gateway.listOwners(o)),
    listUsers: () => memo('users', () => gateway.listUsers()),
    listTeams: () => memo('teams', () => gateway.listTeams()),
    listDealPipelines: () => memo('pipelines', () => gateway.listDealPipelines()),
    listCallDispositions: () => memo('dispositions', () => gateway.listCallDispositions()),
  };

  return {
    ...cached,
    getOwnerByUserId: (userId) => gateway.getOwnerByUserId(userId),
    searchAll: (type, query, onPage) => gateway.searchAll(type, query, onPage),
    batchRead: (type, ids, props) => gateway.batchRead(type, ids, props),
    createObject: (type, input) => gateway.createObject(type, input),
    updateObject: (type, id, props) => gateway.updateObject(type, id, props),
    batchReadAssociations: (from, to, ids) => gateway.batchReadAssociations(from, to, ids),
  };
}
