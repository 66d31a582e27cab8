/**
 * The coaching panel contract (issue 4 item 5): what GET /api/v1/coaching-panel returns for a
 * contact and the contact card renders. What a caller receives depends on the access policy
 * (src/core/access/policy.ts): the rep and their coaches get the full panel; anyone else gets only
 * the contact's relationship summary, with nothing about the rep (not even the name).
 */
import { z } from 'zod';
import { METRIC_NAMES } from './activity-metrics.js';
import { diagnosisSchema, praiseSuggestionSchema, trainingEffectSchema } from './coaching.js';
import { coachingNoteSchema, MODULE_FORMATS, trainingAssignmentSchema } from './training.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Engagement channels counted in a relationship summary. */
export const TOUCH_CHANNELS = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;

/** The contact's relationship summary: visible to anyone who can open the contact. */
export const relationshipSummarySchema = z.strictObject({
  /** Days covered by `touches` (30). */
  days: z.number().int().positive(),
  touches: z.strictObject({
    calls: z.number().int().nonnegative(),
    emails: z.number().int().nonnegative(),
    meetings: z.number().int().nonnegative(),
    notes: z.number().int().nonnegative(),
    tasks: z.number().int().nonnegative(),
  }),
  lastTouch: z.strictObject({ channel: z.enum(TOUCH_CHANNELS), at: z.string() }).nullable(),
  nextActivity: z
    .strictObject({ channel: z.enum(TOUCH_CHANNELS), at: z.string(), title: z.string().nullable() })
    .nullable(),
});
export type RelationshipSummary = z.infer<typeof relationshipSummarySchema>;

/** One scorecard line: this week's value against the target and the team median, with its trend. */
export const scorecardRowSchema = z.strictObject({
  metric: z.enum(METRIC_NAMES),
  value: z.number().nullable(),
  /** Ops' weekly target for the rep's team (count metrics only); null when none is set. */
  target: z.number().nullable(),
  teamMedian: z.number().nullable(),
  direction: z.enum(['up', 'down', 'flat', 'unknown']),
});
export type ScorecardRow = z.infer<typeof scorecardRowSchema>;

/** A module suggested for the diagnosed gap, assignable in one click. */
export const suggestedModuleSchema = z.strictObject({
  moduleId: z.string(),
  title: z.string(),
  url: z.string(),
  format: z.enum(MODULE_FORMATS),
  minutes: z.number().int().positive(),
  skillTag: z.string(),
  reason: z.string(),
});
export type SuggestedModule = z.infer<typeof suggestedModuleSchema>;

/** An assignment with its measured effect (null until completed and measurable). */
export const panelAssignmentSchema = trainingAssignmentSchema.extend({
  effect: trainingEffectSchema.nullable(),
});
export type PanelAssignment = z.infer<typeof panelAssignmentSchema>;

const contactSchema = z.strictObject({ id: z.string(), name: z.string().nullable() });

/** The full panel, for the rep themselves or a coach. */
export const fullPanelSchema = z.strictObject({
  view: z.literal('full'),
  access: z.enum(['self', 'coach']),
  contact: contactSchema,
  relationship: relationshipSummarySchema,
  rep: z.strictObject({
    ownerId: z.string(),
    name: z.string(),
    teams: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  }),
  /** The current local week (Monday) the scorecard shows. */
  weekStart: localDate,
  /** False when the rep has no activity at all in the trend window (the "no data" state). */
  hasData: z.boolean(),
  scorecard: z.array(scorecardRowSchema),
  diagnosis: diagnosisSchema,
  /** Oldest first: the weeks of the trend chart and each metric's weekly values. */
  trend: z.strictObject({
    weeks: z.array(localDate),
    series: z.array(z.strictObject({ metric: z.enum(METRIC_NAMES), values: z.array(z.number().nullable()) })),
  }),
  praise: z.array(praiseSuggestionSchema),
  notes: z.array(coachingNoteSchema),
  training: z.strictObject({
    assigned: z.array(panelAssignmentSchema),
    suggested: z.array(suggestedModuleSchema),
  }),
  permissions: z.strictObject({
    writeNotes: z.boolean(),
    assignTraining: z.boolean(),
    completeTraining: z.boolean(),
  }),
  generatedAt: z.string(),
});
export type FullPanel = z.infer<typeof fullPanelSchema>;

/** Someone who is neither the rep nor their coach, or a contact without an owner. */
export const summaryPanelSchema = z.strictObject({
  view: z.enum(['summary-only', 'no-owner']),
  contact: contactSchema,
  relationship: relationshipSummarySchema,
  generatedAt: z.string(),
});
export type SummaryPanel = z.infer<typeof summaryPanelSchema>;

/** What GET /api/v1/coaching-panel returns. */
export const coachingPanelSchema = z.discriminatedUnion('view', [fullPanelSchema, summaryPanelSchema]);
export type CoachingPanel = z.infer<typeof coachingPanelSchema>;

/** Input of the coaching panel: the contact whose record is open. */
export const coachingPanelInputSchema = z.strictObject({
  contactId: z.string().regex(/^[1-9]\d{0,19}$/, 'contactId must be a HubSpot record id'),
});
export type CoachingPanelInput = z.infer<typeof coachingPanelInputSchema>;

/** What POST /api/v1/training/assignments takes: the card's one-click assign. */
export const assignTrainingInputSchema = z.strictObject({
  /** The contact whose owner is the rep (the card's context); the rep is never named directly. */
  contactId: z.string().regex(/^[1-9]\d{0,19}$/, 'contactId must be a HubSpot record id'),
  moduleId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'moduleId must be a module id'),
  /** Defaults to 14 days from today, in the portal's time zone. */
  dueDate: localDate.optional(),
});
export type AssignTrainingInput = z.infer<typeof assignTrainingInputSchema>;
