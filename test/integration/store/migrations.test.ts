// migrateToLatest: applies once, tolerates a newer database (rolling deploys), refuses a diverged
// history, is atomic on both databases, and every migration can be rolled back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Migrator, sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { MIGRATIONS, migrateToLatest } from '../../../src/store/migrations/index.js';
import { TABLE_NAMES } from '../../../src/store/schema.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { createPgliteKysely } from '../../support/pglite-store.js';
import { expectAppError } from '../../support/store-contract.js';

const noop: Migration = { up: () => Promise.resolve() };
const broken: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('half_done').addColumn('x', 'integer').execute();
    throw new Error('migration bug');
  },
};

async function tableNames(db: Kysely<unknown>): Promise<string[]> {
  return (await db.introspection.getTables()).map((t) => t.name).sort();
}

describe('migrateToLatest on PostgreSQL (PGlite)', () => {
  let db: Kysely<unknown>;
  beforeEach(() => {
    db = createPgliteKysely() as Kysely<unknown>;
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('applies every migration once, then nothing', async () => {
    await expect(migrateToLatest(db)).resolves.toEqual({
      applied: Object.keys(MIGRATIONS),
      newerInDatabase: [],
    });
    await expect(migrateToLatest(db)).resolves.toEqual({ applied: [], newerInDatabase: [] });
    expect(await tableNames(db)).toEqual([...TABLE_NAMES].sort());
  }, 30_000);

  it('lets an older build boot on a database a newer build migrated', async () => {
    await migrateToLatest(db, { migrations: { ...MIGRATIONS, '9001-future': noop } });
    await expect(migrateToLatest(db)).resolves.toEqual({ applied: [], newerInDatabase: ['9001-future'] });
  }, 30_000);

  it('refuses a database whose history diverges from this build', async () => {
    await migrateToLatest(db, { migrations: { ...MIGRATIONS, '9001-theirs': noop } });
    const error = await expectAppError(
      migrateToLatest(db, { migrations: { ...MIGRATIONS, '9001-ours': noop } }),
      'CONFIG_INVALID',
    );
    expect(error.message).toContain('9001-theirs');
  }, 30_000);

  it('rolls back every pending migration when one fails', async () => {
    const error = await expectAppError(
      migrateToLatest(db, { migrations: { ...MIGRATIONS, '9001-broken': broken } }),
      'STORE_UNAVAILABLE',
    );
    expect(error.message).toContain('9001-broken');
    expect((error.cause as Error).message).toBe('migration bug');
    // One transaction for the run: not even 0001's tables remain.
    const left = await tableNames(db);
    expect(left).not.toContain('half_done');
    expect(left).not.toContain('metric_snapshots');
  }, 30_000);

  it('can migrate every step down again', async () => {
    await migrateToLatest(db);
    const migrator = new Migrator({
      db,
      provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) },
    });
    for (let i = 0; i < Object.keys(MIGRATIONS).length; i += 1) {
      const { error } = await migrator.migrateDown();
      expect(error).toBeUndefined();
    }
    expect((await tableNames(db)).filter((t) => !t.startsWith('kysely_'))).toEqual([]);
  }, 30_000);
});

describe('migrations on a SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pillars-migrate-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('are atomic: a failing migration leaves nothing behind, and a fixed build then migrates', async () => {
    const file = join(dir, 'atomic.db');
    const error = await expectAppError(
      openSqliteStore({ file, migrations: { ...MIGRATIONS, '9001-broken': broken } }),
      'STORE_UNAVAILABLE',
    );
    expect(error.message).toContain('9001-broken');
    const raw = new BetterSqlite3(file, { readonly: true });
    const tables = (
      raw.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    raw.close();
    expect(tables).not.toContain('half_done');
    expect(tables).not.toContain('metric_snapshots');

    const store = await openSqliteStore({ file });
    await expect(store.health()).resolves.toBeUndefined();
    await store.close();
  });

  it('let an older build open a file a newer build migrated', async () => {
    const file = join(dir, 'newer.db');
    const future: Migration = {
      async up(db: Kysely<unknown>) {
        await sql`alter table portal_settings add column note text`.execute(db);
      },
    };
    await (await openSqliteStore({ file, migrations: { ...MIGRATIONS, '9001-future': future } })).close();
    const store = await openSqliteStore({ file });
    await store.settings.put(1, 'k', { a: 1 });
    await store.close();
  });
});
