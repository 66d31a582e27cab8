/**
 * Deleting a portal's data (threats E7, E8). `purgePortal` is the one list of every store that
 * holds rows of a portal: a store added to `Store` must be added here too (the purge test walks
 * every table of the schema and fails on any row left with the portal id). The installation row
 * goes last, so a purge that fails half-way is still listed by `listPurgeDue` and finished by the
 * next run.
 *
 * `purgeDueJob` runs the purge for every uninstalled portal whose retention has passed (the
 * disconnect route sets purgeAfter = now, so "at once on request" is the same path), and forgets
 * OAuth `state` nonces that expired. Portals purge one after another; one failing does not stop
 * the others.
 */
import type { FunctionLogger } from '../functions/context.js';
import type { Store } from '../store/ports.js';

/** The stores purgePortal empties for a portal. */
export type PurgeableStore = Pick<
  Store,
  | 'snapshots'
  | 'settings'
  | 'webhooks'
  | 'exceptions'
  | 'waivers'
  | 'idempotency'
  | 'coachingNotes'
  | 'trainingAssignments'
  | 'jobRuns'
  | 'installations'
>;

// A store added to Store without being added above (and purged below) fails to compile here.
type Unpurged = Exclude<keyof Store, keyof PurgeableStore | 'health' | 'close' | 'dialect'>;
const EVERY_STORE_PURGED: [Unpurged] extends [never] ? true : never = true;
void EVERY_STORE_PURGED;

/** Delete every row of the portal in every store, the installation (with any tokens) last. */
export async function purgePortal(store: PurgeableStore, portalId: number): Promise<void> {
  const stores = [
    store.coachingNotes,
    store.trainingAssignments,
    store.jobRuns,
    store.snapshots,
    store.settings,
    store.waivers,
    store.exceptions,
    store.webhooks,
    store.idempotency,
  ] as const;
  for (const s of stores) await s.deletePortal(portalId);
  await store.installations.deletePortal(portalId);
}

/** What one purge run did. */
export interface PurgeSummary {
  purged: number[];
  failed: number[];
  expiredStates: number;
}

/** Dependencies of purgeDueJob. */
export interface PurgeJobDeps {
  store: PurgeableStore;
  logger: FunctionLogger;
  now?: () => Date;
  /** Called after a portal is purged (drop its cached gateway: PortalRegistry.forget). */
  onPurged?: (portalId: number) => void;
}

/** Purge every portal whose purgeAfter has passed, and forget expired OAuth states. */
export async function purgeDueJob(deps: PurgeJobDeps): Promise<PurgeSummary> {
  const at = (deps.now ?? (() => new Date()))();
  const due = await deps.store.installations.listPurgeDue(at);
  const summary: PurgeSummary = { purged: [], failed: [], expiredStates: 0 };
  for (const portalId of due) {
    try {
      await purgePortal(deps.store, portalId);
      deps.onPurged?.(portalId);
      summary.purged.push(portalId);
      deps.logger.info({ portalId, metric: 'portal_purged' }, 'uninstalled portal purged');
    } catch (err) {
      summary.failed.push(portalId);
      deps.logger.error({ portalId, err, metric: 'portal_purge_failed' }, 'purge of a portal failed');
    }
  }
  summary.expiredStates = await deps.store.installations.deleteExpiredStates(at);
  return summary;
}

/**
 * Delete what Pillars stored about one contact (HubSpot's `contact.privacyDeletion`, threats E9):
 * the coaching notes written on the contact's record. Nothing else names a contact: waivers and
 * stage exceptions are per deal, snapshots per owner and week, assignments per rep, and webhook
 * events keep ids only. Returns how many rows were deleted.
 */
export function deleteContactData(
  store: Pick<Store, 'coachingNotes'>,
  portalId: number,
  contactId: string,
): Promise<number> {
  return store.coachingNotes.deleteForContact(portalId, contactId);
}
