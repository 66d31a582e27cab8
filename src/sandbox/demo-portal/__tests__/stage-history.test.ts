import fc from 'fast-check';
import { generateDemoPortal } from '../index.js';
import type { DemoPortalFixture } from '../index.js';
import { engagements, ms } from './records.js';

/** Every problem with the stage history of the fixture's deals (empty when coherent). */
function stageProblems(f: DemoPortalFixture): string[] {
  const problems: string[] = [];
  const now = ms(f.demo.now);
  const pipelines = new Map(
    f.pipelines.deals.map((p) => [p.id, [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder)]),
  );
  for (const d of f.objects.deals) {
    const p = d.properties;
    const say = (what: string) => problems.push(`deal ${d.id}: ${what}`);
    const stages = pipelines.get(p.pipeline ?? '');
    if (!stages) {
      say(`unknown pipeline ${p.pipeline}`);
      continue;
    }
    const current = stages.find((s) => s.id === p.dealstage);
    if (!current) {
      say(`unknown stage ${p.dealstage}`);
      continue;
    }
    const passed = stages.filter((s) => p[`hs_v2_date_entered_${s.id}`] !== undefined);
    if (passed[passed.length - 1]?.id !== current.id) say('the current stage is not the last one entered');
    for (const s of stages) {
      if (!passed.includes(s) && p[`hs_v2_date_exited_${s.id}`] !== undefined)
        say(`exited ${s.id} without entering`);
    }
    if (p.createdate !== p[`hs_v2_date_entered_${passed[0]?.id ?? ''}`])
      say('createdate is not the first stage entry');
    for (let i = 0; i < passed.length; i++) {
      const s = passed[i];
      const entered = ms(p[`hs_v2_date_entered_${s?.id ?? ''}`]);
      const exitedText = p[`hs_v2_date_exited_${s?.id ?? ''}`];
      if (Number.isNaN(entered) || entered > now) say(`bad entry into ${s?.id}`);
      if (i === passed.length - 1) {
        if (exitedText !== undefined) say('exited the current stage');
        if (p.hs_v2_date_entered_current_stage !== p[`hs_v2_date_entered_${s?.id ?? ''}`])
          say('current-stage entry differs');
        continue;
      }
      const next = ms(p[`hs_v2_date_entered_${passed[i + 1]?.id ?? ''}`]);
      const exited = ms(exitedText);
      if (!(entered <= exited)) say(`${s?.id}: exited before entered`);
      if (exited !== next) say(`${s?.id}: exit is not the next stage's entry`);
    }
    const closed = current.metadata.isClosed === 'true';
    if (p.hs_is_closed !== String(closed)) say('hs_is_closed disagrees with the stage');
    const won = closed && current.metadata.probability === '1.0';
    if (p.hs_is_closed_won !== String(won)) say('hs_is_closed_won disagrees with the stage');
    if (p.hs_deal_stage_probability !== current.metadata.probability)
      say('probability disagrees with the stage');
    if (closed && p.closedate !== p.hs_v2_date_entered_current_stage)
      say('closedate of a closed deal is not its close');
    if (!closed && Number.isNaN(ms(p.closedate))) say('open deal without an expected close date');
    if (p.amount !== undefined && !/^\d+$/.test(p.amount ?? '')) say(`amount ${p.amount}`);
  }
  return problems;
}

describe('deal stage history', () => {
  it('is coherent for every deal, whatever the seed, anchor and zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.constantFrom('2026-03-09', '2026-11-04', '2027-01-01', '2026-06-30'),
        fc.constantFrom('America/New_York', 'Europe/London', 'Australia/Sydney', 'America/Los_Angeles'),
        (seed, anchor, timeZone) => {
          const f = generateDemoPortal({ seed, size: 1_500, anchor, timeZone });
          expect(stageProblems(f)).toEqual([]);
          // And the activities: valid instants (but the one deliberate gap), meetings booked before they start.
          for (const [type, r] of engagements(f)) {
            const t = ms(r.properties.hs_timestamp);
            if (Number.isNaN(t)) expect(f.demo.edgeCases['note.missing-timestamp']).toContain(r.id);
            if (type === 'meetings' && r.properties.hs_meeting_start_time) {
              expect(ms(r.properties.hs_createdate)).toBeLessThanOrEqual(
                ms(r.properties.hs_meeting_start_time),
              );
            }
            if (r.properties.hs_task_completion_date) {
              expect(ms(r.properties.hs_task_completion_date)).toBeLessThan(ms(f.demo.now));
              expect(ms(r.properties.hs_task_completion_date)).toBeGreaterThanOrEqual(
                ms(r.properties.hs_createdate),
              );
            }
          }
        },
      ),
      { numRuns: 16 },
    );
  });

  it('detects an incoherent history (the checker itself works)', () => {
    const f = generateDemoPortal({ seed: 3, size: 500, anchor: '2026-11-04' });
    const deal = f.objects.deals.find((d) => d.properties.hs_v2_date_exited_appointmentscheduled);
    expect(deal).toBeDefined();
    if (!deal) return;
    deal.properties.hs_v2_date_exited_appointmentscheduled = '2000-01-01T00:00:00.000Z';
    expect(stageProblems(f).length).toBeGreaterThan(0);
  });
});
