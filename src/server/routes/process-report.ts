/**
 * GET /api/v1/process-report?from=YYYY-MM-DD&to=YYYY-MM-DD: the process report (local dates of the
 * portal, `to` exclusive). Signed, super admins only (requireAdmin).
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { ProcessReport } from '@pillars/contracts';
import type { FunctionContext, FunctionLogger, PillarsFunction } from '../../functions/context.js';
import type { ProcessReportInput } from '../../functions/process-report/process-report.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { parseRouteQuery } from '../route-query.js';
import { requireAdmin } from '../require-admin.js';

export interface ProcessReportRouteDeps {
  processReport: PillarsFunction<ProcessReportInput, ProcessReport>;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

const localDate = z
  .string({ error: 'is required' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a local date, YYYY-MM-DD' });
const querySchema = z.strictObject({ from: localDate, to: localDate });

export function parseProcessReportQuery(requestTarget: string): ProcessReportInput {
  return parseRouteQuery(requestTarget, querySchema);
}

export function processReportHandler(deps: ProcessReportRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const input = parseProcessReportQuery(req.originalUrl);
    const ctx = await deps.contextFor(identity, res.locals.log);
    await requireAdmin(ctx);
    res.status(200).json(await deps.processReport(input, ctx));
  };
}
