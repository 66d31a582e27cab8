/**
 * Argument checks shared by the store adapters. Each throws INVALID_INPUT naming the field, so a
 * bad call fails before any SQL runs.
 */
import { invalidInput } from '../core/errors.js';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const SETTING_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** Longest owner id we accept; HubSpot owner ids are short numeric strings. */
export const MAX_OWNER_ID_LENGTH = 100;
/** Most owner ids one listWeeks filter may name (keeps one statement under every bind limit). */
export const MAX_OWNER_FILTER = 10_000;
/** Largest settings document, as JSON text; a card cannot send more than 1 MB through hubspot.fetch anyway. */
export const MAX_SETTING_BYTES = 1024 * 1024;

export function assertPortalId(portalId: number): void {
  if (!Number.isSafeInteger(portalId) || portalId <= 0) {
    throw invalidInput('portalId must be a positive integer', { field: 'portalId' });
  }
}

/** A real calendar date as `YYYY-MM-DD` (rejects 2024-02-30). */
export function assertLocalDate(field: string, value: string): void {
  const m = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
  if (m === null) throw invalidInput(`${field} must be a date as YYYY-MM-DD`, { field });
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== value)
    throw invalidInput(`${field} is not a calendar date`, { field });
}

/** A week start: a calendar date that is a Monday (weeks run Monday to Monday, METRICS.md). */
export function assertWeekStart(field: string, value: string): void {
  assertLocalDate(field, value);
  // The weekday of a calendar date does not depend on the time zone, so UTC is fine here.
  if (new Date(`${value}T00:00:00Z`).getUTCDay() !== 1)
    throw invalidInput(`${field} must be a Monday`, { field });
}

export function assertOwnerId(field: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_OWNER_ID_LENGTH) {
    throw invalidInput(`${field} must be a non-empty string of at most ${MAX_OWNER_ID_LENGTH} characters`, {
      field,
    });
  }
}

export function assertSettingKey(key: string): void {
  if (typeof key !== 'string' || !SETTING_KEY.test(key)) {
    throw invalidInput('key must be 1-100 letters, digits or ._:- and start with a letter or digit', {
      field: 'key',
    });
  }
}

export function assertValidDate(field: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalidInput(`${field} must be a valid Date`, { field });
  }
}

/** JSON text of value, or INVALID_INPUT when it has no JSON form (undefined, functions, bigint, cycles). */
export function toJsonText(field: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string') throw invalidInput(`${field} is not JSON-serialisable`, { field });
  return text;
}

/** Split items into consecutive slices of at most size (size >= 1). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
