/**
 * withIdempotency: the one wrapper every state-changing route runs its work in (threats A5, A6,
 * D6). The key is claimed in the store before the work starts (the recorded intent); the first
 * response is stored and every later request with the same key gets it back unchanged, whether it
 * arrives after the first finished (a double click, HubSpot's own retry) or while it still runs (a
 * concurrent double send waits for the first one's answer). Work that fails releases the claim, so
 * a retry runs it again; work that may have had an external effect must make that retry safe itself
 * (the follow-up task looks for its marker before creating).
 */
import { AppError } from '../core/errors.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';

/** A response as stored and replayed. */
export interface IdempotentResponse {
  status: number;
  body: unknown;
}

export interface IdempotencyOptions {
  /** Clock (ms); defaults to Date.now. */
  now?: () => number;
  /** How long a request waits for a concurrent one holding the same key (default 10 s). */
  waitMs?: number;
  /** Poll interval while waiting (default 50 ms). */
  pollMs?: number;
  /** A claim older than this without a response belongs to a request that died (default 60 s). */
  staleMs?: number;
}

/** Idempotency keys as clients send them: 8 to 128 URL-safe characters. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run fn once per (portal, key) and return its response; later calls with the key replay it
 * (`replayed: true`). `key` should name the route too (e.g. `waiver:<client key>`), so one client
 * key cannot replay another route's answer.
 */
export async function withIdempotency(
  store: IdempotencyStore,
  portalId: number,
  key: string,
  fn: () => Promise<IdempotentResponse>,
  options: IdempotencyOptions = {},
): Promise<IdempotentResponse & { replayed: boolean }> {
  const now = options.now ?? Date.now;
  const waitMs = options.waitMs ?? 10_000;
  const pollMs = options.pollMs ?? 50;
  const staleMs = options.staleMs ?? 60_000;
  const deadline = now() + waitMs;
  for (;;) {
    const t = now();
    const claim = await store.claim(portalId, key, new Date(t), new Date(t - staleMs));
    if (claim.state === 'done') {
      const stored = JSON.parse(claim.response) as IdempotentResponse;
      return { status: stored.status, body: stored.body, replayed: true };
    }
    if (claim.state === 'claimed') {
      let response: IdempotentResponse;
      try {
        response = await fn();
      } catch (error) {
        await store.release(portalId, key).catch(() => undefined);
        throw error;
      }
      await store.complete(portalId, key, JSON.stringify(response));
      return { ...response, replayed: false };
    }
    if (now() >= deadline) {
      throw new AppError('CONFLICT', `idempotency key ${key} is still in progress`, {
        publicMessage: 'The same request is still being processed. Try again in a moment.',
      });
    }
    await sleep(pollMs);
  }
}
