/**
 * Deal waivers (issue 3 item 6): the port, its table type and its kysely implementation, shared
 * by SQLite and PostgreSQL. One active waiver per (portal, deal, criterion): waiving again replaces
 * the reason, stage, user and time.
 */
import type { ColumnType, Kysely } from 'kysely';
import { invalidInput } from '../core/errors.js';
import type { StoreGuard } from './installation-store.js';
import type { Database } from './schema.js';
import { assertPortalId, assertValidDate } from './validation.js';

/** Longest waiver reason, in characters (the card's counter shows the same limit). */
export const MAX_WAIVER_REASON = 280;

const RECORD_ID = /^[1-9]\d{0,19}$/;
const CRITERION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const STAGE_ID = /^[^\s]{1,100}$/;

/** One stored waiver. */
export interface DealWaiver {
  portalId: number;
  dealId: string;
  criterionId: string;
  /** The deal's stage when the criterion was waived (criteria belong to a stage). */
  stageId: string;
  reason: string;
  /** The HubSpot user who waived it (from the signed request). */
  userId: number;
  createdAt: Date;
}

/** What waive stores. */
export type WaiveInput = Readonly<DealWaiver>;

/** Waivers per (portal, deal, criterion). */
export interface WaiverStore {
  /** Store the waiver, replacing any earlier one of the same (portal, deal, criterion). */
  waive(input: WaiveInput): Promise<void>;
  /** The deal's waivers, ordered by criterion id; [] when none. */
  listForDeal(portalId: number, dealId: string): Promise<DealWaiver[]>;
  /** Every waiver of the portal, ordered by deal then criterion id; [] when none. */
  listForPortal(portalId: number): Promise<DealWaiver[]>;
  /** Delete every waiver of the portal. */
  deletePortal(portalId: number): Promise<void>;
}

/** A bigint column as the drivers return it (see ./schema.ts). */
type Bigint = ColumnType<number | string, number, number>;

/** One active waiver. */
export interface DealWaiversTable {
  portal_id: Bigint;
  deal_id: string;
  criterion_id: string;
  stage_id: string;
  reason: string;
  user_id: Bigint;
  /** ISO-8601 UTC. */
  created_at: string;
}

/** Build the waivers port over db; guard is the store's shared error wrapper. */
export function createWaiverStore(db: Kysely<Database>, guard: StoreGuard): WaiverStore {
  return {
    async waive(input) {
      assertPortalId(input.portalId);
      assertDealId(input.dealId);
      if (typeof input.criterionId !== 'string' || !CRITERION_ID.test(input.criterionId)) {
        throw invalidInput('criterionId must be a criterion id', { field: 'criterionId' });
      }
      if (typeof input.stageId !== 'string' || !STAGE_ID.test(input.stageId)) {
        throw invalidInput('stageId must be a stage id', { field: 'stageId' });
      }
      const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (reason.length === 0 || [...reason].length > MAX_WAIVER_REASON) {
        throw invalidInput(`reason must be 1 to ${MAX_WAIVER_REASON} characters`, { field: 'reason' });
      }
      if (!Number.isSafeInteger(input.userId) || input.userId <= 0) {
        throw invalidInput('userId must be a positive integer', { field: 'userId' });
      }
      assertValidDate('createdAt', input.createdAt);
      const row = {
        stage_id: input.stageId,
        reason,
        user_id: input.userId,
        created_at: input.createdAt.toISOString(),
      };
      await guard('waivers.waive', () =>
        db
          .insertInto('deal_waivers')
          .values({
            portal_id: input.portalId,
            deal_id: input.dealId,
            criterion_id: input.criterionId,
            ...row,
          })
          .onConflict((oc) => oc.columns(['portal_id', 'deal_id', 'criterion_id']).doUpdateSet(row))
          .execute(),
      );
    },

    async listForDeal(portalId, dealId) {
      assertPortalId(portalId);
      assertDealId(dealId);
      const rows = await guard('waivers.listForDeal', () =>
        db
          .selectFrom('deal_waivers')
          .selectAll()
          .where('portal_id', '=', portalId)
          .where('deal_id', '=', dealId)
          .orderBy('criterion_id')
          .execute(),
      );
      return rows.map(toWaiver);
    },

    async listForPortal(portalId) {
      assertPortalId(portalId);
      const rows = await guard('waivers.listForPortal', () =>
        db
          .selectFrom('deal_waivers')
          .selectAll()
          .where('portal_id', '=', portalId)
          .orderBy('deal_id')
          .orderBy('criterion_id')
          .execute(),
      );
      return rows.map(toWaiver);
    },

    async deletePortal(portalId) {
      assertPortalId(portalId);
      await guard('deletePortal(waivers)', () =>
        db.deleteFrom('deal_waivers').where('portal_id', '=', portalId).execute(),
      );
    },
  };
}

function toWaiver(r: {
  portal_id: number | string;
  deal_id: string;
  criterion_id: string;
  stage_id: string;
  reason: string;
  user_id: number | string;
  created_at: string;
}): DealWaiver {
  return {
    portalId: Number(r.portal_id),
    dealId: r.deal_id,
    criterionId: r.criterion_id,
    stageId: r.stage_id,
    reason: r.reason,
    userId: Number(r.user_id),
    createdAt: new Date(r.created_at),
  };
}

function assertDealId(dealId: string): void {
  if (typeof dealId !== 'string' || !RECORD_ID.test(dealId)) {
    throw invalidInput('dealId must be a HubSpot record id', { field: 'dealId' });
  }
}
