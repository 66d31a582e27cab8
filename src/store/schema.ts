/**
 * Table types of the Pillars database, for kysely. One schema serves SQLite and PostgreSQL, so it
 * sticks to types both store the same way:
 *
 * - Timestamps are ISO-8601 UTC text from `Date.prototype.toISOString()` (`2024-05-06T09:30:00.000Z`):
 *   readable in both shells, sortable as text, and free of PostgreSQL's int8-as-string decoding.
 * - Local dates (`week_start`) are `YYYY-MM-DD` text.
 * - JSON documents are text, parsed and validated by the store on read.
 * - Portal ids are `bigint` (HubSpot portal ids fit a JS number; the column leaves headroom).
 *
 * Column names are snake_case; the ports speak camelCase and the store maps between them.
 */
import type { ColumnType } from 'kysely';
import type { StageExceptionsTable, WebhookEventsTable } from './webhook-schema.js';
import type { IdempotencyKeysTable } from './idempotency-store.js';
import type { DealWaiversTable } from './waiver-store.js';
import type { CoachingNotesTable, JobRunsTable, TrainingAssignmentsTable } from './coaching-store.js';

/**
 * A bigint column as the drivers return it: `pg` decodes int8 as a string, better-sqlite3 and
 * PGlite as a number. Written as a number. The store never reads it back, but the type stays honest.
 */
export type BigintColumn = ColumnType<number | string, number, number>;

/** One owner's metrics for one local week of one portal. */
export interface MetricSnapshotsTable {
  portal_id: BigintColumn;
  owner_id: string;
  /** Local Monday of the week, `YYYY-MM-DD`. */
  week_start: string;
  /** `Metrics` (from `@pillars/contracts`) as JSON text. */
  metrics: string;
  /** ISO-8601 UTC. */
  computed_at: string;
}

/** Marks that a whole (portal, week) snapshot was written, and with how many owners. */
export interface SnapshotRunsTable {
  portal_id: BigintColumn;
  week_start: string;
  computed_at: string;
  owners: number;
}

/** One per-portal setting: a JSON document under a key. */
export interface PortalSettingsTable {
  portal_id: BigintColumn;
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
}

/** An optional bigint column (`pg` decodes int8 as a string). */
export type NullableBigintColumn = ColumnType<number | string | null, number | null, number | null>;

/** One OAuth installation per portal; token columns hold sealed text, never plaintext. */
export interface InstallationsTable {
  portal_id: BigintColumn;
  hub_domain: string;
  /** The HubSpot user who installed the app. */
  user_id: NullableBigintColumn;
  /** Space-separated scopes. */
  scopes: string;
  /** 'active' | 'uninstalled' (a CHECK constraint holds it to these). */
  status: string;
  refresh_token_sealed: string | null;
  access_token_sealed: string | null;
  access_expires_at: string | null;
  installed_at: string;
  uninstalled_at: string | null;
  purge_after: string | null;
}

/** One OAuth `state` nonce: recorded when issued, marked when used. */
export interface OAuthStatesTable {
  nonce: string;
  expires_at: string;
  used_at: string | null;
}

/** Every table of the Pillars database. Add a table here and in a new migration together. */
export interface Database {
  metric_snapshots: MetricSnapshotsTable;
  snapshot_runs: SnapshotRunsTable;
  portal_settings: PortalSettingsTable;
  installations: InstallationsTable;
  oauth_states: OAuthStatesTable;
  webhook_events: WebhookEventsTable;
  stage_exceptions: StageExceptionsTable;
  deal_waivers: DealWaiversTable;
  idempotency_keys: IdempotencyKeysTable;
  coaching_notes: CoachingNotesTable;
  training_assignments: TrainingAssignmentsTable;
  job_runs: JobRunsTable;
}

/** Table names, for tests and tools that walk the schema. */
export const TABLE_NAMES = [
  'metric_snapshots',
  'snapshot_runs',
  'portal_settings',
  'installations',
  'oauth_states',
  'webhook_events',
  'stage_exceptions',
  'deal_waivers',
  'idempotency_keys',
  'coaching_notes',
  'training_assignments',
  'job_runs',
] as const satisfies readonly (keyof Database)[];
