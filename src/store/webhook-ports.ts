/**
 * Storage ports of webhook ingestion (threats G1–G5): the durable queue of HubSpot webhook events,
 * deduplicated on (portal, eventId), and the stage exceptions the processor records.
 * Same conventions as ./ports.ts: portal id on every row, [] or null for nothing, AppErrors.
 */

/** Where a stored event is: waiting (or waiting for a retry), leased by a worker, handled, or given up. */
export type WebhookEventStatus = 'pending' | 'processing' | 'done' | 'failed';

/** One HubSpot webhook event as the route accepts it (validated; ids as strings). */
export interface WebhookEventInput {
  readonly portalId: number;
  /** HubSpot's eventId (digits), unique per portal: the dedupe key. */
  readonly eventId: string;
  readonly subscriptionType: string;
  /** The record the event is about ('' when the subscription has none, e.g. some hub events). */
  readonly objectId: string;
  /** `0-3` for deals etc. on generic `object.*` subscriptions; null on legacy ones. */
  readonly objectTypeId: string | null;
  readonly propertyName: string | null;
  readonly propertyValue: string | null;
  readonly occurredAt: Date;
}

/** A stored event, as a worker claimed it. */
export interface WebhookEvent extends WebhookEventInput {
  receivedAt: Date;
  status: WebhookEventStatus;
  /** Claims so far, this one included. */
  attempts: number;
  /** The claim's token: markDone/markFailed only act while it still holds the lease. */
  leaseToken: string;
  lastError: string | null;
}

/** A dealstage change stored for one deal (from either subscription style), for ordering checks. */
export interface StoredStageChange {
  eventId: string;
  stageId: string;
  occurredAt: Date;
  status: WebhookEventStatus;
}

/** The webhook queue: dedupe and durable work list in one table. */
export interface WebhookStore {
  /**
   * Store a batch in one transaction: an event already stored (same portal and eventId) is a no-op,
   * also when the same batch is delivered concurrently. Returns how many were new and how many were
   * duplicates (within the batch or of stored events).
   */
  acceptBatch(
    events: readonly WebhookEventInput[],
    receivedAt: Date,
  ): Promise<{ accepted: number; duplicates: number }>;
  /**
   * Lease up to `limit` events that are due (pending with their retry time passed, or processing
   * with an expired lease), oldest occurrence first, until `now + leaseMs`. Two concurrent claims
   * never return the same event while its lease holds.
   */
  claimPending(limit: number, now: Date, leaseMs: number): Promise<WebhookEvent[]>;
  /** Mark handled; false when the lease was lost (another worker re-claimed it). */
  markDone(portalId: number, eventId: string, leaseToken: string, at: Date): Promise<boolean>;
  /**
   * markDone for several events in one transaction (one commit, one fsync on SQLite), as the
   * processor does after each batch; per event, in order: false when its lease was lost.
   */
  markDoneMany(
    events: readonly { portalId: number; eventId: string; leaseToken: string }[],
    at: Date,
  ): Promise<boolean[]>;
  /**
   * Record a failed attempt: back to pending at `retryAt`, or `failed` for good when retryAt is
   * null. false when the lease was lost.
   */
  markFailed(
    portalId: number,
    eventId: string,
    leaseToken: string,
    error: string,
    retryAt: Date | null,
  ): Promise<boolean>;
  /** One event by key (tests, diagnostics); null if unknown. */
  get(portalId: number, eventId: string): Promise<WebhookEvent | null>;
  /** The deal's stored dealstage changes, oldest occurrence first (then eventId). */
  stageChanges(portalId: number, dealId: string): Promise<StoredStageChange[]>;
  /** Delete done events received before `before` (dedupe keys are kept ≥ 7 days); returns the count. */
  purgeDone(before: Date): Promise<number>;
  /** Delete every event of the portal. */
  deletePortal(portalId: number): Promise<void>;
}

/** A deal that left a stage with required criteria unmet (and not waived). */
export interface StageException {
  portalId: number;
  dealId: string;
  fromStageId: string;
  toStageId: string;
  /** The unmet required criteria of the stage it left. */
  criterionIds: string[];
  occurredAt: Date;
  /** The deal's owner when it left the stage (whose process it was); null when unowned or unknown. */
  ownerId: string | null;
}

/** Stage exceptions per portal. */
export interface ExceptionStore {
  /** Record one; the same (portal, deal, occurredAt, fromStage) again is a no-op. Returns whether it was new. */
  record(exception: Omit<StageException, 'ownerId'> & { ownerId?: string | null }): Promise<boolean>;
  /** Exceptions that occurred at or after `since` (all when omitted), oldest first, then by deal. */
  listForPortal(portalId: number, query?: { since?: Date }): Promise<StageException[]>;
  /** Delete every exception of the portal. */
  deletePortal(portalId: number): Promise<void>;
}
