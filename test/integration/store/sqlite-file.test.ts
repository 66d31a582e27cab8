// The store contract on a SQLite file, plus what only a file has: WAL, durability, reopening,
// and several processes migrating the same file at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATIONS } from '../../../src/store/migrations/index.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { makeMetrics } from '../../support/metrics-factory.js';
import { describeStoreContract, expectAppError } from '../../support/store-contract.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pillars-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let files = 0;
describeStoreContract('SQLite file', (options) =>
  openSqliteStore({ file: join(tempDir(), `contract-${(files += 1)}.db`), plugins: options?.plugins }),
);

describe('SQLite file', () => {
  it('asserts and reports WAL + synchronous=FULL (threats G6)', async () => {
    const store = await openSqliteStore({ file: join(tempDir(), 'pragmas.db'), busyTimeoutMs: 1234 });
    try {
      expect(store.dialect).toBe('sqlite');
      await expect(store.pragmas()).resolves.toEqual({
        journalMode: 'wal',
        synchronous: 'FULL',
        foreignKeys: true,
        busyTimeoutMs: 1234,
      });
    } finally {
      await store.close();
    }
  });

  it('creates missing directories and keeps data across a reopen', async () => {
    const file = join(tempDir(), 'nested', 'deeper', 'pillars.db');
    const first = await openSqliteStore({ file });
    await first.snapshots.replaceWeek(
      42,
      '2025-01-06',
      [{ ownerId: '7', metrics: makeMetrics(7) }],
      new Date('2025-01-07T00:00:00Z'),
    );
    await first.settings.put(42, 'k', { v: 1 });
    await first.close();

    const second = await openSqliteStore({ file });
    try {
      await expect(second.snapshots.lastRun(42, '2025-01-06')).resolves.toEqual({
        computedAt: new Date('2025-01-07T00:00:00Z'),
        owners: 1,
      });
      const listed = await second.snapshots.listWeeks(42, { fromWeek: '2025-01-06', toWeek: '2025-01-06' });
      expect(listed.map((r) => r.metrics)).toEqual([makeMetrics(7)]);
    } finally {
      await second.close();
    }
  });

  it('refuses an empty path with CONFIG_INVALID and an unopenable one with STORE_UNAVAILABLE', async () => {
    await expectAppError(openSqliteStore({ file: '  ' }), 'CONFIG_INVALID');
    await expectAppError(openSqliteStore({ file: ':memory:', busyTimeoutMs: -1 }), 'CONFIG_INVALID');
    // A directory where the file should be.
    const error = await expectAppError(openSqliteStore({ file: tempDir() }), 'STORE_UNAVAILABLE');
    // Not toBeInstanceOf(Error): better-sqlite3's native binding keeps the SqliteError class of
    // whichever jest sandbox loaded it first, so the class may come from another realm.
    expect(String((error.cause as { message?: unknown } | undefined)?.message)).toMatch(/directory|open/i);
  });

  it('lets several processes migrate one file at once: each migration applies exactly once', async () => {
    const file = join(tempDir(), 'shared.db');
    // jest runs from the repository root.
    const child = resolve('test/support/sqlite-migrate-child.ts');
    const runs = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<{ code: number | null; stderr: string }>((done) => {
            const p = spawn(process.execPath, ['--import', 'tsx', child, file], {
              stdio: ['ignore', 'ignore', 'pipe'],
            });
            let stderr = '';
            p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            p.on('close', (code) => done({ code, stderr }));
          }),
      ),
    );
    expect(runs.map((r) => r.stderr)).toEqual(['', '', '']);
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);

    const db = new BetterSqlite3(file, { readonly: true });
    try {
      const probes = db.prepare('select count(*) as n from migration_probe').get() as { n: number };
      const names = db.prepare('select name from kysely_migration order by name').all() as { name: string }[];
      expect(probes.n).toBe(1);
      expect(names.map((r) => r.name)).toEqual([...Object.keys(MIGRATIONS), '9999-probe']);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 60_000);
});
