/**
 * The coaching and training settings and records (issue 4): who coaches which team, activity targets,
 * the training catalogue and its rules, coaching notes and training assignments as the API and the
 * cards see them. Settings are stored per portal (one JSON document per key, see SETTINGS_KEYS) and
 * validated with these schemas on save and on read.
 */
import { z } from 'zod';
import { activityTargetSchema, RULE_METRICS, trainingRuleSchema } from './coaching.js';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const hubspotId = z.string().regex(/^[1-9]\d{0,19}$/, 'expected a HubSpot id');
const tag = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'tags are lower-case words joined by dashes');

/** Settings keys of the coaching and training pillars (the store's SettingsStore keys). */
export const SETTINGS_KEYS = {
  coaches: 'coaching:coaches',
  targets: 'coaching:targets',
  catalogue: 'training:catalogue',
  rules: 'training:rules',
} as const;

/** Bounds, exported so the settings page can show them. */
export const TRAINING_LIMITS = {
  modules: 500,
  tagsPerModule: 10,
  coachesPerTeam: 50,
  teams: 500,
  noteChars: 2000,
  reasonChars: 500,
  /** Default cap on automatic assignments per rep per calendar month. */
  monthlyAutoCap: 2,
} as const;

/** Coaches per team, set by ops: team id → HubSpot user ids. A team absent here is coached by super admins. */
export const coachesSettingSchema = z.strictObject({
  teams: z.record(hubspotId, z.array(hubspotId).max(TRAINING_LIMITS.coachesPerTeam)),
});
export type CoachesSetting = z.infer<typeof coachesSettingSchema>;

/** Activity targets per team (per week); `default` applies to teams without their own. */
export const targetsSettingSchema = z.strictObject({
  default: z.array(activityTargetSchema).max(20),
  teams: z.record(hubspotId, z.array(activityTargetSchema).max(20)),
});
export type TargetsSetting = z.infer<typeof targetsSettingSchema>;

/** Formats a training module comes in. */
export const MODULE_FORMATS = ['video', 'article', 'course', 'roleplay', 'workshop', 'quiz'] as const;

/** One training module of the catalogue. */
export const trainingModuleSchema = z.strictObject({
  /** Stable id (assignments refer to it). */
  id: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be an id of 1 to 64 letters, digits or ._:-'),
  title: z.string().trim().min(1).max(200),
  /** Where the rep takes it: an https link. */
  url: z.url({ protocol: /^https$/, error: 'must be an https link' }).max(2000),
  skillTags: z.array(tag).min(1).max(TRAINING_LIMITS.tagsPerModule),
  format: z.enum(MODULE_FORMATS),
  minutes: z.number().int().min(1).max(10_000),
  /** Bumped when the content changes (a refreshed script); assignments record the version taken. */
  version: z.string().trim().min(1).max(40),
  /** The product release it covers, if any: reps with open deals in these stages get it (release rule). */
  release: z
    .strictObject({
      name: z.string().trim().min(1).max(120),
      /** Deal stage ids (any pipeline) whose open deals call for this module. */
      stageIds: z.array(z.string().min(1).max(100)).min(1).max(50),
    })
    .optional(),
  /** Retired modules stay for history but are never assigned again. */
  retired: z.boolean().optional(),
});
export type TrainingModule = z.infer<typeof trainingModuleSchema>;

/** The training catalogue of a portal. Module ids are unique. */
export const catalogueSettingSchema = z
  .strictObject({ modules: z.array(trainingModuleSchema).max(TRAINING_LIMITS.modules) })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.modules.forEach((m, i) => {
      if (seen.has(m.id))
        ctx.addIssue({
          code: 'custom',
          path: ['modules', i, 'id'],
          message: `duplicate module id "${m.id}"`,
        });
      seen.add(m.id);
    });
  });
export type CatalogueSetting = z.infer<typeof catalogueSettingSchema>;

/** The automatic training rules of a portal and the monthly cap per rep. */
export const rulesSettingSchema = z.strictObject({
  rules: z.array(trainingRuleSchema).max(200),
  /** Release rules on: modules with a `release` go to reps with open deals in its stages. */
  releaseRules: z.boolean(),
  monthlyCap: z.number().int().min(0).max(20),
});
export type RulesSetting = z.infer<typeof rulesSettingSchema>;

/** Kinds of coaching note. */
export const NOTE_KINDS = ['note', 'praise', 'commitment'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];

/** A coaching note as the card shows it. */
export const coachingNoteSchema = z.strictObject({
  id: z.string(),
  repOwnerId: z.string(),
  kind: z.enum(NOTE_KINDS),
  body: z.string(),
  /** Commitments only: the local due date and whether it was kept. */
  dueDate: localDate.nullable(),
  done: z.boolean().nullable(),
  authorUserId: z.number().int(),
  /** The author's name as HubSpot knows it (owner name or email), null when unknown. */
  authorName: z.string().nullable(),
  /** The contact on whose record the note was written; null when written elsewhere. */
  contactId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the caller may edit or delete it (the author only). */
  editable: z.boolean(),
});
export type CoachingNoteView = z.infer<typeof coachingNoteSchema>;

/** What a caller sends to write a note (the rep comes from the contact's owner, the author from the signature). */
export const noteInputSchema = z
  .strictObject({
    contactId: hubspotId,
    kind: z.enum(NOTE_KINDS),
    body: z
      .string()
      .trim()
      .min(1, 'write something first')
      .max(TRAINING_LIMITS.noteChars, `at most ${TRAINING_LIMITS.noteChars} characters`),
    dueDate: localDate.optional(),
  })
  .superRefine((n, ctx) => {
    if (n.kind === 'commitment' && n.dueDate === undefined)
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'a commitment needs a due date' });
    if (n.kind !== 'commitment' && n.dueDate !== undefined)
      ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'only commitments have a due date' });
  });
export type NoteInput = z.infer<typeof noteInputSchema>;

/** Status of a training assignment. */
export const ASSIGNMENT_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/** A training assignment as the card and the digest show it. */
export const trainingAssignmentSchema = z.strictObject({
  id: z.string(),
  repOwnerId: z.string(),
  moduleId: z.string(),
  moduleTitle: z.string(),
  moduleUrl: z.string(),
  moduleVersion: z.string(),
  source: z.enum(['coach', 'rule', 'release']),
  /** Plain words: why it was assigned. */
  reason: z.string(),
  /** The metric it should move (effectiveness), null when the module maps to none. */
  metric: z.enum(RULE_METRICS).nullable(),
  dueDate: localDate,
  status: z.enum(ASSIGNMENT_STATUSES),
  overdue: z.boolean(),
  /** The HubSpot task, once created. */
  taskId: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type TrainingAssignmentView = z.infer<typeof trainingAssignmentSchema>;
