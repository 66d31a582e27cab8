/**
 * Checking a playbook property condition against one record's properties.
 */
import { parseInstant } from '../time/index.js';
import type { CrmRecord } from '../crm.js';
import type { PropertyCondition } from '@pillars/contracts';

/** The property's value, trimmed; null when missing or blank (HubSpot returns "" for cleared values). */
export function propertyValue(record: CrmRecord, name: string): string | null {
  const raw = record.properties[name];
  if (raw == null) return null;
  const v = raw.trim();
  return v === '' ? null : v;
}

// Multiple-checkbox properties (e.g. hs_buying_role) hold "A;B": a condition matches any part.
function parts(value: string): string[] {
  return value.split(';').map((p) => p.trim());
}

/**
 * True when `record` satisfies `condition` at `nowMs`. A missing value fails every condition except
 * notSet, neq and notIn (it is not equal to anything); numbers that do not parse fail comparisons.
 */
export function matchesCondition(record: CrmRecord, condition: PropertyCondition, nowMs: number): boolean {
  const value = propertyValue(record, condition.property);
  switch (condition.op) {
    case 'set':
      return value !== null;
    case 'notSet':
      return value === null;
    case 'inFuture':
    case 'inPast': {
      const at = parseInstant(value);
      if (at === null) return false;
      return condition.op === 'inFuture' ? at > nowMs : at < nowMs;
    }
    case 'eq':
      return value !== null && parts(value).includes(condition.value);
    case 'neq':
      return value === null || !parts(value).includes(condition.value);
    case 'in':
      return value !== null && parts(value).some((p) => condition.values.includes(p));
    case 'notIn':
      return value === null || !parts(value).some((p) => condition.values.includes(p));
    case 'contains':
      return value !== null && value.toLowerCase().includes(condition.value.toLowerCase());
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (value === null) return false;
      const n = Number(value);
      if (!Number.isFinite(n)) return false;
      if (condition.op === 'gt') return n > condition.value;
      if (condition.op === 'gte') return n >= condition.value;
      if (condition.op === 'lt') return n < condition.value;
      return n <= condition.value;
    }
  }
}

/** True when `record` satisfies every condition (an empty list always matches). */
export function matchesAll(
  record: CrmRecord,
  conditions: readonly PropertyCondition[] | undefined,
  nowMs: number,
): boolean {
  return (conditions ?? []).every((c) => matchesCondition(record, c, nowMs));
}
