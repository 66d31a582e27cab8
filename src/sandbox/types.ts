/**
 * Public types of the sandbox: a local HubSpot that serves portal fixtures through HubSpot's own
 * paths, bodies, limits and errors, so the real `@hubspot/api-client` cannot tell it apart.
 */
import type { CrmObjectType } from '../core/crm.js';
import type { FixtureOwner, FixtureOwnerInput, FixtureRecordInput, PortalFixture } from './fixture.js';

/** A rolling-window limit: at most `max` accepted requests in any `windowMs`. */
export interface RateLimitWindow {
  max: number;
  windowMs: number;
}

/** Per-portal limits; omitted parts keep HubSpot's values (110 / 10 s general, 5 / 1 s search). */
export interface SandboxLimits {
  general?: RateLimitWindow;
  search?: RateLimitWindow;
}

/** An OAuth app the sandbox accepts at its token endpoints. */
export interface SandboxOAuthClient {
  clientId: string;
  clientSecret: string;
  /** When given, `redirect_uri` must be one of these. */
  redirectUris?: string[];
  /** The `app_id` reported by token information; derived from the client's position when omitted. */
  appId?: number;
}

/** How to build a sandbox. */
export interface SandboxOptions {
  portals: PortalFixture[];
  /** Added to every response; a range picks uniformly in [min, max]. Default 0. */
  latencyMs?: number | { min: number; max: number };
  /** `false` turns rate limiting off; default HubSpot's limits, rolling windows, per portal. */
  limits?: false | SandboxLimits;
  /** Injectable clock (epoch ms) for token expiry, rate windows and record timestamps. */
  now?: () => number;
  /** OAuth apps; when omitted, one app with SANDBOX_OAUTH_CLIENT's credentials is accepted. */
  oauthClients?: SandboxOAuthClient[];
}

/** How a matched request fails. */
export type FaultKind =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'timeout'; ms: number }
  | { kind: 'malformed' }
  | { kind: 'shape'; body: unknown }
  | { kind: 'latency'; ms: number }
  | { kind: 'commit-then-fail'; status: number; body?: unknown; headers?: Record<string, string> };

/** Which requests a fault applies to, and how often. */
export interface FaultMatch {
  /** HTTP method (any when omitted). */
  method?: string;
  /** A prefix of, or a RegExp tested on, the request path without its query. */
  path: string | RegExp;
  /** Only requests authenticated for this portal. */
  portalId?: number;
  /** How many times the fault fires (default 1; Infinity allowed). */
  times?: number;
  /** Let the first N matching requests through untouched. */
  skip?: number;
}

/** A fault rule: what to match and what to do. */
export type FaultRule = FaultMatch & FaultKind;

/** A live fault rule. */
export interface FaultHandle {
  /** How many requests the rule changed. */
  readonly fired: number;
  /** How many requests matched it (skipped ones included). */
  readonly matched: number;
  /** True once it has fired `times` times or was removed. */
  readonly exhausted: boolean;
  /** Stop the rule from firing again. */
  remove(): void;
}

/** Adds and clears fault rules; the first live matching rule (in insertion order) wins. */
export interface FaultInjector {
  add(rule: FaultRule): FaultHandle;
  clear(): void;
}

/** Counters for one scope (the whole sandbox or one portal). */
export interface RequestCounters {
  /** Requests answered (or dropped by a timeout fault). */
  total: number;
  /** By endpoint key, e.g. `POST /crm/v3/objects/calls/search`, `GET /crm/v3/objects/calls/{id}`. */
  byEndpoint: Record<string, number>;
  /** By HTTP status; a request dropped by a timeout fault counts under 0. */
  byStatus: Record<number, number>;
  /** Responses with status 429 (refused by a limit or injected). */
  rateLimited: number;
}

/** One request that counted against a portal's limits (refused ones included, as 429). */
export interface RequestLogEntry {
  /** Arrival time on the sandbox clock (ms). */
  at: number;
  portalId: number;
  kind: 'general' | 'search';
  status: number;
  endpoint: string;
}

/** What the sandbox has served since start or the last resetStats(). */
export interface SandboxStats extends RequestCounters {
  byPortal: Record<number, RequestCounters>;
  log: RequestLogEntry[];
}

/** A stored CRM record, as tests see it (a copy). */
export interface SandboxRecord {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
}

/** One associated record. */
export interface SandboxAssociation {
  id: string;
  typeIds: number[];
}

/** Read (and a little write) access to one portal's stored data, for tests. */
export interface SandboxPortalState {
  readonly portalId: number;
  readonly timeZone: string;
  /** Records of a type, sorted by id: live ones by default, archived ones, or all. */
  records(type: CrmObjectType, options?: { archived?: boolean | 'all' }): SandboxRecord[];
  /** One record by id, archived or not. */
  get(type: CrmObjectType, id: string): SandboxRecord | undefined;
  /** How many live (or archived, or all) records a type holds. */
  count(type: CrmObjectType, options?: { archived?: boolean | 'all' }): number;
  /** Records of `toType` associated with one record, sorted by id. */
  associations(fromType: CrmObjectType, fromId: string, toType: CrmObjectType): SandboxAssociation[];
  /** The portal's owners, active and archived. */
  owners(): FixtureOwner[];
  /** Insert or replace a record (as if written in HubSpot by someone else). */
  upsert(type: CrmObjectType, record: FixtureRecordInput): void;
  /** Replace the owners list (e.g. to deactivate a user). */
  setOwners(owners: FixtureOwnerInput[]): void;
}

/** A running (or ready to run) local HubSpot. */
export interface Sandbox {
  /** Listen (default 127.0.0.1, port 0 = a free port). */
  start(port?: number, host?: string): Promise<{ baseUrl: string }>;
  /** Close the server and every open connection. */
  stop(): Promise<void>;
  /** `http://host:port` once started. */
  readonly baseUrl: string;
  /** The static private-app token of a portal: `sandbox-token-<portalId>`. */
  tokenFor(portalId: number): string;
  /** Load another portal (refused when its id is taken). */
  addPortal(p: PortalFixture): void;
  /** Ids of the loaded portals, in load order. */
  portalIds(): number[];
  /** Stored data of a portal. */
  portal(portalId: number): SandboxPortalState;
  readonly faults: FaultInjector;
  stats(): SandboxStats;
  resetStats(): void;
  /** An authorization code as HubSpot's consent screen would give (single use, 10 minutes). */
  issueAuthorizationCode(input: {
    portalId: number;
    clientId: string;
    redirectUri: string;
    scopes: string[];
    userId?: number;
  }): string;
  /** Uninstall the app(s) from a portal: refresh tokens and access tokens stop working. */
  uninstall(portalId: number, clientId?: string): void;
}
