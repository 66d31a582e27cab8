/**
 * Test helpers that read a generated fixture record by record, following METRICS.md directly
 * (no metrics engine, no generator internals), so the tests check what a consumer would see.
 */
import type { DemoPortalFixture } from '../index.js';

export type Rec = DemoPortalFixture['objects']['calls'][number];

const DEFAULT_CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
export const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export const DAY = 86_400_000;

/** Disposition ids that count as connected (METRICS.md §2: label "connected", trimmed, any case). */
export function connectedIds(f: DemoPortalFixture): Set<string> {
  const ids = new Set(
    f.callDispositions.filter((d) => d.label.trim().toLowerCase() === 'connected').map((d) => d.id),
  );
  ids.add(DEFAULT_CONNECTED);
  return ids;
}

/** Epoch ms of a datetime property (ISO or epoch-ms text); NaN when missing. */
export function ms(value: string | null | undefined): number {
  if (value === null || value === undefined || value === '') return Number.NaN;
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

export function profileOwner(f: DemoPortalFixture, profile: string): string {
  const hit = Object.entries(f.demo.profiles).find(([, p]) => p === profile);
  if (!hit) throw new Error(`no ${profile} in the portal`);
  return hit[0];
}

export function ownersWithProfile(f: DemoPortalFixture, profile: string): string[] {
  return Object.entries(f.demo.profiles)
    .filter(([, p]) => p === profile)
    .map(([id]) => id);
}

export interface RepStats {
  dials: number;
  connects: number;
  held: number;
  noShow: number;
  canceled: number;
  rescheduled: number;
  wonAmount: number;
}

/** Per owner id: dials, connects, meeting outcomes and won amount, over the whole fixture. */
export function repStats(f: DemoPortalFixture): Map<string, RepStats> {
  const out = new Map<string, RepStats>();
  const get = (id: string | null | undefined) => {
    const key = id ?? '';
    let s = out.get(key);
    if (!s)
      out.set(
        key,
        (s = { dials: 0, connects: 0, held: 0, noShow: 0, canceled: 0, rescheduled: 0, wonAmount: 0 }),
      );
    return s;
  };
  const connected = connectedIds(f);
  for (const c of f.objects.calls) {
    const p = c.properties;
    if (
      c.archived ||
      (p.hs_call_direction !== 'OUTBOUND' &&
        p.hs_call_direction !== undefined &&
        p.hs_call_direction !== null)
    )
      continue;
    const s = get(p.hubspot_owner_id);
    s.dials++;
    if (connected.has(p.hs_call_disposition ?? '')) s.connects++;
  }
  for (const m of f.objects.meetings) {
    const s = get(m.properties.hubspot_owner_id);
    const outcome = m.properties.hs_meeting_outcome;
    if (outcome === 'COMPLETED') s.held++;
    else if (outcome === 'NO_SHOW') s.noShow++;
    else if (outcome === 'CANCELED') s.canceled++;
    else if (outcome === 'RESCHEDULED') s.rescheduled++;
  }
  for (const d of f.objects.deals) {
    if (d.properties.hs_is_closed_won === 'true')
      get(d.properties.hubspot_owner_id).wonAmount += Number(d.properties.amount ?? 0);
  }
  return out;
}

export const connectRate = (s: RepStats | undefined): number =>
  s && s.dials > 0 ? s.connects / s.dials : Number.NaN;
export const noShowRate = (s: RepStats | undefined): number =>
  s && s.held + s.noShow > 0 ? s.noShow / (s.held + s.noShow) : Number.NaN;

export function median(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(p * v.length) - 1))] as number;
}

/** Active members (primary team) of the owner's team, excluding managers. */
export function teammates(f: DemoPortalFixture, ownerId: string): string[] {
  const owner = f.owners.find((o) => o.id === ownerId);
  const team = owner?.teams.find((t) => t.primary)?.id;
  return f.owners
    .filter((o) => !o.archived && o.teams.some((t) => t.primary && t.id === team))
    .filter((o) => f.demo.profiles[o.id] !== 'manager')
    .map((o) => o.id);
}

/** All engagement records, with their type. */
export function* engagements(f: DemoPortalFixture): Generator<[string, Rec]> {
  for (const type of ENGAGEMENTS) for (const r of f.objects[type]) yield [type, r];
}
