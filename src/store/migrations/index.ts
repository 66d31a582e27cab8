/**
 * Migrations as code: an in-code list (no filesystem globbing, so bundlers and tsx see every
 * migration) run by kysely's Migrator.
 *
 * Adding a change: write `NNNN-what.ts` next to this file exporting a `Migration`, add it to
 * MIGRATIONS below with the same name, and add its tables to ../schema.ts. Names sort as text, so
 * keep the four-digit prefix. Never edit a migration that has shipped.
 *
 * Several instances may boot at once:
 * - PostgreSQL: kysely takes a session-level `pg_advisory_lock` (a fixed id, for the whole
 *   database; it does not use the `kysely_migration_lock` row) and runs pending migrations in one
 *   transaction, so one instance applies them and the others then find nothing pending.
 * - SQLite: kysely's lock is a no-op (it relies on one connection per process). The SQLite
 *   dialect of ../sqlite-store.ts runs migrations in one `BEGIN IMMEDIATE` transaction instead,
 *   which serialises processes sharing the file on one host.
 *
 * Rolling deploys: a build older than the database (a newer build already migrated) still boots
 * when every migration it knows is applied. That is only safe if each migration keeps the
 * previous release working (expand, then contract one release later).
 */
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { AppError } from '../../core/errors.js';
import { migration0001Initial } from './0001-initial.js';
import { migration0002Installations } from './0002-installations.js';
import { migration0003WebhookEvents } from './0003-webhook-events.js';
import { migration0004DealWaivers } from './0004-deal-waivers.js';
import { migration0005CoachingTraining } from './0005-coaching-training.js';
import { migration0006ExceptionOwner } from './0006-exception-owner.js';

/** Every migration, by name; applied in name order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': migration0001Initial,
  '0002-installations': migration0002Installations,
  '0003-webhook-events': migration0003WebhookEvents,
  '0004-deal-waivers': migration0004DealWaivers,
  '0005-coaching-training': migration0005CoachingTraining,
  '0006-exception-owner': migration0006ExceptionOwner,
});

/** kysely's bookkeeping table (the Migrator default, named here so we can read it). */
export const MIGRATION_TABLE = 'kysely_migration';

/** Options of migrateToLatest. */
export interface MigrateOptions {
  /** PostgreSQL schema that holds the tables and kysely's bookkeeping; omit to use the search_path. */
  readonly schema?: string | undefined;
  /** The migration list; defaults to MIGRATIONS (tests pass their own). */
  readonly migrations?: Readonly<Record<string, Migration>> | undefined;
}

/** What a migrateToLatest call did. */
export interface MigrateOutcome {
  /** Migrations this call applied, in order ([] when another instance got there first). */
  readonly applied: string[];
  /** Applied migrations this build does not know: a newer build migrated the database. */
  readonly newerInDatabase: string[];
}

/** Bring the database to the latest migration; throws STORE_UNAVAILABLE (or CONFIG_INVALID on a diverged history). */
export async function migrateToLatest(
  db: Kysely<unknown>,
  options: MigrateOptions = {},
): Promise<MigrateOutcome> {
  const migrations = options.migrations ?? MIGRATIONS;
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...migrations }) };
  const schema = options.schema;

  let executed: string[];
  try {
    executed = await executedMigrations(db, schema);
  } catch (cause) {
    throw new AppError('STORE_UNAVAILABLE', 'store: could not read the migration history', { cause });
  }
  const known = Object.keys(migrations);
  const newerInDatabase = executed.filter((name) => !known.includes(name));
  if (newerInDatabase.length > 0) {
    const missing = known.filter((name) => !executed.includes(name));
    if (missing.length === 0) return { applied: [], newerInDatabase };
    throw new AppError(
      'CONFIG_INVALID',
      `store: the database history (${newerInDatabase.join(', ')}) diverges from this build (missing ${missing.join(', ')})`,
    );
  }

  const migrator = new Migrator({
    db,
    provider,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    throw new AppError('STORE_UNAVAILABLE', `store: migration ${failed ?? '(setup)'} failed`, {
      cause: error,
    });
  }
  return {
    applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName),
    newerInDatabase: [],
  };
}

async function executedMigrations(db: Kysely<unknown>, schema: string | undefined): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  const present = tables.some(
    (t) => t.name === MIGRATION_TABLE && (schema === undefined || t.schema === schema),
  );
  if (!present) return [];
  const table = schema === undefined ? MIGRATION_TABLE : `${schema}.${MIGRATION_TABLE}`;
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(table)}`.execute(db);
  return rows.map((r) => r.name);
}
