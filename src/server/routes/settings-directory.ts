/**
 * What the settings page needs to offer choices instead of typed ids (super admins only, read
 * through the gateway's 5-minute metadata cache, so they cost no HubSpot request while warm):
 *
 * GET /api/v1/settings/pipelines  → { pipelines: [{ id, label, stages: [{ id, label, closed }] }] }
 *   the deal pipelines and their stages in display order (the playbook editor's pipeline and stage
 *   pickers; archived pipelines left out);
 * GET /api/v1/settings/directory  → { teams: [{ id, name, userIds }], users: [{ id, email, superAdmin }] }
 *   the portal's teams and users (the coaches editor's pickers).
 */
import type { RequestHandler } from 'express';
import { orderedStages, stageOutcome } from '../../core/process/index.js';
import type { FunctionContext, FunctionLogger } from '../../functions/context.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { requireAdmin } from '../require-admin.js';
import type { RouteEntry } from '../route-table.js';

export interface SettingsDirectoryRouteDeps {
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

async function adminContext(deps: SettingsDirectoryRouteDeps, identity: SignedIdentity, log: FunctionLogger) {
  const ctx = await deps.contextFor(identity, log);
  await requireAdmin(ctx);
  return ctx;
}

function pipelinesHandler(deps: SettingsDirectoryRouteDeps): RequestHandler {
  return async (_req, res) => {
    const ctx = await adminContext(deps, identityOf(res), res.locals.log);
    const pipelines = (await ctx.hubspot.listDealPipelines()).filter((p) => p.archived !== true);
    res.status(200).json({
      pipelines: pipelines.map((p) => ({
        id: p.id,
        label: p.label,
        stages: orderedStages(p).map((s) => ({
          id: s.id,
          label: s.label,
          closed: stageOutcome(s) !== 'open',
        })),
      })),
    });
  };
}

function directoryHandler(deps: SettingsDirectoryRouteDeps): RequestHandler {
  return async (_req, res) => {
    const ctx = await adminContext(deps, identityOf(res), res.locals.log);
    const [teams, users] = await Promise.all([ctx.hubspot.listTeams(), ctx.hubspot.listUsers()]);
    res.status(200).json({
      teams: teams.map((t) => ({ id: t.id, name: t.name, userIds: [...t.userIds, ...t.secondaryUserIds] })),
      users: users.map((u) => ({ id: u.id, email: u.email, superAdmin: u.superAdmin })),
    });
  };
}

/** The two routes, for the route table. */
export function settingsDirectoryRoutes(deps: SettingsDirectoryRouteDeps): RouteEntry[] {
  return [
    {
      method: 'get',
      path: '/api/v1/settings/pipelines',
      auth: 'hubspotSignature',
      handler: pipelinesHandler(deps),
    },
    {
      method: 'get',
      path: '/api/v1/settings/directory',
      auth: 'hubspotSignature',
      handler: directoryHandler(deps),
    },
  ];
}
