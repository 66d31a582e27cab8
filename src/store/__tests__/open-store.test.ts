import { AppError } from '../../core/errors.js';
import { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES } from '../capabilities.js';
import { openStore } from '../open-store.js';
import { openPostgresStore } from '../postgres-store.js';
import type { SqliteStore } from '../sqlite-store.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (e instanceof AppError ? e.code : 'NOT_AN_APP_ERROR'),
  );
}

describe('openStore', () => {
  it('opens an embedded SQLite store from config', async () => {
    const store = await openStore({ kind: 'sqlite', file: ':memory:' });
    try {
      expect(store.dialect).toBe('sqlite');
      await store.health();
      await expect((store as SqliteStore).pragmas()).resolves.toMatchObject({
        synchronous: 'FULL',
        foreignKeys: true,
      });
    } finally {
      await store.close();
    }
  });

  it('reports every PostgreSQL config problem at once as CONFIG_INVALID, before connecting', async () => {
    const error = await openPostgresStore({ url: 'mysql://x', max: 0, schema: 'Bad-Name' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    expect((error as AppError).message).toMatch(/url.*max.*schema/);
    await expect(codeOf(openStore({ kind: 'sqlite', file: '' }))).resolves.toBe('CONFIG_INVALID');
  });

  it('fails with STORE_UNAVAILABLE, keeping the cause, when PostgreSQL cannot be reached', async () => {
    // Port 1 on loopback: refused at once, and the network guard allows loopback.
    const error = await openPostgresStore({
      url: 'postgres://nobody@127.0.0.1:1/none',
      connectionTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('STORE_UNAVAILABLE');
    expect((error as AppError).cause).toBeDefined();
  });

  it('freezes the capability flags', () => {
    expect(Object.isFrozen(SQLITE_CAPABILITIES)).toBe(true);
    expect(Object.isFrozen(POSTGRES_CAPABILITIES)).toBe(true);
  });
});
