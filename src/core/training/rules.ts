/**
 * Training rules: validated with the contract's zod schema, evaluated over a team's weekly series.
 * A rule fires for a rep when, in at least `weeks` of the last `outOf` weeks, the rep's weekly value of the
 * metric was on the rule's side of that week's team median. Rate weeks without enough sample (see
 * weekly-value.ts) never count as a match, so thin weeks cannot trigger training.
 */
import type { WeeklyPoint } from '@pillars/contracts';
import { invalidInput } from '../errors.js';
import { trainingRuleSchema } from '@pillars/contracts';
import type { RuleFiring, TrainingRule } from '@pillars/contracts';
import { lastWeeks, membersByWeek } from '../coaching/series.js';
import type { TeamSeries } from '../coaching/series.js';
import { formatRate } from '../coaching/words.js';
import { stepOfMetric } from '../coaching/funnel.js';
import { weekJudgeable, weekMedian, weekValue } from './weekly-value.js';

/** Validate rules from settings; throws INVALID_INPUT naming the rule and field (and an unknown metric). */
export function parseTrainingRules(input: unknown): TrainingRule[] {
  const parsed = trainingRuleSchema.array().max(200).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = `rules${issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')}: `;
    throw invalidInput(`${where}${issue.message}`, { path: issue.path.map(String) });
  }
  return parsed.data as TrainingRule[];
}

function format(metric: TrainingRule['metric'], v: number | null): string {
  if (v === null) return 'n/a';
  const step = stepOfMetric(metric);
  return step ? formatRate(v, step.kind) : Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/** The reps of one team a rule fires for, each with the reason in plain words. */
export function evaluateRule(rule: TrainingRule, team: TeamSeries): RuleFiring[] {
  const out: RuleFiring[] = [];
  for (const [ownerId, points] of team) {
    const window: WeeklyPoint[] = lastWeeks(points, rule.outOf);
    const weekly = membersByWeek(
      team,
      window.map((p) => p.weekStart),
    );
    const matched: string[] = [];
    window.forEach((p, i) => {
      if (!weekJudgeable(rule.metric, p.metrics)) return;
      const v = weekValue(rule.metric, p.metrics);
      const median = weekMedian(rule.metric, weekly[i]);
      if (v === null || median === null) return;
      const hit = rule.comparator === 'belowTeamMedian' ? v < median : v > median;
      if (hit) matched.push(`${p.weekStart}: ${format(rule.metric, v)} vs ${format(rule.metric, median)}`);
    });
    if (matched.length >= rule.weeks) {
      const side = rule.comparator === 'belowTeamMedian' ? 'below' : 'above';
      out.push({
        ownerId,
        ruleId: rule.id ?? null,
        moduleTag: rule.moduleTag,
        metric: rule.metric,
        weeksMatched: matched.length,
        outOf: rule.outOf,
        reason: `${rule.metric} ${side} the team median in ${matched.length} of the last ${window.length} weeks (${matched.join('; ')}).`,
      });
    }
  }
  return out;
}

/** Every rule over one team, in rule order (the order is the priority the cap respects). */
export function evaluateRules(rules: readonly TrainingRule[], team: TeamSeries): RuleFiring[] {
  return rules.flatMap((r) => evaluateRule(r, team));
}
