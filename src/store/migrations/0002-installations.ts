/**
 * 0002: OAuth installations (one row per portal, tokens sealed by src/oauth/token-cipher.ts) and
 * the single-use OAuth `state` nonces of install flows in progress (threats E1, E4, E7).
 * Portable SQL only (the kysely schema builder); see ../schema.ts for the type conventions.
 */
import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

export const migration0002Installations: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('installations')
      .addColumn('portal_id', 'bigint', (c) => c.primaryKey())
      .addColumn('hub_domain', 'text', (c) => c.notNull())
      .addColumn('user_id', 'bigint')
      // Space-separated, as OAuth spells scope lists.
      .addColumn('scopes', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      // Sealed (AES-256-GCM) text; null once the portal is uninstalled (threats E7: delete at once).
      .addColumn('refresh_token_sealed', 'text')
      .addColumn('access_token_sealed', 'text')
      .addColumn('access_expires_at', 'text')
      .addColumn('installed_at', 'text', (c) => c.notNull())
      .addColumn('uninstalled_at', 'text')
      .addColumn('purge_after', 'text')
      .addCheckConstraint('installations_status_check', sql`status in ('active', 'uninstalled')`)
      .execute();
    // The purge job looks for uninstalled portals whose retention has passed.
    await db.schema
      .createIndex('installations_purge_idx')
      .on('installations')
      .column('purge_after')
      .execute();

    await db.schema
      .createTable('oauth_states')
      .addColumn('nonce', 'text', (c) => c.primaryKey())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();
    await db.schema.createIndex('oauth_states_expires_idx').on('oauth_states').column('expires_at').execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('oauth_states').execute();
    await db.schema.dropTable('installations').execute();
  },
};
