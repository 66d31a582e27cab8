/**
 * How the sandbox types CRM properties, as HubSpot's search index does: datetimes compare as
 * instants (ISO-8601 or epoch-ms strings), a few known numeric properties compare as numbers,
 * everything else compares as numbers when both sides are numeric and as case-insensitive strings
 * otherwise. Also the properties HubSpot always derives (hs_object_id, create/modify dates).
 */
import type { CrmObjectType } from '../core/crm.js';

/** How a property's values compare. */
export type PropertyKind = 'datetime' | 'number' | 'auto';

const DATETIME_NAMES = new Set([
  'hs_timestamp',
  'hs_createdate',
  'createdate',
  'closedate',
  'hs_lastmodifieddate',
  'lastmodifieddate',
  'hs_meeting_start_time',
  'hs_meeting_end_time',
  'hs_task_completion_date',
  'notes_last_contacted',
]);
const DATETIME_PREFIXES = [
  'hs_v2_date_entered_',
  'hs_v2_date_exited_',
  'hs_date_entered_',
  'hs_date_exited_',
];
const NUMBER_NAMES = new Set(['hs_object_id', 'amount', 'hs_call_duration', 'hs_deal_stage_probability']);

const kindCache = new Map<string, PropertyKind>();

/** The kind of a property, by name (cached: names repeat on every record). */
export function propertyKind(name: string): PropertyKind {
  let kind = kindCache.get(name);
  if (kind === undefined) {
    kind = computeKind(name);
    if (kindCache.size < 10_000) kindCache.set(name, kind);
  }
  return kind;
}

function computeKind(name: string): PropertyKind {
  if (NUMBER_NAMES.has(name)) return 'number';
  if (DATETIME_NAMES.has(name)) return 'datetime';
  if (DATETIME_PREFIXES.some((p) => name.startsWith(p))) return 'datetime';
  if (name.endsWith('date') || name.endsWith('_time') || name.endsWith('timestamp')) return 'datetime';
  return 'auto';
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const EPOCH = /^-?\d{1,16}$/;

/**
 * Parse a datetime as HubSpot accepts it: epoch milliseconds or ISO-8601 (a date alone is UTC
 * midnight; no zone means UTC). Returns NaN for anything else, including impossible dates.
 */
export function parseInstant(text: string): number {
  const s = text.trim();
  if (s === '') return NaN;
  if (EPOCH.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : NaN;
  }
  const m = ISO.exec(s);
  if (!m) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const base = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 30 February over into March; a rolled-over date is not a date.
  if (new Date(base).getUTCDate() !== day) return NaN;
  const zone = m[8];
  if (zone === undefined || zone.toUpperCase() === 'Z') return base;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (offH > 23 || offM > 59) return NaN;
  return base - sign * (offH * 60 + offM) * 60_000;
}

/** A finite number when the whole string is numeric, else NaN. */
export function parseNumber(text: string): number {
  if (text.trim() === '') return NaN;
  const n = Number(text);
  return Number.isFinite(n) ? n : NaN;
}

/** The minimal fields of a stored record that derived properties read. */
export interface RecordLike {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null>>;
  readonly createdAt: string;
  /** False when the fixture gave no creation time: then hs_createdate/createdate have no value (METRICS.md: skipped). */
  readonly createdAtKnown?: boolean;
  readonly updatedAt: string;
}

/** A stored property value, or null; never reads inherited keys such as `__proto__`. */
export function ownValue(props: Readonly<Record<string, string | null>>, name: string): string | null {
  if (!Object.hasOwn(props, name)) return null;
  const v = props[name];
  return v === undefined ? null : v;
}

/** A property's value as HubSpot reports it, derived properties included. */
export function effectiveValue(rec: RecordLike, name: string): string | null {
  switch (name) {
    case 'hs_object_id':
      return rec.id;
    case 'hs_createdate':
    case 'createdate': {
      const v = ownValue(rec.properties, name);
      if (v !== null && v !== '') return v;
      return rec.createdAtKnown === false ? null : rec.createdAt;
    }
    case 'hs_lastmodifieddate':
    case 'lastmodifieddate': {
      const v = ownValue(rec.properties, name);
      return v === null || v === '' ? rec.updatedAt : v;
    }
    default:
      return ownValue(rec.properties, name);
  }
}

const ENGAGEMENT_DEFAULTS = ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'];

/** Properties HubSpot returns on every record of a type, requested or not. */
export function alwaysReturned(type: CrmObjectType): readonly string[] {
  switch (type) {
    case 'contacts':
      return ['createdate', 'lastmodifieddate', 'hs_object_id'];
    case 'companies':
    case 'deals':
      return ['createdate', 'hs_lastmodifieddate', 'hs_object_id'];
    default:
      return ENGAGEMENT_DEFAULTS;
  }
}

/** Properties HubSpot returns when a request names none. */
export function defaultProperties(type: CrmObjectType): readonly string[] {
  switch (type) {
    case 'contacts':
      return ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'];
    case 'companies':
      return ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'];
    case 'deals':
      return [
        'amount',
        'closedate',
        'createdate',
        'dealname',
        'dealstage',
        'hs_lastmodifieddate',
        'hs_object_id',
        'pipeline',
      ];
    default:
      return ENGAGEMENT_DEFAULTS;
  }
}

/**
 * The `properties` object of a response: the requested names (null when unset) plus the ones
 * HubSpot always returns. A null prototype keeps a requested `__proto__` an ordinary key.
 */
export function projectProperties(
  rec: RecordLike,
  type: CrmObjectType,
  requested: readonly string[] | undefined,
): Record<string, string | null> {
  const out = Object.create(null) as Record<string, string | null>;
  const names = requested === undefined || requested.length === 0 ? defaultProperties(type) : requested;
  for (const name of names) out[name] = effectiveValue(rec, name);
  for (const name of alwaysReturned(type)) out[name] = effectiveValue(rec, name);
  return out;
}
