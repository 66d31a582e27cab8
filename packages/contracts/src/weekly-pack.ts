/**
 * The weekly meeting pack (issue 4 item 10): per team, what a coach brings to the weekly meeting.
 * Built by the same functions as the coaching panel (the team's weekly series, diagnosis and praise),
 * the training assignments store and the stored stage timing; served by GET /api/v1/weekly-pack,
 * rendered by the app home page and printed by `pillars digest`.
 *
 * - `weekStart` is the pack's week: the last complete local week (Monday), or the one asked for.
 * - `weekInProgress` is the week after it when that is the current week (its pace), else null.
 * - Every list is bounded; `truncated` says how many items each list left out.
 */
import { z } from 'zod';
import { METRIC_NAMES } from './activity-metrics.js';
import { FUNNEL_STEPS, moduleEffectSchema, praiseSuggestionSchema } from './coaching.js';
import { TIMING_SOURCES } from './process.js';
import { trainingAssignmentSchema } from './training.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const hubspotId = z.string().regex(/^[1-9]\d{0,19}$/, 'expected a HubSpot id');

/** Bounds of the pack's lists. */
export const WEEKLY_PACK_LIMITS = {
  teams: 500,
  members: 200,
  scoreboardRows: 20,
  reasons: 10,
  praisePerMember: 10,
  praise: 400,
  stalledDeals: 200,
  assignments: 500,
  moduleEffects: 200,
} as const;

/** A team as the pack and the team list name it. */
export const packTeamSchema = z.strictObject({ id: hubspotId, name: z.string() });
export type PackTeam = z.infer<typeof packTeamSchema>;

/** GET /api/v1/weekly-pack/teams: the teams the caller may open a pack for. */
export const weeklyPackTeamsSchema = z.strictObject({
  teams: z.array(packTeamSchema).max(WEEKLY_PACK_LIMITS.teams),
});
export type WeeklyPackTeams = z.infer<typeof weeklyPackTeamsSchema>;

/** Input of the pack: one team, and optionally any local date of the (complete) week wanted. */
export const weeklyPackInputSchema = z.strictObject({
  teamId: hubspotId,
  week: localDate.optional(),
});
export type WeeklyPackInput = z.infer<typeof weeklyPackInputSchema>;

/** One metric of a member for the pack's week: value, the team's weekly target, the team median. */
export const packScoreRowSchema = z.strictObject({
  metric: z.enum(METRIC_NAMES),
  value: z.number().nullable(),
  /** Ops' weekly target of the team (count metrics only); null when none is set. */
  target: z.number().nullable(),
  teamMedian: z.number().nullable(),
});
export type PackScoreRow = z.infer<typeof packScoreRowSchema>;

/**
 * not-enough-data: the diagnosis cannot judge the rep; off-pace: the diagnosis finds a real, persistent
 * gap at a funnel step, or a volume target is missed in most weeks while the rep is also well below the
 * team's volume; on-pace otherwise.
 */
export const MEMBER_STATUSES = ['on-pace', 'off-pace', 'not-enough-data'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** One member of the team. */
export const packMemberSchema = z.strictObject({
  ownerId: hubspotId,
  name: z.string(),
  scoreboard: z.array(packScoreRowSchema).max(WEEKLY_PACK_LIMITS.scoreboardRows),
  status: z.enum(MEMBER_STATUSES),
  /** Why the status, in plain words (the diagnosis, targets behind); empty when on pace. */
  reasons: z.array(z.string()).max(WEEKLY_PACK_LIMITS.reasons),
  diagnosis: z.strictObject({
    status: z.enum(['gap', 'no-clear-gap', 'not-enough-data']),
    weakestStep: z.enum(FUNNEL_STEPS).nullable(),
    summary: z.string(),
  }),
  praise: z.array(praiseSuggestionSchema).max(WEEKLY_PACK_LIMITS.praisePerMember),
});
export type PackMember = z.infer<typeof packMemberSchema>;

/** A praise suggestion with who it is for. */
export const packPraiseSchema = praiseSuggestionSchema.extend({ ownerId: hubspotId, name: z.string() });
export type PackPraise = z.infer<typeof packPraiseSchema>;

/** An open deal of a member past its stage's usual time (slow: past p75; stalled: past p90). */
export const stalledDealSchema = z.strictObject({
  dealId: hubspotId,
  dealName: z.string().nullable(),
  ownerId: hubspotId,
  ownerName: z.string(),
  pipelineId: z.string(),
  pipelineLabel: z.string(),
  stageId: z.string(),
  stageLabel: z.string(),
  daysInStage: z.number().nonnegative(),
  typicalDays: z.strictObject({
    p75: z.number().nonnegative(),
    p90: z.number().nonnegative(),
    /** history: the team's won deals; playbook: the stage's SLA; default: a generic norm. */
    source: z.enum(TIMING_SOURCES),
  }),
  age: z.enum(['slow', 'stalled']),
});
export type StalledDeal = z.infer<typeof stalledDealSchema>;

/** An open assignment of a member, with the member's name. */
export const packAssignmentSchema = trainingAssignmentSchema.extend({ ownerName: z.string() });
export type PackAssignment = z.infer<typeof packAssignmentSchema>;

/** What GET /api/v1/weekly-pack returns. */
export const weeklyPackSchema = z.strictObject({
  team: packTeamSchema,
  timeZone: z.string(),
  /** The pack's week: a complete local week, its Monday. */
  weekStart: localDate,
  /** The week in progress after it (pace), null when the pack is of an older week. */
  weekInProgress: z.strictObject({ weekStart: localDate, elapsedShare: z.number().min(0).max(1) }).nullable(),
  /** Mondays of the weeks the diagnosis judged, oldest first. */
  diagnosisWeeks: z.array(localDate).max(26),
  members: z.array(packMemberSchema).max(WEEKLY_PACK_LIMITS.members),
  praise: z.array(packPraiseSchema).max(WEEKLY_PACK_LIMITS.praise),
  /** Stalled first, then the longest past their usual time. */
  stalledDeals: z.array(stalledDealSchema).max(WEEKLY_PACK_LIMITS.stalledDeals),
  training: z.strictObject({
    /** Open, due from today through the next 7 days, soonest first. */
    due: z.array(packAssignmentSchema).max(WEEKLY_PACK_LIMITS.assignments),
    /** Open and past their due date, oldest due first. */
    overdue: z.array(packAssignmentSchema).max(WEEKLY_PACK_LIMITS.assignments),
  }),
  /** Per module and metric over the team's completed assignments: median effect with its n. */
  moduleEffects: z.array(moduleEffectSchema).max(WEEKLY_PACK_LIMITS.moduleEffects),
  /** Items left out of each list by its bound (0 when complete). */
  truncated: z.strictObject({
    members: z.number().int().nonnegative(),
    stalledDeals: z.number().int().nonnegative(),
    due: z.number().int().nonnegative(),
    overdue: z.number().int().nonnegative(),
  }),
  generatedAt: z.string(),
});
export type WeeklyPack = z.infer<typeof weeklyPackSchema>;
