/**
 * The starter training catalogue and rules. The catalogue seeds the demo portal (boot passes it as
 * the sandbox's default); a real portal starts with an empty catalogue, because links to modules it
 * does not own would be worse than none. The rules are sensible defaults for every portal: they only
 * fire when the catalogue has a module with the rule's tag.
 */
import type { CatalogueSetting, RulesSetting, TargetsSetting } from '@pillars/contracts';
import { TRAINING_LIMITS } from '@pillars/contracts';

/** Modules for each default skill tag (src/core/training/skills.ts), with example links. */
export const DEMO_CATALOGUE: CatalogueSetting = {
  modules: [
    {
      id: 'cold-call-openers',
      title: 'Cold-call openers that earn the next 30 seconds',
      url: 'https://training.pillars.example/modules/cold-call-openers',
      skillTags: ['cold-calling'],
      format: 'video',
      minutes: 25,
      version: '2026.2',
    },
    {
      id: 'booking-the-meeting',
      title: 'From conversation to calendar: asking for the meeting',
      url: 'https://training.pillars.example/modules/booking-the-meeting',
      skillTags: ['appointment-setting', 'objection-handling'],
      format: 'roleplay',
      minutes: 45,
      version: '2026.1',
    },
    {
      id: 'discovery-agenda',
      title: 'Discovery meetings people turn up to: agendas and confirmations',
      url: 'https://training.pillars.example/modules/discovery-agenda',
      skillTags: ['discovery'],
      format: 'course',
      minutes: 60,
      version: '2026.1',
    },
    {
      id: 'closing-mutual-plan',
      title: 'Closing with a mutual action plan',
      url: 'https://training.pillars.example/modules/closing-mutual-plan',
      skillTags: ['closing'],
      format: 'workshop',
      minutes: 90,
      version: '2025.4',
    },
    {
      id: 'pipeline-hygiene',
      title: 'Pipeline hygiene: next steps, close dates and honest stages',
      url: 'https://training.pillars.example/modules/pipeline-hygiene',
      skillTags: ['pipeline-management'],
      format: 'article',
      minutes: 15,
      version: '2026.3',
    },
    {
      id: 'release-analytics-suite',
      title: 'What is new in the Analytics Suite release',
      url: 'https://training.pillars.example/modules/release-analytics-suite',
      skillTags: ['product-knowledge'],
      format: 'quiz',
      minutes: 20,
      version: '1.0',
      release: { name: 'Analytics Suite', stageIds: ['presentationscheduled', 'decisionmakerboughtin'] },
    },
  ],
};

/** Default rules: a persistent gap at a funnel step assigns a module for that step's skill. */
export const DEFAULT_RULES: RulesSetting = {
  rules: [
    {
      id: 'connect-gap',
      metric: 'connectRate',
      comparator: 'belowTeamMedian',
      weeks: 3,
      outOf: 4,
      moduleTag: 'cold-calling',
    },
    {
      id: 'held-gap',
      metric: 'meetingHeldRate',
      comparator: 'belowTeamMedian',
      weeks: 3,
      outOf: 4,
      moduleTag: 'discovery',
    },
    {
      id: 'win-gap',
      metric: 'winRate',
      comparator: 'belowTeamMedian',
      weeks: 3,
      outOf: 4,
      moduleTag: 'closing',
    },
  ],
  releaseRules: true,
  monthlyCap: TRAINING_LIMITS.monthlyAutoCap,
};

/** Demo targets: weekly activity every rep of the demo teams is asked for. */
export const DEMO_TARGETS: TargetsSetting = {
  default: [
    { metric: 'dials', perWeek: 60 },
    { metric: 'connects', perWeek: 12 },
    { metric: 'meetingsBooked', perWeek: 4 },
    { metric: 'meetingsHeld', perWeek: 3 },
  ],
  teams: {},
};

/** No targets: what a real portal has until ops sets some. */
export const NO_TARGETS: TargetsSetting = { default: [], teams: {} };
/** No modules: what a real portal has until ops adds some. */
export const EMPTY_CATALOGUE: CatalogueSetting = { modules: [] };
