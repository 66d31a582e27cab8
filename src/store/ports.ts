/**
 * Storage ports: what the rest of Pillars may ask of the database. Shaped like Shopify's session
 * storage: a few intention-named async methods, portal id first on every call (no query runs
 * without it), empty results are `[]` or `null` (never `undefined`), and failures are AppErrors:
 * STORE_UNAVAILABLE when the database fails (with `cause`), INVALID_INPUT for bad arguments.
 */
import type { Metrics } from '@pillars/contracts';
import type { ZodType } from 'zod';
import type { ExceptionStore, WebhookStore } from './webhook-ports.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { WaiverStore } from './waiver-store.js';
import type { CoachingNoteStore, JobRunStore, TrainingAssignmentStore } from './coaching-ports.js';

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
  /** Delete the value under key; a no-op when unset. */
  delete(portalId: number, key: string): Promise<void>;
  /** Delete every setting of the portal. */
  deletePortal(portalId: number): Promise<void>;
}

/** Whether a portal has the app installed. */
export type InstallationStatus = 'active' | 'uninstalled';

/** One portal's OAuth installation. Token fields are sealed text (src/oauth/token-cipher.ts), never plaintext. */
export interface Installation {
  portalId: number;
  hubDomain: string;
  /** The HubSpot user who installed the app; null when HubSpot did not say. */
  userId: number | null;
  scopes: string[];
  status: InstallationStatus;
  refreshTokenSealed: string | null;
  accessTokenSealed: string | null;
  accessExpiresAt: Date | null;
  installedAt: Date;
  uninstalledAt: Date | null;
  purgeAfter: Date | null;
}

/** What an install (or reinstall) stores: the portal becomes active with these tokens. */
export interface InstallInput {
  readonly portalId: number;
  readonly hubDomain: string;
  readonly userId: number | null;
  readonly scopes: readonly string[];
  readonly refreshTokenSealed: string;
  readonly accessTokenSealed: string;
  readonly accessExpiresAt: Date;
  readonly installedAt: Date;
}

/** New tokens after a refresh; HubSpot may or may not rotate the refresh token, so both are stored. */
export interface RefreshedTokens {
  readonly refreshTokenSealed: string;
  readonly accessTokenSealed: string;
  readonly accessExpiresAt: Date;
}

/** Writes allowed while holding a portal's refresh lock (they join the lock's transaction). */
export interface LockedInstallation {
  /** Store the tokens a refresh returned (only while the portal is active). */
  saveTokens(tokens: RefreshedTokens): Promise<void>;
  /** Mark the portal uninstalled and delete its tokens, as InstallationStore.markUninstalled. */
  markUninstalled(at: Date, purgeAfter: Date): Promise<void>;
}

/** What consumeState found: only 'ok' means the nonce was live and is now used. */
export type ConsumeStateResult = 'ok' | 'unknown' | 'expired' | 'used';

/** OAuth installations per portal, and the single-use `state` nonces of install flows. */
export interface InstallationStore {
  /** Install or reinstall: the portal becomes active with these tokens; uninstall marks are cleared. */
  upsertInstalled(input: InstallInput): Promise<void>;
  /** The portal's installation, active or uninstalled; null if it never installed (or was deleted). */
  get(portalId: number): Promise<Installation | null>;
  /** Every active installation, ordered by portal id; [] when none. */
  listActive(): Promise<Installation[]>;
  /** Mark uninstalled and null every token column in the same statement; no-op for an unknown portal. */
  markUninstalled(portalId: number, at: Date, purgeAfter: Date): Promise<void>;
  /** Store a new sealed access token (only while the portal is active). */
  saveAccessToken(portalId: number, accessTokenSealed: string, expiresAt: Date): Promise<void>;
  /**
   * Run fn while holding the portal's refresh lock, across processes (PostgreSQL: the row locked
   * FOR UPDATE; SQLite: BEGIN IMMEDIATE). `current` is read after the lock is taken; write
   * through `locked` only (other store calls for the portal would wait for the lock). If fn
   * throws, its writes are rolled back and the error is rethrown as it was.
   */
  withRefreshLock<T>(
    portalId: number,
    fn: (current: Installation | null, locked: LockedInstallation) => Promise<T>,
  ): Promise<T>;
  /** Remember an issued `state` nonce until expiresAt. */
  recordState(nonce: string, expiresAt: Date): Promise<void>;
  /** Use a nonce once, atomically: of concurrent calls on one live nonce exactly one gets 'ok'. */
  consumeState(nonce: string, now: Date): Promise<ConsumeStateResult>;
  /** Forget nonces that expired before `before`; returns how many were deleted. */
  deleteExpiredStates(before: Date): Promise<number>;
  /** Portal ids uninstalled with purgeAfter at or before now, ascending; [] when none (for the purge job). */
  listPurgeDue(now: Date): Promise<number[]>;
  /** Delete the portal's installation row (the purge after uninstall). */
  deletePortal(portalId: number): Promise<void>;
}

/** The database kinds Pillars runs on. */
export type StoreDialect = 'sqlite' | 'postgres';

/** Every store over one database, plus its lifecycle. */
export interface Store {
  readonly snapshots: SnapshotStore;
  readonly settings: SettingsStore;
  readonly installations: InstallationStore;
  /** HubSpot webhook events: dedupe and durable queue (src/store/webhook-store.ts). */
  readonly webhooks: WebhookStore;
  /** Stage exceptions recorded by the webhook processor. */
  readonly exceptions: ExceptionStore;
  /** Deal waivers (src/store/waiver-store.ts). */
  readonly waivers: WaiverStore;
  /** Idempotency keys of state-changing routes (src/store/idempotency-store.ts). */
  readonly idempotency: IdempotencyStore;
  /** Coaching notes per (portal, rep) (src/store/coaching-store.ts). */
  readonly coachingNotes: CoachingNoteStore;
  /** Training assignments, at most one open per (portal, rep, module) (src/store/coaching-store.ts). */
  readonly trainingAssignments: TrainingAssignmentStore;
  /** Leases of scheduled job runs per (portal, job, period) (src/store/coaching-store.ts). */
  readonly jobRuns: JobRunStore;
  /** Resolves when the database answers a trivial query; throws STORE_UNAVAILABLE otherwise. */
  health(): Promise<void>;
  /** Release the database (idempotent); later calls fail with STORE_UNAVAILABLE. */
  close(): Promise<void>;
  /** Which database this is (PGlite counts as postgres). */
  readonly dialect: StoreDialect;
}
