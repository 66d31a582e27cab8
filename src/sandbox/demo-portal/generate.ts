/**
 * generateDemoPortal: a whole, deterministic demo portal (METRICS.md §5 fixture) for the sandbox,
 * with a recognisable sales team whose profiles show in the data.
 */
import type { PortalFixture } from '../fixture.js';
import { invalidInput } from '../../core/errors.js';
import { ActivityBuilder, actorOf } from './activities.js';
import type { Actor } from './activities.js';
import { buildAccounts } from './accounts.js';
import { CALL_DISPOSITIONS, dealPipelines } from './catalog.js';
import { LocalCalendar, parseAnchor } from './clock.js';
import { DealBuilder } from './deals.js';
import { UNKNOWN_OWNER_ID, buildEdgeCases } from './edge-cases.js';
import { Rng } from './prng.js';
import { TEAMS, buildRoster } from './profiles.js';
import type { DemoProfile, RepParams, RosterMember } from './profiles.js';
import { World, iso } from './world.js';
import type { Frame } from './world.js';

/** Options of generateDemoPortal; every one has a default. */
export interface DemoPortalOptions {
  /** PRNG seed (a safe integer); default 1. */
  seed?: number;
  /** Target number of engagements (calls + emails + meetings + notes + tasks); default 30,000. */
  size?: number;
  /** ISO date: the "today" of the portal; default the current date in the portal's zone. */
  anchor?: string;
  /** Default 100001. */
  portalId?: number;
  /** IANA zone of the portal; default America/New_York. */
  timeZone?: string;
}

/** What the generator tells tests and demos about the portal it made (the fixture's `demo` key). */
export interface DemoPortalInfo {
  seed: number;
  size: number;
  /** The anchor date (local, YYYY-MM-DD). */
  anchor: string;
  timeZone: string;
  /** End of the anchor day (UTC ISO): everything earlier is history, later is scheduled. */
  now: string;
  /** First local date with activity: the Monday 25 weeks before the anchor's week. */
  windowStart: string;
  /** Profile of every owner id in `owners`. */
  profiles: Record<string, DemoProfile>;
  /** Per team id: name, manager and members (primary and secondary). */
  teams: Record<
    string,
    { name: string; managerOwnerId: string | null; ownerIds: string[]; secondaryOwnerIds: string[] }
  >;
  /** Steady reps whose volume and connect rate improve over the window. */
  improving: string[];
  /** Local date the new hire started (no activity before it). */
  newHireStart: string | null;
  /** The archived owner and the local date they left. */
  archivedOwnerId: string | null;
  departedOn: string | null;
  /** Owner id on some items that is not in the owners list (a deleted user). */
  unknownOwnerId: string;
  /** The stage the staller's deals stall in. */
  stalledStageId: string;
  /** Ids of the deliberate edge cases, by label (e.g. "call.no-direction"). */
  edgeCases: Record<string, string[]>;
  counts: Record<string, number>;
}

/** A generated fixture: a PortalFixture plus its `demo` description. */
export type DemoPortalFixture = PortalFixture & { demo: DemoPortalInfo };

const HISTORY_DAYS = 400;
const FUTURE_CALENDAR_DAYS = 150;
const DAY_MS = 86_400_000;

function checkOptions(options: DemoPortalOptions): Required<Omit<DemoPortalOptions, 'anchor'>> {
  const seed = options.seed ?? 1;
  const size = options.size ?? 30_000;
  const portalId = options.portalId ?? 100001;
  const timeZone = options.timeZone ?? 'America/New_York';
  if (!Number.isSafeInteger(seed)) throw invalidInput('seed must be an integer', { field: 'seed' });
  if (!Number.isSafeInteger(size) || size < 0)
    throw invalidInput('size must be a non-negative integer', { field: 'size' });
  if (!Number.isSafeInteger(portalId) || portalId <= 0) {
    throw invalidInput('portalId must be a positive integer', { field: 'portalId' });
  }
  return { seed, size, portalId, timeZone };
}

/** Generate a deterministic demo portal: same options, byte-identical JSON. */
export function generateDemoPortal(options: DemoPortalOptions = {}): DemoPortalFixture {
  const { seed, size, portalId, timeZone } = checkOptions(options);
  const anchor = parseAnchor(options.anchor, timeZone);
  const cal = new LocalCalendar(
    timeZone,
    anchor.minus({ days: HISTORY_DAYS }).startOf('day'),
    HISTORY_DAYS + 1 + FUTURE_CALENDAR_DAYS,
  );
  const anchorDay = cal.indexOf(anchor);
  const anchorMonday = anchorDay - (cal.weekday(anchorDay) - 1);
  const frame: Frame = {
    anchorDay,
    anchorMonday,
    windowStartDay: anchorMonday - 25 * 7,
    dealStartDay: anchorDay - 365,
    futureEndDay: anchorDay + 22,
    nowMs: cal.dayStart(anchorDay + 1),
  };

  const roster = buildRoster(new Rng(seed, 'roster'), { anchorDay, anchorMonday });
  const world = new World(cal, frame, roster);
  // Accounts and deals grow with the square root of activity volume: a team that logs ten times
  // more activity does not have ten times more customers.
  const scale = Math.max(0.2, Math.sqrt(size / 30_000));
  buildAccounts(world, new Rng(seed, 'accounts'), scale);
  const deals = new DealBuilder(world, new Rng(seed, 'deals'), scale);
  deals.build();
  const steady = roster.find((m) => m.profile === 'steady') ?? (roster[0] as RosterMember);
  buildEdgeCases(world, new Rng(seed, 'edges'), deals, steady.params);

  const actors: Actor[] = [...roster.map(actorOf), ...ghostActors(steady.params, anchorDay)];
  const activities = new ActivityBuilder(world, new Rng(seed, 'activities'), actors);
  activities.plan(size - engagementCount(world));
  activities.build();

  return assemble(world, { seed, size, portalId, timeZone, anchor: cal.isoDate(anchorDay) });
}

/** People who own activities but are not (or no longer) on the roster. */
function ghostActors(steady: RepParams, anchorDay: number): Actor[] {
  const ghost = { index: -1, profile: 'steady' as const, hourShift: 0, startDay: 0 };
  return [
    // A rep whose user was deleted four months ago: history remains under an unknown owner id.
    { ...ghost, ownerId: UNKNOWN_OWNER_ID, endDay: anchorDay - 120, params: { ...steady, volume: 0.35 } },
    // Activity logged by integrations or the main line, with no owner.
    {
      ...ghost,
      ownerId: undefined,
      endDay: Number.POSITIVE_INFINITY,
      params: { ...steady, volume: 0.03, mix: [0.3, 0.45, 0.02, 0.13, 0.1], inboundShare: 0.6 },
    },
  ];
}

function engagementCount(w: World): number {
  const o = w.objects;
  return o.calls.length + o.emails.length + o.meetings.length + o.notes.length + o.tasks.length;
}

interface Settings {
  seed: number;
  size: number;
  portalId: number;
  timeZone: string;
  anchor: string;
}

function assemble(w: World, s: Settings): DemoPortalFixture {
  const { cal, frame, roster } = w;
  const ownerCreated = (m: RosterMember) =>
    m.startDay > 0 ? iso(cal.at(m.startDay, 9 * 3600)) : iso(frame.nowMs - (500 + 37 * m.index) * DAY_MS);
  const owners = roster.map((m) => {
    const created = ownerCreated(m);
    const teams = [
      ...(m.teamIndex >= 0
        ? [{ id: TEAMS[m.teamIndex]?.id ?? '', name: TEAMS[m.teamIndex]?.name ?? '', primary: true }]
        : []),
      ...m.secondaryTeamIndexes.map((t) => ({
        id: TEAMS[t]?.id ?? '',
        name: TEAMS[t]?.name ?? '',
        primary: false,
      })),
    ];
    return {
      id: m.ownerId,
      userId: m.userId,
      email: m.email,
      firstName: m.firstName,
      lastName: m.lastName,
      archived: m.archived,
      teams,
      createdAt: created,
      updatedAt: m.archived ? iso(cal.at(m.endDay, 17 * 3600)) : created,
    };
  });
  // Users are the active people only: a departed rep's user is deactivated and gone from the list.
  const users = roster
    .filter((m) => !m.archived)
    .map((m) => ({
      id: String(m.userId),
      email: m.email,
      firstName: m.firstName,
      lastName: m.lastName,
      superAdmin: m.superAdmin,
      primaryTeamId: m.teamIndex >= 0 ? (TEAMS[m.teamIndex]?.id ?? null) : null,
      secondaryTeamIds: m.secondaryTeamIndexes.map((t) => TEAMS[t]?.id ?? ''),
    }));

  const teams: DemoPortalInfo['teams'] = {};
  TEAMS.forEach((t, i) => {
    teams[t.id] = {
      name: t.name,
      managerOwnerId: roster.find((m) => m.profile === 'manager' && m.teamIndex === i)?.ownerId ?? null,
      ownerIds: roster.filter((m) => m.teamIndex === i).map((m) => m.ownerId),
      secondaryOwnerIds: roster.filter((m) => m.secondaryTeamIndexes.includes(i)).map((m) => m.ownerId),
    };
  });
  const newHire = roster.find((m) => m.profile === 'new-hire');
  const departed = roster.find((m) => m.archived);
  const counts: Record<string, number> = {};
  for (const [type, list] of Object.entries(w.objects)) counts[type] = list.length;
  counts.associations = w.associations.length;

  const demo: DemoPortalInfo = {
    seed: s.seed,
    size: s.size,
    anchor: s.anchor,
    timeZone: s.timeZone,
    now: iso(frame.nowMs),
    windowStart: cal.isoDate(frame.windowStartDay),
    profiles: Object.fromEntries(roster.map((m) => [m.ownerId, m.profile])),
    teams,
    improving: roster.filter((m) => m.improving).map((m) => m.ownerId),
    newHireStart: newHire ? cal.isoDate(newHire.startDay) : null,
    archivedOwnerId: departed?.ownerId ?? null,
    departedOn: departed ? cal.isoDate(departed.endDay) : null,
    unknownOwnerId: UNKNOWN_OWNER_ID,
    stalledStageId: 'presentationscheduled',
    edgeCases: w.edgeCases,
    counts,
  };

  return {
    portal: { portalId: s.portalId, timeZone: s.timeZone, currency: 'USD', name: 'Northbeam Software' },
    owners,
    users,
    teams: TEAMS.map((t) => ({ id: t.id, name: t.name })),
    pipelines: { deals: dealPipelines() },
    callDispositions: CALL_DISPOSITIONS.map((d) => ({ id: d.id, label: d.label })),
    objects: w.objects,
    associations: w.associations,
    demo,
  };
}
