/**
 * Deals over the year before the anchor: each one walks the sales pipeline stage by stage with
 * log-normal dwell times and a per-stage chance of being lost, so the stage history
 * (hs_v2_date_entered_* / hs_v2_date_exited_*) is coherent by construction. Won new-business deals
 * spawn a deal in the Onboarding pipeline, owned by an account manager.
 */
import {
  ONBOARDING_PIPELINE_ID,
  ONBOARDING_STAGES,
  PRODUCTS,
  SALES_STAGES,
  STAGE_PROBABILITY,
} from './catalog.js';
import type { Rng } from './prng.js';
import type { RepParams, RosterMember } from './profiles.js';
import { ASSOC, iso } from './world.js';
import type { Props, World } from './world.js';

// Typical days in each open sales stage, and the chance a deal is lost there.
const SALES_MEDIAN_DAYS = [5, 8, 10, 8, 6];
const SALES_LOSS = [0.28, 0.25, 0.2, 0.15, 0.1];
const ONBOARDING_MEDIAN_DAYS = [3, 7, 18];
const WON = 5;
const LOST = 6;
const PRESENTATION = 2;

/** A deal's walk through a pipeline: the stages it entered, in order, and when. */
export interface StagePath {
  stages: string[];
  entered: number[];
  closed: boolean;
  won: boolean;
}

/** Who owns a deal and what it is about. */
export interface DealSpec {
  /** Owner id, or undefined for an unowned deal. */
  ownerId: string | undefined;
  /** Roster index of the owner (-1 when not on the roster). */
  ownerIndex: number;
  companyIndex: number;
  pipeline: string;
  dealtype: 'newbusiness' | 'existingbusiness';
  name: string;
  amount: number | undefined;
  /** Contacts to associate (indexes into the contacts list). */
  contacts: number[];
  /** Whether the expected close date of an open deal is likely stale (in the past). */
  staleCloseDates: boolean;
}

interface Moment {
  day: number;
  sec: number;
}

/** Builds the deals of a World. */
export class DealBuilder {
  private readonly managerOfTeam = new Map<number, number>();
  private readonly accountManagers: RosterMember[];

  constructor(
    private readonly w: World,
    private readonly rng: Rng,
    private readonly scale: number,
  ) {
    for (const m of w.roster) if (m.profile === 'manager') this.managerOfTeam.set(m.teamIndex, m.index);
    this.accountManagers = w.roster.filter((m) => m.profile === 'account-manager');
  }

  /** Generate the year of deals, then make sure the staller has deals stuck in presentation. */
  build(): void {
    const { cal, frame, roster } = this.w;
    for (let day = this.w.frame.dealStartDay; day <= frame.anchorDay; day++) {
      const work = cal.workFactor(day);
      for (const m of roster) {
        if (m.params.dealRate <= 0 || day < m.startDay || day >= m.endDay) continue;
        // A new hire builds a pipeline over the first month.
        const ramp = m.profile === 'new-hire' ? Math.min(1, 0.4 + (0.6 * (day - m.startDay)) / 28) : 1;
        const n = this.rng.roundStochastic(m.params.dealRate * this.scale * work * ramp);
        for (let i = 0; i < n; i++)
          this.newSalesDeal(m, { day, sec: this.w.workSecond(this.rng, m.hourShift) });
      }
    }
    this.ensureStalledDeals();
  }

  /** A sales-pipeline deal for `m` created at `at`, simulated up to now (or the day `m` left). */
  private newSalesDeal(m: RosterMember, at: Moment): void {
    const expansion = m.profile === 'account-manager';
    const companyIndex = this.companyFor(m);
    const path = this.simulateSales(
      m.params,
      m.hourShift,
      at,
      Math.min(this.w.frame.anchorDay, m.endDay - 1),
      false,
    );
    const median = (expansion ? 7_000 : 18_000) * m.params.amountFactor;
    const amount = Math.max(1_500, Math.round(this.rng.logNormal(median, 0.55) / 500) * 500);
    const company = this.w.companyNames[companyIndex] as string;
    const index = this.emit(path, {
      ownerId: m.ownerId,
      ownerIndex: m.index,
      companyIndex,
      pipeline: 'default',
      dealtype: expansion ? 'existingbusiness' : 'newbusiness',
      name: `${company} - ${expansion ? 'Expansion' : this.rng.pick(PRODUCTS)}`,
      amount,
      contacts: this.pickContacts(companyIndex),
      staleCloseDates: m.params.stalls,
    });
    if (path.won && !expansion)
      this.spawnOnboarding(index, companyIndex, path.entered[path.entered.length - 1] as number);
  }

  /** Walk the sales pipeline from `start` until closed or until `lastDay` passes. */
  simulateSales(
    params: RepParams,
    shift: number,
    start: Moment,
    lastDay: number,
    forceWin: boolean,
  ): StagePath {
    const { cal } = this.w;
    const path: StagePath = {
      stages: [SALES_STAGES[0]],
      entered: [cal.at(start.day, start.sec)],
      closed: false,
      won: false,
    };
    let idx = 0;
    let at = start;
    for (;;) {
      let dwell = this.rng.logNormal(SALES_MEDIAN_DAYS[idx] as number, 0.6);
      let lost = !forceWin && this.rng.chance((SALES_LOSS[idx] as number) * params.lossFactor);
      if (idx === PRESENTATION && params.stalls && this.rng.chance(0.7)) {
        // The staller's deals sit in presentation for weeks; most of them die there.
        dwell = this.rng.logNormal(55, 0.45);
        lost = !forceWin && this.rng.chance(0.75);
      }
      const next = this.advance(at, dwell, shift);
      if (next.day > lastDay) return path;
      let nextIdx: number;
      if (lost) nextIdx = LOST;
      else {
        nextIdx = idx + 1;
        // Some deals skip a stage (qualification or sign-off), as real pipelines do.
        if ((idx === 0 || idx === PRESENTATION) && this.rng.chance(0.07)) nextIdx++;
      }
      path.stages.push(SALES_STAGES[nextIdx] as string);
      path.entered.push(cal.at(next.day, next.sec));
      at = next;
      if (nextIdx >= WON) {
        path.closed = true;
        path.won = nextIdx === WON;
        return path;
      }
      idx = nextIdx;
    }
  }

  /** Move `dwellDays` ahead to a working moment (same day: a little later). */
  private advance(at: Moment, dwellDays: number, shift: number): Moment {
    let day = at.day + Math.max(0, Math.round(dwellDays));
    if (day === at.day) return { day, sec: Math.min(at.sec + this.rng.range(600, 7200), 86_399.999) };
    while (day < this.w.cal.days - 1 && this.w.cal.workFactor(day) < 0.5) day++;
    return { day, sec: this.w.workSecond(this.rng, shift) };
  }

  private spawnOnboarding(wonIndex: number, companyIndex: number, wonMs: number): void {
    const { cal, frame } = this.w;
    if (this.accountManagers.length === 0) return;
    const wonDay = cal.dayOf(wonMs);
    const am = this.rng.pick(this.accountManagers);
    const start = this.advance({ day: wonDay, sec: 86_399 }, this.rng.range(0.6, 2.4), am.hourShift);
    if (start.day > frame.anchorDay) return;
    const path: StagePath = {
      stages: [ONBOARDING_STAGES[0]],
      entered: [cal.at(start.day, start.sec)],
      closed: false,
      won: false,
    };
    let at = start;
    for (let i = 0; i < ONBOARDING_MEDIAN_DAYS.length; i++) {
      const next = this.advance(
        at,
        this.rng.logNormal(ONBOARDING_MEDIAN_DAYS[i] as number, 0.5),
        am.hourShift,
      );
      if (next.day > frame.anchorDay) break;
      path.stages.push(ONBOARDING_STAGES[i + 1] as string);
      path.entered.push(cal.at(next.day, next.sec));
      at = next;
      if (i === ONBOARDING_MEDIAN_DAYS.length - 1) {
        path.closed = true;
        path.won = true;
      }
    }
    const contacts = this.w.dealContacts[wonIndex] ?? [];
    this.emit(path, {
      ownerId: am.ownerId,
      ownerIndex: am.index,
      companyIndex,
      pipeline: ONBOARDING_PIPELINE_ID,
      dealtype: 'existingbusiness',
      name: `${this.w.companyNames[companyIndex] as string} - Onboarding`,
      // Post-sale deals carry no amount, so revenue is not counted twice.
      amount: undefined,
      contacts: contacts.slice(0, 2),
      staleCloseDates: false,
    });
  }

  /** The staller must have several open deals stuck in presentation for weeks, whatever the seed. */
  private ensureStalledDeals(): void {
    const { cal, frame, roster } = this.w;
    const staller = roster.find((m) => m.profile === 'staller');
    if (!staller) return;
    const want = Math.max(3, Math.round(5 * this.scale));
    const monthAgo = frame.nowMs - 30 * 86_400_000;
    let have = 0;
    for (const deal of this.w.objects.deals) {
      const p = deal.properties;
      if (p.hubspot_owner_id !== staller.ownerId || p.dealstage !== 'presentationscheduled') continue;
      if (Date.parse(p.hs_v2_date_entered_presentationscheduled ?? '') <= monthAgo) have++;
    }
    for (let k = have; k < want; k++) {
      const presDay = this.workdayBefore(frame.anchorDay - Math.round(this.rng.range(30, 90)));
      const qualDay = this.workdayBefore(presDay - Math.round(this.rng.range(3, 12)));
      const apptDay = this.workdayBefore(qualDay - Math.round(this.rng.range(2, 8)));
      const days = [apptDay, qualDay, presDay];
      const path: StagePath = {
        stages: ['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled'],
        entered: days.map((d) => cal.at(d, this.w.workSecond(this.rng, staller.hourShift))),
        closed: false,
        won: false,
      };
      const companyIndex = this.companyFor(staller);
      this.emit(path, {
        ownerId: staller.ownerId,
        ownerIndex: staller.index,
        companyIndex,
        pipeline: 'default',
        dealtype: 'newbusiness',
        name: `${this.w.companyNames[companyIndex] as string} - ${this.rng.pick(PRODUCTS)}`,
        amount: Math.max(1_500, Math.round(this.rng.logNormal(18_000, 0.5) / 500) * 500),
        contacts: this.pickContacts(companyIndex),
        staleCloseDates: true,
      });
    }
  }

  private workdayBefore(day: number): number {
    let d = day;
    while (d > 0 && this.w.cal.workFactor(d) < 0.5) d--;
    return d;
  }

  /** An account of `m` (any account when `m` owns none). */
  companyFor(m: RosterMember | undefined): number {
    const own = m ? (this.w.ownerCompanies[m.index] ?? []) : [];
    return own.length > 0 ? this.rng.pick(own) : this.rng.int(this.w.companyRefs.length);
  }

  /** Buying-group contacts of a company: a third of deals are single-threaded. */
  pickContacts(companyIndex: number): number[] {
    const all = this.w.companyContacts[companyIndex] ?? [];
    if (all.length === 0) return [];
    const want = this.rng.chance(0.3) ? 1 : Math.min(all.length, 2 + this.rng.int(3));
    return this.rng.shuffled(all).slice(0, want);
  }

  /** Turn a path into a deal record with its associations; returns the deal's index. */
  emit(path: StagePath, spec: DealSpec): number {
    const { cal, frame } = this.w;
    const n = path.stages.length;
    const current = path.stages[n - 1] as string;
    const createMs = path.entered[0] as number;
    const lastMs = path.entered[n - 1] as number;
    const created = iso(createMs);
    const currentEntered = iso(lastMs);
    let closeMs: number;
    if (path.closed) closeMs = lastMs;
    else {
      const createDay = cal.dayOf(createMs);
      const stale = spec.staleCloseDates ? this.rng.chance(0.6) : this.rng.chance(0.1);
      let day: number;
      if (stale && createDay + 14 < frame.anchorDay)
        day = Math.max(createDay + 14, frame.anchorDay - 1 - this.rng.int(30));
      else day = Math.max(frame.anchorDay + 2 + this.rng.int(40), createDay + 30 + this.rng.int(45));
      closeMs = cal.at(Math.min(day, cal.days - 1), 17 * 3600);
    }
    const props: Props = { dealname: spec.name, pipeline: spec.pipeline, dealstage: current };
    if (spec.amount !== undefined) props.amount = String(spec.amount);
    props.dealtype = spec.dealtype;
    props.createdate = created;
    props.closedate = iso(closeMs);
    props.hs_is_closed = String(path.closed);
    props.hs_is_closed_won = String(path.won);
    if (spec.ownerId !== undefined) props.hubspot_owner_id = spec.ownerId;
    props.hs_deal_stage_probability = STAGE_PROBABILITY.get(current) ?? null;
    props.hs_lastmodifieddate = currentEntered;
    props.hs_v2_date_entered_current_stage = currentEntered;
    for (let i = 0; i < n; i++) {
      const stage = path.stages[i] as string;
      props[`hs_v2_date_entered_${stage}`] = i === n - 1 ? currentEntered : iso(path.entered[i] as number);
      if (i < n - 1) props[`hs_v2_date_exited_${stage}`] = iso(path.entered[i + 1] as number);
    }
    const id = this.w.dealId();
    const index = this.w.objects.deals.length;
    this.w.objects.deals.push({
      id,
      archived: false,
      createdAt: created,
      updatedAt: currentEntered,
      properties: props,
    });
    const ref = { type: 'deals', id };
    this.w.dealRefs.push(ref);
    this.w.dealContacts.push(spec.contacts);
    for (const c of spec.contacts)
      this.w.associate(ref, this.w.contactRefs[c] as typeof ref, ASSOC.dealToContact);
    this.w.associate(ref, this.w.companyRefs[spec.companyIndex] as typeof ref, ASSOC.primaryDealToCompany);
    this.updateLifecycle(spec, path);

    if (spec.ownerIndex >= 0) {
      const member = this.w.roster[spec.ownerIndex] as RosterMember;
      const manager = this.managerOfTeam.get(member.teamIndex) ?? -1;
      const endDay = path.closed ? cal.dayOf(closeMs) + 1 : frame.futureEndDay;
      this.w.markDealActive(spec.ownerIndex, manager, index, cal.dayOf(createMs), endDay);
    }
    return index;
  }

  private updateLifecycle(spec: DealSpec, path: StagePath): void {
    const stage = path.won ? 'customer' : 'opportunity';
    const company = this.w.objects.companies[spec.companyIndex];
    if (company && company.properties.lifecyclestage !== 'customer')
      company.properties.lifecyclestage = stage;
    for (const c of spec.contacts) {
      const contact = this.w.objects.contacts[c];
      if (contact && contact.properties.lifecyclestage !== 'customer')
        contact.properties.lifecyclestage = stage;
    }
  }
}
