/**
 * The coaching and training settings API for ops (issue 4 item 4), until the settings page exists.
 * Signed, super admins only (requireAdmin):
 *
 * GET /api/v1/settings/{coaches|targets|training-catalogue|training-rules}
 *   → 200 {value, source: 'saved'|'default'} (the default is what the functions use when unsaved).
 * PUT the same paths {value, idempotencyKey}
 *   → 200 {value, source: 'saved', warnings: string[]}; 400 naming the failing field
 *   (`value.modules.2.url: must be an https link`). Runs inside withIdempotency.
 *
 * Checks beyond the contract schemas:
 * - coaches: every user id must be a user of the portal and every team id a team of it (400 otherwise).
 * - training-rules: a rule whose moduleTag no catalogue module carries is accepted (ops may add the
 *   module next) with a warning; it simply never fires until a module has the tag.
 * - training-catalogue: removing a module that has open assignments is accepted with a warning: the
 *   assignments stay open (their HubSpot tasks exist, the rep may still complete them) and show the
 *   module id instead of its title and link. To keep title and link, ops should mark the module
 *   `retired: true` instead: a retired module is never assigned again but still shown.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import {
  catalogueSettingSchema,
  coachesSettingSchema,
  rulesSettingSchema,
  SETTINGS_KEYS,
  targetsSettingSchema,
} from '@pillars/contracts';
import type { CatalogueSetting, CoachesSetting, RulesSetting } from '@pillars/contracts';
import { invalidInput } from '../../core/errors.js';
import type { FunctionContext, FunctionLogger } from '../../functions/context.js';
import type { CoachingSettings } from '../../functions/coaching/coaching-settings.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import type { TrainingAssignmentStore } from '../../store/coaching-ports.js';
import type { SettingsStore } from '../../store/ports.js';
import { IDEMPOTENCY_KEY, withIdempotency } from '../idempotency.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import { requireAdmin } from '../require-admin.js';
import type { RouteEntry } from '../route-table.js';
import { invalidInputFromZod } from '../zod-errors.js';

export interface CoachingSettingsRouteDeps {
  settings: Pick<SettingsStore, 'get' | 'put'>;
  /** The reader with the portal's defaults (what GET shows when nothing is saved). */
  coachingSettings: CoachingSettings;
  assignments: Pick<TrainingAssignmentStore, 'listForPortal'>;
  idempotency: IdempotencyStore;
  /** Called after a PUT (caches of panels and jobs drop what they derived). */
  onSettingsChanged?: ((portalId: number, key: string) => void) | undefined;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

/** Largest PUT body (a catalogue of 500 modules fits well under it). */
export const SETTINGS_BODY_LIMIT = 512 * 1024;

/** The settings this file serves, by URL segment. */
export const COACHING_SETTINGS = ['coaches', 'targets', 'training-catalogue', 'training-rules'] as const;
export type CoachingSettingName = (typeof COACHING_SETTINGS)[number];

const putBodySchema = z.strictObject({
  value: z.unknown().refine((v) => v !== undefined, { error: 'is required' }),
  idempotencyKey: z
    .string({ error: 'is required' })
    .regex(IDEMPOTENCY_KEY, { error: 'must be 8 to 128 letters, digits, "-" or "_"' }),
});

/** A zod failure on `value` as a 400 naming the path, indices included (`value.modules.2.url`). */
export function invalidValue(error: z.ZodError): Error {
  const issue = error.issues[0];
  if (issue === undefined) return invalidInput('value: is not valid', { field: 'value' });
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys.join(', ')] : issue.path;
  const field = ['value', ...path.map(String)].join('.');
  const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
  return invalidInput(`${field}: ${message}`, { field });
}

/** Extra checks of a valid value: throws 400 for what must not be saved, returns warnings otherwise. */
type Check<T> = (value: T, ctx: FunctionContext, deps: CoachingSettingsRouteDeps) => Promise<string[]>;

interface SettingSpec<T> {
  key: string;
  schema: z.ZodType<T>;
  read: (s: CoachingSettings, portalId: number) => Promise<T>;
  check: Check<T>;
}

const checkCoaches: Check<CoachesSetting> = async (value, ctx) => {
  const [users, teams] = await Promise.all([ctx.hubspot.listUsers(), ctx.hubspot.listTeams()]);
  const userIds = new Set(users.map((u) => u.id));
  const teamIds = new Set(teams.map((t) => t.id));
  for (const [teamId, coachIds] of Object.entries(value.teams)) {
    if (!teamIds.has(teamId)) {
      throw invalidInput(`value.teams.${teamId}: no team ${teamId} in this HubSpot account`, {
        field: `value.teams.${teamId}`,
      });
    }
    coachIds.forEach((id, i) => {
      if (!userIds.has(id)) {
        throw invalidInput(`value.teams.${teamId}.${i}: no user ${id} in this HubSpot account`, {
          field: `value.teams.${teamId}.${i}`,
        });
      }
    });
  }
  return [];
};

const checkRules: Check<RulesSetting> = async (value, ctx, deps) => {
  const catalogue = await deps.coachingSettings.catalogue(ctx.portalId);
  const tags = new Set(catalogue.modules.filter((m) => m.retired !== true).flatMap((m) => m.skillTags));
  return value.rules
    .filter((r) => !tags.has(r.moduleTag))
    .map(
      (r) =>
        `rule ${r.id ?? r.metric}: no module in the catalogue has the tag "${r.moduleTag}"; the rule will not assign anything until one does`,
    );
};

const checkCatalogue: Check<CatalogueSetting> = async (value, ctx, deps) => {
  const kept = new Set(value.modules.map((m) => m.id));
  const open = await deps.assignments.listForPortal(ctx.portalId, { status: 'open' });
  const orphaned = new Map<string, number>();
  for (const a of open)
    if (!kept.has(a.moduleId)) orphaned.set(a.moduleId, (orphaned.get(a.moduleId) ?? 0) + 1);
  return [...orphaned].map(
    ([id, n]) =>
      `module ${id} was removed while ${n} assignment(s) of it are open; they stay open without its title and link (mark it retired instead to keep them)`,
  );
};

const SPECS: { [K in CoachingSettingName]: SettingSpec<unknown> } = {
  coaches: {
    key: SETTINGS_KEYS.coaches,
    schema: coachesSettingSchema,
    read: (s, p) => s.coaches(p),
    check: checkCoaches as Check<unknown>,
  },
  targets: {
    key: SETTINGS_KEYS.targets,
    schema: targetsSettingSchema,
    read: (s, p) => s.targets(p),
    check: () => Promise.resolve([]),
  },
  'training-catalogue': {
    key: SETTINGS_KEYS.catalogue,
    schema: catalogueSettingSchema,
    read: (s, p) => s.catalogue(p),
    check: checkCatalogue as Check<unknown>,
  },
  'training-rules': {
    key: SETTINGS_KEYS.rules,
    schema: rulesSettingSchema,
    read: (s, p) => s.rules(p),
    check: checkRules as Check<unknown>,
  },
};

async function adminContext(
  deps: CoachingSettingsRouteDeps,
  identity: SignedIdentity,
  log: FunctionLogger,
): Promise<FunctionContext> {
  const ctx = await deps.contextFor(identity, log);
  await requireAdmin(ctx);
  return ctx;
}

export function getSettingHandler(
  deps: CoachingSettingsRouteDeps,
  name: CoachingSettingName,
): RequestHandler {
  const spec = SPECS[name];
  return async (_req, res) => {
    const ctx = await adminContext(deps, identityOf(res), res.locals.log);
    const saved = await deps.settings.get(ctx.portalId, spec.key, spec.schema);
    res
      .status(200)
      .set('cache-control', 'no-store')
      .json(
        saved === null
          ? { value: await spec.read(deps.coachingSettings, ctx.portalId), source: 'default' }
          : { value: saved, source: 'saved' },
      );
  };
}

export function putSettingHandler(
  deps: CoachingSettingsRouteDeps,
  name: CoachingSettingName,
): RequestHandler {
  const spec = SPECS[name];
  return async (req, res) => {
    const ctx = await adminContext(deps, identityOf(res), res.locals.log);
    const parsed = putBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) throw invalidInputFromZod(parsed.error);
    const body = parsed.data;
    // Bad input fails before the idempotency key is claimed (nothing is written for it).
    const valid = spec.schema.safeParse(body.value);
    if (!valid.success) throw invalidValue(valid.error);
    const result = await withIdempotency(
      deps.idempotency,
      ctx.portalId,
      `settings:${name}:${body.idempotencyKey}`,
      async () => {
        const warnings = await spec.check(valid.data, ctx, deps);
        await deps.settings.put(ctx.portalId, spec.key, valid.data);
        deps.onSettingsChanged?.(ctx.portalId, spec.key);
        ctx.logger.info({ setting: name, userId: ctx.userId, warnings: warnings.length }, 'setting stored');
        return { status: 200, body: { value: valid.data, source: 'saved', warnings } };
      },
    );
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

/** The route-table entries of this file. */
export function coachingSettingsRoutes(deps: CoachingSettingsRouteDeps): RouteEntry[] {
  return COACHING_SETTINGS.flatMap((name): RouteEntry[] => {
    const path = `/api/v1/settings/${name}`;
    return [
      { method: 'get', path, auth: 'hubspotSignature', handler: getSettingHandler(deps, name) },
      {
        method: 'put',
        path,
        auth: 'hubspotSignature',
        handler: putSettingHandler(deps, name),
        bodyLimit: SETTINGS_BODY_LIMIT,
      },
    ];
  });
}
