/**
 * The demo sales team: teams, owners, users and the behaviour profile of each person. Names and ids
 * are fixed; which new-business rep gets which profile depends on the seed.
 */
import type { Rng } from './prng.js';

/** The profile names of the demo portal and what each one means. */
export const DEMO_PROFILES = {
  star: 'High volume, connect rate ~13 %, few no-shows, best win rate and deal size: the highest won amount.',
  'low-connect': 'Dials more than anyone but connects only ~5 % of dials (team 9–12 %).',
  'no-show': 'Books plenty of meetings, but ~40 % of held-or-no-show meetings are no-shows (team 10–18 %).',
  staller:
    'Deals sit in presentationscheduled for weeks: several open deals there far beyond the team 90th percentile of won deals.',
  'new-hire':
    'Joined ~5 weeks before the anchor: no activity before the start date, ramping volume and connect rate.',
  steady:
    'The middle of the team, with natural variation; those listed in demo.improving get better over the six months.',
  'account-manager':
    'Post-sale: owns onboarding deals and a few expansions; more email, higher connect rate (~12 %).',
  departed:
    'Left two months before the anchor: archived owner (not a user any more) who still owns old activities and deals.',
  manager: 'Team manager: a user with a primary team, a few notes, joined meetings and tasks, no calls.',
  vp: 'VP of Sales: super admin, no team, a handful of emails and meetings.',
  'ops-admin': 'Sales operations admin: super admin, no team, a few data-hygiene tasks and notes.',
} as const satisfies Record<string, string>;

/** One of the demo profile names. */
export type DemoProfile = keyof typeof DEMO_PROFILES;

/** Relative weights of calls, emails, meetings, notes, tasks. */
export type Mix = readonly [number, number, number, number, number];

/** How a person behaves; rates are the targets the generated data follows. */
export interface RepParams {
  /** Engagements per working day, relative to a steady rep (1). */
  volume: number;
  /** Change of volume over the window: factor 1 + trend * (t - 0.5), t from 0 to 1. */
  volumeTrend: number;
  mix: Mix;
  /** Share of outbound (or direction-less) calls that connect. */
  connectRate: number;
  connectTrend: number;
  inboundShare: number;
  /** Shares of past meetings by outcome; the rest are held (COMPLETED). */
  noShow: number;
  cancel: number;
  reschedule: number;
  /** New deals per working day at scale 1. */
  dealRate: number;
  /** Multiplies each stage's chance of losing the deal. */
  lossFactor: number;
  amountFactor: number;
  /** Deals stall in presentationscheduled. */
  stalls: boolean;
}

/** A HubSpot team. */
export interface Team {
  id: string;
  name: string;
}

/** The three teams; index 0/1 are new business, 2 is account management. */
export const TEAMS: readonly Team[] = [
  { id: '8010001', name: 'New Business East' },
  { id: '8010002', name: 'New Business West' },
  { id: '8010003', name: 'Account Management' },
];

/** Index of New Business East in TEAMS. */
export const EAST = 0;
/** Index of New Business West in TEAMS. */
export const WEST = 1;
/** Index of Account Management in TEAMS. */
export const AM = 2;

/** One person of the portal, with everything the generator needs about them. */
export interface RosterMember {
  index: number;
  ownerId: string;
  userId: number;
  firstName: string;
  lastName: string;
  email: string;
  profile: DemoProfile;
  /** Primary team index into TEAMS, or -1. */
  teamIndex: number;
  secondaryTeamIndexes: number[];
  superAdmin: boolean;
  archived: boolean;
  improving: boolean;
  /** First calendar day with activity (inclusive). */
  startDay: number;
  /** Calendar day the person left (exclusive); Infinity while employed. */
  endDay: number;
  /** Working day shift in the portal's zone, in hours (the West team works three hours later). */
  hourShift: number;
  params: RepParams;
}

/** Email domain of the portal's own users. */
export const PORTAL_DOMAIN = 'northbeamsoftware.com';

type Slot = readonly [
  first: string,
  last: string,
  kind: 'vp' | 'ops-admin' | 'manager' | 'rep' | 'departed',
  team: number,
];

// Order matters: it fixes owner ids. Reps of teams 0 and 1 get their profile from the seed.
const SLOTS: readonly Slot[] = [
  ['Catherine', 'Moss', 'vp', -1],
  ['Theo', 'Lindqvist', 'ops-admin', -1],
  ['Dana', 'Whitfield', 'manager', EAST],
  ['Marcus', 'Bell', 'manager', WEST],
  ['Priya', 'Raman', 'manager', AM],
  ['Ana', 'Diaz', 'rep', EAST],
  ['Jordan', 'Blake', 'rep', EAST],
  ['Sofia', 'Marin', 'rep', EAST],
  ['Kevin', "O'Brien", 'rep', EAST],
  ['Aisha', 'Okafor', 'rep', EAST],
  ['Tom', 'Becker', 'rep', EAST],
  ['Lena', 'Fischer', 'rep', WEST],
  ['Diego', 'Alvarez', 'rep', WEST],
  ['Hannah', 'Kim', 'rep', WEST],
  ['Marco', 'Rossi', 'rep', WEST],
  ['Grace', 'Liu', 'rep', WEST],
  ['Olivia', 'Grant', 'rep', AM],
  ['Samir', 'Haddad', 'rep', AM],
  ['Emily', 'Novak', 'rep', AM],
  ['Ben', 'Carter', 'rep', AM],
  ['Ryan', 'Cole', 'departed', EAST],
];

const NB_SPECIAL: readonly DemoProfile[] = ['star', 'low-connect', 'no-show', 'staller', 'new-hire'];

const REP_MIX: Mix = [0.5, 0.28, 0.055, 0.065, 0.1];

function baseParams(profile: DemoProfile, rng: Rng): RepParams {
  const vary = (lo: number, hi: number) => rng.range(lo, hi);
  const steady: RepParams = {
    volume: vary(0.85, 1.15),
    volumeTrend: 0,
    mix: REP_MIX,
    connectRate: vary(0.095, 0.12),
    connectTrend: 0,
    inboundShare: 0.07,
    noShow: vary(0.11, 0.16),
    cancel: 0.06,
    reschedule: 0.05,
    dealRate: 0.23 * vary(0.85, 1.15),
    lossFactor: vary(0.9, 1.1),
    amountFactor: vary(0.9, 1.1),
    stalls: false,
  };
  switch (profile) {
    case 'star':
      return {
        ...steady,
        volume: 1.45,
        connectRate: 0.13,
        noShow: 0.08,
        cancel: 0.05,
        reschedule: 0.04,
        dealRate: 0.32,
        lossFactor: 0.55,
        amountFactor: 1.35,
      };
    case 'low-connect':
      // Dials a lot: more calls in the mix, slightly more volume, few connects.
      return {
        ...steady,
        volume: 1.3,
        mix: [0.62, 0.22, 0.04, 0.04, 0.08],
        connectRate: 0.05,
        dealRate: 0.16,
        lossFactor: 1.15,
        amountFactor: 0.9,
      };
    case 'no-show':
      return {
        ...steady,
        mix: [0.46, 0.28, 0.085, 0.065, 0.11],
        connectRate: 0.104,
        noShow: 0.36,
        cancel: 0.08,
        reschedule: 0.06,
      };
    case 'staller':
      return { ...steady, volume: 0.9, connectRate: 0.1, dealRate: 0.27, stalls: true };
    case 'new-hire':
      return {
        ...steady,
        volume: 0.95,
        connectRate: 0.085,
        noShow: 0.16,
        dealRate: 0.2,
        lossFactor: 1.2,
        amountFactor: 0.85,
      };
    case 'departed':
      return { ...steady, connectRate: 0.088, noShow: 0.14 };
    case 'account-manager':
      return {
        ...steady,
        volume: vary(0.75, 0.9),
        mix: [0.28, 0.42, 0.1, 0.1, 0.1],
        connectRate: vary(0.115, 0.13),
        inboundShare: 0.18,
        noShow: vary(0.1, 0.13),
        dealRate: 0.04,
        amountFactor: 0.4,
      };
    case 'manager':
      return { ...steady, volume: 0.15, mix: [0, 0.3, 0.3, 0.25, 0.15], noShow: 0.12, dealRate: 0 };
    case 'vp':
      return { ...steady, volume: 0.06, mix: [0, 0.5, 0.3, 0.2, 0], noShow: 0.1, dealRate: 0 };
    case 'ops-admin':
      return { ...steady, volume: 0.05, mix: [0, 0, 0, 0.4, 0.6], dealRate: 0 };
    case 'steady':
      return steady;
  }
}

/** Calendar facts the roster needs: the day index of the anchor and of its week's Monday. */
export interface RosterDays {
  anchorDay: number;
  anchorMonday: number;
}

/** Build the people of the portal; the seed decides which new-business rep gets which profile. */
export function buildRoster(rng: Rng, days: RosterDays): RosterMember[] {
  const nbSlots = SLOTS.flatMap((s, i) => (s[2] === 'rep' && s[3] !== AM ? [i] : []));
  const shuffled = rng.shuffled(nbSlots);
  const profileBySlot = new Map<number, DemoProfile>();
  shuffled.forEach((slot, i) => profileBySlot.set(slot, NB_SPECIAL[i] ?? 'steady'));
  const steadySlots = shuffled.slice(NB_SPECIAL.length);
  const improving = new Set(rng.shuffled(steadySlots).slice(0, 2));
  // Secondary team: one account manager also covers renewals for East.
  const amReps = SLOTS.flatMap((s, i) => (s[2] === 'rep' && s[3] === AM ? [i] : []));
  const secondaryEast = rng.pick(amReps);

  return SLOTS.map(([firstName, lastName, kind, team], index): RosterMember => {
    let profile: DemoProfile;
    if (kind === 'rep') profile = team === AM ? 'account-manager' : (profileBySlot.get(index) ?? 'steady');
    else profile = kind;
    const params = baseParams(profile, rng);
    const isImproving = improving.has(index);
    if (isImproving) {
      params.connectTrend = 0.5;
      params.volumeTrend = 0.4;
    }
    const localPart = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '');
    return {
      index,
      ownerId: String(61400101 + index * 13),
      userId: 8100201 + index,
      firstName,
      lastName,
      email: `${localPart}@${PORTAL_DOMAIN}`,
      profile,
      teamIndex: team,
      secondaryTeamIndexes: index === secondaryEast ? [EAST] : [],
      superAdmin: kind === 'vp' || kind === 'ops-admin',
      archived: kind === 'departed',
      improving: isImproving,
      // The new hire starts on the Monday five weeks before the anchor's week.
      startDay: profile === 'new-hire' ? days.anchorMonday - 35 : 0,
      endDay: kind === 'departed' ? days.anchorDay - 60 : Number.POSITIVE_INFINITY,
      hourShift: team === WEST ? 3 : 0,
      params,
    };
  });
}
