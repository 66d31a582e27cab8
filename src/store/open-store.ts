/**
 * Choose and open the store from configuration: SQLite by default (embedded, single host),
 * PostgreSQL for several instances (DESIGN.md §4).
 */
import type { Store } from './ports.js';
import { openPostgresStore } from './postgres-store.js';
import type { PostgresStoreConfig } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { SqliteStoreConfig } from './sqlite-store.js';

/** Which database to use and how to reach it. */
export type StoreConfig =
  ({ readonly kind: 'sqlite' } & SqliteStoreConfig) | ({ readonly kind: 'postgres' } & PostgresStoreConfig);

/** Open and migrate the configured store. */
export function openStore(config: StoreConfig): Promise<Store> {
  switch (config.kind) {
    case 'sqlite': {
      const { kind: _kind, ...rest } = config;
      return openSqliteStore(rest);
    }
    case 'postgres': {
      const { kind: _kind, ...rest } = config;
      return openPostgresStore(rest);
    }
  }
}
