/** The database CLI commands read and write: the backend's own (DATABASE_URL, else SQLITE_FILE or its default). */
import { DEFAULT_SQLITE_FILE } from '../server/config.js';

export function storeConfigFrom(env: Record<string, string | undefined>) {
  return env.DATABASE_URL
    ? ({ kind: 'postgres', url: env.DATABASE_URL } as const)
    : ({ kind: 'sqlite', file: env.SQLITE_FILE ?? DEFAULT_SQLITE_FILE } as const);
}
