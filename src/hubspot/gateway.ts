/**
 * The HubSpot gateway port: everything Pillars asks of one HubSpot portal. The implementation
 * (`hubspot-gateway.ts`) is the only code that talks to HubSpot; functions and jobs depend on this
 * interface, so tests can also hand them a fake.
 */
import type {
  CallDisposition,
  CrmObjectType,
  CrmRecord,
  Owner,
  Pipeline,
  PortalDetails,
  PortalUser,
  Team,
} from '../core/crm.js';

/** HubSpot search operators (all of those HubSpot documents). */
export type SearchOperator =
  | 'EQ'
  | 'NEQ'
  | 'LT'
  | 'LTE'
  | 'GT'
  | 'GTE'
  | 'BETWEEN'
  | 'IN'
  | 'NOT_IN'
  | 'HAS_PROPERTY'
  | 'NOT_HAS_PROPERTY'
  | 'CONTAINS_TOKEN'
  | 'NOT_CONTAINS_TOKEN';

export interface SearchFilter {
  propertyName: string;
  operator: SearchOperator;
  value?: string;
  highValue?: string;
  values?: string[];
}

/** Filters inside a group are AND'd; groups are OR'd (HubSpot: at most 5 groups, 25 filters). */
export interface SearchFilterGroup {
  filters: SearchFilter[];
}

export interface SearchQuery {
  filterGroups: SearchFilterGroup[];
  /** Only the properties the caller uses: HubSpot returns nothing else. */
  properties: string[];
}

/** What a completed search cost, for benchmarks and logs. */
export interface SearchStats {
  requests: number;
  records: number;
}

/** Called once per page of results, in order; the gateway waits for it before asking for more. */
export type PageHandler = (records: CrmRecord[]) => void | Promise<void>;

export interface CreateObjectInput {
  properties: Record<string, string>;
  /** Associations made on create: HubSpot-defined association type ids. */
  associations?: { toObjectType: CrmObjectType; toId: string; associationTypeId: number }[];
}

/** One HubSpot portal, seen through Pillars' needs. Every method throws AppError with a HUBSPOT_* code. */
export interface HubSpotGateway {
  /** Time zone, currency and portal id. */
  getPortalDetails(): Promise<PortalDetails>;
  /** All owners, paged to completion; `archived: true` lists deactivated ones. */
  listOwners(options: { archived: boolean }): Promise<Owner[]>;
  /** Owner for a HubSpot user id (card context gives user ids), or null. */
  getOwnerByUserId(userId: number): Promise<Owner | null>;
  /** Users of the portal (settings API). */
  listUsers(): Promise<PortalUser[]>;
  /** Teams of the portal (settings API). */
  listTeams(): Promise<Team[]>;
  /** Deal pipelines with their stages. */
  listDealPipelines(): Promise<Pipeline[]>;
  /** The portal's call outcomes, custom ones included. */
  listCallDispositions(): Promise<CallDisposition[]>;
  /**
   * Run a search to completion, page by page (200 per page), never paging a query past HubSpot's
   * 10,000-result cap. Results come sorted by record id ascending.
   */
  searchAll(objectType: CrmObjectType, query: SearchQuery, onPage: PageHandler): Promise<SearchStats>;
  /** Read records by id, in batches of at most 100; ids HubSpot does not know are left out. */
  batchRead(objectType: CrmObjectType, ids: string[], properties: string[]): Promise<CrmRecord[]>;
  /** Create one record. Never retried blindly: a failure after HubSpot may have committed throws. */
  createObject(objectType: CrmObjectType, input: CreateObjectInput): Promise<CrmRecord>;
  /** Update one record's properties. */
  updateObject(objectType: CrmObjectType, id: string, properties: Record<string, string>): Promise<CrmRecord>;
  /** Associated ids per source id (v4 batch read, at most 1,000 ids per request). */
  batchReadAssociations(
    fromType: CrmObjectType,
    toType: CrmObjectType,
    ids: string[],
  ): Promise<Map<string, string[]>>;
}
