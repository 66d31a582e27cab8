/**
 * The activity-metrics function: a period (or a week) and optionally owners or a team in, the
 * METRICS.md §4 report out. Host-agnostic: the CLI, the backend route and the jobs call it alike.
 */
import {
  activityMetricsInputSchema,
  type ActivityMetricsInput,
  type MetricsReport,
} from '@pillars/contracts';
import { invalidInput } from '../../core/errors.js';
import {
  buildMetricsReport,
  connectedOutcomeIds,
  createMetricsAccumulator,
  METRIC_OBJECT_TYPES,
  REQUIRED_PROPERTIES,
} from '../../core/metrics/index.js';
import { resolvePeriod, weekContaining, type ResolvedPeriod } from '../../core/time/period.js';
import type { Owner } from '../../core/crm.js';
import type { FunctionContext, PillarsFunction } from '../context.js';
import { metricQuery } from './queries.js';

/** Extra connected outcome ids from the portal's settings (METRICS.md §2); none by default. */
export type ConnectedOutcomeSettings = (portalId: number) => Promise<string[]>;

function parseInput(raw: unknown): ActivityMetricsInput {
  const parsed = activityMetricsInputSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw invalidInput(`${field}${issue?.message ?? 'invalid input'}`);
}

function checkFilter(input: ActivityMetricsInput, owners: Owner[]): void {
  if (input.ownerIds) {
    const known = new Set(owners.map((o) => o.id));
    const unknown = input.ownerIds.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw invalidInput(`unknown owner id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  }
  if (input.teamId !== undefined) {
    const teamId = input.teamId;
    if (!owners.some((o) => o.teams.some((t) => t.id === teamId)))
      throw invalidInput(`unknown team id: ${teamId}`);
  }
}

/** Build the activity-metrics function; `extraConnectedOutcomes` reads portal settings when given. */
export function createActivityMetrics(
  extraConnectedOutcomes?: ConnectedOutcomeSettings,
): PillarsFunction<ActivityMetricsInput, MetricsReport> {
  return async (rawInput: ActivityMetricsInput, ctx: FunctionContext): Promise<MetricsReport> => {
    const input = parseInput(rawInput);
    const { hubspot } = ctx;
    const [details, active, archived, dispositions, extra] = await Promise.all([
      hubspot.getPortalDetails(),
      hubspot.listOwners({ archived: false }),
      hubspot.listOwners({ archived: true }),
      hubspot.listCallDispositions(),
      extraConnectedOutcomes ? extraConnectedOutcomes(ctx.portalId) : Promise.resolve([]),
    ]);
    const owners = [...active, ...archived];
    const period: ResolvedPeriod = input.week
      ? weekContaining(input.week, details.timeZone)
      : resolvePeriod(input.from ?? '', input.to ?? '', details.timeZone);
    checkFilter(input, owners);

    const accumulator = createMetricsAccumulator({
      buckets: [{ startMs: period.startMs, endMs: period.endMs }],
      connectedOutcomes: connectedOutcomeIds(dispositions, extra),
    });
    let records = 0;
    // The six searches run side by side; the gateway's per-portal limiter paces them.
    await Promise.all(
      METRIC_OBJECT_TYPES.map((type) =>
        hubspot.searchAll(
          type,
          metricQuery(type, period.startMs, period.endMs, REQUIRED_PROPERTIES[type]),
          (page) => {
            accumulator.add(type, page);
            records += page.length;
            ctx.progress?.({ phase: `reading ${type}`, done: records });
          },
        ),
      ),
    );
    return buildMetricsReport({
      portalId: details.portalId,
      timeZone: details.timeZone,
      period,
      owners,
      accumulatorResult: accumulator.result(),
      filter: { ownerIds: input.ownerIds, teamId: input.teamId },
    });
  };
}
