/**
 * The weekly training-rules job (issue 4 item 9): once per (portal, week), evaluate the portal's
 * training rules over the last complete weeks of each team, add the release rules, hold back what
 * the monthly cap forbids, and assign the rest (each assignment and its HubSpot task exactly once).
 *
 * - Exactly once per (portal, week): `jobRuns.claim(portalId, 'training-rules', weekStart, now,
 *   leaseMs)`; 'done' and 'running' skip. A failure marks the run failed, so a later run retries; a
 *   retry is safe because assignments are opened once per (rep, module) and their tasks are claimed.
 * - Data: the N complete weeks before the run's week (N = the largest `outOf` of the rules), per
 *   active owner, from the snapshot store; a week never snapshotted is computed first (snapshotWeek
 *   through the activity-metrics function) and stored.
 * - Rules run per team (a rep is compared with their own team's median), in rule order: that order is
 *   the priority the cap respects. A firing's moduleTag maps to the first non-retired catalogue module
 *   with that tag; no module → counted as `unmatched`.
 * - Release rules (when `releaseRules` is on): a non-retired module with `release.stageIds` goes to
 *   the owners of open deals in those stages (one deals search for all release stages).
 * - The cap: applyAssignmentCap over this local month's automatic assignments ('rule', 'release') of
 *   the portal; an (owner, module) already open (from any source) is held as already assigned.
 */
import type { ActivityMetricsInput, MetricsReport, WeeklyPoint } from '@pillars/contracts';
import { DateTime } from 'luxon';
import { applyAssignmentCap } from '../core/training/cap.js';
import { evaluateRule, parseTrainingRules } from '../core/training/rules.js';
import type { TeamSeries } from '../core/coaching/series.js';
import { addDays, weekContaining } from '../core/time/index.js';
import type { FunctionContext, PillarsFunction } from '../functions/context.js';
import type { CoachingSettings } from '../functions/coaching/coaching-settings.js';
import type { AssignTraining } from '../functions/training/assign-training.js';
import { localDatePlus } from '../functions/training/assign-training.js';
import type { JobRunStore, TrainingAssignmentStore } from '../store/coaching-ports.js';
import type { SnapshotStore } from '../store/ports.js';
import type { ScheduledJob } from './scheduler.js';
import { snapshotWeek } from './weekly-snapshots.js';
import type { RuleMetric, TrainingModule } from '@pillars/contracts';

export const TRAINING_RULES_JOB = 'training-rules';
/** Lease of one run; longer than a run's worst case on a large portal. */
export const TRAINING_RULES_LEASE_MS = 30 * 60_000;

export interface TrainingRulesDeps {
  settings: CoachingSettings;
  snapshots: SnapshotStore;
  jobRuns: JobRunStore;
  assignments: Pick<TrainingAssignmentStore, 'listForPortal'>;
  assignTraining: Pick<AssignTraining, 'assign'>;
  activityMetrics: PillarsFunction<ActivityMetricsInput, MetricsReport>;
  leaseMs?: number;
}

/** One assignment the job made or held back. */
export interface TrainingRulesItem {
  ownerId: string;
  moduleId: string;
  source: 'rule' | 'release';
  ruleId: string | null;
  outcome: 'assigned' | 'already-assigned' | 'cap-reached';
  assignmentId: string | null;
}

/** What a run did (also the job run's stored summary). */
export interface TrainingRulesSummary {
  portalId: number;
  /** The local Monday of the run's week. */
  weekStart: string;
  status: 'ran' | 'skipped';
  /** Why it was skipped: another process finished or is running this week. */
  skipped: 'done' | 'running' | null;
  /** The complete weeks evaluated, oldest first. */
  weeks: string[];
  /** Weeks that had no snapshot and were computed. */
  weeksComputed: number;
  /** Rule firings plus release candidates. */
  fired: number;
  /** Firings whose tag no non-retired module carries. */
  unmatched: number;
  assigned: number;
  tasksCreated: number;
  held: { capReached: number; alreadyAssigned: number };
  items: TrainingRulesItem[];
  ms: number;
}

interface Candidate {
  ownerId: string;
  /** The module id, under the cap's key name. */
  moduleTag: string;
  source: 'rule' | 'release';
  ruleId: string | null;
  metric: RuleMetric | null;
  reason: string;
}

/** The N local Mondays before the week starting `weekStart`, oldest first. */
export function completeWeeksBefore(weekStart: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => addDays(weekStart, -7 * (n - i)));
}

/** Team id → series of its members (only owners with at least one stored week). */
export function teamSeriesOf(
  members: ReadonlyMap<string, readonly string[]>,
  points: ReadonlyMap<string, WeeklyPoint[]>,
): Map<string, TeamSeries> {
  const out = new Map<string, TeamSeries>();
  for (const [teamId, ownerIds] of members) {
    const series = new Map<string, readonly WeeklyPoint[]>();
    for (const id of ownerIds) {
      const p = points.get(id);
      if (p && p.length > 0) series.set(id, p);
    }
    out.set(teamId, series);
  }
  return out;
}

function emptySummary(portalId: number, weekStart: string): TrainingRulesSummary {
  return {
    portalId,
    weekStart,
    status: 'skipped',
    skipped: null,
    weeks: [],
    weeksComputed: 0,
    fired: 0,
    unmatched: 0,
    assigned: 0,
    tasksCreated: 0,
    held: { capReached: 0, alreadyAssigned: 0 },
    items: [],
    ms: 0,
  };
}

/**
 * The work of one run for the week starting `weekStart` (a local Monday), without the lease: for a
 * caller that holds it (the scheduler). Idempotent: a rerun assigns nothing twice.
 */
export async function evaluateTrainingRules(
  ctx: FunctionContext,
  deps: TrainingRulesDeps,
  weekStart: string,
): Promise<TrainingRulesSummary> {
  const started = Date.now();
  const { timeZone } = await ctx.hubspot.getPortalDetails();
  const summary = emptySummary(ctx.portalId, weekStart);
  await evaluateAndAssign(ctx, deps, timeZone, summary);
  summary.status = 'ran';
  summary.ms = Date.now() - started;
  ctx.logger.info(
    {
      portalId: ctx.portalId,
      weekStart,
      fired: summary.fired,
      assigned: summary.assigned,
      held: summary.held,
      ms: summary.ms,
    },
    'training rules run finished',
  );
  return summary;
}

/**
 * Run the job for the week containing `options.week` (default: today in the portal's zone), exactly
 * once per (portal, week): it takes the lease itself (the CLI, tests); 'done' or 'running' skip.
 */
export async function runTrainingRules(
  ctx: FunctionContext,
  deps: TrainingRulesDeps,
  options: { week?: string } = {},
): Promise<TrainingRulesSummary> {
  const started = Date.now();
  const { portalId } = ctx;
  const { timeZone } = await ctx.hubspot.getPortalDetails();
  const weekStart = weekContaining(options.week ?? localDatePlus(ctx.now(), timeZone, 0), timeZone).from;
  const claim = await deps.jobRuns.claim(
    portalId,
    TRAINING_RULES_JOB,
    weekStart,
    ctx.now(),
    deps.leaseMs ?? TRAINING_RULES_LEASE_MS,
  );
  if (claim !== 'claimed') {
    ctx.logger.info({ portalId, weekStart, claim }, 'training rules already handled for this week; skipped');
    return { ...emptySummary(portalId, weekStart), skipped: claim, ms: Date.now() - started };
  }
  try {
    const summary = await evaluateTrainingRules(ctx, deps, weekStart);
    await deps.jobRuns.finish(portalId, TRAINING_RULES_JOB, weekStart, ctx.now(), summary);
    return summary;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await deps.jobRuns
      .fail(portalId, TRAINING_RULES_JOB, weekStart, ctx.now(), reason.slice(0, 500))
      .catch(() => undefined);
    throw error;
  }
}

/**
 * The scheduler's entry (src/jobs/scheduler.ts, which holds the lease): period = the local Monday of
 * the week in progress, so the rules run once a week over the complete weeks before it (list it after
 * the weekly snapshots, which write the week that just ended).
 */
export function trainingRulesJob(deps: TrainingRulesDeps): ScheduledJob {
  return {
    name: TRAINING_RULES_JOB,
    leaseMs: deps.leaseMs ?? TRAINING_RULES_LEASE_MS,
    periodAt: (now, timeZone) => weekContaining(localDatePlus(now, timeZone, 0), timeZone).from,
    run: (ctx, period) => evaluateTrainingRules(ctx, deps, period),
  };
}

async function evaluateAndAssign(
  ctx: FunctionContext,
  deps: TrainingRulesDeps,
  tz: string,
  summary: TrainingRulesSummary,
): Promise<void> {
  const { portalId } = ctx;
  const [rules, catalogue, owners] = await Promise.all([
    deps.settings.rules(portalId),
    deps.settings.catalogue(portalId),
    ctx.hubspot.listOwners({ archived: false }),
  ]);
  const live = catalogue.modules.filter((m) => m.retired !== true);
  const moduleForTag = (tag: string): TrainingModule | undefined =>
    live.find((m) => m.skillTags.includes(tag));
  const candidates: Candidate[] = [];

  // Rule firings, per team, rule by rule (rule order is priority).
  if (rules.rules.length > 0) {
    const n = Math.max(1, ...rules.rules.map((r) => r.outOf));
    const weeks = completeWeeksBefore(summary.weekStart, n);
    summary.weeks = weeks;
    for (const week of weeks) {
      if ((await deps.snapshots.lastRun(portalId, week)) === null) {
        await snapshotWeek(week, ctx, { activityMetrics: deps.activityMetrics, snapshots: deps.snapshots });
        summary.weeksComputed += 1;
      }
    }
    const activeIds = new Set(owners.map((o) => o.id));
    const rows = await deps.snapshots.listWeeks(portalId, {
      fromWeek: weeks[0] ?? summary.weekStart,
      toWeek: weeks.at(-1) ?? summary.weekStart,
    });
    const points = new Map<string, WeeklyPoint[]>();
    for (const r of rows) {
      if (!activeIds.has(r.ownerId)) continue;
      const list = points.get(r.ownerId) ?? [];
      list.push({ weekStart: r.weekStart, metrics: r.metrics });
      points.set(r.ownerId, list);
    }
    for (const list of points.values()) list.sort((a, b) => a.weekStart.localeCompare(b.weekStart));
    const members = new Map<string, string[]>();
    for (const o of owners) {
      for (const t of o.teams) members.set(t.id, [...(members.get(t.id) ?? []), o.id]);
    }
    const teams = teamSeriesOf(members, points);
    const seen = new Set<string>();
    for (const rule of parseTrainingRules(rules.rules)) {
      for (const team of teams.values()) {
        for (const firing of evaluateRule(rule, team)) {
          const module = moduleForTag(firing.moduleTag);
          const key = `${firing.ownerId}\u0000${firing.ruleId ?? firing.moduleTag}`;
          if (seen.has(key)) continue; // a rep in two teams fires once per rule
          seen.add(key);
          summary.fired += 1;
          if (!module) {
            summary.unmatched += 1;
            continue;
          }
          candidates.push({
            ownerId: firing.ownerId,
            moduleTag: module.id,
            source: 'rule',
            ruleId: firing.ruleId,
            metric: firing.metric,
            reason: `Assigned automatically by the rule ${firing.ruleId ?? firing.moduleTag}: ${firing.reason}`,
          });
        }
      }
    }
  }

  // Release rules: one deals search over every release stage.
  const releases = rules.releaseRules ? live.filter((m) => m.release !== undefined) : [];
  if (releases.length > 0) {
    const stageIds = [...new Set(releases.flatMap((m) => m.release?.stageIds ?? []))];
    const dealOwners = new Map<string, Set<string>>();
    await ctx.hubspot.searchAll(
      'deals',
      {
        filterGroups: [{ filters: [{ propertyName: 'dealstage', operator: 'IN', values: stageIds }] }],
        properties: ['dealstage', 'hubspot_owner_id'],
      },
      (page) => {
        for (const d of page) {
          const stage = d.properties.dealstage;
          const owner = d.properties.hubspot_owner_id;
          if (!stage || !owner) continue;
          const set = dealOwners.get(stage) ?? new Set<string>();
          set.add(owner);
          dealOwners.set(stage, set);
        }
      },
    );
    const activeIds = new Set(owners.map((o) => o.id));
    for (const m of releases) {
      const reps = new Set<string>();
      for (const s of m.release?.stageIds ?? []) for (const o of dealOwners.get(s) ?? []) reps.add(o);
      for (const ownerId of [...reps].sort()) {
        if (!activeIds.has(ownerId)) continue;
        summary.fired += 1;
        candidates.push({
          ownerId,
          moduleTag: m.id,
          source: 'release',
          ruleId: null,
          metric: null,
          reason: `Assigned automatically for the ${m.release?.name ?? m.title} release: you have open deals in its stages.`,
        });
      }
    }
  }

  // Already open (any source, any month) → held; then the monthly cap over automatic assignments.
  const monthStart = DateTime.fromMillis(ctx.now().getTime(), { zone: tz }).startOf('month').toJSDate();
  const [open, thisMonth] = await Promise.all([
    deps.assignments.listForPortal(portalId, { status: 'open' }),
    deps.assignments.listForPortal(portalId, { since: monthStart }),
  ]);
  const openKeys = new Set(open.map((a) => `${a.repOwnerId}\u0000${a.moduleId}`));
  const fresh: Candidate[] = [];
  for (const c of candidates) {
    if (openKeys.has(`${c.ownerId}\u0000${c.moduleTag}`)) {
      summary.held.alreadyAssigned += 1;
      summary.items.push(item(c, 'already-assigned', null));
    } else fresh.push(c);
  }
  const existing = thisMonth
    .filter((a) => a.source === 'rule' || a.source === 'release')
    .map((a) => ({ ownerId: a.repOwnerId, moduleTag: a.moduleId }));
  const capped = applyAssignmentCap(fresh, existing, rules.monthlyCap);
  for (const h of capped.held) {
    if (h.why === 'cap-reached') summary.held.capReached += 1;
    else summary.held.alreadyAssigned += 1;
    summary.items.push(item(h.candidate, h.why, null));
  }
  for (const c of capped.assign) {
    const outcome = await deps.assignTraining.assign(
      {
        repOwnerId: c.ownerId,
        moduleId: c.moduleTag,
        source: c.source,
        ruleId: c.ruleId,
        reason: c.reason,
        metric: c.metric,
      },
      ctx,
    );
    if (outcome.taskCreated) summary.tasksCreated += 1;
    if (outcome.created) {
      summary.assigned += 1;
      summary.items.push(item(c, 'assigned', outcome.assignment.id));
    } else {
      summary.held.alreadyAssigned += 1;
      summary.items.push(item(c, 'already-assigned', outcome.assignment.id));
    }
  }
}

function item(
  c: Candidate,
  outcome: TrainingRulesItem['outcome'],
  assignmentId: string | null,
): TrainingRulesItem {
  return {
    ownerId: c.ownerId,
    moduleId: c.moduleTag,
    source: c.source,
    ruleId: c.ruleId,
    outcome,
    assignmentId,
  };
}
