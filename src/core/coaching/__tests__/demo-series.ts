// Weekly series of the demo portal, built with the real metrics engine (test-only: core code never reads the sandbox).
import { generateDemoPortal } from '../../../sandbox/demo-portal/index.js';
import type { DemoPortalFixture } from '../../../sandbox/demo-portal/index.js';
import type { WeeklyPoint } from '@pillars/contracts';
import type { CrmRecord, Owner } from '../../crm.js';
import { buildWeeklySeries, connectedOutcomeIds, createMetricsAccumulator } from '../../metrics/index.js';
import type { MetricObjectType } from '../../metrics/index.js';
import { resolvePeriod, splitIntoWeeks } from '../../time/index.js';

const TYPES: readonly MetricObjectType[] = ['calls', 'emails', 'meetings', 'notes', 'tasks', 'deals'];

/** The demo portal as weekly points: 8 complete local weeks before the anchor's week. */
export interface DemoSeries {
  fixture: DemoPortalFixture;
  owners: Map<string, WeeklyPoint[]>;
  /** Owner id -> the active members (primary and secondary) of its primary team, with their series. */
  teamOf(ownerId: string): Map<string, WeeklyPoint[]>;
  ownerWithProfile(profile: string): string;
}

let cached: DemoSeries | undefined;

/** Seed 1, 30,000 engagements, anchor Wednesday 2026-11-25: weeks 2026-09-28 to 2026-11-16. */
export function demoSeries(): DemoSeries {
  if (cached) return cached;
  const fixture = generateDemoPortal({ seed: 1, size: 30_000, anchor: '2026-11-25' });
  const tz = fixture.portal.timeZone;
  const weeks = splitIntoWeeks(resolvePeriod('2026-09-28', '2026-11-23', tz), tz);
  const acc = createMetricsAccumulator({
    buckets: weeks,
    connectedOutcomes: connectedOutcomeIds(fixture.callDispositions),
  });
  const objects = fixture.objects as Partial<
    Record<MetricObjectType, (CrmRecord & { archived?: boolean })[]>
  >;
  for (const type of TYPES)
    acc.add(
      type,
      (objects[type] ?? []).filter((r) => r.archived !== true),
    );
  const owners = fixture.owners as unknown as Owner[];
  const series = buildWeeklySeries(acc.result(), weeks, owners);
  const archived = new Set(owners.filter((o) => o.archived).map((o) => o.id));
  const teamOf = (ownerId: string) => {
    const team = Object.values(fixture.demo.teams).find((t) => t.ownerIds.includes(ownerId));
    const ids = team ? [...team.ownerIds, ...team.secondaryOwnerIds] : [ownerId];
    return new Map(
      ids.filter((id) => !archived.has(id)).map((id) => [id, series.owners.get(id) ?? []] as const),
    );
  };
  const ownerWithProfile = (profile: string) => {
    const hit = Object.entries(fixture.demo.profiles).find(([, p]) => p === profile);
    if (!hit) throw new Error(`no demo owner with profile ${profile}`);
    return hit[0];
  };
  cached = { fixture, owners: series.owners, teamOf, ownerWithProfile };
  return cached;
}
