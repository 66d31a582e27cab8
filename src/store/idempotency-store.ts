/**
 * Idempotency keys of state-changing routes (threats A5, A6, D6): the port, its table type and its
 * kysely implementation. A key is claimed before the work runs (the recorded intent), completed with
 * the response the first request sent, and replayed from there; see src/server/idempotency.ts.
 */
import type { ColumnType, Kysely } from 'kysely';
import { invalidInput } from '../core/errors.js';
import type { StoreGuard } from './installation-store.js';
import type { Database } from './schema.js';
import { assertPortalId, assertValidDate } from './validation.js';

const KEY = /^[\x21-\x7e]{1,200}$/;
/** Largest stored response, as JSON text. */
export const MAX_IDEMPOTENT_RESPONSE_BYTES = 256 * 1024;

/** What claim found. */
export type ClaimResult =
  /** The caller owns the key now: do the work, then complete (or release) it. */
  | { state: 'claimed' }
  /** A request with this key finished: its stored response. */
  | { state: 'done'; response: string }
  /** Another request holds the key and has not finished. */
  | { state: 'pending' };

/** Idempotency keys per portal. */
export interface IdempotencyStore {
  /**
   * Claim a key atomically (of concurrent claims exactly one gets 'claimed'). A claim not completed
   * before `staleBefore` (its request died) may be taken over.
   */
  claim(portalId: number, key: string, at: Date, staleBefore: Date): Promise<ClaimResult>;
  /** Store the response of a claimed key. */
  complete(portalId: number, key: string, response: string): Promise<void>;
  /** Drop a claim whose work failed, so a retry with the same key runs again. */
  release(portalId: number, key: string): Promise<void>;
  /** Forget keys created before `before`; returns how many were deleted. */
  deleteOlderThan(before: Date): Promise<number>;
  /** Delete every key of the portal. */
  deletePortal(portalId: number): Promise<void>;
}

type Bigint = ColumnType<number | string, number, number>;

/** One idempotency key: claimed (response null) or completed. */
export interface IdempotencyKeysTable {
  portal_id: Bigint;
  key: string;
  /** JSON text of the first response; null while that request runs. */
  response: string | null;
  /** ISO-8601 UTC: when the key was (last) claimed. */
  created_at: string;
}

/** Build the idempotency port over db; guard is the store's shared error wrapper. */
export function createIdempotencyStore(db: Kysely<Database>, guard: StoreGuard): IdempotencyStore {
  return {
    async claim(portalId, key, at, staleBefore): Promise<ClaimResult> {
      assertPortalId(portalId);
      assertKey(key);
      assertValidDate('at', at);
      assertValidDate('staleBefore', staleBefore);
      return guard('idempotency.claim', async () => {
        const inserted = await db
          .insertInto('idempotency_keys')
          .values({ portal_id: portalId, key, response: null, created_at: at.toISOString() })
          .onConflict((oc) => oc.columns(['portal_id', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { state: 'claimed' };
        const row = await db
          .selectFrom('idempotency_keys')
          .select(['response', 'created_at'])
          .where('portal_id', '=', portalId)
          .where('key', '=', key)
          .executeTakeFirst();
        // Released between our insert and read: the caller may simply try again.
        if (row === undefined) return { state: 'pending' };
        if (row.response !== null) return { state: 'done', response: row.response };
        if (row.created_at >= staleBefore.toISOString()) return { state: 'pending' };
        // One conditional UPDATE decides who takes over a stale claim.
        const taken = await db
          .updateTable('idempotency_keys')
          .set({ created_at: at.toISOString() })
          .where('portal_id', '=', portalId)
          .where('key', '=', key)
          .where('response', 'is', null)
          .where('created_at', '=', row.created_at)
          .executeTakeFirst();
        return Number(taken.numUpdatedRows) === 1 ? { state: 'claimed' } : { state: 'pending' };
      });
    },

    async complete(portalId, key, response) {
      assertPortalId(portalId);
      assertKey(key);
      if (typeof response !== 'string' || Buffer.byteLength(response) > MAX_IDEMPOTENT_RESPONSE_BYTES) {
        throw invalidInput('response must be JSON text of at most 256 KiB', { field: 'response' });
      }
      await guard('idempotency.complete', () =>
        db
          .updateTable('idempotency_keys')
          .set({ response })
          .where('portal_id', '=', portalId)
          .where('key', '=', key)
          .execute(),
      );
    },

    async release(portalId, key) {
      assertPortalId(portalId);
      assertKey(key);
      await guard('idempotency.release', () =>
        db
          .deleteFrom('idempotency_keys')
          .where('portal_id', '=', portalId)
          .where('key', '=', key)
          .where('response', 'is', null)
          .execute(),
      );
    },

    async deleteOlderThan(before) {
      assertValidDate('before', before);
      const result = await guard('idempotency.deleteOlderThan', () =>
        db.deleteFrom('idempotency_keys').where('created_at', '<', before.toISOString()).executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(idempotency)', () =>
        db.deleteFrom('idempotency_keys').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw invalidInput('key must be 1-200 printable characters without spaces', { field: 'key' });
  }
}
