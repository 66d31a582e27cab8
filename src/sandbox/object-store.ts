/**
 * Stored CRM records of one object type in one portal: an array sorted by numeric id (the order
 * HubSpot lists and sorts by default), an id map, parsed-instant caches per datetime property and
 * lazily built datetime indexes. Every write bumps `version`, which invalidates cached searches.
 */
import { DatetimeIndex, MAX_OVERFLOW } from './datetime-index.js';
import { effectiveValue, parseInstant, type RecordLike } from './properties.js';

/** Sort key of an id: its number when numeric, else +Infinity (non-numeric ids sort last, by string). */
export function idKeyOf(id: string): number {
  if (!/^\d{1,15}$/.test(id)) return Infinity;
  return Number(id);
}

/** Order of two records by id, as HubSpot's default sort. */
export function compareById(a: { idKey: number; id: string }, b: { idKey: number; id: string }): number {
  if (a.idKey !== b.idKey) return a.idKey < b.idKey ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** One record. `properties` is never mutated in place (a write replaces the object). */
export class StoredRecord implements RecordLike {
  readonly id: string;
  readonly idKey: number;
  /** Position in the table's slot arrays (instant caches). */
  readonly slot: number;
  properties: Readonly<Record<string, string | null>>;
  createdAt: string;
  /** Whether the creation time was given (createdAt, hs_createdate or createdate) rather than guessed for the response. */
  createdAtKnown: boolean;
  updatedAt: string;
  archived: boolean;
  /** False once replaced by an upsert; stale index entries may still point here. */
  live = true;

  constructor(
    id: string,
    slot: number,
    properties: Readonly<Record<string, string | null>>,
    createdAt: string,
    updatedAt: string,
    archived: boolean,
    createdAtKnown = true,
  ) {
    this.id = id;
    this.idKey = idKeyOf(id);
    this.slot = slot;
    this.properties = properties;
    this.createdAt = createdAt;
    this.createdAtKnown = createdAtKnown;
    this.updatedAt = updatedAt;
    this.archived = archived;
  }
}

/** A record to load: the fixture's shape. */
export interface RecordInput {
  id: string;
  archived?: boolean;
  createdAt?: string;
  updatedAt?: string;
  properties?: Readonly<Record<string, string | null>>;
}

// Marks a cache slot not yet parsed; NaN marks "parsed, not a datetime".
const UNPARSED = -Infinity;

/** The records of one object type in one portal. */
export class ObjectTable {
  /** Every record (archived ones included), sorted by id. */
  readonly records: StoredRecord[] = [];
  readonly byId = new Map<string, StoredRecord>();
  /** Bumped on every write. */
  version = 0;
  private slots = 0;
  private maxNumericId = 0;
  private readonly instantCache = new Map<string, Float64Array>();
  private readonly indexes = new Map<string, DatetimeIndex>();

  /** Load many records at once (fixture load): one sort instead of sorted inserts; a repeated id keeps its last record. */
  load(inputs: readonly RecordInput[], fallbackTime: string): void {
    const fresh = new Map<string, StoredRecord>();
    for (const input of inputs) {
      const rec = this.makeRecord(input, fallbackTime);
      const prev = fresh.get(rec.id) ?? this.byId.get(rec.id);
      if (prev) prev.live = false;
      fresh.set(rec.id, rec);
      this.byId.set(rec.id, rec);
    }
    const merged = this.records.filter((r) => r.live).concat([...fresh.values()]);
    merged.sort(compareById);
    this.records.length = 0;
    for (const r of merged) this.records.push(r);
    this.touchAll();
  }

  /** Insert or replace one record. */
  upsert(input: RecordInput, fallbackTime: string): StoredRecord {
    const old = this.byId.get(input.id);
    if (old) this.removeFromOrder(old);
    const rec = this.makeRecord(input, fallbackTime);
    this.byId.set(rec.id, rec);
    this.insertSorted(rec);
    this.touch(rec);
    return rec;
  }

  /** Create a record with the next free id. */
  create(properties: Record<string, string | null>, nowIso: string): StoredRecord {
    const id = String(this.maxNumericId + 1);
    return this.upsert({ id, properties, createdAt: nowIso, updatedAt: nowIso, archived: false }, nowIso);
  }

  /** Merge property updates into a record (copy on write). */
  update(rec: StoredRecord, updates: Record<string, string | null>, nowIso: string): void {
    rec.properties = { ...rec.properties, ...updates };
    rec.updatedAt = nowIso;
    this.touch(rec);
  }

  /** Archive (HubSpot's soft delete). */
  archive(rec: StoredRecord, nowIso: string): void {
    rec.archived = true;
    rec.updatedAt = nowIso;
    this.touch(rec);
  }

  /** A property's instant for a record (NaN when missing or not a datetime); parsed once per value. */
  instant(rec: StoredRecord, property: string): number {
    let cache = this.instantCache.get(property);
    if (cache === undefined || cache.length < this.slots) {
      cache = this.growCache(property, cache);
    }
    const cached = cache[rec.slot];
    if (cached !== UNPARSED) return cached;
    const raw = effectiveValue(rec, property);
    const value = raw === null ? NaN : parseInstant(raw);
    cache[rec.slot] = value;
    return value;
  }

  /** The datetime index of a property, built on first use. */
  index(property: string): DatetimeIndex {
    let idx = this.indexes.get(property);
    if (idx === undefined || idx.overflow.size > MAX_OVERFLOW) {
      idx = this.buildIndex(property);
      this.indexes.set(property, idx);
    }
    return idx;
  }

  private buildIndex(property: string): DatetimeIndex {
    const times = new Float64Array(this.records.length);
    const recs: StoredRecord[] = [];
    let n = 0;
    for (const rec of this.records) {
      const t = this.instant(rec, property);
      if (Number.isNaN(t)) continue;
      times[n++] = t;
      recs.push(rec);
    }
    return new DatetimeIndex(times.subarray(0, n), recs);
  }

  private growCache(property: string, old: Float64Array | undefined): Float64Array {
    const size = Math.max(16, this.slots + (this.slots >> 1));
    const next = new Float64Array(size).fill(UNPARSED);
    if (old) next.set(old);
    this.instantCache.set(property, next);
    return next;
  }

  private makeRecord(input: RecordInput, fallbackTime: string): StoredRecord {
    const props = input.properties ?? {};
    const createdAt =
      input.createdAt ?? firstOf(props, ['hs_createdate', 'createdate', 'hs_timestamp']) ?? fallbackTime;
    const updatedAt =
      input.updatedAt ?? firstOf(props, ['hs_lastmodifieddate', 'lastmodifieddate']) ?? createdAt;
    const rec = new StoredRecord(
      input.id,
      this.slots++,
      props,
      createdAt,
      updatedAt,
      input.archived ?? false,
      input.createdAt !== undefined || firstOf(props, ['hs_createdate', 'createdate']) !== undefined,
    );
    if (Number.isFinite(rec.idKey) && rec.idKey > this.maxNumericId) this.maxNumericId = rec.idKey;
    return rec;
  }

  private insertSorted(rec: StoredRecord): void {
    const last = this.records[this.records.length - 1];
    if (last === undefined || compareById(last, rec) < 0) {
      this.records.push(rec);
      return;
    }
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareById(this.records[mid], rec) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.records.splice(lo, 0, rec);
  }

  private removeFromOrder(rec: StoredRecord): void {
    rec.live = false;
    const i = this.positionOf(rec);
    if (i >= 0) this.records.splice(i, 1);
    for (const idx of this.indexes.values()) idx.overflow.delete(rec);
  }

  /** Position of a record in `records`, or -1. */
  positionOf(rec: StoredRecord): number {
    const i = this.lowerBound(rec.idKey, rec.id);
    return this.records[i] === rec ? i : -1;
  }

  /** First position whose id sorts at or after (idKey, id). */
  lowerBound(idKey: number, id: string): number {
    let lo = 0;
    let hi = this.records.length;
    const probe = { idKey, id };
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareById(this.records[mid], probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private touch(rec: StoredRecord): void {
    this.version++;
    for (const cache of this.instantCache.values()) {
      if (rec.slot < cache.length) cache[rec.slot] = UNPARSED;
    }
    for (const idx of this.indexes.values()) idx.overflow.add(rec);
  }

  private touchAll(): void {
    this.version++;
    this.instantCache.clear();
    this.indexes.clear();
  }
}

function firstOf(props: Readonly<Record<string, string | null>>, names: string[]): string | undefined {
  for (const n of names) {
    if (!Object.hasOwn(props, n)) continue;
    const v = props[n];
    if (typeof v === 'string' && v !== '' && !Number.isNaN(parseInstant(v))) return normaliseIso(v);
  }
  return undefined;
}

/** createdAt/updatedAt are ISO strings in HubSpot's answers, even when the property was epoch ms. */
function normaliseIso(v: string): string {
  return new Date(parseInstant(v)).toISOString();
}
