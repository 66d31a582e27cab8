/**
 * The kysely implementation of InstallationStore (see ./ports.ts), shared by SQLite and
 * PostgreSQL. Tokens arrive and leave sealed: this file never sees a plaintext token.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { AppError, invalidInput } from '../core/errors.js';
import type { StoreCapabilities } from './capabilities.js';
import type {
  ConsumeStateResult,
  Installation,
  InstallationStatus,
  InstallationStore,
  LockedInstallation,
} from './ports.js';
import type { Database, InstallationsTable } from './schema.js';
import { assertPortalId, assertValidDate } from './validation.js';

/** Runs one port operation: refuses after close, keeps AppErrors, wraps database failures. */
export type StoreGuard = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

const MAX_TOKEN_TEXT = 8192; // sealed tokens are a few hundred characters; refuse anything absurd
const MAX_NONCE = 200;
const SCOPE = /^[\x21-\x7e]{1,200}$/; // one scope: printable ASCII, no spaces

/** Build the installations port over db; guard is the store's shared error wrapper. */
export function createInstallationStore(
  db: Kysely<Database>,
  caps: StoreCapabilities,
  guard: StoreGuard,
): InstallationStore {
  async function lockRow(
    trx: Transaction<Database>,
    portalId: number,
  ): Promise<Selectable<InstallationsTable> | undefined> {
    const q = trx.selectFrom('installations').selectAll().where('portal_id', '=', portalId);
    // SQLite's transaction began IMMEDIATE, so it already holds the database's write lock.
    return (caps.rowLocks ? q.forUpdate() : q).executeTakeFirst();
  }

  async function markUninstalledIn(
    executor: Kysely<Database>,
    portalId: number,
    at: Date,
    purgeAfter: Date,
  ): Promise<void> {
    await executor
      .updateTable('installations')
      .set({
        status: 'uninstalled',
        refresh_token_sealed: null,
        access_token_sealed: null,
        access_expires_at: null,
        uninstalled_at: at.toISOString(),
        purge_after: purgeAfter.toISOString(),
      })
      .where('portal_id', '=', portalId)
      .execute();
  }

  return {
    async upsertInstalled(input) {
      assertPortalId(input.portalId);
      if (
        typeof input.hubDomain !== 'string' ||
        input.hubDomain.length === 0 ||
        input.hubDomain.length > 255
      ) {
        throw invalidInput('hubDomain must be a non-empty string of at most 255 characters', {
          field: 'hubDomain',
        });
      }
      if (input.userId !== null && (!Number.isSafeInteger(input.userId) || input.userId <= 0)) {
        throw invalidInput('userId must be a positive integer or null', { field: 'userId' });
      }
      const scopes = scopesText(input.scopes);
      assertSealed('refreshTokenSealed', input.refreshTokenSealed);
      assertSealed('accessTokenSealed', input.accessTokenSealed);
      assertValidDate('accessExpiresAt', input.accessExpiresAt);
      assertValidDate('installedAt', input.installedAt);
      const row = {
        hub_domain: input.hubDomain,
        user_id: input.userId,
        scopes,
        status: 'active',
        refresh_token_sealed: input.refreshTokenSealed,
        access_token_sealed: input.accessTokenSealed,
        access_expires_at: input.accessExpiresAt.toISOString(),
        installed_at: input.installedAt.toISOString(),
        uninstalled_at: null,
        purge_after: null,
      };
      await guard('installations.upsertInstalled', () =>
        db
          .insertInto('installations')
          .values({ portal_id: input.portalId, ...row })
          .onConflict((oc) => oc.column('portal_id').doUpdateSet(row))
          .execute(),
      );
    },

    async get(portalId) {
      assertPortalId(portalId);
      const row = await guard('installations.get', () =>
        db.selectFrom('installations').selectAll().where('portal_id', '=', portalId).executeTakeFirst(),
      );
      return row === undefined ? null : toInstallation(row);
    },

    async listActive() {
      const rows = await guard('installations.listActive', () =>
        db
          .selectFrom('installations')
          .selectAll()
          .where('status', '=', 'active')
          .orderBy('portal_id')
          .execute(),
      );
      return rows.map(toInstallation);
    },

    async markUninstalled(portalId, at, purgeAfter) {
      assertPortalId(portalId);
      assertValidDate('at', at);
      assertValidDate('purgeAfter', purgeAfter);
      await guard('installations.markUninstalled', () => markUninstalledIn(db, portalId, at, purgeAfter));
    },

    async saveAccessToken(portalId, accessTokenSealed, expiresAt) {
      assertPortalId(portalId);
      assertSealed('accessTokenSealed', accessTokenSealed);
      assertValidDate('expiresAt', expiresAt);
      await guard('installations.saveAccessToken', () =>
        db
          .updateTable('installations')
          .set({ access_token_sealed: accessTokenSealed, access_expires_at: expiresAt.toISOString() })
          .where('portal_id', '=', portalId)
          .where('status', '=', 'active')
          .execute(),
      );
    },

    async withRefreshLock(portalId, fn) {
      assertPortalId(portalId);
      // fn's own errors must reach the caller unchanged, not as STORE_UNAVAILABLE.
      let failure: { error: unknown } | undefined;
      try {
        return await guard('installations.withRefreshLock', () =>
          db.transaction().execute(async (trx) => {
            const row = await lockRow(trx, portalId);
            let open = true;
            const ensureOpen = (): void => {
              if (!open) throw new AppError('INTERNAL', 'store: refresh lock used after it was released');
            };
            const locked: LockedInstallation = {
              async saveTokens(tokens) {
                ensureOpen();
                assertSealed('refreshTokenSealed', tokens.refreshTokenSealed);
                assertSealed('accessTokenSealed', tokens.accessTokenSealed);
                assertValidDate('accessExpiresAt', tokens.accessExpiresAt);
                await trx
                  .updateTable('installations')
                  .set({
                    refresh_token_sealed: tokens.refreshTokenSealed,
                    access_token_sealed: tokens.accessTokenSealed,
                    access_expires_at: tokens.accessExpiresAt.toISOString(),
                  })
                  .where('portal_id', '=', portalId)
                  .where('status', '=', 'active')
                  .execute();
              },
              async markUninstalled(at, purgeAfter) {
                ensureOpen();
                assertValidDate('at', at);
                assertValidDate('purgeAfter', purgeAfter);
                await markUninstalledIn(trx, portalId, at, purgeAfter);
              },
            };
            try {
              return await fn(row === undefined ? null : toInstallation(row), locked);
            } catch (error) {
              failure = { error };
              throw error;
            } finally {
              open = false;
            }
          }),
        );
      } catch (e) {
        if (failure !== undefined) throw failure.error;
        throw e;
      }
    },

    async recordState(nonce, expiresAt) {
      assertNonce(nonce);
      assertValidDate('expiresAt', expiresAt);
      await guard('installations.recordState', () =>
        db
          .insertInto('oauth_states')
          .values({ nonce, expires_at: expiresAt.toISOString(), used_at: null })
          .execute(),
      );
    },

    async consumeState(nonce, now): Promise<ConsumeStateResult> {
      assertNonce(nonce);
      assertValidDate('now', now);
      const at = now.toISOString();
      return guard('installations.consumeState', async () => {
        // One conditional UPDATE decides the winner: concurrent consumers of one nonce cannot both
        // see used_at null (PostgreSQL re-checks the WHERE after the row lock; SQLite serialises writes).
        const updated = await db
          .updateTable('oauth_states')
          .set({ used_at: at })
          .where('nonce', '=', nonce)
          .where('used_at', 'is', null)
          .where('expires_at', '>', at)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 1) return 'ok';
        const row = await db
          .selectFrom('oauth_states')
          .select(['expires_at', 'used_at'])
          .where('nonce', '=', nonce)
          .executeTakeFirst();
        if (row === undefined) return 'unknown';
        if (row.used_at !== null) return 'used';
        return 'expired';
      });
    },

    async deleteExpiredStates(before) {
      assertValidDate('before', before);
      const result = await guard('installations.deleteExpiredStates', () =>
        db.deleteFrom('oauth_states').where('expires_at', '<', before.toISOString()).executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },

    async listPurgeDue(now) {
      assertValidDate('now', now);
      const rows = await guard('installations.listPurgeDue', () =>
        db
          .selectFrom('installations')
          .select('portal_id')
          .where('status', '=', 'uninstalled')
          .where('purge_after', '<=', now.toISOString())
          .orderBy('portal_id')
          .execute(),
      );
      return rows.map((r) => Number(r.portal_id));
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(installations)', () =>
        db.deleteFrom('installations').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

function toInstallation(row: Selectable<InstallationsTable>): Installation {
  const status = row.status;
  if (status !== 'active' && status !== 'uninstalled') {
    throw new AppError(
      'INTERNAL',
      `store: installation of portal ${String(row.portal_id)} has status ${status}`,
    );
  }
  return {
    portalId: Number(row.portal_id),
    hubDomain: row.hub_domain,
    userId: row.user_id === null ? null : Number(row.user_id),
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    status: status satisfies InstallationStatus,
    refreshTokenSealed: row.refresh_token_sealed,
    accessTokenSealed: row.access_token_sealed,
    accessExpiresAt: row.access_expires_at === null ? null : new Date(row.access_expires_at),
    installedAt: new Date(row.installed_at),
    uninstalledAt: row.uninstalled_at === null ? null : new Date(row.uninstalled_at),
    purgeAfter: row.purge_after === null ? null : new Date(row.purge_after),
  };
}

function scopesText(scopes: readonly string[]): string {
  if (!Array.isArray(scopes)) throw invalidInput('scopes must be an array', { field: 'scopes' });
  scopes.forEach((s, i) => {
    if (typeof s !== 'string' || !SCOPE.test(s)) {
      throw invalidInput(`scopes[${i}] must be 1-200 printable characters without spaces`, {
        field: 'scopes',
      });
    }
  });
  return [...new Set(scopes)].join(' ');
}

function assertSealed(field: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOKEN_TEXT) {
    throw invalidInput(`${field} must be a non-empty sealed token`, { field });
  }
}

function assertNonce(nonce: string): void {
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > MAX_NONCE) {
    throw invalidInput(`nonce must be a non-empty string of at most ${MAX_NONCE} characters`, {
      field: 'nonce',
    });
  }
}
