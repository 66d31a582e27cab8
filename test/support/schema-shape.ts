/**
 * The shape of a migrated database, read back from the database itself, in one form for SQLite
 * and PostgreSQL: tables, columns (normalised type, NOT NULL), primary keys and secondary
 * indexes. The drift test compares these shapes across adapters.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export interface TableShape {
  columns: Record<string, { type: string; notNull: boolean }>;
  primaryKey: string[];
  indexes: Record<string, string[]>;
}
export type SchemaShape = Record<string, TableShape>;

// Both databases spell a few types differently; name each once.
function normaliseType(raw: string): string {
  const t = raw.toLowerCase().trim();
  if (t === 'character varying' || t.startsWith('varchar')) return 'varchar';
  if (t === 'int' || t === 'int4') return 'integer';
  if (t === 'int8') return 'bigint';
  return t;
}

/** Shape of a SQLite database (through a raw better-sqlite3 handle). */
export function sqliteShape(db: BetterSqlite3.Database): SchemaShape {
  const shape: SchemaShape = {};
  const tables = db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .all() as { name: string }[];
  for (const { name } of tables) {
    const columns = db.prepare(`pragma table_info("${name}")`).all() as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    const indexes = db.prepare(`pragma index_list("${name}")`).all() as { name: string; origin: string }[];
    shape[name] = {
      columns: Object.fromEntries(
        // SQLite lets a PRIMARY KEY column be NULL unless declared otherwise; PostgreSQL never does.
        columns.map((c) => [c.name, { type: normaliseType(c.type), notNull: c.notnull === 1 || c.pk > 0 }]),
      ),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      indexes: Object.fromEntries(
        indexes
          .filter((i) => i.origin === 'c')
          .map((i) => [
            i.name,
            (db.prepare(`pragma index_info("${i.name}")`).all() as { seqno: number; name: string }[])
              .sort((a, b) => a.seqno - b.seqno)
              .map((c) => c.name),
          ]),
      ),
    };
  }
  return shape;
}

/** Shape of one PostgreSQL schema (server or PGlite). */
export async function postgresShape(db: Kysely<unknown>, schema: string): Promise<SchemaShape> {
  const columns = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>`
    select table_name, column_name, data_type, is_nullable
    from information_schema.columns where table_schema = ${schema}
    order by table_name, ordinal_position`.execute(db);
  const keys = await sql<{ table_name: string; column_name: string }>`
    select tc.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu
      on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    where tc.table_schema = ${schema} and tc.constraint_type = 'PRIMARY KEY'
    order by tc.table_name, kcu.ordinal_position`.execute(db);
  const indexes = await sql<{ table_name: string; index_name: string; column_name: string }>`
    select t.relname as table_name, i.relname as index_name, a.attname as column_name
    from pg_index x
    join pg_class t on t.oid = x.indrelid
    join pg_class i on i.oid = x.indexrelid
    join pg_namespace n on n.oid = t.relnamespace
    join lateral unnest(x.indkey) with ordinality as k(attnum, ord) on true
    join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
    where n.nspname = ${schema} and not x.indisprimary
    order by t.relname, i.relname, k.ord`.execute(db);

  const shape: SchemaShape = {};
  for (const c of columns.rows) {
    const table = (shape[c.table_name] ??= { columns: {}, primaryKey: [], indexes: {} });
    table.columns[c.column_name] = { type: normaliseType(c.data_type), notNull: c.is_nullable === 'NO' };
  }
  for (const k of keys.rows) shape[k.table_name]?.primaryKey.push(k.column_name);
  for (const i of indexes.rows) {
    const table = shape[i.table_name];
    if (table !== undefined) (table.indexes[i.index_name] ??= []).push(i.column_name);
  }
  return shape;
}
