/**
 * GET /api/v1/activity-metrics: the card's activity-metrics request. Parameters come in the signed
 * query (`from`, `to`, `week`, `ownerIds` comma-separated, `teamId`); the function does the work.
 */
import type { RequestHandler } from 'express';
import { activityMetricsInputSchema } from '@pillars/contracts';
import type { ActivityMetricsInput, MetricsReport } from '@pillars/contracts';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../../functions/context.js';
import { singleValuedParams } from '../query-params.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { IDENTITY_PARAMS } from '../signed-identity.js';
import { invalidInputFromZod } from '../zod-errors.js';

export interface ActivityMetricsRouteDeps {
  activityMetrics: PillarsFunction<ActivityMetricsInput, MetricsReport>;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

/** The function input from a request target's query; 400 naming the field when it is not valid. */
export function parseActivityMetricsQuery(requestTarget: string): ActivityMetricsInput {
  const entries: Array<[string, string | string[]]> = [];
  for (const [name, value] of singleValuedParams(requestTarget)) {
    if (IDENTITY_PARAMS.has(name)) continue;
    entries.push([name, name === 'ownerIds' ? value.split(',') : value]);
  }
  // fromEntries defines own properties, so a `__proto__` parameter is just an unknown key (→ 400).
  const parsed = activityMetricsInputSchema.safeParse(Object.fromEntries(entries));
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data;
}

/** Handler: signed identity → function context → activityMetrics → 200 JSON report. */
export function activityMetricsHandler(deps: ActivityMetricsRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const input = parseActivityMetricsQuery(req.originalUrl);
    const ctx = await deps.contextFor(identity, res.locals.log);
    const report = await deps.activityMetrics(input, ctx);
    res.status(200).json(report);
  };
}
