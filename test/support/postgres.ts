/**
 * Real PostgreSQL for the opt-in suites. Set PILLARS_TEST_DATABASE_URL (CI does), e.g.
 * postgres://root@127.0.0.1:5432/test. Every store gets a fresh schema, dropped afterwards,
 * so reruns and parallel runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test database URL, or undefined when the PostgreSQL suites should be skipped. */
export const POSTGRES_TEST_URL: string | undefined = process.env.PILLARS_TEST_DATABASE_URL || undefined;

/** A new, unused schema name (lower-case identifier). */
export function freshSchemaName(prefix = 'pillars_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Drop the given schemas and everything in them. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
