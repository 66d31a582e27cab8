/**
 * What differs between the databases the store runs on (style.md point 4): the kysely store
 * branches on these flags, never on a dialect name. Upsert syntax needs no flag: kysely's
 * `onConflict` compiles to the same `ON CONFLICT ... DO UPDATE` on SQLite and PostgreSQL.
 */

/** Capability flags of one database. */
export interface StoreCapabilities {
  /** Most bind parameters one statement may carry; bulk writes are chunked to stay under it. */
  readonly maxBindParameters: number;
  /** Collation that orders text by code point, or null when the default already does (SQLite's BINARY). */
  readonly binaryCollation: string | null;
  /**
   * Whether `SELECT ... FOR UPDATE` locks a row (PostgreSQL). Without it (SQLite) the transaction's
   * BEGIN IMMEDIATE already holds the database write lock, which is stronger.
   */
  readonly rowLocks: boolean;
}

/** better-sqlite3 bundles SQLite built with SQLITE_MAX_VARIABLE_NUMBER=32766. */
export const SQLITE_CAPABILITIES: StoreCapabilities = Object.freeze({
  maxBindParameters: 32_766,
  binaryCollation: null,
  rowLocks: false,
});

/** The wire protocol counts parameters in an int16; the database collation may be a locale, so ask for "C". */
export const POSTGRES_CAPABILITIES: StoreCapabilities = Object.freeze({
  maxBindParameters: 65_535,
  binaryCollation: 'C',
  rowLocks: true,
});
