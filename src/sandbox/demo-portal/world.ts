/**
 * The shared state of one demo-portal generation: the calendar, the people, the record arrays and
 * the association list. Records are plain objects with string maps (no classes or closures per
 * record), and association endpoints are shared ref objects, so a million activities stay small.
 */
import type { LocalCalendar } from './clock.js';
import { cumulative } from './prng.js';
import type { Rng } from './prng.js';
import type { RosterMember } from './profiles.js';

/** Property values as HubSpot returns them. */
export type Props = Record<string, string | null>;

// Type aliases rather than interfaces: they fit the fixture schema's open (index-signature) shapes.
/** One CRM record in the fixture. */
export type DemoRecord = {
  id: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  properties: Props;
};

/** An association endpoint; one object per record, shared by all its associations. */
export type Ref = {
  type: string;
  id: string;
};

/** One association, with HubSpot's association type id. */
export type Assoc = {
  from: Ref;
  to: Ref;
  typeId: number;
};

/** The object types of a fixture's `objects`. */
export type ObjectType =
  'calls' | 'emails' | 'meetings' | 'notes' | 'tasks' | 'deals' | 'contacts' | 'companies';

/** HubSpot-defined association type ids (hubspot-platform.md §5.1, api-client AssociationTypes). */
export const ASSOC = {
  callToContact: 194,
  callToDeal: 206,
  emailToContact: 198,
  emailToDeal: 210,
  meetingToContact: 200,
  meetingToDeal: 212,
  noteToContact: 202,
  noteToDeal: 214,
  taskToContact: 204,
  taskToDeal: 216,
  dealToContact: 3,
  primaryDealToCompany: 5,
  primaryContactToCompany: 1,
} as const;

const DAY_SECONDS = 86_400;
// Local-hour weights of the working day from 07:00: a morning peak, lunch dip, afternoon peak.
const HOUR_WEIGHTS = cumulative([
  0.02, 0.07, 0.12, 0.13, 0.12, 0.06, 0.1, 0.12, 0.11, 0.09, 0.04, 0.015, 0.005,
]);
const FIRST_WORK_HOUR = 7;

/** Time frame of the portal, as calendar day indexes. */
export interface Frame {
  /** The anchor ("today"). */
  anchorDay: number;
  /** Monday of the anchor's week. */
  anchorMonday: number;
  /** Monday 25 weeks before the anchor's week: the first day of activity (26 weeks in all). */
  windowStartDay: number;
  /** First day of deal history (one year before the anchor). */
  dealStartDay: number;
  /** Activities in the future (scheduled meetings, open tasks) end before this day. */
  futureEndDay: number;
  /** "Now": the end of the anchor day; everything earlier is history. */
  nowMs: number;
}

/** Everything one generation builds, plus the helpers every part uses. */
export class World {
  readonly objects: Record<ObjectType, DemoRecord[]> = {
    calls: [],
    emails: [],
    meetings: [],
    notes: [],
    tasks: [],
    deals: [],
    contacts: [],
    companies: [],
  };
  readonly associations: Assoc[] = [];
  /** Labelled ids of the deliberate edge cases, for tests of other features. */
  readonly edgeCases: Record<string, string[]> = {};

  // Accounts (indexes into objects.contacts / objects.companies).
  readonly contactRefs: Ref[] = [];
  readonly companyRefs: Ref[] = [];
  readonly companyContacts: number[][] = [];
  readonly companyOwner: number[] = [];
  readonly companyNames: string[] = [];
  readonly ownerContacts: number[][];
  readonly ownerCompanies: number[][];

  // Deals (indexes into objects.deals).
  readonly dealRefs: Ref[] = [];
  readonly dealContacts: number[][] = [];
  /** Per owner and activity day: the deals that owner (or, for managers, their team) is working. */
  private readonly activeDeals: (number[] | undefined)[];

  private nextEngagementId = 50_000_000_001;
  private nextDealId = 15_000_000_001;
  private nextContactId = 1_001;
  private nextCompanyId = 9_000_000_001;

  constructor(
    readonly cal: LocalCalendar,
    readonly frame: Frame,
    readonly roster: readonly RosterMember[],
  ) {
    this.ownerContacts = roster.map(() => []);
    this.ownerCompanies = roster.map(() => []);
    this.activeDeals = new Array<number[] | undefined>(roster.length * this.activityDays);
  }

  /** Number of days with activities, history and future. */
  get activityDays(): number {
    return this.frame.futureEndDay - this.frame.windowStartDay;
  }

  /** A fresh engagement id; one id space for all engagement types, as in HubSpot. */
  engagementId(): string {
    return String(this.nextEngagementId++);
  }

  /** A fresh deal id. */
  dealId(): string {
    return String(this.nextDealId++);
  }

  /** A fresh contact id. */
  contactId(): string {
    return String(this.nextContactId++);
  }

  /** A fresh company id. */
  companyId(): string {
    return String(this.nextCompanyId++);
  }

  /** A second of the local day inside a working day shifted by `shift` hours. */
  workSecond(rng: Rng, shift: number): number {
    const hour = FIRST_WORK_HOUR + shift + rng.weighted(HOUR_WEIGHTS);
    return Math.min(hour * 3600 + rng.next() * 3600, DAY_SECONDS - 0.001);
  }

  /** UTC epoch ms of a working moment of day `day` for `member`. */
  workMoment(rng: Rng, day: number, member: RosterMember | undefined): number {
    return this.cal.at(day, this.workSecond(rng, member?.hourShift ?? 0));
  }

  /** Add an association. */
  associate(from: Ref, to: Ref, typeId: number): void {
    this.associations.push({ from, to, typeId });
  }

  /** Mark `ownerIndex` (and `alsoIndex`, e.g. the owner's manager) as working deal `deal` on days [from, to). */
  markDealActive(ownerIndex: number, alsoIndex: number, deal: number, fromDay: number, toDay: number): void {
    const start = Math.max(fromDay, this.frame.windowStartDay);
    const end = Math.min(toDay, this.frame.futureEndDay);
    const n = this.activityDays;
    for (let day = start; day < end; day++) {
      const offset = day - this.frame.windowStartDay;
      for (const who of alsoIndex < 0 ? [ownerIndex] : [ownerIndex, alsoIndex]) {
        const slot = who * n + offset;
        const list = this.activeDeals[slot];
        if (list) list.push(deal);
        else this.activeDeals[slot] = [deal];
      }
    }
  }

  /** The deals `ownerIndex` works on `day` (empty when none). */
  dealsOn(ownerIndex: number, day: number): readonly number[] {
    if (ownerIndex < 0 || day < this.frame.windowStartDay || day >= this.frame.futureEndDay) return [];
    return this.activeDeals[ownerIndex * this.activityDays + day - this.frame.windowStartDay] ?? [];
  }

  /** Record an edge case for demo.edgeCases. */
  tagEdge(label: string, id: string): void {
    (this.edgeCases[label] ??= []).push(id);
  }
}

/** ISO-8601 UTC text of an epoch-ms instant, the form HubSpot returns datetimes in. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
