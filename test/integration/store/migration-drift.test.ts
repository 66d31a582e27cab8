// Drift check (style.md point 20): the same migrations must produce the same tables, columns,
// keys and indexes on SQLite and on PostgreSQL (PGlite always; a real server when configured).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../../../src/store/migrations/index.js';
import { TABLE_NAMES } from '../../../src/store/schema.js';
import { openSqliteStore } from '../../../src/store/sqlite-store.js';
import { createPgliteKysely } from '../../support/pglite-store.js';
import { POSTGRES_TEST_URL, dropSchemas, freshSchemaName } from '../../support/postgres.js';
import { postgresShape, sqliteShape } from '../../support/schema-shape.js';
import type { SchemaShape } from '../../support/schema-shape.js';

async function migratedSqliteShape(): Promise<SchemaShape> {
  const dir = mkdtempSync(join(tmpdir(), 'pillars-drift-'));
  try {
    const file = join(dir, 'drift.db');
    await (await openSqliteStore({ file })).close();
    const db = new BetterSqlite3(file, { readonly: true });
    try {
      return sqliteShape(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function migratedPgliteShape(): Promise<SchemaShape> {
  const db = createPgliteKysely();
  try {
    await migrateToLatest(db as Kysely<unknown>);
    return await postgresShape(db as Kysely<unknown>, 'public');
  } finally {
    await db.destroy();
  }
}

describe('migration drift', () => {
  let sqlite: SchemaShape;

  beforeAll(async () => {
    sqlite = await migratedSqliteShape();
  });

  it('creates every table of the schema on SQLite', () => {
    expect(Object.keys(sqlite)).toEqual(expect.arrayContaining([...TABLE_NAMES]));
    expect(sqlite.metric_snapshots?.primaryKey).toEqual(['portal_id', 'owner_id', 'week_start']);
    expect(sqlite.snapshot_runs?.primaryKey).toEqual(['portal_id', 'week_start']);
    expect(sqlite.portal_settings?.primaryKey).toEqual(['portal_id', 'key']);
  });

  it('gives PGlite exactly the shape SQLite gets', async () => {
    expect(await migratedPgliteShape()).toEqual(sqlite);
  }, 60_000);

  (POSTGRES_TEST_URL === undefined ? it.skip : it)(
    'gives a PostgreSQL server exactly the shape SQLite gets (needs PILLARS_TEST_DATABASE_URL)',
    async () => {
      const url = POSTGRES_TEST_URL ?? '';
      const schema = freshSchemaName('pillars_drift');
      const pool = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
      const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
      try {
        await migrateToLatest(db, { schema });
        expect(await postgresShape(db, schema)).toEqual(sqlite);
      } finally {
        await db.destroy();
        await dropSchemas(url, [schema]);
      }
    },
    60_000,
  );
});
