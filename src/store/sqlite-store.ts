/**
 * The embedded store: one SQLite file through better-sqlite3.
 *
 * SQLite mode is single-host by design (threats F8, G6): one machine, local disk. Several
 * processes on that host may share the file (WAL + busy_timeout + BEGIN IMMEDIATE), but several
 * hosts or a network filesystem are out of scope: use PostgreSQL for that. We do not try to
 * detect network filesystems; a filesystem that cannot do WAL fails the boot check below.
 *
 * Durability: `journal_mode=WAL` with `synchronous=FULL` so an acknowledged write survives a
 * power cut (NORMAL may lose the last transactions, which is not acceptable for notes). Both are
 * asserted at boot and exposed through pragmas().
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteAdapter, SqliteDialect, SqliteDriver, sql } from 'kysely';
import type {
  DatabaseConnection,
  DialectAdapter,
  Driver,
  KyselyPlugin,
  Migration,
  SqliteDialectConfig,
} from 'kysely';
import { AppError } from '../core/errors.js';
import { SQLITE_CAPABILITIES } from './capabilities.js';
import { openKyselyStore } from './kysely-store.js';
import type { Store } from './ports.js';
import type { Database } from './schema.js';

/** Configuration of the SQLite store. */
export interface SqliteStoreConfig {
  /** Path of the database file (its directory is created if missing), or ':memory:' for a throwaway database. */
  readonly file: string;
  /** How long a write waits for another process's write lock before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number | undefined;
  /** kysely plugins (query logging; tests use one to inject faults). */
  readonly plugins?: readonly KyselyPlugin[] | undefined;
  /** The migration list; defaults to every migration (tests pass their own). */
  readonly migrations?: Readonly<Record<string, Migration>> | undefined;
}

/** The durability settings in effect on the connection. */
export interface SqlitePragmas {
  /** 'wal' for a file, 'memory' for ':memory:'. */
  journalMode: string;
  synchronous: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  foreignKeys: boolean;
  busyTimeoutMs: number;
}

/** A SQLite-backed Store that can report its pragmas (for the boot check and tests). */
export interface SqliteStore extends Store {
  /** Read journal_mode, synchronous, foreign_keys and busy_timeout from the live connection. */
  pragmas(): Promise<SqlitePragmas>;
}

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const;
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Open (creating if needed) and migrate a SQLite store; asserts WAL (for files) and synchronous=FULL. */
export async function openSqliteStore(config: SqliteStoreConfig): Promise<SqliteStore> {
  const cfg = Object.freeze({ ...config });
  if (typeof cfg.file !== 'string' || cfg.file.trim() === '') {
    throw new AppError('CONFIG_INVALID', 'store: the SQLite file path is empty');
  }
  const busyTimeoutMs = cfg.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new AppError('CONFIG_INVALID', 'store: busyTimeoutMs must be a non-negative integer');
  }
  const inMemory = cfg.file === ':memory:';

  let handle: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(cfg.file), { recursive: true });
    handle = new BetterSqlite3(cfg.file);
  } catch (cause) {
    throw new AppError('STORE_UNAVAILABLE', `store: cannot open SQLite file ${cfg.file}`, { cause });
  }
  try {
    // busy_timeout first, so switching to WAL waits for another process instead of failing.
    handle.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!inMemory) handle.pragma('journal_mode = WAL');
    // After WAL: this SQLite is built with DEFAULT_WAL_SYNCHRONOUS=1 (NORMAL).
    handle.pragma('synchronous = FULL');
    handle.pragma('foreign_keys = ON');
  } catch (cause) {
    handle.close();
    throw new AppError('STORE_UNAVAILABLE', `store: cannot configure SQLite file ${cfg.file}`, { cause });
  }

  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(handle) }),
    plugins: [...(cfg.plugins ?? [])],
  });

  async function pragmas(): Promise<SqlitePragmas> {
    try {
      const [journal, sync, fk, busy] = await Promise.all([
        pragmaValue(db, 'journal_mode'),
        pragmaValue(db, 'synchronous'),
        pragmaValue(db, 'foreign_keys'),
        pragmaValue(db, 'busy_timeout'),
      ]);
      return {
        journalMode: String(journal).toLowerCase(),
        synchronous: SYNCHRONOUS[Number(sync)] ?? 'OFF',
        foreignKeys: Number(fk) === 1,
        busyTimeoutMs: Number(busy),
      };
    } catch (cause) {
      throw new AppError('STORE_UNAVAILABLE', 'store: cannot read SQLite pragmas', { cause });
    }
  }

  // The boot check of threats G6: refuse to run with weaker durability than we promise.
  try {
    const p = await pragmas();
    const problems: string[] = [];
    if (!inMemory && p.journalMode !== 'wal') problems.push(`journal_mode is ${p.journalMode}, not wal`);
    if (p.synchronous !== 'FULL' && p.synchronous !== 'EXTRA')
      problems.push(`synchronous is ${p.synchronous}, not FULL`);
    if (!p.foreignKeys) problems.push('foreign_keys is off');
    if (problems.length > 0) {
      throw new AppError(
        'CONFIG_INVALID',
        `store: SQLite file ${cfg.file} cannot run durably (${problems.join('; ')}); SQLite needs a local disk`,
      );
    }
  } catch (e) {
    await db.destroy();
    throw e;
  }

  const store = await openKyselyStore(db, {
    dialect: 'sqlite',
    capabilities: SQLITE_CAPABILITIES,
    migrations: cfg.migrations,
  });
  return { ...store, pragmas };
}

async function pragmaValue(db: Kysely<Database>, name: string): Promise<unknown> {
  const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  const first = rows[0];
  return first === undefined ? undefined : Object.values(first)[0];
}

/**
 * kysely's SQLite dialect with two changes:
 * - transactions start with BEGIN IMMEDIATE: the write lock is taken up front, so a transaction
 *   that reads then writes cannot fail with SQLITE_BUSY halfway when another process wrote
 *   meanwhile (busy_timeout covers the wait at BEGIN instead);
 * - migrations run in that transaction (SQLite DDL is transactional; kysely only says no to stay
 *   conservative), which makes them atomic and serialises processes migrating the same file.
 *   A later migration that must rebuild a table uses `PRAGMA defer_foreign_keys`, which works
 *   inside a transaction.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** Prepared statements kept per connection (least recently used dropped first). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as kysely sees it, with prepared statements reused. kysely's SQLite driver
 * prepares every query anew, and preparing costs as much as running a small indexed query (half of a
 * warm coaching-panel view's database time). The store's SQL comes from a bounded set of builders,
 * so the distinct texts are few. Safe because better-sqlite3 runs one statement at a time on this
 * connection and the store never streams (a statement mid-iterate could not be reused); SQLite
 * re-prepares a cached statement itself when a migration changes the schema.
 */
export function withStatementCache(
  handle: BetterSqlite3.Database,
  max = STATEMENT_CACHE_SIZE,
): Pick<BetterSqlite3.Database, 'close' | 'prepare'> {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => handle.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit !== undefined) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = handle.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement;
    },
  } as Pick<BetterSqlite3.Database, 'close' | 'prepare'>;
}
