/**
 * The process contract (issue 3): the playbook ops writes per pipeline stage, the stage timing
 * learned from the team's won deals, and the guidance the deal card renders.
 *
 * Every schema is strict and bounded: a playbook is user input stored per portal, and guidance
 * crosses hubspot.fetch() (1 MB), so nothing here may grow without limit.
 */
import { z } from 'zod';

/** Engagement types an activity criterion may count (same list as the core's ENGAGEMENT_TYPES). */
export const ACTIVITY_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Bounds of a playbook, exported so the settings page can show them. */
export const PLAYBOOK_LIMITS = {
  stages: 50,
  criteriaPerStage: 20,
  conditionsPerCriterion: 10,
  valuesPerCondition: 50,
  resourcesPerStage: 20,
  trainingModulesPerStage: 20,
  maxDays: 365,
  maxCount: 100,
} as const;

/** A whole number in [min, max], with one message whatever the failure (type, fraction, range). */
function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .number({ error: message })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

function text(max: number, min = 1) {
  const message = min > 0 ? `must be ${min} to ${max} characters` : `must be at most ${max} characters`;
  return z.string({ error: message }).trim().min(min, { error: message }).max(max, { error: message });
}

/** Stable identifiers (criteria, training modules): letters, digits and `._:-`. */
const identifier = z
  .string({ error: 'must be an id of 1 to 64 letters, digits or ._:-' })
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'must be an id of 1 to 64 letters, digits or ._:-' });

/** HubSpot internal property names: letters, digits and underscores. */
const propertyName = z
  .string({ error: 'must be a HubSpot property name' })
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, { error: 'must be a HubSpot property name' });

const comparable = z.number({ error: 'must be a finite number' });

/**
 * A condition on one property of a record. Numbers compare numerically; `eq`/`neq`/`in`/`notIn`
 * compare HubSpot's internal values exactly (multiple-checkbox values, `;`-separated, match when any
 * part does); `contains` is a case-insensitive substring; `inFuture`/`inPast` read a date.
 */
export const propertyConditionSchema = z.discriminatedUnion(
  'op',
  [
    z.strictObject({ property: propertyName, op: z.enum(['gt', 'gte', 'lt', 'lte']), value: comparable }),
    z.strictObject({ property: propertyName, op: z.enum(['eq', 'neq', 'contains']), value: text(200) }),
    z.strictObject({
      property: propertyName,
      op: z.enum(['in', 'notIn']),
      values: z
        .array(text(200))
        .min(1, { error: 'must list 1 to 50 values' })
        .max(PLAYBOOK_LIMITS.valuesPerCondition, { error: 'must list 1 to 50 values' }),
    }),
    z.strictObject({ property: propertyName, op: z.enum(['set', 'notSet', 'inFuture', 'inPast']) }),
  ],
  {
    error:
      'must have op one of gt, gte, lt, lte, eq, neq, contains, in, notIn, set, notSet, inFuture, inPast',
  },
);
export type PropertyCondition = z.infer<typeof propertyConditionSchema>;

const conditions = z
  .array(propertyConditionSchema)
  .max(PLAYBOOK_LIMITS.conditionsPerCriterion, { error: 'must have at most 10 conditions' });

const criterionBase = {
  id: identifier,
  label: text(120),
  /** Required criteria gate the next step; recommended ones only show. */
  level: z.enum(['required', 'recommended'], { error: 'must be required or recommended' }),
  /** What the rep should do when the criterion is unmet. */
  hint: text(300),
};

/** A condition on a deal property, e.g. amount > 0 or closedate inFuture. */
export const propertyCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('property'),
  condition: propertyConditionSchema,
});

/**
 * At least `minCount` engagements of `type` associated with the deal, dated in the last `days` days
 * and matching every condition of `where`; optionally touching `minDistinctContacts` contacts.
 */
export const activityCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('activity'),
  type: z.enum(ACTIVITY_TYPES, { error: 'must be one of calls, emails, meetings, notes, tasks' }),
  minCount: wholeNumber(1, PLAYBOOK_LIMITS.maxCount),
  days: wholeNumber(1, PLAYBOOK_LIMITS.maxDays),
  where: conditions.optional(),
  minDistinctContacts: wholeNumber(1, 20).optional(),
});

/** At least `minCount` contacts associated with the deal, each matching every condition of `where`. */
export const associationCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('association'),
  minCount: wholeNumber(1, 50),
  where: conditions.optional(),
});

/** At most `days` days in the stage. */
export const timeCriterionSchema = z.strictObject({
  ...criterionBase,
  kind: z.literal('time'),
  days: wholeNumber(1, PLAYBOOK_LIMITS.maxDays),
});

export const criterionSchema = z.discriminatedUnion(
  'kind',
  [propertyCriterionSchema, activityCriterionSchema, associationCriterionSchema, timeCriterionSchema],
  { error: 'must have kind property, activity, association or time' },
);
export type Criterion = z.infer<typeof criterionSchema>;
export type CriterionKind = Criterion['kind'];

/** A link for the rep; https only, so a card never opens plain-http or script URLs. */
export const resourceSchema = z.strictObject({
  title: text(120),
  url: z
    .string({ error: 'must be an https URL' })
    .max(2000, { error: 'must be an https URL of at most 2000 characters' })
    .refine(isHttpsUrl, { error: 'must be an https URL' }),
});
export type Resource = z.infer<typeof resourceSchema>;

function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** The team's playbook for one stage. */
export const stagePlaybookSchema = z.strictObject({
  goal: text(200),
  guidance: text(1000, 0),
  criteria: z
    .array(criterionSchema)
    .max(PLAYBOOK_LIMITS.criteriaPerStage, { error: 'must have at most 20 criteria' }),
  resources: z
    .array(resourceSchema)
    .max(PLAYBOOK_LIMITS.resourcesPerStage, { error: 'must have at most 20 resources' }),
  trainingModuleIds: z
    .array(identifier)
    .max(PLAYBOOK_LIMITS.trainingModulesPerStage, { error: 'must have at most 20 modules' }),
  /** Overrides the expected days in stage when history is too thin (see computeStageTiming). */
  slaDays: wholeNumber(1, PLAYBOOK_LIMITS.maxDays).optional(),
});
export type StagePlaybook = z.infer<typeof stagePlaybookSchema>;

/** The playbook of one pipeline, keyed by stage id. Criterion ids are unique within it (waivers name them). */
export const playbookSchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1' }),
    pipelineId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a pipeline id' }),
    stages: z
      .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be a stage id' }), stagePlaybookSchema)
      .refine((stages) => Object.keys(stages).length <= PLAYBOOK_LIMITS.stages, {
        error: 'must have at most 50 stages',
      }),
  })
  .superRefine((playbook, ctx) => {
    const seen = new Set<string>();
    for (const [stageId, stage] of Object.entries(playbook.stages)) {
      stage.criteria.forEach((c, i) => {
        if (seen.has(c.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['stages', stageId, 'criteria', i, 'id'],
            message: `must be unique in the playbook ("${c.id}" is used twice)`,
          });
        }
        seen.add(c.id);
      });
    }
  });
export type Playbook = z.infer<typeof playbookSchema>;

/** A rep's or manager's decision that a criterion does not apply to a deal. */
export const waiverSchema = z.strictObject({
  criterionId: identifier,
  reason: text(500),
  userId: z.string().min(1).max(64),
  at: z.iso.datetime({ offset: true }),
});
export type Waiver = z.infer<typeof waiverSchema>;

/** Where the expected days of a stage come from. */
export const TIMING_SOURCES = ['history', 'playbook', 'default'] as const;
export type TimingSource = (typeof TIMING_SOURCES)[number];

/** Days won deals spent in one stage: percentiles, from history or a fallback. */
export const stageTimingEntrySchema = z.strictObject({
  stageId: z.string(),
  /** Won deals with both dates for this stage (also reported when a fallback is used). */
  sampleSize: z.number().int().nonnegative(),
  p50: z.number().nonnegative(),
  p75: z.number().nonnegative(),
  p90: z.number().nonnegative(),
  source: z.enum(TIMING_SOURCES),
});
export type StageTimingEntry = z.infer<typeof stageTimingEntrySchema>;

/** Stage timing of one pipeline, per open stage. */
export const stageTimingSchema = z.strictObject({
  pipelineId: z.string(),
  computedAt: z.string(),
  /** Won deals closed within this many days before computedAt were read. */
  windowDays: z.number().int().positive(),
  stages: z.record(z.string(), stageTimingEntrySchema),
});
export type StageTiming = z.infer<typeof stageTimingSchema>;

export const STAGE_AGES = ['ok', 'slow', 'stalled'] as const;
export type StageAge = (typeof STAGE_AGES)[number];

/** Proof behind a criterion's status: what the card shows under it. */
export const evidenceSchema = z.strictObject({
  /** One sentence, e.g. "2 completed meetings, last on 2026-11-20 with Ana Ruiz". */
  summary: z.string(),
  engagements: z.array(
    z.strictObject({
      id: z.string(),
      type: z.enum(ACTIVITY_TYPES),
      at: z.string().nullable(),
      contactIds: z.array(z.string()),
    }),
  ),
  contacts: z.array(z.strictObject({ id: z.string(), name: z.string().nullable() })),
  property: z.strictObject({ name: z.string(), value: z.string().nullable() }).nullable(),
  /** Matches found and needed, for count-based criteria. */
  found: z.number().int().nonnegative().nullable(),
  needed: z.number().int().nonnegative().nullable(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const CRITERION_STATUSES = ['met', 'unmet', 'waived'] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];

export const criterionResultSchema = z.strictObject({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['property', 'activity', 'association', 'time']),
  level: z.enum(['required', 'recommended']),
  status: z.enum(CRITERION_STATUSES),
  hint: z.string(),
  evidence: evidenceSchema,
  waiver: z.strictObject({ reason: z.string(), userId: z.string(), at: z.string() }).nullable(),
});
export type CriterionResult = z.infer<typeof criterionResultSchema>;

export const RISK_CODES = [
  'noNextActivity',
  'singleThreaded',
  'closeDatePast',
  'slowInStage',
  'stalledInStage',
] as const;
export type RiskCode = (typeof RISK_CODES)[number];

export const riskSchema = z.strictObject({
  code: z.enum(RISK_CODES),
  severity: z.enum(['warning', 'critical']),
  message: z.string(),
});
export type Risk = z.infer<typeof riskSchema>;

export const nextStepSchema = z.strictObject({
  /** criterion: do the hint; advance: all required criteria met; closed: nothing to advance. */
  kind: z.enum(['criterion', 'advance', 'closed']),
  text: z.string(),
  criterionId: z.string().nullable(),
  nextStageId: z.string().nullable(),
});
export type NextStep = z.infer<typeof nextStepSchema>;

/** What the deal card renders: the deal's place in the team's process and what to do next. */
export const dealGuidanceSchema = z.strictObject({
  dealId: z.string(),
  pipeline: z.strictObject({
    id: z.string(),
    label: z.string(),
    /** The pipeline's stages in display order, for the card's stepper. */
    stages: z.array(z.strictObject({ id: z.string(), label: z.string() })),
  }),
  stage: z.strictObject({
    id: z.string(),
    label: z.string(),
    /** 0-based position among the pipeline's stages, in display order; -1 when the stage is unknown. */
    index: z.number().int(),
    count: z.number().int().nonnegative(),
    probability: z.number().min(0).max(1).nullable(),
    outcome: z.enum(['open', 'won', 'lost']),
    enteredAt: z.string().nullable(),
    /** Whole and fractional days since enteredAt, one decimal. */
    daysInStage: z.number().nullable(),
    age: z.enum(STAGE_AGES).nullable(),
    timing: stageTimingEntrySchema.nullable(),
  }),
  goal: z.string().nullable(),
  guidance: z.string(),
  resources: z.array(resourceSchema),
  trainingModuleIds: z.array(z.string()),
  criteria: z.array(criterionResultSchema),
  nextStep: nextStepSchema,
  risks: z.array(riskSchema),
  evaluatedAt: z.string(),
});
export type DealGuidance = z.infer<typeof dealGuidanceSchema>;

/**
 * A win rate with its sample size: deals won / deals closed. `rate` is null when `n` is 0 (a rate is
 * never shown without its n).
 */
export const winRateSchema = z.strictObject({
  n: z.number().int().min(0),
  won: z.number().int().min(0),
  rate: z.number().min(0).max(1).nullable(),
});
export type WinRate = z.infer<typeof winRateSchema>;

/** How often one criterion of a pipeline's playbook was skipped, and how deals fared with and without skipping it. */
export const processReportCriterionSchema = z.strictObject({
  criterionId: z.string(),
  /** From the pipeline's playbook (stored or default); the id when the playbook no longer has it. */
  label: z.string(),
  stageId: z.string().nullable(),
  /** Deals holding a waiver of this criterion. */
  waived: z.number().int().min(0),
  /** Up to 3 waiver reasons, most recent first. */
  reasonsSample: z.array(z.string()).max(3),
  /** Deals that left the stage with it unmet and unwaived (stage exceptions). */
  leftUnmet: z.number().int().min(0),
  /** waived + leftUnmet: the sort key. */
  skipped: z.number().int().min(0),
  /** Deals closed in the period with a waiver or an exception for this criterion. */
  winRateWithSkip: winRateSchema,
  /** Deals closed in the period in this pipeline without one. */
  winRateWithoutSkip: winRateSchema,
});
export type ProcessReportCriterion = z.infer<typeof processReportCriterionSchema>;

export const processReportPipelineSchema = z.strictObject({
  pipelineId: z.string(),
  label: z.string(),
  playbookSource: z.enum(['stored', 'default']),
  /** Deals of this pipeline closed in the period. */
  closedDeals: z.number().int().min(0),
  /** Most skipped first. */
  criteria: z.array(processReportCriterionSchema),
});
export type ProcessReportPipeline = z.infer<typeof processReportPipelineSchema>;

/** GET /api/v1/process-report and `pillars process-report --json`. */
export const processReportSchema = z.strictObject({
  portalId: z.number().int(),
  timeZone: z.string(),
  period: z.strictObject({
    from: z.string(),
    to: z.string(),
    startUtc: z.string(),
    endUtc: z.string(),
  }),
  pipelines: z.array(processReportPipelineSchema),
  generatedAt: z.string(),
});
export type ProcessReport = z.infer<typeof processReportSchema>;
