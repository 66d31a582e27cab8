/**
 * Associations between records, stored in both directions, with HubSpot's HUBSPOT_DEFINED type ids
 * (hubspot-platform.md §5.1, api-client AssociationTypes). Also the object-type names HubSpot
 * accepts in paths: plural names, singular names and object type ids ("0-48").
 */
import { CRM_OBJECT_TYPES, type CrmObjectType } from '../core/crm.js';

const SINGULAR: Record<CrmObjectType, string> = {
  calls: 'call',
  emails: 'email',
  meetings: 'meeting',
  notes: 'note',
  tasks: 'task',
  deals: 'deal',
  contacts: 'contact',
  companies: 'company',
};

const TYPE_IDS: Record<CrmObjectType, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tasks: '0-27',
  notes: '0-46',
  meetings: '0-47',
  calls: '0-48',
  emails: '0-49',
};

const ALIASES = new Map<string, CrmObjectType>();
for (const t of CRM_OBJECT_TYPES) {
  ALIASES.set(t, t);
  ALIASES.set(SINGULAR[t], t);
  ALIASES.set(TYPE_IDS[t], t);
}

/** The object type a path segment names (case-insensitive), or undefined. */
export function resolveObjectType(segment: string): CrmObjectType | undefined {
  return ALIASES.get(segment.toLowerCase());
}

/** HubSpot's singular name of a type ("call"), used by `associations.<name>` and association labels. */
export function singularOf(type: CrmObjectType): string {
  return SINGULAR[type];
}

// [from, to, typeId] for HubSpot's default (unlabelled) association of each pair; the reverse
// direction is listed too, so every pair has its inverse.
const DEFAULT_TYPES: [CrmObjectType, CrmObjectType, number][] = [
  ['contacts', 'companies', 279],
  ['companies', 'contacts', 280],
  ['deals', 'contacts', 3],
  ['contacts', 'deals', 4],
  ['deals', 'companies', 341],
  ['companies', 'deals', 342],
  ['contacts', 'contacts', 449],
  ['companies', 'companies', 450],
  ['deals', 'deals', 451],
  ['companies', 'calls', 181],
  ['calls', 'companies', 182],
  ['companies', 'emails', 185],
  ['emails', 'companies', 186],
  ['companies', 'meetings', 187],
  ['meetings', 'companies', 188],
  ['companies', 'notes', 189],
  ['notes', 'companies', 190],
  ['companies', 'tasks', 191],
  ['tasks', 'companies', 192],
  ['contacts', 'calls', 193],
  ['calls', 'contacts', 194],
  ['contacts', 'emails', 197],
  ['emails', 'contacts', 198],
  ['contacts', 'meetings', 199],
  ['meetings', 'contacts', 200],
  ['contacts', 'notes', 201],
  ['notes', 'contacts', 202],
  ['contacts', 'tasks', 203],
  ['tasks', 'contacts', 204],
  ['deals', 'calls', 205],
  ['calls', 'deals', 206],
  ['deals', 'emails', 209],
  ['emails', 'deals', 210],
  ['deals', 'meetings', 211],
  ['meetings', 'deals', 212],
  ['deals', 'notes', 213],
  ['notes', 'deals', 214],
  ['deals', 'tasks', 215],
  ['tasks', 'deals', 216],
  ['calls', 'meetings', 399],
  ['meetings', 'calls', 400],
];

// Labelled HubSpot-defined types ("Primary") that are not the pair's default.
const LABELLED_TYPES: [CrmObjectType, CrmObjectType, number, string][] = [
  ['contacts', 'companies', 1, 'Primary'],
  ['companies', 'contacts', 2, 'Primary'],
  ['deals', 'companies', 5, 'Primary'],
  ['companies', 'deals', 6, 'Primary'],
];

interface TypeInfo {
  from: CrmObjectType;
  to: CrmObjectType;
  inverse: number;
  label: string | null;
}

const BY_ID = new Map<number, TypeInfo>();
const DEFAULT_BY_PAIR = new Map<CrmObjectType, Map<CrmObjectType, number>>();
for (const [from, to, id] of DEFAULT_TYPES) {
  let byTo = DEFAULT_BY_PAIR.get(from);
  if (!byTo) DEFAULT_BY_PAIR.set(from, (byTo = new Map()));
  byTo.set(to, id);
}
for (const [from, to, id] of DEFAULT_TYPES) {
  BY_ID.set(id, { from, to, inverse: DEFAULT_BY_PAIR.get(to)?.get(from) ?? id, label: null });
}
for (const [from, to, id, label] of LABELLED_TYPES) {
  const inverse = LABELLED_TYPES.find(([f, t]) => f === to && t === from)?.[2] ?? id;
  BY_ID.set(id, { from, to, inverse, label });
}

/** HubSpot's default association type id from one type to another, if the pair exists. */
export function defaultAssociationTypeId(from: CrmObjectType, to: CrmObjectType): number | undefined {
  return DEFAULT_BY_PAIR.get(from)?.get(to);
}

/** What a HUBSPOT_DEFINED type id connects, if HubSpot defines it for our types. */
export function associationTypeInfo(typeId: number): TypeInfo | undefined {
  return BY_ID.get(typeId);
}

/** The label HubSpot reports for a type id (null for unlabelled ones). */
export function associationLabel(typeId: number): string | null {
  return BY_ID.get(typeId)?.label ?? null;
}

/** One association edge as read back. */
export interface AssociationEdge {
  toId: string;
  typeIds: number[];
}

/** Flat (toId, typeId) pairs of one source record; a pair may repeat (collapsed when read). */
type Edges = (string | number)[];

/** An association as a fixture lists it. */
export interface RawAssociation {
  from: { type: string; id: string };
  to: { type: string; id: string };
  typeId?: number;
}

/** The type ids of an association in both directions: as given (or HubSpot's default), and its inverse. */
function directedTypeIds(
  fromType: CrmObjectType,
  toType: CrmObjectType,
  typeId: number | undefined,
): [number, number] {
  const forward = typeId ?? defaultAssociationTypeId(fromType, toType) ?? 0;
  const info = associationTypeInfo(forward);
  const reverse =
    info && info.from === fromType && info.to === toType
      ? info.inverse
      : (defaultAssociationTypeId(toType, fromType) ?? forward);
  return [forward, reverse];
}

interface DirectedEdge {
  fromType: CrmObjectType;
  fromId: string;
  toType: CrmObjectType;
  toId: string;
  typeId: number;
}

/**
 * Associations, readable in both directions. A fixture's list is kept as given and indexed per
 * (fromType, toType) pair on first read: loading a portal with millions of associations costs
 * nothing up front, and a pair nobody reads is never indexed.
 */
export class AssociationStore {
  private readonly sources: (readonly RawAssociation[])[] = [];
  private readonly added: DirectedEdge[] = [];
  // from type -> to type -> from id -> edges, for the pairs read so far.
  private readonly built = new Map<CrmObjectType, Map<CrmObjectType, Map<string, Edges>>>();

  /** Take a fixture's association list (kept by reference, never modified). */
  load(list: readonly RawAssociation[]): void {
    this.sources.push(list);
    this.built.clear();
  }

  /** Associate two records (both directions). A typeId HubSpot does not define for the pair is kept as given, its inverse defaulted. */
  add(fromType: CrmObjectType, fromId: string, toType: CrmObjectType, toId: string, typeId?: number): void {
    const [forward, reverse] = directedTypeIds(fromType, toType, typeId);
    for (const e of [
      { fromType, fromId, toType, toId, typeId: forward },
      { fromType: toType, fromId: toId, toType: fromType, toId: fromId, typeId: reverse },
    ]) {
      this.added.push(e);
      const bucket = this.built.get(e.fromType)?.get(e.toType);
      if (bucket) push(bucket, e.fromId, e.toId, e.typeId);
    }
  }

  private bucket(fromType: CrmObjectType, toType: CrmObjectType): Map<string, Edges> {
    let byTo = this.built.get(fromType);
    if (!byTo) {
      byTo = new Map();
      this.built.set(fromType, byTo);
    }
    let byFrom = byTo.get(toType);
    if (!byFrom) {
      byFrom = this.index(fromType, toType);
      byTo.set(toType, byFrom);
    }
    return byFrom;
  }

  private index(fromType: CrmObjectType, toType: CrmObjectType): Map<string, Edges> {
    const byFrom = new Map<string, Edges>();
    for (const list of this.sources) {
      for (const a of list) {
        const f = resolveObjectType(a.from.type);
        const t = resolveObjectType(a.to.type);
        if (f === fromType && t === toType)
          push(byFrom, a.from.id, a.to.id, directedTypeIds(f, t, a.typeId)[0]);
        // The same pair listed the other way round (also covers a type associated with itself).
        if (t === fromType && f === toType && f !== undefined && t !== undefined) {
          push(byFrom, a.to.id, a.from.id, directedTypeIds(f, t, a.typeId)[1]);
        }
      }
    }
    for (const e of this.added)
      if (e.fromType === fromType && e.toType === toType) push(byFrom, e.fromId, e.toId, e.typeId);
    return byFrom;
  }

  /** Associated records of `toType`, sorted by id (numeric first), each with its distinct type ids. */
  list(fromType: CrmObjectType, fromId: string, toType: CrmObjectType): AssociationEdge[] {
    const edges = this.bucket(fromType, toType).get(fromId);
    if (!edges) return [];
    const byTo = new Map<string, number[]>();
    for (let i = 0; i < edges.length; i += 2) {
      const toId = edges[i] as string;
      const typeId = edges[i + 1] as number;
      const types = byTo.get(toId);
      if (!types) byTo.set(toId, [typeId]);
      else if (!types.includes(typeId)) types.push(typeId);
    }
    const out: AssociationEdge[] = [];
    for (const [toId, typeIds] of byTo) out.push({ toId, typeIds });
    out.sort((a, b) => compareIds(a.toId, b.toId));
    return out;
  }

  /** Distinct ids of `toType` records associated with `fromId` (unsorted). */
  idsOf(fromType: CrmObjectType, fromId: string, toType: CrmObjectType): Set<string> {
    const edges = this.bucket(fromType, toType).get(fromId);
    const ids = new Set<string>();
    if (edges) for (let i = 0; i < edges.length; i += 2) ids.add(edges[i] as string);
    return ids;
  }

  /** True when the record has at least one association to `toType`. */
  hasAny(fromType: CrmObjectType, fromId: string, toType: CrmObjectType): boolean {
    return (this.bucket(fromType, toType).get(fromId)?.length ?? 0) > 0;
  }
}

function push(byFrom: Map<string, Edges>, fromId: string, toId: string, typeId: number): void {
  const edges = byFrom.get(fromId);
  if (edges === undefined) byFrom.set(fromId, [toId, typeId]);
  else edges.push(toId, typeId);
}

function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : Infinity;
  const nb = /^\d+$/.test(b) ? Number(b) : Infinity;
  if (na !== nb) return na < nb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
