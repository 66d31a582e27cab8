/** Small helpers for paged and chunked HubSpot reads. */
import { AppError } from '../core/errors.js';

/** A page that may point to the next one with an `after` cursor. */
export interface CursorPage {
  paging?: { next?: { after: string } | null } | null;
}

/**
 * Fetch pages by `after` cursor until there is none, collecting `take(page)`. Only the cursor is
 * followed, never `paging.next.link` (a URL HubSpot could point anywhere). `what` names the
 * request in the error raised when a cursor comes back twice.
 */
export async function collectPages<P extends CursorPage, R>(
  what: string,
  fetch: (after: string | undefined) => Promise<P>,
  take: (page: P) => R[],
): Promise<R[]> {
  const out: R[] = [];
  const seen = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const page = await fetch(after);
    out.push(...take(page));
    after = page.paging?.next?.after;
    if (after === undefined) return out;
    if (seen.has(after))
      throw new AppError('HUBSPOT_INVALID_RESPONSE', `${what} repeated paging cursor ${after}`);
    seen.add(after);
  }
}

/** Split into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Distinct values, first occurrence order. */
export function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
