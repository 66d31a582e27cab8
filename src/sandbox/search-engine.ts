/**
 * CRM search as HubSpot runs it: filter groups OR'd, filters AND'd, every documented operator,
 * HubSpot's limits (5 groups, 10 filters a group, 25 in all, 200 a page, 10,000 a query), default
 * order by id, typed comparisons (see properties.ts) and the `associations.<type>` pseudo-property.
 *
 * Speed: a group narrows its candidates through the cheapest source it has (ids, associations, a
 * datetime index range) before evaluating its filters, and the ordered match list of recent
 * queries is cached (per object type, invalidated by any write) so paging a query is a slice.
 */
import { z } from 'zod';
import type { CrmObjectType } from '../core/crm.js';
import type { AssociationStore } from './associations.js';
import { resolveObjectType } from './associations.js';
import type { InstantRange } from './datetime-index.js';
import { validationError } from './hubspot-errors.js';
import { compareById, type ObjectTable, type StoredRecord } from './object-store.js';
import { effectiveValue, parseInstant, parseNumber, propertyKind } from './properties.js';

/** HubSpot's search limits. */
export const SEARCH_LIMITS = {
  maxGroups: 5,
  maxFiltersPerGroup: 10,
  maxFiltersTotal: 25,
  maxLimit: 200,
  defaultLimit: 10,
  maxResults: 10_000,
  maxQueryLength: 3_000,
} as const;

/** Every search operator HubSpot documents. */
export const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
/** A search operator. */
export type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET = new Set<string>(OPERATORS);

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const filterSchema = z.looseObject({
  propertyName: z.string().min(1),
  operator: z.string(),
  value: scalar.nullish(),
  highValue: scalar.nullish(),
  values: z.array(scalar).nullish(),
});

/** The body of POST /crm/v3/objects/{type}/search. */
export const searchRequestSchema = z.looseObject({
  filterGroups: z.array(z.looseObject({ filters: z.array(filterSchema).nullish() })).nullish(),
  sorts: z
    .array(
      z.union([
        z.string(),
        z.looseObject({ propertyName: z.string().min(1), direction: z.string().nullish() }),
      ]),
    )
    .nullish(),
  properties: z.array(z.string()).nullish(),
  limit: z.number().int().nullish(),
  after: z.union([z.string(), z.number()]).nullish(),
  query: z.string().nullish(),
});
/** A parsed (not yet validated) search body. */
export type SearchRequestBody = z.infer<typeof searchRequestSchema>;

/** One validated filter. */
export interface NormalisedFilter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

/** One sort: a property and a direction. */
export interface NormalisedSort {
  propertyName: string;
  descending: boolean;
}

/** A validated query: what decides the matches and their order (not the page). */
export interface NormalisedSearch {
  groups: NormalisedFilter[][];
  sorts: NormalisedSort[];
  query: string | undefined;
}

/** A validated request: the query plus the page and the properties to return. */
export interface ValidatedSearch extends NormalisedSearch {
  properties: string[];
  limit: number;
  after: number;
}

/** Check a search body against HubSpot's rules; throws a 400 HubSpotHttpError on any breach. */
export function validateSearch(body: SearchRequestBody): ValidatedSearch {
  const groupsIn = body.filterGroups ?? [];
  if (groupsIn.length > SEARCH_LIMITS.maxGroups) {
    throw validationError(
      `Too many filter groups: ${groupsIn.length}. A search may have at most ${SEARCH_LIMITS.maxGroups} filter groups.`,
    );
  }
  let total = 0;
  const groups: NormalisedFilter[][] = groupsIn.map((g, gi) => {
    const filters = g.filters ?? [];
    if (filters.length > SEARCH_LIMITS.maxFiltersPerGroup) {
      throw validationError(
        `Too many filters in filter group ${gi}: ${filters.length}. A filter group may have at most ${SEARCH_LIMITS.maxFiltersPerGroup} filters.`,
      );
    }
    total += filters.length;
    return filters.map((f) => normaliseFilter(f));
  });
  if (total > SEARCH_LIMITS.maxFiltersTotal) {
    throw validationError(
      `Too many filters: ${total}. A search may have at most ${SEARCH_LIMITS.maxFiltersTotal} filters in all.`,
    );
  }
  const sorts = (body.sorts ?? []).map((s) => normaliseSort(s));
  const limit = body.limit ?? SEARCH_LIMITS.defaultLimit;
  if (limit < 0 || limit > SEARCH_LIMITS.maxLimit) {
    throw validationError(`limit must be between 0 and ${SEARCH_LIMITS.maxLimit}; got ${limit}.`);
  }
  const after = parseAfter(body.after);
  if (after + limit > SEARCH_LIMITS.maxResults) {
    throw validationError(
      `Search results are limited to ${SEARCH_LIMITS.maxResults} per query: after (${after}) + limit (${limit}) is past the last allowed result.`,
    );
  }
  const query = body.query ?? undefined;
  if (query !== undefined && query.length > SEARCH_LIMITS.maxQueryLength) {
    throw validationError(`query may be at most ${SEARCH_LIMITS.maxQueryLength} characters.`);
  }
  return {
    groups,
    sorts,
    query: query === '' ? undefined : query,
    properties: body.properties ?? [],
    limit,
    after,
  };
}

function parseAfter(after: string | number | null | undefined): number {
  if (after === undefined || after === null || after === '') return 0;
  const s = String(after);
  if (!/^\d{1,9}$/.test(s)) throw validationError(`after must be a non-negative integer offset; got "${s}".`);
  return Number(s);
}

function normaliseFilter(f: z.infer<typeof filterSchema>): NormalisedFilter {
  const op = f.operator.toUpperCase();
  if (!OPERATOR_SET.has(op)) {
    throw validationError(
      `Unknown operator "${f.operator}" on ${f.propertyName}. Use one of ${OPERATORS.join(', ')}.`,
    );
  }
  const operator = op as Operator;
  const out: NormalisedFilter = { propertyName: f.propertyName, operator };
  switch (operator) {
    case 'HAS_PROPERTY':
    case 'NOT_HAS_PROPERTY':
      return out;
    case 'IN':
    case 'NOT_IN':
      if (!f.values || f.values.length === 0) {
        throw validationError(`Operator ${operator} on ${f.propertyName} needs a non-empty "values" list.`);
      }
      out.values = [...f.values];
      return out;
    case 'BETWEEN':
      if (f.value == null || f.highValue == null) {
        throw validationError(`Operator BETWEEN on ${f.propertyName} needs "value" and "highValue".`);
      }
      out.value = f.value;
      out.highValue = f.highValue;
      return out;
    default:
      if (f.value == null)
        throw validationError(`Operator ${operator} on ${f.propertyName} needs a "value".`);
      out.value = f.value;
      return out;
  }
}

function normaliseSort(s: string | { propertyName: string; direction?: string | null }): NormalisedSort {
  if (typeof s === 'string') {
    const text = s.trim();
    if (text.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw validationError(`Invalid sort "${s}".`);
      }
      const obj = z
        .object({ propertyName: z.string().min(1), direction: z.string().optional() })
        .safeParse(parsed);
      if (!obj.success) throw validationError(`Invalid sort "${s}".`);
      return normaliseSort(obj.data);
    }
    const descending = text.startsWith('-');
    const propertyName = descending ? text.slice(1) : text;
    if (propertyName === '') throw validationError(`Invalid sort "${s}".`);
    return { propertyName, descending };
  }
  const dir = (s.direction ?? 'ASCENDING').toUpperCase();
  if (dir !== 'ASCENDING' && dir !== 'DESCENDING') {
    throw validationError(
      `Invalid sort direction "${s.direction ?? ''}" for ${s.propertyName}; use ASCENDING or DESCENDING.`,
    );
  }
  return { propertyName: s.propertyName, descending: dir === 'DESCENDING' };
}

// ---------------------------------------------------------------------------------------------
// Evaluation

type Predicate = (r: StoredRecord) => boolean;

/** Where a group may take its candidates from instead of scanning every record. */
interface CandidateSource {
  /** Cheap upper bound of the candidate count. */
  estimate(): number;
  candidates(): { records: StoredRecord[]; idOrdered: boolean; mayRepeat: boolean };
  /** Estimating builds an index on first use; cheap sources are tried first. */
  cheap: boolean;
}

interface CompiledFilter {
  test: Predicate;
  source?: CandidateSource;
  /** For range filters on a datetime property: the range, so a group can intersect several. */
  dtRange?: { property: string; range: InstantRange };
}

interface EvalContext {
  type: CrmObjectType;
  table: ObjectTable;
  associations: AssociationStore;
}

/** The full, ordered list of live records matching a query (uncached). */
export function executeSearch(ctx: EvalContext, q: NormalisedSearch): StoredRecord[] {
  const extra: Predicate[] = [];
  if (q.query !== undefined) extra.push(textQueryPredicate(q.query));
  let matched: StoredRecord[];
  let idOrdered: boolean;
  if (q.groups.length === 0) {
    ({ records: matched, idOrdered } = evaluateGroup(ctx, [], extra));
  } else if (q.groups.length === 1) {
    ({ records: matched, idOrdered } = evaluateGroup(
      ctx,
      q.groups[0].map((f) => compileFilter(ctx, f)),
      extra,
    ));
  } else {
    const union = new Set<StoredRecord>();
    for (const g of q.groups) {
      for (const r of evaluateGroup(
        ctx,
        g.map((f) => compileFilter(ctx, f)),
        extra,
      ).records)
        union.add(r);
    }
    matched = [...union];
    idOrdered = false;
  }
  // A sort on hs_object_id alone is the id order (keyset paging uses it): no keyed sort needed.
  const byIdOnly = q.sorts.length === 1 && q.sorts[0].propertyName === 'hs_object_id';
  if (q.sorts.length > 0 && !byIdOnly) return sortRecords(ctx, matched, q.sorts);
  if (!idOrdered) matched.sort(compareById);
  if (byIdOnly && q.sorts[0].descending) matched.reverse();
  return matched;
}

const CHEAP_ENOUGH = 1_000;

function evaluateGroup(
  ctx: EvalContext,
  filters: CompiledFilter[],
  extra: Predicate[],
): { records: StoredRecord[]; idOrdered: boolean } {
  const source = pickSource(filters.concat(mergedRanges(ctx, filters)));
  const tests = filters.map((f) => f.test).concat(extra);
  let records: StoredRecord[];
  let idOrdered: boolean;
  let mayRepeat = false;
  if (source) {
    ({ records, idOrdered, mayRepeat } = source.candidates());
  } else {
    records = ctx.table.records;
    idOrdered = true;
  }
  const seen = mayRepeat ? new Set<StoredRecord>() : undefined;
  const out: StoredRecord[] = [];
  outer: for (const r of records) {
    if (!r.live || r.archived) continue;
    for (const t of tests) if (!t(r)) continue outer;
    if (seen) {
      if (seen.has(r)) continue;
      seen.add(r);
    }
    out.push(r);
  }
  return { records: out, idOrdered: idOrdered && !mayRepeat };
}

function pickSource(filters: CompiledFilter[]): CandidateSource | undefined {
  let best: CandidateSource | undefined;
  let bestCount = Infinity;
  for (const cheapPass of [true, false]) {
    for (const f of filters) {
      if (!f.source || f.source.cheap !== cheapPass) continue;
      const n = f.source.estimate();
      if (n < bestCount) {
        best = f.source;
        bestCount = n;
      }
    }
    if (bestCount <= CHEAP_ENOUGH) break;
  }
  return best;
}

/** One source per datetime property bounded by several filters (GTE + LT...): their intersection. */
function mergedRanges(ctx: EvalContext, filters: CompiledFilter[]): CompiledFilter[] {
  const merged = new Map<string, { range: InstantRange; count: number }>();
  for (const f of filters) {
    if (!f.dtRange) continue;
    const prev = merged.get(f.dtRange.property);
    merged.set(f.dtRange.property, {
      range: prev ? intersect(prev.range, f.dtRange.range) : f.dtRange.range,
      count: (prev?.count ?? 0) + 1,
    });
  }
  const out: CompiledFilter[] = [];
  for (const [property, { range, count }] of merged) {
    if (count > 1) out.push({ test: () => true, source: rangeSource(ctx.table, property, range) });
  }
  return out;
}

function intersect(a: InstantRange, b: InstantRange): InstantRange {
  const lo = a.lo > b.lo ? a : b.lo > a.lo ? b : { lo: a.lo, loInclusive: a.loInclusive && b.loInclusive };
  const hi = a.hi < b.hi ? a : b.hi < a.hi ? b : { hi: a.hi, hiInclusive: a.hiInclusive && b.hiInclusive };
  return { lo: lo.lo, loInclusive: lo.loInclusive, hi: hi.hi, hiInclusive: hi.hiInclusive };
}

function rangeSource(table: ObjectTable, property: string, range: InstantRange): CandidateSource {
  return {
    cheap: false,
    estimate: () => table.index(property).estimate(range),
    candidates: () => {
      const idx = table.index(property);
      // Only records written since the index was built can appear twice (stale entry + overflow).
      return { records: idx.candidates(range), idOrdered: false, mayRepeat: idx.overflow.size > 0 };
    },
  };
}

function compileFilter(ctx: EvalContext, f: NormalisedFilter): CompiledFilter {
  if (f.propertyName.startsWith('associations.')) return compileAssociationFilter(ctx, f);
  const kind = propertyKind(f.propertyName);
  if (kind === 'datetime') return compileDatetimeFilter(ctx, f);
  const compiled = compileValueFilter(f);
  if (f.propertyName === 'hs_object_id') compiled.source = idSource(ctx, f);
  return compiled;
}

// -- associations.<type> ----------------------------------------------------------------------

function compileAssociationFilter(ctx: EvalContext, f: NormalisedFilter): CompiledFilter {
  const name = f.propertyName.slice('associations.'.length);
  const other = resolveObjectType(name);
  if (!other) throw validationError(`Unknown association type "${name}" in ${f.propertyName}.`);
  const { type, associations, table } = ctx;
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return { test: (r) => associations.hasAny(type, r.id, other) };
    case 'NOT_HAS_PROPERTY':
      return { test: (r) => !associations.hasAny(type, r.id, other) };
    case 'EQ':
    case 'IN':
    case 'NEQ':
    case 'NOT_IN': {
      const targets = f.values ?? [f.value ?? ''];
      const ids = new Set<string>();
      for (const t of targets) for (const id of associations.idsOf(other, t, type)) ids.add(id);
      if (f.operator === 'NEQ' || f.operator === 'NOT_IN') return { test: (r) => !ids.has(r.id) };
      return {
        test: (r) => ids.has(r.id),
        source: {
          cheap: true,
          estimate: () => ids.size,
          candidates: () => {
            const records: StoredRecord[] = [];
            for (const id of ids) {
              const r = table.byId.get(id);
              if (r) records.push(r);
            }
            return { records, idOrdered: false, mayRepeat: false };
          },
        },
      };
    }
    default:
      throw validationError(
        `Operator ${f.operator} is not supported on ${f.propertyName}; use EQ, NEQ, IN, NOT_IN, HAS_PROPERTY or NOT_HAS_PROPERTY.`,
      );
  }
}

// -- hs_object_id -------------------------------------------------------------------------------

function idSource(ctx: EvalContext, f: NormalisedFilter): CandidateSource | undefined {
  const { table } = ctx;
  if (f.operator === 'EQ' || f.operator === 'IN') {
    const ids = [...new Set(f.values ?? [f.value ?? ''])];
    return {
      cheap: true,
      estimate: () => ids.length,
      candidates: () => {
        const records: StoredRecord[] = [];
        for (const id of ids) {
          const r = table.byId.get(id);
          if (r) records.push(r);
        }
        return { records, idOrdered: false, mayRepeat: false };
      },
    };
  }
  const range = numericRange(f);
  if (!range) return undefined;
  const span = (): [number, number] => {
    const start =
      range.lo === -Infinity ? 0 : table.lowerBound(range.loInclusive ? range.lo : nextUp(range.lo), '');
    const end =
      range.hi === Infinity
        ? table.records.length
        : table.lowerBound(range.hiInclusive ? nextUp(range.hi) : range.hi, '');
    return [start, Math.max(start, end)];
  };
  return {
    cheap: true,
    estimate: () => {
      const [s, e] = span();
      return e - s;
    },
    candidates: () => {
      const [s, e] = span();
      return { records: table.records.slice(s, e), idOrdered: true, mayRepeat: false };
    },
  };
}

/** The smallest integer id key above x (ids are integers, so "> 5" is ">= 6"). */
function nextUp(x: number): number {
  return Math.floor(x) + 1;
}

function numericRange(f: NormalisedFilter): InstantRange | undefined {
  const v = f.value === undefined ? NaN : parseNumber(f.value);
  if (Number.isNaN(v)) return undefined;
  switch (f.operator) {
    case 'LT':
      return { lo: -Infinity, loInclusive: true, hi: v, hiInclusive: false };
    case 'LTE':
      return { lo: -Infinity, loInclusive: true, hi: v, hiInclusive: true };
    case 'GT':
      return { lo: v, loInclusive: false, hi: Infinity, hiInclusive: true };
    case 'GTE':
      return { lo: v, loInclusive: true, hi: Infinity, hiInclusive: true };
    case 'BETWEEN': {
      const hi = f.highValue === undefined ? NaN : parseNumber(f.highValue);
      if (Number.isNaN(hi)) return undefined;
      return { lo: v, loInclusive: true, hi, hiInclusive: true };
    }
    default:
      return undefined;
  }
}

// -- datetime properties ---------------------------------------------------------------------

function instantValue(f: NormalisedFilter, text: string | undefined): number {
  const t = text === undefined ? NaN : parseInstant(text);
  if (Number.isNaN(t)) {
    throw validationError(
      `"${text ?? ''}" is not a valid value for datetime property ${f.propertyName}; use epoch milliseconds or ISO-8601.`,
    );
  }
  return t;
}

function compileDatetimeFilter(ctx: EvalContext, f: NormalisedFilter): CompiledFilter {
  const { table } = ctx;
  const prop = f.propertyName;
  const at = (r: StoredRecord): number => table.instant(r, prop);
  const ranged = (test: Predicate, range: InstantRange): CompiledFilter => ({
    test,
    source: rangeSource(table, prop, range),
    dtRange: { property: prop, range },
  });
  switch (f.operator) {
    case 'EQ': {
      const v = instantValue(f, f.value);
      return ranged((r) => at(r) === v, { lo: v, loInclusive: true, hi: v, hiInclusive: true });
    }
    case 'NEQ': {
      const v = instantValue(f, f.value);
      return { test: (r) => at(r) !== v };
    }
    case 'LT': {
      const v = instantValue(f, f.value);
      return ranged((r) => at(r) < v, { lo: -Infinity, loInclusive: true, hi: v, hiInclusive: false });
    }
    case 'LTE': {
      const v = instantValue(f, f.value);
      return ranged((r) => at(r) <= v, { lo: -Infinity, loInclusive: true, hi: v, hiInclusive: true });
    }
    case 'GT': {
      const v = instantValue(f, f.value);
      return ranged((r) => at(r) > v, { lo: v, loInclusive: false, hi: Infinity, hiInclusive: true });
    }
    case 'GTE': {
      const v = instantValue(f, f.value);
      return ranged((r) => at(r) >= v, { lo: v, loInclusive: true, hi: Infinity, hiInclusive: true });
    }
    case 'BETWEEN': {
      const lo = instantValue(f, f.value);
      const hi = instantValue(f, f.highValue);
      return ranged(
        (r) => {
          const t = at(r);
          return t >= lo && t <= hi;
        },
        { lo, loInclusive: true, hi, hiInclusive: true },
      );
    }
    case 'IN': {
      const set = new Set((f.values ?? []).map((v) => instantValue(f, v)));
      return { test: (r) => set.has(at(r)) };
    }
    case 'NOT_IN': {
      const set = new Set((f.values ?? []).map((v) => instantValue(f, v)));
      return { test: (r) => !set.has(at(r)) };
    }
    case 'HAS_PROPERTY':
      // An unparseable stored datetime is not indexed by HubSpot: it counts as no value.
      return { test: (r) => !Number.isNaN(at(r)) };
    case 'NOT_HAS_PROPERTY':
      return { test: (r) => Number.isNaN(at(r)) };
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN':
      return compileValueFilter(f);
  }
}

// -- string / number properties ------------------------------------------------------------------

function compileValueFilter(f: NormalisedFilter): CompiledFilter {
  const prop = f.propertyName;
  const raw = (r: StoredRecord): string | null => effectiveValue(r, prop);
  const present = (v: string | null): v is string => v !== null && v !== '';
  switch (f.operator) {
    case 'EQ': {
      const eq = equalsTo(f.value ?? '');
      return { test: (r) => eq(raw(r)) };
    }
    case 'NEQ': {
      const eq = equalsTo(f.value ?? '');
      return { test: (r) => !eq(raw(r)) };
    }
    case 'IN': {
      const eqs = (f.values ?? []).map(equalsTo);
      return { test: (r) => matchesAny(eqs, raw(r)) };
    }
    case 'NOT_IN': {
      const eqs = (f.values ?? []).map(equalsTo);
      return { test: (r) => !matchesAny(eqs, raw(r)) };
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const cmp = comparatorTo(f.value ?? '');
      const op = f.operator;
      return {
        test: (r) => {
          const v = raw(r);
          if (!present(v)) return false;
          const c = cmp(v);
          return op === 'LT' ? c < 0 : op === 'LTE' ? c <= 0 : op === 'GT' ? c > 0 : c >= 0;
        },
      };
    }
    case 'BETWEEN': {
      const lo = comparatorTo(f.value ?? '');
      const hi = comparatorTo(f.highValue ?? '');
      return {
        test: (r) => {
          const v = raw(r);
          return present(v) && lo(v) >= 0 && hi(v) <= 0;
        },
      };
    }
    case 'HAS_PROPERTY':
      return { test: (r) => present(raw(r)) };
    case 'NOT_HAS_PROPERTY':
      return { test: (r) => !present(raw(r)) };
    case 'CONTAINS_TOKEN': {
      const m = tokenMatcher(f.value ?? '');
      return {
        test: (r) => {
          const v = raw(r);
          return present(v) && m(v);
        },
      };
    }
    case 'NOT_CONTAINS_TOKEN': {
      const m = tokenMatcher(f.value ?? '');
      return {
        test: (r) => {
          const v = raw(r);
          return !present(v) || !m(v);
        },
      };
    }
  }
}

function matchesAny(eqs: ((v: string | null) => boolean)[], v: string | null): boolean {
  for (const eq of eqs) if (eq(v)) return true;
  return false;
}

/** Equality as HubSpot: numeric when both sides are numbers, else case-insensitive. */
function equalsTo(target: string): (v: string | null) => boolean {
  const lower = target.toLowerCase();
  const num = parseNumber(target);
  return (v) => {
    if (v === null) return false;
    if (v === target) return true;
    if (!Number.isNaN(num)) {
      const n = parseNumber(v);
      if (!Number.isNaN(n)) return n === num;
    }
    return v.toLowerCase() === lower;
  };
}

/** Sign of (v - target): numeric when both are numbers, else by case-insensitive string. */
function comparatorTo(target: string): (v: string) => number {
  const lower = target.toLowerCase();
  const num = parseNumber(target);
  return (v) => {
    if (!Number.isNaN(num)) {
      const n = parseNumber(v);
      if (!Number.isNaN(n)) return n < num ? -1 : n > num ? 1 : 0;
    }
    const l = v.toLowerCase();
    return l < lower ? -1 : l > lower ? 1 : 0;
  };
}

const TOKEN_SPLIT = /[^\p{L}\p{N}_]+/u;

function tokensOf(s: string): string[] {
  return s.split(TOKEN_SPLIT).filter((t) => t !== '');
}

/** CONTAINS_TOKEN: every token of the value is a token of the property (`*` is a wildcard). */
function tokenMatcher(value: string): (v: string) => boolean {
  const needle = value.trim().toLowerCase();
  if (needle.includes('*')) {
    const re = new RegExp(`^${needle.split('*').map(escapeRegExp).join('.*')}$`, 'u');
    return (v) => {
      const l = v.toLowerCase();
      return re.test(l) || tokensOf(l).some((t) => re.test(t));
    };
  }
  const wanted = tokensOf(needle);
  return (v) => {
    const l = v.toLowerCase();
    if (l === needle) return true;
    if (wanted.length === 0) return false;
    const have = new Set(tokensOf(l));
    return wanted.every((t) => have.has(t));
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `query`: every word appears in some property value (case-insensitive). */
function textQueryPredicate(query: string): Predicate {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return (r) => {
    const values = Object.values(r.properties)
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.toLowerCase());
    return words.every((w) => values.some((v) => v.includes(w)));
  };
}

// -- sorting -----------------------------------------------------------------------------------

type SortKey = number | string | null;

function sortRecords(ctx: EvalContext, records: StoredRecord[], sorts: NormalisedSort[]): StoredRecord[] {
  const keyed = records.map((rec) => ({ rec, keys: sorts.map((s) => sortKeyOf(ctx, rec, s.propertyName)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < sorts.length; i++) {
      const c = compareKeys(a.keys[i], b.keys[i], sorts[i].descending);
      if (c !== 0) return c;
    }
    return compareById(a.rec, b.rec);
  });
  return keyed.map((k) => k.rec);
}

function sortKeyOf(ctx: EvalContext, rec: StoredRecord, prop: string): SortKey {
  if (propertyKind(prop) === 'datetime') {
    const t = ctx.table.instant(rec, prop);
    return Number.isNaN(t) ? null : t;
  }
  const v = effectiveValue(rec, prop);
  if (v === null || v === '') return null;
  const n = parseNumber(v);
  return Number.isNaN(n) ? v.toLowerCase() : n;
}

/** Missing values sort last in both directions; numbers before strings. */
function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  let c: number;
  if (typeof a === 'number' && typeof b === 'number') c = a - b;
  else if (typeof a === 'number') c = -1;
  else if (typeof b === 'number') c = 1;
  else c = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -c : c;
}

// ---------------------------------------------------------------------------------------------
// Cache

interface CacheEntry {
  table: ObjectTable;
  version: number;
  at: number;
  records: StoredRecord[];
}

/** Ordered match lists of recent queries of one portal, keyed by type + groups + sorts + query. */
export class SearchCache {
  private readonly entries = new Map<string, CacheEntry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly maxEntries = 16,
    private readonly ttlMs = 60_000,
  ) {}

  /** The matches of a query, from the cache when no write touched the type since. */
  run(ctx: EvalContext, q: NormalisedSearch): StoredRecord[] {
    const key = `${ctx.type}\u0000${JSON.stringify([q.groups, q.sorts, q.query ?? null])}`;
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.table === ctx.table && hit.version === ctx.table.version && now - hit.at < this.ttlMs) {
      // Refresh recency: Map iteration order is insertion order, so re-insert at the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.hits++;
      return hit.records;
    }
    this.misses++;
    const records = executeSearch(ctx, q);
    this.entries.delete(key);
    this.entries.set(key, { table: ctx.table, version: ctx.table.version, at: now, records });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return records;
  }
}
