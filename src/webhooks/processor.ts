/**
 * The webhook processor: the worker side of the durable queue (threats G1, G3, G5). Each run
 * leases due events from the store, hands each to the first handler that matches, and marks it
 * done, or failed with a bounded, growing backoff. An event a crashed worker leased becomes due
 * again when its lease expires, so an acknowledged event is processed after a restart.
 *
 * Delivery is at least once: a handler may see an event twice (a lease that expired mid-run), so
 * handlers are idempotent (cache invalidation; exceptions keyed on the change).
 */
import type { FunctionLogger } from '../functions/context.js';
import type { WebhookEvent, WebhookStore } from '../store/webhook-ports.js';

/** One kind of event and what to do with it. */
export interface WebhookHandler {
  /** A short name for logs. */
  readonly name: string;
  matches(event: WebhookEvent): boolean;
  /** Throw to retry later (bounded); resolve when done. */
  handle(event: WebhookEvent): Promise<void>;
}

export interface WebhookProcessorOptions {
  store: Pick<WebhookStore, 'claimPending' | 'markDoneMany' | 'markFailed'>;
  handlers: readonly WebhookHandler[];
  /** Clock (ms since the epoch); defaults to Date.now. */
  now?: () => number;
  logger: FunctionLogger;
  /** Events leased per run (default 50). */
  batchSize?: number;
  /** Lease length; must exceed a run's worst case (default 5 min). */
  leaseMs?: number;
  /** Attempts before an event is given up as failed (default 8). */
  maxAttempts?: number;
  /** Backoff before retry n (1-based): base × 2^(n−1), capped (defaults 5 s and 1 h). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

/** What one run did. */
export interface ProcessorRun {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  /** Lease lost before the mark (another worker took the event over). */
  lost: number;
}

export interface WebhookProcessor {
  /** Lease and process one batch of due events. */
  runOnce(): Promise<ProcessorRun>;
  /** Run every intervalMs (runs never overlap; a full batch runs again at once). */
  start(intervalMs: number): void;
  /** Stop the timer and wait for the run in progress. */
  stop(): Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 50;
export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_MAX_ATTEMPTS = 8;

/** Build a processor over the webhook store. */
export function createWebhookProcessor(options: WebhookProcessorOptions): WebhookProcessor {
  const now = options.now ?? Date.now;
  const log = options.logger;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const base = options.backoffBaseMs ?? 5_000;
  const cap = options.backoffMaxMs ?? 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ProcessorRun> | undefined;
  let stopped = true;

  /** Handle one event; true when it is done (its completion is written with the batch's). */
  async function processOne(event: WebhookEvent, run: ProcessorRun): Promise<boolean> {
    const handler = options.handlers.find((h) => h.matches(event));
    const meta = { portalId: event.portalId, eventId: event.eventId, type: event.subscriptionType };
    try {
      if (handler) await handler.handle(event);
      else log.debug(meta, 'webhook event has no handler; acknowledged');
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const giveUp = event.attempts >= maxAttempts;
      const retryAt = giveUp ? null : new Date(now() + Math.min(cap, base * 2 ** (event.attempts - 1)));
      const ok = await options.store.markFailed(
        event.portalId,
        event.eventId,
        event.leaseToken,
        message,
        retryAt,
      );
      if (!ok) run.lost += 1;
      else if (giveUp) run.failed += 1;
      else run.retried += 1;
      log.warn(
        { ...meta, handler: handler?.name, attempts: event.attempts, giveUp, err: message },
        giveUp ? 'webhook event failed for good' : 'webhook event failed; will retry',
      );
      return false;
    }
  }

  async function runOnce(): Promise<ProcessorRun> {
    const events = await options.store.claimPending(batchSize, new Date(now()), leaseMs);
    const run: ProcessorRun = { claimed: events.length, done: 0, retried: 0, failed: 0, lost: 0 };
    // In occurrence order, one at a time: changes of one deal are handled oldest first. Completions
    // are written together after the batch: one commit instead of one per event keeps the database
    // free for the acknowledgements of new deliveries (each SQLite commit is an fsync). A crash
    // before that write only means the batch is handled again once its lease expires (at least once).
    const done: WebhookEvent[] = [];
    for (const event of events) if (await processOne(event, run)) done.push(event);
    const marked = await options.store.markDoneMany(done, new Date(now()));
    for (const ok of marked) {
      if (ok) run.done += 1;
      else run.lost += 1;
    }
    if (events.length > 0) log.info({ ...run }, 'webhook events processed');
    return run;
  }

  function schedule(delayMs: number, intervalMs: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = runOnce();
      running
        .then(
          (run) => schedule(run.claimed >= batchSize ? 0 : intervalMs, intervalMs),
          (error: unknown) => {
            log.error({ err: error instanceof Error ? error.message : String(error) }, 'webhook run failed');
            schedule(intervalMs, intervalMs);
          },
        )
        .finally(() => {
          running = undefined;
        })
        .catch(() => undefined);
    }, delayMs);
    timer.unref();
  }

  return {
    runOnce,
    start(intervalMs) {
      if (!Number.isSafeInteger(intervalMs) || intervalMs < 1)
        throw new RangeError('intervalMs must be >= 1');
      if (!stopped) return;
      stopped = false;
      schedule(0, intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
