/**
 * Storage ports: what the rest of Pillars may ask of the database. Shaped like Shopify's session
 * storage: a few intention-named async methods, portal id first on every call (no query runs
 * without it), empty results are `[]` or `null` (never `undefined`), and failures are AppErrors:
 * STORE_UNAVAILABLE when the database fails (with `cause`), INVALID_INPUT for bad arguments.
 */
import type { Metrics } from '@pillars/contracts';
import type { ZodType } from 'zod';

/** One owner's metrics for the week being written. */
export interface SnapshotRowInput {
  readonly ownerId: string;
  readonly metrics: Metrics;
}

/** One stored owner-week. */
export interface WeeklySnapshot {
  ownerId: string;
  /** Local Monday, `YYYY-MM-DD`. */
  weekStart: string;
  metrics: Metrics;
  computedAt: Date;
}

/** Which weeks to list: `fromWeek` and `toWeek` are inclusive local dates (`YYYY-MM-DD`). */
export interface ListWeeksQuery {
  readonly fromWeek: string;
  readonly toWeek: string;
  /** Only these owners; an empty list matches nothing. Omit for every owner. */
  readonly ownerIds?: readonly string[] | undefined;
}

/** The record that a whole week was written. */
export interface SnapshotRun {
  computedAt: Date;
  owners: number;
}

/** Weekly metric snapshots per (portal, owner, week), for trends. */
export interface SnapshotStore {
  /** Replace the whole week atomically: upsert these owners, drop owners no longer present, record the run. */
  replaceWeek(
    portalId: number,
    weekStart: string,
    rows: readonly SnapshotRowInput[],
    computedAt: Date,
  ): Promise<void>;
  /** Stored owner-weeks in the range, ordered by weekStart then ownerId; [] when none. */
  listWeeks(portalId: number, query: ListWeeksQuery): Promise<WeeklySnapshot[]>;
  /** When the week was last written and with how many owners; null if never. */
  lastRun(portalId: number, weekStart: string): Promise<SnapshotRun | null>;
  /** Delete every snapshot and run of the portal (uninstall, data deletion). */
  deletePortal(portalId: number): Promise<void>;
}

/** Per-portal settings: one JSON document per key. */
export interface SettingsStore {
  /** The value under key, validated by schema (INTERNAL if the stored value no longer fits); null if unset. */
  get<T>(portalId: number, key: string, schema: ZodType<T>): Promise<T | null>;
  /** Store a JSON-serialisable value under key, replacing any previous value. */
  put(portalId: number, key: string, value: unknown): Promise<void>;
  /** Delete every setting of the portal. */
  deletePortal(portalId: number): Promise<void>;
}

/** The database kinds Pillars runs on. */
export type StoreDialect = 'sqlite' | 'postgres';

/** Every store over one database, plus its lifecycle. */
export interface Store {
  readonly snapshots: SnapshotStore;
  readonly settings: SettingsStore;
  /** Resolves when the database answers a trivial query; throws STORE_UNAVAILABLE otherwise. */
  health(): Promise<void>;
  /** Release the database (idempotent); later calls fail with STORE_UNAVAILABLE. */
  close(): Promise<void>;
  /** Which database this is (PGlite counts as postgres). */
  readonly dialect: StoreDialect;
}
