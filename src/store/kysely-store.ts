/**
 * The one implementation of the storage ports, over any `Kysely<Database>` (SQLite, PostgreSQL,
 * PGlite). Dialect differences live in StoreCapabilities; the SQL here is the same everywhere.
 */
import { metricsSchema } from '@pillars/contracts';
import type { Metrics } from '@pillars/contracts';
import { sql } from 'kysely';
import type { Expression, Kysely, Migration, Transaction } from 'kysely';
import type { ZodType } from 'zod';
import { AppError, invalidInput, isAppError } from '../core/errors.js';
import type { StoreCapabilities } from './capabilities.js';
import {
  createCoachingNoteStore,
  createJobRunStore,
  createTrainingAssignmentStore,
} from './coaching-store.js';
import { createIdempotencyStore } from './idempotency-store.js';
import { createInstallationStore } from './installation-store.js';
import { migrateToLatest } from './migrations/index.js';
import { createExceptionStore, createWebhookStore } from './webhook-store.js';
import type {
  ListWeeksQuery,
  SettingsStore,
  SnapshotRowInput,
  SnapshotRun,
  SnapshotStore,
  Store,
  StoreDialect,
  WeeklySnapshot,
} from './ports.js';
import type { Database } from './schema.js';
import { createWaiverStore } from './waiver-store.js';
import {
  MAX_OWNER_FILTER,
  MAX_SETTING_BYTES,
  assertLocalDate,
  assertOwnerId,
  assertPortalId,
  assertSettingKey,
  assertValidDate,
  assertWeekStart,
  chunk,
  toJsonText,
} from './validation.js';

/** How to build a store over a Kysely instance. */
export interface KyselyStoreOptions {
  /** Which database kind the instance talks to (reported as Store.dialect). */
  readonly dialect: StoreDialect;
  /** The capability flags of that database. */
  readonly capabilities: StoreCapabilities;
}

/** Options of openKyselyStore: the store options plus where and what to migrate. */
export interface OpenKyselyStoreOptions extends KyselyStoreOptions {
  /** PostgreSQL schema of the tables (see migrateToLatest); omit for the search_path default. */
  readonly schema?: string | undefined;
  /** The migration list; defaults to every migration (tests pass their own). */
  readonly migrations?: Readonly<Record<string, Migration>> | undefined;
}

/** Migrate the database, then build the store; destroys `db` if migration fails. */
export async function openKyselyStore(db: Kysely<Database>, options: OpenKyselyStoreOptions): Promise<Store> {
  try {
    await migrateToLatest(db as Kysely<unknown>, { schema: options.schema, migrations: options.migrations });
  } catch (e) {
    await db.destroy().catch(() => undefined);
    throw e;
  }
  return createKyselyStore(db, options);
}

const SNAPSHOT_COLUMNS = 5; // bind parameters per metric_snapshots row

/** Build the store over an already migrated database. The store owns `db`: close() destroys it. */
export function createKyselyStore(db: Kysely<Database>, options: KyselyStoreOptions): Store {
  const caps = options.capabilities;
  let closing: Promise<void> | undefined;

  // Every port method goes through here: refuse after close, keep AppErrors, wrap database failures.
  async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    if (closing !== undefined) throw new AppError('STORE_UNAVAILABLE', `store: ${operation} after close`);
    try {
      return await fn();
    } catch (e) {
      if (isAppError(e)) throw e;
      throw new AppError('STORE_UNAVAILABLE', `store: ${operation} failed`, { cause: e });
    }
  }

  // Order text by code point on every database, so both adapters return the same order.
  function textOrder(column: 'week_start' | 'owner_id'): Expression<unknown> {
    return caps.binaryCollation === null
      ? sql.ref(column)
      : sql`${sql.ref(column)} collate ${sql.id(caps.binaryCollation)}`;
  }

  const snapshots: SnapshotStore = {
    async replaceWeek(portalId, weekStart, rows, computedAt) {
      assertPortalId(portalId);
      assertWeekStart('weekStart', weekStart);
      assertValidDate('computedAt', computedAt);
      const at = computedAt.toISOString();
      const values = snapshotValues(portalId, weekStart, rows, at);
      const keep = new Set(values.map((v) => v.owner_id));

      await guard('replaceWeek', () =>
        db.transaction().execute(async (trx) => {
          // The run row goes first: in PostgreSQL its row lock makes concurrent writers of this
          // week wait for each other (SQLite already serialises writers with BEGIN IMMEDIATE).
          await trx
            .insertInto('snapshot_runs')
            .values({ portal_id: portalId, week_start: weekStart, computed_at: at, owners: values.length })
            .onConflict((oc) =>
              oc.columns(['portal_id', 'week_start']).doUpdateSet({ computed_at: at, owners: values.length }),
            )
            .execute();
          const existing = await weekOwners(trx, portalId, weekStart);
          for (const batch of chunk(values, Math.floor(caps.maxBindParameters / SNAPSHOT_COLUMNS))) {
            await trx
              .insertInto('metric_snapshots')
              .values(batch)
              .onConflict((oc) =>
                oc.columns(['portal_id', 'owner_id', 'week_start']).doUpdateSet((eb) => ({
                  metrics: eb.ref('excluded.metrics'),
                  computed_at: eb.ref('excluded.computed_at'),
                })),
              )
              .execute();
          }
          const vanished = existing.filter((ownerId) => !keep.has(ownerId));
          for (const batch of chunk(vanished, caps.maxBindParameters - 2)) {
            await trx
              .deleteFrom('metric_snapshots')
              .where('portal_id', '=', portalId)
              .where('week_start', '=', weekStart)
              .where('owner_id', 'in', batch)
              .execute();
          }
        }),
      );
    },

    async listWeeks(portalId, query: ListWeeksQuery) {
      assertPortalId(portalId);
      assertLocalDate('fromWeek', query.fromWeek);
      assertLocalDate('toWeek', query.toWeek);
      if (query.fromWeek > query.toWeek)
        throw invalidInput('fromWeek must not be after toWeek', { field: 'fromWeek' });
      const ownerIds = query.ownerIds === undefined ? undefined : [...new Set(query.ownerIds)];
      if (ownerIds !== undefined) {
        if (ownerIds.length > MAX_OWNER_FILTER) {
          throw invalidInput(`ownerIds may name at most ${MAX_OWNER_FILTER} owners`, { field: 'ownerIds' });
        }
        ownerIds.forEach((id) => assertOwnerId('ownerIds', id));
        if (ownerIds.length === 0) return [];
      }

      const rows = await guard('listWeeks', () => {
        let q = db
          .selectFrom('metric_snapshots')
          .select(['owner_id', 'week_start', 'metrics', 'computed_at'])
          .where('portal_id', '=', portalId)
          .where('week_start', '>=', query.fromWeek)
          .where('week_start', '<=', query.toWeek);
        if (ownerIds !== undefined) q = q.where('owner_id', 'in', ownerIds);
        return q.orderBy(textOrder('week_start')).orderBy(textOrder('owner_id')).execute();
      });
      return rows.map((r): WeeklySnapshot => ({
        ownerId: r.owner_id,
        weekStart: r.week_start,
        metrics: readMetrics(portalId, r.owner_id, r.week_start, r.metrics),
        computedAt: new Date(r.computed_at),
      }));
    },

    async lastRun(portalId, weekStart): Promise<SnapshotRun | null> {
      assertPortalId(portalId);
      assertWeekStart('weekStart', weekStart);
      const row = await guard('lastRun', () =>
        db
          .selectFrom('snapshot_runs')
          .select(['computed_at', 'owners'])
          .where('portal_id', '=', portalId)
          .where('week_start', '=', weekStart)
          .executeTakeFirst(),
      );
      return row === undefined ? null : { computedAt: new Date(row.computed_at), owners: Number(row.owners) };
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(snapshots)', () =>
        db.transaction().execute(async (trx) => {
          // Same table order as replaceWeek, so the two cannot deadlock on PostgreSQL.
          await trx.deleteFrom('snapshot_runs').where('portal_id', '=', portalId).execute();
          await trx.deleteFrom('metric_snapshots').where('portal_id', '=', portalId).execute();
        }),
      );
    },
  };

  const settings: SettingsStore = {
    async get<T>(portalId: number, key: string, schema: ZodType<T>): Promise<T | null> {
      assertPortalId(portalId);
      assertSettingKey(key);
      const row = await guard('settings.get', () =>
        db
          .selectFrom('portal_settings')
          .select('value')
          .where('portal_id', '=', portalId)
          .where('key', '=', key)
          .executeTakeFirst(),
      );
      if (row === undefined) return null;
      const parsed = schema.safeParse(parseJson(row.value));
      if (!parsed.success) {
        throw new AppError(
          'INTERNAL',
          `store: setting "${key}" of portal ${portalId} does not match its schema`,
          {
            details: {
              key,
              issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
            },
          },
        );
      }
      return parsed.data;
    },

    async put(portalId, key, value) {
      assertPortalId(portalId);
      assertSettingKey(key);
      const text = toJsonText('value', value);
      if (Buffer.byteLength(text, 'utf8') > MAX_SETTING_BYTES) {
        throw invalidInput(`value is larger than ${MAX_SETTING_BYTES} bytes as JSON`, { field: 'value' });
      }
      const at = new Date().toISOString();
      await guard('settings.put', () =>
        db
          .insertInto('portal_settings')
          .values({ portal_id: portalId, key, value: text, updated_at: at })
          .onConflict((oc) => oc.columns(['portal_id', 'key']).doUpdateSet({ value: text, updated_at: at }))
          .execute(),
      );
    },

    async delete(portalId, key) {
      assertPortalId(portalId);
      assertSettingKey(key);
      await guard('settings.delete', () =>
        db.deleteFrom('portal_settings').where('portal_id', '=', portalId).where('key', '=', key).execute(),
      );
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(settings)', () =>
        db.deleteFrom('portal_settings').where('portal_id', '=', portalId).execute(),
      );
    },
  };

  return {
    snapshots,
    settings,
    installations: createInstallationStore(db, caps, guard),
    webhooks: createWebhookStore(db, caps, guard),
    exceptions: createExceptionStore(db, guard),
    waivers: createWaiverStore(db, guard),
    idempotency: createIdempotencyStore(db, guard),
    coachingNotes: createCoachingNoteStore(db, guard),
    trainingAssignments: createTrainingAssignmentStore(db, guard),
    jobRuns: createJobRunStore(db, guard),
    dialect: options.dialect,
    async health() {
      await guard('health', () => sql`select 1`.execute(db));
    },
    close() {
      closing ??= db.destroy();
      return closing;
    },
  };
}

/** Validated rows of one week, ready to insert; metrics are checked against the contract. */
function snapshotValues(portalId: number, weekStart: string, rows: readonly SnapshotRowInput[], at: string) {
  if (!Array.isArray(rows)) throw invalidInput('rows must be an array', { field: 'rows' });
  const seen = new Set<string>();
  return rows.map((row, i) => {
    assertOwnerId(`rows[${i}].ownerId`, row.ownerId);
    // One statement may not upsert the same key twice (PostgreSQL refuses), and it would be a bug anyway.
    if (seen.has(row.ownerId))
      throw invalidInput(`rows[${i}].ownerId is repeated`, { field: `rows[${i}].ownerId` });
    seen.add(row.ownerId);
    const parsed = metricsSchema.safeParse(row.metrics);
    if (!parsed.success) {
      throw invalidInput(`rows[${i}].metrics do not match the Metrics contract`, {
        field: `rows[${i}].metrics`,
      });
    }
    return {
      portal_id: portalId,
      owner_id: row.ownerId,
      week_start: weekStart,
      metrics: JSON.stringify(parsed.data),
      computed_at: at,
    };
  });
}

async function weekOwners(
  trx: Transaction<Database>,
  portalId: number,
  weekStart: string,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('metric_snapshots')
    .select('owner_id')
    .where('portal_id', '=', portalId)
    .where('week_start', '=', weekStart)
    .execute();
  return rows.map((r) => r.owner_id);
}

// Stored rows are ours, so a mismatch means the contract changed without a data migration: a bug.
function readMetrics(portalId: number, ownerId: string, weekStart: string, text: string): Metrics {
  const parsed = metricsSchema.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new AppError(
      'INTERNAL',
      `store: snapshot of portal ${portalId} owner ${ownerId} week ${weekStart} does not match Metrics`,
      {
        details: { weekStart },
      },
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError('INTERNAL', 'store: stored JSON does not parse', { cause });
  }
}
