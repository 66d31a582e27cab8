/**
 * Run by sqlite-file.test.ts in several processes at once (`node --import tsx`): opens the given
 * SQLite file with every migration plus a slow probe migration, then exits. If two processes
 * ran the probe, its CREATE TABLE would fail in the second, or migration_probe would hold two rows.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

const probe: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.createTable('migration_probe').addColumn('pid', 'integer').execute();
    // Hold the migration open long enough for the other processes to collide with it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    await sql`insert into migration_probe (pid) values (${process.pid})`.execute(db);
  },
};

const file = process.argv[2];
if (file === undefined) throw new Error('usage: sqlite-migrate-child.ts <file>');
const store = await openSqliteStore({ file, migrations: { ...MIGRATIONS, '9999-probe': probe } });
await store.close();
