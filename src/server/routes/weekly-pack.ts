/**
 * The weekly meeting pack of the app home page:
 *   GET /api/v1/weekly-pack?teamId=123[&week=YYYY-MM-DD]  one team's pack (teams the caller coaches only;
 *                                                          any other team is 404, naming nothing);
 *   GET /api/v1/weekly-pack/teams                          the teams the caller may open a pack for.
 * Both signed; both need a signed user: a request without one is refused here, because the function
 * treats a caller without a user as an operator (the CLI) who sees every team.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { WeeklyPack, WeeklyPackInput } from '@pillars/contracts';
import { AppError } from '../../core/errors.js';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../../functions/context.js';
import { SIGNED_USER_REQUIRED } from '../../functions/coaching/rep-access.js';
import type { WeeklyPackFunction } from '../../functions/weekly-pack/weekly-pack.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import type { RouteEntry } from '../route-table.js';
import { routeParams } from '../route-query.js';
import { invalidInputFromZod } from '../zod-errors.js';

export interface WeeklyPackRouteDeps {
  weeklyPack: Pick<WeeklyPackFunction, 'teams'> & PillarsFunction<WeeklyPackInput, WeeklyPack>;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

const querySchema = z.strictObject({
  teamId: z
    .string({ error: 'is required' })
    .regex(/^[1-9]\d{0,19}$/, { error: 'must be a HubSpot team id (digits only)' }),
  week: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a local date, YYYY-MM-DD' })
    .optional(),
});

/** The function input from a request target's query; 400 naming the field when it is not valid. */
export function parseWeeklyPackQuery(requestTarget: string): WeeklyPackInput {
  const parsed = querySchema.safeParse(routeParams(requestTarget));
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data.week === undefined
    ? { teamId: parsed.data.teamId }
    : { teamId: parsed.data.teamId, week: parsed.data.week };
}

async function personContext(
  deps: WeeklyPackRouteDeps,
  identity: SignedIdentity,
  log: FunctionLogger,
): Promise<FunctionContext> {
  if (identity.userId === null) {
    throw new AppError('FORBIDDEN', 'weekly pack called without a signed userId', {
      publicMessage: SIGNED_USER_REQUIRED,
    });
  }
  const ctx = await deps.contextFor(identity, log);
  if (ctx.userId === undefined) {
    throw new AppError('FORBIDDEN', 'weekly pack context without a userId', {
      publicMessage: SIGNED_USER_REQUIRED,
    });
  }
  return ctx;
}

export function weeklyPackHandler(deps: WeeklyPackRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const input = parseWeeklyPackQuery(req.originalUrl);
    const ctx = await personContext(deps, identity, res.locals.log);
    res.status(200).json(await deps.weeklyPack(input, ctx));
  };
}

export function weeklyPackTeamsHandler(deps: WeeklyPackRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const query = routeParams(req.originalUrl);
    const parsed = z.strictObject({}).safeParse(query);
    if (!parsed.success) throw invalidInputFromZod(parsed.error);
    const ctx = await personContext(deps, identity, res.locals.log);
    res.status(200).json(await deps.weeklyPack.teams(ctx));
  };
}

/** The route-table entries of this file. */
export function weeklyPackRoutes(deps: WeeklyPackRouteDeps): RouteEntry[] {
  return [
    {
      method: 'get',
      path: '/api/v1/weekly-pack',
      auth: 'hubspotSignature',
      handler: weeklyPackHandler(deps),
    },
    {
      method: 'get',
      path: '/api/v1/weekly-pack/teams',
      auth: 'hubspotSignature',
      handler: weeklyPackTeamsHandler(deps),
    },
  ];
}
