/**
 * The store at scale: PostgreSQL through a `pg` pool, shared by every backend instance.
 * Migrations are safe to run from several instances at once (see ./migrations/index.ts).
 */
import { Kysely, PostgresDialect } from 'kysely';
import type { KyselyPlugin, Migration } from 'kysely';
import pg from 'pg';
import { AppError } from '../core/errors.js';
import { POSTGRES_CAPABILITIES } from './capabilities.js';
import { openKyselyStore } from './kysely-store.js';
import type { Store } from './ports.js';
import type { Database } from './schema.js';

/** Configuration of the PostgreSQL store. */
export interface PostgresStoreConfig {
  /** Connection URL (postgres://user:pass@host:port/db). Secret: never log it. */
  readonly url: string;
  /** Most pool connections of this instance (default 10). */
  readonly max?: number | undefined;
  /** Schema for the tables (created if missing; sets search_path); omit to use the server default. */
  readonly schema?: string | undefined;
  /** How long to wait for a connection before failing, in ms (default 10000). */
  readonly connectionTimeoutMs?: number | undefined;
  /** Called with errors of idle pooled connections (for logging); the next query reports its own failure. */
  readonly onPoolError?: ((error: Error) => void) | undefined;
  /** kysely plugins (query logging; tests use one to inject faults). */
  readonly plugins?: readonly KyselyPlugin[] | undefined;
  /** The migration list; defaults to every migration (tests pass their own). */
  readonly migrations?: Readonly<Record<string, Migration>> | undefined;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connect, migrate (safely alongside other instances) and return a PostgreSQL store. */
export async function openPostgresStore(config: PostgresStoreConfig): Promise<Store> {
  const cfg = Object.freeze({ ...config });
  const problems: string[] = [];
  if (typeof cfg.url !== 'string' || !/^postgres(ql)?:\/\//.test(cfg.url)) {
    problems.push('url must start with postgres:// or postgresql://');
  }
  if (cfg.max !== undefined && (!Number.isSafeInteger(cfg.max) || cfg.max < 1))
    problems.push('max must be >= 1');
  if (cfg.schema !== undefined && !SCHEMA_NAME.test(cfg.schema)) {
    problems.push('schema must be a lower-case SQL identifier');
  }
  if (problems.length > 0) throw new AppError('CONFIG_INVALID', `store: ${problems.join('; ')}`);

  const pool = new pg.Pool({
    connectionString: cfg.url,
    max: cfg.max ?? 10,
    connectionTimeoutMillis: cfg.connectionTimeoutMs ?? 10_000,
    application_name: 'pillars',
    // Every pooled session resolves unqualified table names in our schema first.
    ...(cfg.schema === undefined ? {} : { options: `-c search_path=${cfg.schema}` }),
  });
  // Without a listener, an idle connection dropped by the server crashes the process.
  pool.on('error', (error) => cfg.onPoolError?.(error));

  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [...(cfg.plugins ?? [])],
  });
  return openKyselyStore(db, {
    dialect: 'postgres',
    capabilities: POSTGRES_CAPABILITIES,
    schema: cfg.schema,
    migrations: cfg.migrations,
  });
}
