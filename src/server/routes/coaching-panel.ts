/**
 * GET /api/v1/coaching-panel?contactId=123: the contact card's coaching panel. The contact id comes
 * in the signed query; the caller is the signed user; the function decides what they may see (full,
 * summary-only or no-owner) and does the caching.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { CoachingPanel, CoachingPanelInput } from '@pillars/contracts';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../../functions/context.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import type { RouteEntry } from '../route-table.js';
import { parseRouteQuery } from '../route-query.js';

export interface CoachingPanelRouteDeps {
  coachingPanel: PillarsFunction<CoachingPanelInput, CoachingPanel>;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

/** Only `contactId`, a HubSpot record id: digits, no sign, no leading zero. */
const querySchema = z.strictObject({
  contactId: z
    .string({ error: 'is required' })
    .regex(/^[1-9]\d{0,19}$/, { error: 'must be a HubSpot contact id (digits only)' }),
});

/** The function input from a request target's query; 400 naming the field when it is not valid. */
export function parseCoachingPanelQuery(requestTarget: string): CoachingPanelInput {
  return parseRouteQuery(requestTarget, querySchema);
}

/** Handler: signed identity → function context → coachingPanel → 200 JSON panel. */
export function coachingPanelHandler(deps: CoachingPanelRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const input = parseCoachingPanelQuery(req.originalUrl);
    const ctx = await deps.contextFor(identity, res.locals.log);
    const panel = await deps.coachingPanel(input, ctx);
    res.status(200).json(panel);
  };
}

/** The route-table entry of this file. */
export function coachingPanelRoutes(deps: CoachingPanelRouteDeps): RouteEntry[] {
  return [
    {
      method: 'get',
      path: '/api/v1/coaching-panel',
      auth: 'hubspotSignature',
      handler: coachingPanelHandler(deps),
    },
  ];
}
