import { isDeepStrictEqual } from 'node:util';
import { DateTime } from 'luxon';
import { AppError } from '../../../core/errors.js';
import { parsePortalFixture } from '../../fixture.js';
import { DEMO_PROFILES, generateDemoPortal, jsonChunks } from '../index.js';
import type { DemoPortalFixture } from '../index.js';
import {
  DAY,
  ENGAGEMENTS,
  connectRate,
  engagements,
  median,
  ms,
  noShowRate,
  ownersWithProfile,
  percentile,
  profileOwner,
  repStats,
  teammates,
} from './records.js';
import type { Rec } from './records.js';

const ANCHOR = '2026-11-04'; // a Wednesday; the window spans the March and November DST changes
const serialise = (f: DemoPortalFixture) => [...jsonChunks(f)].join('');

const cache = new Map<string, DemoPortalFixture>();
function portal(seed: number, size: number, anchor = ANCHOR, timeZone?: string): DemoPortalFixture {
  const key = `${seed}/${size}/${anchor}/${timeZone ?? ''}`;
  let f = cache.get(key);
  if (!f) {
    f = generateDemoPortal({ seed, size, anchor, ...(timeZone ? { timeZone } : {}) });
    cache.set(key, f);
  }
  return f;
}

describe('generateDemoPortal: determinism and format', () => {
  it('gives byte-identical JSON for the same options, and different JSON for another seed or anchor', () => {
    const a = serialise(generateDemoPortal({ seed: 7, size: 4_000, anchor: ANCHOR }));
    const b = serialise(generateDemoPortal({ seed: 7, size: 4_000, anchor: ANCHOR }));
    expect(a === b).toBe(true);
    expect(serialise(generateDemoPortal({ seed: 8, size: 4_000, anchor: ANCHOR })) === a).toBe(false);
    expect(serialise(generateDemoPortal({ seed: 7, size: 4_000, anchor: '2026-11-05' })) === a).toBe(false);
  });

  it('passes parsePortalFixture, and parsing changes nothing (every default is already explicit)', () => {
    const f = portal(1, 4_000);
    const roundTripped = JSON.parse(serialise(f)) as unknown;
    const parsed = parsePortalFixture(roundTripped, 'demo');
    expect(isDeepStrictEqual(parsed, roundTripped)).toBe(true);
    expect(isDeepStrictEqual(JSON.parse(JSON.stringify(f)), roundTripped)).toBe(true);
  });

  it('describes itself in the demo key', () => {
    const f = portal(1, 4_000);
    expect(f.demo).toMatchObject({ seed: 1, size: 4_000, anchor: ANCHOR, timeZone: 'America/New_York' });
    expect(f.demo.now).toBe('2026-11-05T05:00:00.000Z'); // end of the anchor day, EST
    expect(f.demo.windowStart).toBe('2026-05-11'); // the Monday 25 weeks before the anchor's week
    for (const profile of Object.values(f.demo.profiles))
      expect(Object.keys(DEMO_PROFILES)).toContain(profile);
    expect(Object.keys(f.demo.profiles).sort()).toEqual(f.owners.map((o) => o.id).sort());
  });

  it('refuses bad options with INVALID_INPUT', () => {
    const bad = [
      { seed: 1.5 },
      { size: -1 },
      { portalId: 0 },
      { timeZone: 'Mars/Olympus' },
      { anchor: 'yesterday' },
    ];
    for (const options of bad) {
      expect(() => generateDemoPortal({ size: 10, ...options })).toThrow(AppError);
      try {
        generateDemoPortal({ size: 10, ...options });
      } catch (e) {
        expect((e as AppError).code).toBe('INVALID_INPUT');
      }
    }
  });

  it('defaults the anchor to today in the portal zone', () => {
    const before = DateTime.now().setZone('Asia/Tokyo').toISODate();
    const f = generateDemoPortal({ size: 100, timeZone: 'Asia/Tokyo' });
    const after = DateTime.now().setZone('Asia/Tokyo').toISODate();
    expect([before, after]).toContain(f.demo.anchor);
    expect(f.portal).toMatchObject({ portalId: 100001, timeZone: 'Asia/Tokyo', currency: 'USD' });
  });
});

describe('the team', () => {
  const f = portal(1, 4_000);

  it('has three teams with a manager each, 12-20 reps, and users that match the owners', () => {
    expect(f.teams.map((t) => t.name)).toEqual([
      'New Business East',
      'New Business West',
      'Account Management',
    ]);
    const reps = f.owners.filter(
      (o) => !['manager', 'vp', 'ops-admin'].includes(f.demo.profiles[o.id] ?? ''),
    );
    expect(reps.length).toBeGreaterThanOrEqual(12);
    expect(reps.length).toBeLessThanOrEqual(20);
    for (const team of f.teams) {
      const info = f.demo.teams[team.id];
      const manager = f.owners.find((o) => o.id === info?.managerOwnerId);
      expect(manager).toBeDefined();
      const user = f.users.find((u) => u.id === String(manager?.userId));
      expect(user?.primaryTeamId).toBe(team.id);
    }
    for (const owner of f.owners) {
      expect(owner.teams.filter((t) => t.primary).length).toBeLessThanOrEqual(1);
      const user = f.users.find((u) => u.id === String(owner.userId));
      if (owner.archived) expect(user).toBeUndefined();
      else {
        expect(user?.email).toBe(owner.email);
        expect(user?.primaryTeamId ?? null).toBe(owner.teams.find((t) => t.primary)?.id ?? null);
        expect([...(user?.secondaryTeamIds ?? [])].sort()).toEqual(
          owner.teams
            .filter((t) => !t.primary)
            .map((t) => t.id)
            .sort(),
        );
      }
    }
    const admins = f.users
      .filter((u) => u.superAdmin)
      .map((u) => f.owners.find((o) => String(o.userId) === u.id)?.id);
    expect(admins.map((id) => f.demo.profiles[id ?? '']).sort()).toEqual(['ops-admin', 'vp']);
    expect(f.owners.some((o) => o.teams.some((t) => !t.primary))).toBe(true);
  });

  it('has one of each special profile and several steady reps, two of them improving', () => {
    for (const p of [
      'star',
      'low-connect',
      'no-show',
      'staller',
      'new-hire',
      'departed',
      'vp',
      'ops-admin',
    ]) {
      expect(ownersWithProfile(f, p)).toHaveLength(1);
    }
    expect(ownersWithProfile(f, 'steady').length).toBeGreaterThanOrEqual(4);
    expect(f.demo.improving).toHaveLength(2);
    for (const id of f.demo.improving) expect(f.demo.profiles[id]).toBe('steady');
  });

  it('maps profiles to owners differently for another seed, over the same people', () => {
    const other = portal(2, 4_000);
    expect(other.owners.map((o) => o.id)).toEqual(f.owners.map((o) => o.id));
    expect(other.demo.profiles).not.toEqual(f.demo.profiles);
  });
});

describe.each([1, 2, 3])('profiles show in the data (seed %i, default size)', (seed) => {
  const f = portal(seed, 30_000);
  const stats = repStats(f);

  it('the low-connect rep connects far below the team median, within ~4-6 %', () => {
    const low = profileOwner(f, 'low-connect');
    const team = median(teammates(f, low).map((id) => connectRate(stats.get(id))));
    const rate = connectRate(stats.get(low));
    expect(rate).toBeGreaterThanOrEqual(0.04);
    expect(rate).toBeLessThanOrEqual(0.06);
    expect(team).toBeGreaterThanOrEqual(0.09);
    expect(team).toBeLessThanOrEqual(0.125);
    expect(rate).toBeLessThan(team * 0.6);
  });

  it('the no-show rep has 35 %+ no-shows, far above the team median', () => {
    const rep = profileOwner(f, 'no-show');
    const rate = noShowRate(stats.get(rep));
    const team = median(teammates(f, rep).map((id) => noShowRate(stats.get(id))));
    expect(rate).toBeGreaterThanOrEqual(0.35);
    expect(team).toBeGreaterThanOrEqual(0.1);
    expect(team).toBeLessThanOrEqual(0.22);
    expect(rate).toBeGreaterThan(team * 1.8);
  });

  it('the star has the highest won amount', () => {
    const star = profileOwner(f, 'star');
    const starWon = stats.get(star)?.wonAmount ?? 0;
    for (const [id, s] of stats) if (id !== star) expect(s.wonAmount).toBeLessThan(starWon);
  });

  it('the staller has open deals stuck in presentationscheduled beyond the team p90 of won deals', () => {
    const staller = profileOwner(f, 'staller');
    const team = new Set(teammates(f, staller));
    const wonTimes = f.objects.deals
      .filter(
        (d) => d.properties.hs_is_closed_won === 'true' && team.has(d.properties.hubspot_owner_id ?? ''),
      )
      .map(
        (d) =>
          ms(d.properties.hs_v2_date_exited_presentationscheduled) -
          ms(d.properties.hs_v2_date_entered_presentationscheduled),
      )
      .filter((t) => !Number.isNaN(t));
    expect(wonTimes.length).toBeGreaterThanOrEqual(10);
    const p90 = percentile(wonTimes, 0.9);
    const now = ms(f.demo.now);
    const stuck = f.objects.deals.filter(
      (d) =>
        d.properties.hubspot_owner_id === staller &&
        d.properties.hs_is_closed === 'false' &&
        d.properties.dealstage === 'presentationscheduled' &&
        now - ms(d.properties.hs_v2_date_entered_presentationscheduled) > p90,
    );
    expect(stuck.length).toBeGreaterThanOrEqual(3);
    // Nobody else has that many.
    for (const id of team) {
      if (id === staller) continue;
      const others = f.objects.deals.filter(
        (d) =>
          d.properties.hubspot_owner_id === id &&
          d.properties.dealstage === 'presentationscheduled' &&
          now - ms(d.properties.hs_v2_date_entered_presentationscheduled) > p90,
      );
      expect(others.length).toBeLessThan(stuck.length);
    }
  });

  it('the new hire has no activity or deal before the start date, and ramps up', () => {
    const hire = profileOwner(f, 'new-hire');
    const start = ms(DateTime.fromISO(f.demo.newHireStart ?? '', { zone: f.portal.timeZone }).toISO());
    const anchorDay = DateTime.fromISO(f.demo.anchor, { zone: f.portal.timeZone });
    expect(
      anchorDay.diff(DateTime.fromISO(f.demo.newHireStart ?? '', { zone: f.portal.timeZone }), 'weeks').weeks,
    ).toBeGreaterThanOrEqual(5);
    let first = 0;
    let last = 0;
    for (const [, r] of engagements(f)) {
      if (r.properties.hubspot_owner_id !== hire) continue;
      expect(ms(r.properties.hs_timestamp)).toBeGreaterThanOrEqual(start);
      expect(ms(r.properties.hs_createdate)).toBeGreaterThanOrEqual(start);
      const t = ms(r.properties.hs_timestamp);
      if (t < start + 14 * DAY) first++;
      else if (t >= start + 21 * DAY && t < start + 35 * DAY) last++;
    }
    for (const d of f.objects.deals) {
      if (d.properties.hubspot_owner_id === hire)
        expect(ms(d.properties.createdate)).toBeGreaterThanOrEqual(start);
    }
    expect(first).toBeGreaterThan(0);
    expect(last).toBeGreaterThan(first * 1.3);
  });

  it('improving reps dial more and connect more at the end of the window than at the start', () => {
    const connected = new Set(
      f.callDispositions.filter((d) => d.label.trim().toLowerCase() === 'connected').map((d) => d.id),
    );
    const now = ms(f.demo.now);
    const windowStart = ms(DateTime.fromISO(f.demo.windowStart, { zone: f.portal.timeZone }).toISO());
    const third = (now - windowStart) / 3;
    const early = { dials: 0, connects: 0 };
    const late = { dials: 0, connects: 0 };
    const improving = new Set(f.demo.improving);
    for (const c of f.objects.calls) {
      const p = c.properties;
      if (!improving.has(p.hubspot_owner_id ?? '') || p.hs_call_direction === 'INBOUND') continue;
      const t = ms(p.hs_timestamp);
      const bucket = t < windowStart + third ? early : t >= now - third ? late : undefined;
      if (!bucket) continue;
      bucket.dials++;
      if (connected.has(p.hs_call_disposition ?? '')) bucket.connects++;
    }
    // Vacations and holidays add noise; the trend is +40 % volume and +50 % connect rate end to end.
    expect(late.dials).toBeGreaterThan(early.dials * 1.05);
    expect(late.connects).toBeGreaterThan(early.connects * 1.3);
  });

  it('keeps every rep within believable rates', () => {
    // Thresholds leave some room for the weekly ups and downs of each rep.
    const pooled = { dials: 0, connects: 0 };
    for (const [id, s] of stats) {
      const profile = f.demo.profiles[id];
      if (!profile || profile === 'manager' || profile === 'vp' || profile === 'ops-admin') continue;
      if (s.dials >= 300) {
        expect(connectRate(s)).toBeGreaterThanOrEqual(0.04);
        expect(connectRate(s)).toBeLessThanOrEqual(0.15);
      }
      if (s.held + s.noShow >= 60 && profile !== 'no-show') {
        expect(noShowRate(s)).toBeGreaterThanOrEqual(0.07);
        expect(noShowRate(s)).toBeLessThanOrEqual(0.25);
      }
      if (profile === 'account-manager') {
        pooled.dials += s.dials;
        pooled.connects += s.connects;
      }
    }
    expect(pooled.connects / pooled.dials).toBeGreaterThan(0.1);
    expect(pooled.connects / pooled.dials).toBeLessThan(0.15);
    for (const team of f.teams) {
      const members = f.demo.teams[team.id]?.ownerIds ?? [];
      const sum = (k: 'canceled' | 'rescheduled') =>
        members.reduce((n, id) => n + (stats.get(id)?.[k] ?? 0), 0);
      expect(sum('canceled')).toBeGreaterThan(0);
      expect(sum('rescheduled')).toBeGreaterThan(0);
    }
  });
});

describe('volumes', () => {
  const count = (f: DemoPortalFixture) => ENGAGEMENTS.reduce((n, t) => n + f.objects[t].length, 0);

  it('scales engagements with size (proportional) and accounts sub-linearly', () => {
    const small = portal(1, 5_000);
    const large = portal(1, 50_000);
    expect(Math.abs(count(small) - 5_000)).toBeLessThan(5_000 * 0.03);
    expect(Math.abs(count(large) - 50_000)).toBeLessThan(50_000 * 0.02);
    const ratio = count(large) / count(small);
    expect(ratio).toBeGreaterThan(9.3);
    expect(ratio).toBeLessThan(10.7);
    expect(large.objects.contacts.length / small.objects.contacts.length).toBeLessThan(4);
    expect(large.objects.deals.length / small.objects.deals.length).toBeLessThan(4);
    // Profile shares hold at both sizes: the low-connect rep's dials share of all dials.
    const share = (f: DemoPortalFixture) => {
      const s = repStats(f);
      const total = [...s.values()].reduce((n, x) => n + x.dials, 0);
      return (s.get(profileOwner(f, 'low-connect'))?.dials ?? 0) / total;
    };
    expect(Math.abs(share(small) - share(large))).toBeLessThan(0.02);
  });

  it('keeps about 26 weeks of history, mostly on weekdays, with only scheduled items in the future', () => {
    const f = portal(1, 30_000);
    const zone = f.portal.timeZone;
    const now = ms(f.demo.now);
    const windowStart = ms(DateTime.fromISO(f.demo.windowStart, { zone }).toISO());
    let weekend = 0;
    let total = 0;
    for (const [type, r] of engagements(f)) {
      const t = ms(r.properties.hs_timestamp);
      if (Number.isNaN(t)) continue;
      total++;
      if (t >= now) {
        if (type === 'meetings') expect(r.properties.hs_meeting_outcome).toBe('SCHEDULED');
        else if (type === 'emails') expect(r.properties.hs_email_status).toBe('SCHEDULED');
        else if (type === 'tasks') expect(r.properties.hs_task_status).not.toBe('COMPLETED');
        else throw new Error(`${type} ${r.id} in the future`);
        expect(ms(r.properties.hs_createdate)).toBeLessThan(now);
      } else if (r.properties.hubspot_owner_id !== f.demo.archivedOwnerId) {
        expect(t).toBeGreaterThanOrEqual(windowStart - 30 * DAY);
      }
      // luxon per record is slow; every fifth record is plenty for a share.
      if (total % 5 === 0 && DateTime.fromMillis(t, { zone }).weekday >= 6) weekend++;
    }
    expect(weekend / (total / 5)).toBeLessThan(0.03);
    const meetings = f.objects.meetings.filter((m) => ms(m.properties.hs_meeting_start_time) < now);
    for (const m of meetings.slice(0, 2_000)) {
      expect(ms(m.properties.hs_createdate)).toBeLessThanOrEqual(ms(m.properties.hs_meeting_start_time));
      expect(ms(m.properties.hs_meeting_end_time)).toBeGreaterThan(ms(m.properties.hs_meeting_start_time));
    }
  });
});

describe.each(['America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata'])(
  'local working hours in %s',
  (zone) => {
    it('places activity in local working hours on both sides of each DST change', () => {
      // Mid-December: the window holds weeks on both sides of the autumn change (spring in Sydney).
      const f = portal(4, 8_000, '2026-12-16', zone);
      const edges = new Set(Object.values(f.demo.edgeCases).flat());
      expect(parsePortalFixture(JSON.parse(JSON.stringify(f)))).toBeDefined();
      const east = new Set(f.demo.teams['8010001']?.ownerIds ?? []);
      // Offsets seen in the window: a DST zone must show two, and the hour histogram must not shift.
      const byOffset = new Map<number, { n: number; inHours: number; early: number }>();
      for (const [, r] of engagements(f)) {
        if (!east.has(r.properties.hubspot_owner_id ?? '') || edges.has(r.id)) continue;
        const t = ms(r.properties.hs_timestamp);
        if (Number.isNaN(t)) continue;
        const local = DateTime.fromMillis(t, { zone });
        const b = byOffset.get(local.offset) ?? { n: 0, inHours: 0, early: 0 };
        b.n++;
        if (local.hour >= 7 && local.hour < 20) b.inHours++;
        if (local.hour === 7) b.early++;
        byOffset.set(local.offset, b);
      }
      expect(byOffset.size).toBe(zone === 'Asia/Kolkata' ? 1 : 2);
      for (const b of byOffset.values()) {
        expect(b.n).toBeGreaterThan(300);
        expect(b.inHours / b.n).toBeGreaterThan(0.98);
        // 07:00-08:00 is the quiet first hour (~2 %); a one-hour DST slip would make it ~9 %.
        expect(b.early / b.n).toBeLessThan(0.04);
      }
    });
  },
);

describe('edge cases of METRICS.md are present', () => {
  const f = portal(1, 4_000);
  const owners = new Set(f.owners.map((o) => o.id));
  const labels = f.demo.edgeCases;
  const byId = new Map<string, Rec>();
  for (const [, r] of engagements(f)) byId.set(r.id, r);
  const tagged = (label: string): Rec[] =>
    (labels[label] ?? []).map((id) => byId.get(id)).filter((r): r is Rec => r !== undefined);

  it('an archived owner who still owns activities and deals', () => {
    const archived = f.owners.filter((o) => o.archived);
    expect(archived).toHaveLength(1);
    const id = archived[0]?.id;
    expect(id).toBe(f.demo.archivedOwnerId);
    expect(f.objects.calls.filter((c) => c.properties.hubspot_owner_id === id).length).toBeGreaterThan(10);
    expect(f.objects.deals.filter((d) => d.properties.hubspot_owner_id === id).length).toBeGreaterThan(0);
    const left = ms(DateTime.fromISO(f.demo.departedOn ?? '', { zone: f.portal.timeZone }).toISO());
    expect(ms(f.demo.now) - left).toBeGreaterThan(55 * DAY);
    for (const [, r] of engagements(f)) {
      if (r.properties.hubspot_owner_id === id) expect(ms(r.properties.hs_timestamp)).toBeLessThan(left);
    }
  });

  it('activities and a deal owned by an owner id that is not in the owners list', () => {
    expect(owners.has(f.demo.unknownOwnerId)).toBe(false);
    expect(f.objects.calls.some((c) => c.properties.hubspot_owner_id === f.demo.unknownOwnerId)).toBe(true);
    expect(f.objects.deals.some((d) => d.properties.hubspot_owner_id === f.demo.unknownOwnerId)).toBe(true);
  });

  it('unowned activities: missing, empty and null hubspot_owner_id', () => {
    const calls = f.objects.calls;
    expect(calls.some((c) => !('hubspot_owner_id' in c.properties))).toBe(true);
    expect(calls.some((c) => c.properties.hubspot_owner_id === '')).toBe(true);
    expect(calls.some((c) => c.properties.hubspot_owner_id === null)).toBe(true);
    for (const t of ENGAGEMENTS) expect(f.objects[t].some((r) => !r.properties.hubspot_owner_id)).toBe(true);
  });

  it('calls with no direction, and the custom " connected " outcome', () => {
    expect(f.objects.calls.filter((c) => !('hs_call_direction' in c.properties)).length).toBeGreaterThan(2);
    const custom = f.callDispositions.find((d) => d.label === ' connected ');
    expect(custom).toBeDefined();
    expect(
      f.objects.calls.filter((c) => c.properties.hs_call_disposition === custom?.id).length,
    ).toBeGreaterThan(5);
    expect(f.callDispositions.length).toBeGreaterThanOrEqual(9);
    expect(tagged('call.custom-connected-outcome')).toHaveLength(1);
  });

  it('scheduled (future), sending, failed, bounced, forwarded and status-less emails', () => {
    const now = ms(f.demo.now);
    const emails = f.objects.emails;
    const scheduled = emails.filter((e) => e.properties.hs_email_status === 'SCHEDULED');
    expect(scheduled.length).toBeGreaterThanOrEqual(3);
    for (const e of scheduled) expect(ms(e.properties.hs_timestamp)).toBeGreaterThan(now);
    for (const status of ['FAILED', 'SENDING', 'BOUNCED']) {
      expect(emails.some((e) => e.properties.hs_email_status === status)).toBe(true);
    }
    expect(emails.some((e) => e.properties.hs_email_direction === 'FORWARDED_EMAIL')).toBe(true);
    expect(
      emails.some((e) => e.properties.hs_email_direction === 'EMAIL' && !('hs_email_status' in e.properties)),
    ).toBe(true);
  });

  it('rescheduled meetings, a meeting without a start time, completed tasks without a completion date', () => {
    expect(
      f.objects.meetings.filter((m) => m.properties.hs_meeting_outcome === 'RESCHEDULED').length,
    ).toBeGreaterThan(2);
    expect(f.objects.meetings.some((m) => !('hs_meeting_start_time' in m.properties))).toBe(true);
    const undated = f.objects.tasks.filter(
      (t) => t.properties.hs_task_status === 'COMPLETED' && !t.properties.hs_task_completion_date,
    );
    expect(undated.length).toBeGreaterThanOrEqual(5);
    for (const status of ['COMPLETED', 'NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED']) {
      expect(f.objects.tasks.some((t) => t.properties.hs_task_status === status)).toBe(true);
    }
  });

  it('items exactly on the week boundary, around midnight and on the DST change day', () => {
    const zone = f.portal.timeZone;
    const local = (r: Rec | undefined) => DateTime.fromMillis(ms(r?.properties.hs_timestamp), { zone });
    const [weekStart] = tagged('call.week-start-00:00:00.000');
    expect(local(weekStart).toFormat('ccc HH:mm:ss.SSS')).toBe('Mon 00:00:00.000');
    const [weekEnd] = tagged('call.week-end-23:59:59.999');
    expect(local(weekEnd).toFormat('ccc HH:mm:ss.SSS')).toBe('Sun 23:59:59.999');
    const dst = tagged('call.dst-change-day');
    expect(dst).toHaveLength(2);
    expect(local(dst[0]).toISODate()).toBe('2026-11-01'); // US DST ends
    expect(tagged('call.around-midnight').map((r) => local(r).hour)).toEqual([23, 0]);
    const epoch = tagged('call.epoch-ms-timestamp')[0];
    expect(epoch?.properties.hs_timestamp).toMatch(/^\d{13}$/);
    expect(tagged('note.missing-timestamp')[0]?.properties.hs_timestamp).toBeUndefined();
    expect(tagged('call.archived-record')[0]?.archived).toBe(true);
  });

  it('labels only existing records', () => {
    const dealIds = new Set(f.objects.deals.map((d) => d.id));
    for (const [label, ids] of Object.entries(labels)) {
      for (const id of ids) expect(byId.has(id) || (label.startsWith('deal.') && dealIds.has(id))).toBe(true);
    }
  });
});

describe('records and associations', () => {
  const f = portal(1, 8_000);
  const ALL_TYPES = [...ENGAGEMENTS, 'deals', 'contacts', 'companies'] as const;

  it('gives every object type unique numeric string ids', () => {
    for (const type of ALL_TYPES) {
      const ids = f.objects[type].map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.filter((id) => !/^[1-9]\d*$/.test(id))).toEqual([]);
    }
  });

  it('associates only existing records, with HubSpot association type ids', () => {
    const exists = new Map<string, Set<string>>();
    for (const type of ALL_TYPES) exists.set(type, new Set(f.objects[type].map((r) => r.id)));
    const expected: Record<string, number> = {
      'calls>contacts': 194,
      'calls>deals': 206,
      'emails>contacts': 198,
      'emails>deals': 210,
      'meetings>contacts': 200,
      'meetings>deals': 212,
      'notes>contacts': 202,
      'notes>deals': 214,
      'tasks>contacts': 204,
      'tasks>deals': 216,
      'deals>contacts': 3,
      'deals>companies': 5,
      'contacts>companies': 1,
    };
    const seen = new Set<string>();
    const wrong: string[] = [];
    for (const a of f.associations) {
      const pair = `${a.from.type}>${a.to.type}`;
      seen.add(pair);
      if (a.typeId !== expected[pair]) wrong.push(`${pair} typeId ${a.typeId}`);
      if (!exists.get(a.from.type)?.has(a.from.id)) wrong.push(`missing ${a.from.type} ${a.from.id}`);
      if (!exists.get(a.to.type)?.has(a.to.id)) wrong.push(`missing ${a.to.type} ${a.to.id}`);
    }
    expect(wrong).toEqual([]);
    expect([...seen].sort()).toEqual(Object.keys(expected).sort());
  });

  it('gives deals a company and contacts (some single-threaded), and contacts a company', () => {
    const dealContacts = new Map<string, number>();
    const dealCompany = new Map<string, number>();
    const contactCompany = new Set<string>();
    for (const a of f.associations) {
      if (a.from.type === 'deals' && a.to.type === 'contacts')
        dealContacts.set(a.from.id, (dealContacts.get(a.from.id) ?? 0) + 1);
      if (a.from.type === 'deals' && a.to.type === 'companies')
        dealCompany.set(a.from.id, (dealCompany.get(a.from.id) ?? 0) + 1);
      if (a.from.type === 'contacts') contactCompany.add(a.from.id);
    }
    for (const d of f.objects.deals) {
      expect(dealCompany.get(d.id)).toBe(1);
      expect(dealContacts.get(d.id) ?? 0).toBeGreaterThan(0);
    }
    const counts = [...dealContacts.values()];
    expect(counts.filter((n) => n === 1).length / counts.length).toBeGreaterThan(0.15);
    expect(counts.filter((n) => n >= 3).length).toBeGreaterThan(0);
    expect(contactCompany.size).toBe(f.objects.contacts.length);
    const roles = new Set(f.objects.contacts.map((c) => c.properties.hs_buying_role ?? 'unknown'));
    for (const role of ['DECISION_MAKER', 'CHAMPION', 'INFLUENCER', 'BUDGET_HOLDER', 'unknown'])
      expect(roles.has(role)).toBe(true);
  });

  it('has a sales pipeline with HubSpot default stages and an onboarding pipeline fed by won deals', () => {
    const [sales, onboarding] = f.pipelines.deals;
    expect(sales?.id).toBe('default');
    expect(sales?.stages.map((s) => [s.id, s.metadata.probability, s.metadata.isClosed])).toEqual([
      ['appointmentscheduled', '0.2', 'false'],
      ['qualifiedtobuy', '0.4', 'false'],
      ['presentationscheduled', '0.6', 'false'],
      ['decisionmakerboughtin', '0.8', 'false'],
      ['contractsent', '0.9', 'false'],
      ['closedwon', '1.0', 'true'],
      ['closedlost', '0.0', 'true'],
    ]);
    expect(onboarding?.label).toBe('Onboarding');
    for (const s of onboarding?.stages ?? []) expect(s.id).toMatch(/^\d+$/);
    const onboardingDeals = f.objects.deals.filter((d) => d.properties.pipeline === onboarding?.id);
    expect(onboardingDeals.length).toBeGreaterThan(10);
    const am = new Set(ownersWithProfile(f, 'account-manager'));
    for (const d of onboardingDeals) expect(am.has(d.properties.hubspot_owner_id ?? '')).toBe(true);
    const yearAgo = ms(f.demo.now) - 365 * DAY;
    const wonLastYear = f.objects.deals.filter(
      (d) =>
        d.properties.pipeline === 'default' &&
        d.properties.hs_is_closed_won === 'true' &&
        ms(d.properties.closedate) >= yearAgo,
    );
    expect(wonLastYear.length).toBeGreaterThanOrEqual(10);
    expect(wonLastYear.some((d) => ms(d.properties.closedate) < ms(f.demo.now) - 200 * DAY)).toBe(true);
  });
});
