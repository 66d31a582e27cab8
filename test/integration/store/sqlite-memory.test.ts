// The store contract on SQLite ':memory:' (a fresh database per open).
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { describeStoreContract, expectAppError } from '../../support/store-contract.js';

describeStoreContract('SQLite :memory:', (options) =>
  openSqliteStore({ file: ':memory:', plugins: options?.plugins }),
);

describe('SQLite :memory: pragmas', () => {
  it('runs with synchronous=FULL, foreign keys and a busy timeout (no WAL in memory)', async () => {
    const store = await openSqliteStore({ file: ':memory:' });
    try {
      await expect(store.pragmas()).resolves.toEqual({
        journalMode: 'memory',
        synchronous: 'FULL',
        foreignKeys: true,
        busyTimeoutMs: 5000,
      });
    } finally {
      await store.close();
    }
  });

  it('fails with STORE_UNAVAILABLE once closed', async () => {
    const store = await openSqliteStore({ file: ':memory:' });
    await store.close();
    await expectAppError(store.pragmas(), 'STORE_UNAVAILABLE');
  });
});
