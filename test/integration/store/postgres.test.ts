// The store contract on a real PostgreSQL server, plus several instances migrating at once.
// Opt-in: set PILLARS_TEST_DATABASE_URL (CI does). Every store gets a fresh schema, dropped at the end.
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Migration } from 'kysely';
import pg from 'pg';
import { MIGRATIONS, migrateToLatest } from '../../../src/store/migrations/index.js';
import { openPostgresStore } from '../../../src/store/postgres-store.js';
import { makeMetrics } from '../../support/metrics-factory.js';
import { POSTGRES_TEST_URL, dropSchemas, freshSchemaName } from '../../support/postgres.js';
import { describeStoreContract } from '../../support/store-contract.js';

const url = POSTGRES_TEST_URL;

if (url === undefined) {
  describe.skip('PostgreSQL server store (skipped: set PILLARS_TEST_DATABASE_URL, e.g. postgres://root@127.0.0.1:5432/test)', () => {
    it('runs the store contract and concurrent migrations against a real server', () => undefined);
  });
} else {
  const schemas: string[] = [];
  const schemaFor = (prefix?: string): string => {
    const schema = freshSchemaName(prefix);
    schemas.push(schema);
    return schema;
  };
  afterAll(() => dropSchemas(url, schemas));

  describeStoreContract('PostgreSQL server', (options) =>
    openPostgresStore({ url, schema: schemaFor(), max: 4, plugins: options?.plugins }),
  );

  describe('PostgreSQL server migrations', () => {
    // Slow on purpose: holds the migration open so the three instances really overlap.
    const probe: Migration = {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('migration_probe').addColumn('applied_at', 'text').execute();
        await sql`select pg_sleep(0.3)`.execute(db);
        await sql`insert into migration_probe (applied_at) values (${new Date().toISOString()})`.execute(db);
      },
    };
    const migrations = { ...MIGRATIONS, '9999-probe': probe };

    it('three instances migrating at once all succeed, and each migration applies once', async () => {
      const schema = schemaFor('pillars_migrate');
      const instances = [0, 1, 2].map(
        () =>
          new Kysely<unknown>({
            dialect: new PostgresDialect({
              pool: new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` }),
            }),
          }),
      );
      try {
        const outcomes = await Promise.all(
          instances.map((db) => migrateToLatest(db, { schema, migrations })),
        );
        expect(outcomes.flatMap((o) => o.applied).sort()).toEqual([...Object.keys(MIGRATIONS), '9999-probe']);
        expect(outcomes.filter((o) => o.applied.length > 0)).toHaveLength(1);
        const db = instances[0];
        if (db === undefined) throw new Error('no instance');
        const probes = await sql<{ n: number }>`select count(*)::int as n from migration_probe`.execute(db);
        expect(probes.rows[0]?.n).toBe(1);
        const names = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
          db,
        );
        expect(names.rows.map((r) => r.name)).toEqual([...Object.keys(MIGRATIONS), '9999-probe']);
      } finally {
        await Promise.all(instances.map((db) => db.destroy()));
      }
    }, 60_000);

    it('three stores opening at once share one migrated schema', async () => {
      const schema = schemaFor('pillars_open');
      const stores = await Promise.all([0, 1, 2].map(() => openPostgresStore({ url, schema, max: 2 })));
      try {
        const [a, b] = stores;
        await a?.snapshots.replaceWeek(
          7,
          '2025-01-06',
          [{ ownerId: '1', metrics: makeMetrics(1) }],
          new Date('2025-01-07T00:00:00Z'),
        );
        await expect(b?.snapshots.lastRun(7, '2025-01-06')).resolves.toEqual({
          computedAt: new Date('2025-01-07T00:00:00Z'),
          owners: 1,
        });
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    }, 60_000);
  });
}
