/**
 * A sorted index (instant -> record) over one datetime property of one object type, so a search
 * with a range on that property reads only the records in range instead of every record.
 *
 * Writes do not rebuild it: a written record goes to an overflow set that every lookup adds to its
 * candidates. Entries may therefore be stale; callers evaluate every filter on every candidate
 * anyway, which discards them. Past a size the overflow makes the owner drop and rebuild the index.
 */
import type { StoredRecord } from './object-store.js';

/** A closed or open bound on an instant. */
export interface InstantRange {
  lo: number;
  loInclusive: boolean;
  hi: number;
  hiInclusive: boolean;
}

/** The overflow size past which rebuilding beats scanning the overflow on every lookup. */
export const MAX_OVERFLOW = 20_000;

/** Instants of one property, sorted, with the records holding them. */
export class DatetimeIndex {
  private readonly times: Float64Array;
  private readonly recs: StoredRecord[];
  /** Records written since the index was built (their entries above may be stale or missing). */
  readonly overflow = new Set<StoredRecord>();

  /** Build from (instant, record) pairs; invalid instants (NaN) must already be left out. */
  constructor(times: Float64Array, recs: StoredRecord[]) {
    const order = new Int32Array(times.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => times[a] - times[b] || recs[a].idKey - recs[b].idKey);
    this.times = new Float64Array(times.length);
    this.recs = new Array<StoredRecord>(times.length);
    for (let i = 0; i < order.length; i++) {
      const j = order[i];
      this.times[i] = times[j];
      this.recs[i] = recs[j];
    }
  }

  get size(): number {
    return this.recs.length;
  }

  /** First position whose time is >= t (or > t when `strict`). */
  private bound(t: number, strict: boolean): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.times[mid];
      if (v < t || (strict && v === t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private span(range: InstantRange): [number, number] {
    const start = range.lo === -Infinity ? 0 : this.bound(range.lo, !range.loInclusive);
    const end = range.hi === Infinity ? this.times.length : this.bound(range.hi, range.hiInclusive);
    return [start, Math.max(start, end)];
  }

  /** How many candidates a lookup would yield (upper bound; overflow included). */
  estimate(range: InstantRange): number {
    const [start, end] = this.span(range);
    return end - start + this.overflow.size;
  }

  /** Candidate records for a range, in time order, then the overflow; may hold stale entries and duplicates. */
  candidates(range: InstantRange): StoredRecord[] {
    const [start, end] = this.span(range);
    const out = this.recs.slice(start, end);
    for (const r of this.overflow) out.push(r);
    return out;
  }
}
