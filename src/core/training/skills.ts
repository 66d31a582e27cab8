/**
 * The default mapping of training skill tags to the funnel steps and metrics they move. It seeds the
 * settings page (ops may edit it) and tells the effectiveness roll-up which metric to measure per module.
 *
 * Why each: cold calls decide whether a dial becomes a conversation; setting the appointment decides
 * whether a conversation becomes a meeting; discovery prepares a meeting worth attending (a confirmed
 * agenda cuts no-shows) and turns it into a qualified deal; objection handling is where bookings and late
 * deals are lost; closing is the win rate and size; pipeline management keeps deals created and moving
 * (stalls themselves are process exceptions, outside these metrics); product knowledge shows in deals
 * created from meetings and in wins. The first metric is the one effectiveness measures.
 */
import type { FunnelStep, RuleMetric } from '@pillars/contracts';

/** What a skill tag is meant to move. */
export interface SkillMapping {
  tag: string;
  steps: readonly FunnelStep[];
  /** Metrics it should move; the first is the primary one (measured for effectiveness). */
  metrics: readonly RuleMetric[];
}

/** Default skill tags, in funnel order. */
export const DEFAULT_SKILL_MAPPING: readonly SkillMapping[] = [
  { tag: 'cold-calling', steps: ['connect'], metrics: ['connectRate', 'dials'] },
  { tag: 'appointment-setting', steps: ['booking'], metrics: ['bookingRate', 'meetingsBooked'] },
  { tag: 'discovery', steps: ['held', 'dealCreation'], metrics: ['meetingHeldRate', 'dealCreationRate'] },
  { tag: 'objection-handling', steps: ['booking', 'win'], metrics: ['bookingRate', 'winRate'] },
  { tag: 'closing', steps: ['win'], metrics: ['winRate', 'wonAmount'] },
  { tag: 'pipeline-management', steps: ['dealCreation', 'win'], metrics: ['dealsCreated', 'dealsLost'] },
  { tag: 'product-knowledge', steps: ['dealCreation', 'win'], metrics: ['dealCreationRate', 'winRate'] },
];

/** Skill tags whose steps include `step`: what to suggest for a diagnosed weakest step. */
export function skillsForStep(step: FunnelStep, mapping = DEFAULT_SKILL_MAPPING): string[] {
  return mapping.filter((m) => m.steps.includes(step)).map((m) => m.tag);
}
