/**
 * GET /api/v1/deal-guidance?dealId=123: the deal card's guidance. The deal id comes in the signed
 * query; the function does the work (and its caching).
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { DealGuidance } from '@pillars/contracts';
import type { DealGuidanceInput } from '../../functions/deal-guidance/deal-guidance.js';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../../functions/context.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { parseRouteQuery } from '../route-query.js';

export interface DealGuidanceRouteDeps {
  dealGuidance: PillarsFunction<DealGuidanceInput, DealGuidance>;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

/** Only `dealId`, a HubSpot record id: digits, no sign, no leading zero. */
const dealGuidanceQuerySchema = z.strictObject({
  dealId: z
    .string({ error: 'is required' })
    .regex(/^[1-9]\d{0,19}$/, { error: 'must be a HubSpot deal id (digits only)' }),
});

/** The function input from a request target's query; 400 naming the field when it is not valid. */
export function parseDealGuidanceQuery(requestTarget: string): DealGuidanceInput {
  return parseRouteQuery(requestTarget, dealGuidanceQuerySchema);
}

/** Handler: signed identity → function context → dealGuidance → 200 JSON guidance. */
export function dealGuidanceHandler(deps: DealGuidanceRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const input = parseDealGuidanceQuery(req.originalUrl);
    const ctx = await deps.contextFor(identity, res.locals.log);
    const guidance = await deps.dealGuidance(input, ctx);
    res.status(200).json(guidance);
  };
}
