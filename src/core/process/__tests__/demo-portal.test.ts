// The staller of the demo portal must show up as stalled against the team's own history.
import type { CrmRecord, Pipeline } from '../../crm.js';
import { generateDemoPortal } from '../../../sandbox/demo-portal/index.js';
import { defaultPlaybook } from '../default-playbook.js';
import { evaluateDeal } from '../evaluate.js';
import { classifyStageAge, computeStageTiming } from '../timing.js';
import { enteredStageAt } from '../stage-dates.js';

const fixture = generateDemoPortal({ seed: 1, size: 5000, anchor: '2026-11-25' });
const now = new Date(fixture.demo.now);
const pipelines = fixture.pipelines.deals as Pipeline[];
const sales = pipelines.find((p) => p.id === 'default') as Pipeline;
const deals: CrmRecord[] = fixture.objects.deals;
const stallerId = Object.entries(fixture.demo.profiles).find(([, p]) => p === 'staller')?.[0];
const won = deals.filter((d) => d.properties.hs_is_closed_won === 'true');
const timing = computeStageTiming({ deals: won, pipeline: sales, now, playbook: defaultPlaybook(sales) });
const openSales = deals.filter(
  (d) => d.properties.pipeline === 'default' && d.properties.hs_is_closed !== 'true',
);

function age(d: CrmRecord) {
  const stage = d.properties.dealstage as string;
  const entered = enteredStageAt(d, stage) as number;
  return classifyStageAge(
    (now.getTime() - entered) / 86_400_000,
    timing.stages[stage] as { p75: number; p90: number },
  );
}

describe('the demo portal', () => {
  it('has history for every open sales stage', () => {
    for (const entry of Object.values(timing.stages)) {
      expect(entry.source).toBe('history');
      expect(entry.sampleSize).toBeGreaterThanOrEqual(10);
    }
  });

  it('shows the staller’s long-sitting presentation deals as stalled', () => {
    expect(stallerId).toBeDefined();
    expect(fixture.demo.stalledStageId).toBe('presentationscheduled');
    const stuck = openSales.filter((d) => {
      const p = d.properties;
      const entered = enteredStageAt(d, 'presentationscheduled');
      return (
        p.hubspot_owner_id === stallerId &&
        p.dealstage === 'presentationscheduled' &&
        entered !== null &&
        entered <= now.getTime() - 30 * 86_400_000
      );
    });
    expect(stuck.length).toBeGreaterThanOrEqual(3);
    expect(stuck.map(age)).toEqual(stuck.map(() => 'stalled'));
    const guidance = evaluateDeal({
      deal: stuck[0] as CrmRecord,
      pipeline: sales,
      playbook: defaultPlaybook(sales),
      engagements: {},
      contacts: [],
      waivers: [],
      now,
      stageTiming: timing,
    });
    expect(guidance.stage.age).toBe('stalled');
    expect(guidance.risks.map((r) => r.code)).toContain('stalledInStage');
  });

  it('does not stall most other reps’ open deals', () => {
    const others = openSales.filter((d) => d.properties.hubspot_owner_id !== stallerId);
    expect(others.length).toBeGreaterThanOrEqual(10);
    const stalled = others.filter((d) => age(d) === 'stalled').length;
    expect(stalled / others.length).toBeLessThan(0.2);
  });
});
