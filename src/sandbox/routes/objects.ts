/**
 * CRM objects (contacts, companies, deals, calls, emails, meetings, notes, tasks) under
 * /crm/v3/objects/{objectType}: list, read, create (with associations), update, archive and batch
 * read, in HubSpot's shapes and limits.
 */
import { z } from 'zod';
import type { CrmObjectType } from '../../core/crm.js';
import { ENGAGEMENT_TYPES } from '../../core/crm.js';
import { associationTypeInfo, resolveObjectType, singularOf } from '../associations.js';
import { notFound, validationError } from '../hubspot-errors.js';
import {
  boolParam,
  intParam,
  listParam,
  objectTypeParam,
  parseJsonBody,
  portalOf,
  type RouteContext,
  type RouteDef,
  type SandboxEnv,
} from '../http.js';
import { idKeyOf, type StoredRecord } from '../object-store.js';
import type { PortalState } from '../portal-state.js';
import { calculatedProperties } from '../calculated.js';
import { ownValue, projectProperties } from '../properties.js';

/** HubSpot's batch limit for object reads. */
export const MAX_BATCH_READ = 100;
/** HubSpot's page limit for object lists. */
export const MAX_LIST_LIMIT = 100;

const propertyValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? null : String(v)));

const associationInput = z.looseObject({
  to: z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z
    .array(z.looseObject({ associationCategory: z.string(), associationTypeId: z.number().int() }))
    .min(1),
});

const createSchema = z.looseObject({
  properties: z.record(z.string(), propertyValue).default({}),
  associations: z.array(associationInput).nullish(),
});

const updateSchema = z.looseObject({
  properties: z.record(z.string(), propertyValue),
});

const batchReadSchema = z.looseObject({
  inputs: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) })),
  properties: z.array(z.string()).nullish(),
  propertiesWithHistory: z.array(z.string()).nullish(),
  idProperty: z.string().nullish(),
});

/** A record in HubSpot's SimplePublicObject shape. */
export function objectJson(
  rec: StoredRecord,
  type: CrmObjectType,
  requested: readonly string[] | undefined,
): Record<string, unknown> {
  return {
    id: rec.id,
    properties: projectProperties(rec, type, requested),
    createdAt: rec.createdAt,
    updatedAt: rec.updatedAt,
    archived: rec.archived,
    ...(rec.archived ? { archivedAt: rec.updatedAt } : {}),
  };
}

/** objectJson with HubSpot's calculated properties (./calculated.ts) filled in where requested. */
function withCalculated(
  json: Record<string, unknown>,
  portal: PortalState,
  type: CrmObjectType,
  rec: StoredRecord,
  requested: readonly string[] | undefined,
  env: SandboxEnv,
): Record<string, unknown> {
  const calculated = calculatedProperties(portal, type, rec.id, requested, env.now());
  if (Object.keys(calculated).length === 0) return json;
  return { ...json, properties: { ...(json.properties as Record<string, unknown>), ...calculated } };
}

/** `associations=<type>` on reads: HubSpot's v3 association summary per requested type. */
function associationsJson(
  portal: PortalState,
  type: CrmObjectType,
  rec: StoredRecord,
  requested: readonly string[] | undefined,
): Record<string, unknown> | undefined {
  if (!requested || requested.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const name of requested) {
    const other = resolveObjectType(name);
    if (!other) continue;
    const edges = portal.associations.list(type, rec.id, other);
    if (edges.length === 0) continue;
    out[other] = {
      results: edges.flatMap((e) =>
        e.typeIds.map((typeId) => ({
          id: e.toId,
          type: associationTypeInfo(typeId)?.label
            ? `${singularOf(type)}_to_${singularOf(other)}_${typeId}`
            : `${singularOf(type)}_to_${singularOf(other)}`,
        })),
      ),
    };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function findRecord(
  portal: PortalState,
  type: CrmObjectType,
  ctx: RouteContext,
  archived: boolean,
): StoredRecord {
  const id = ctx.params.objectId;
  const table = portal.tables[type];
  const idProperty = ctx.query.get('idProperty');
  let rec: StoredRecord | undefined;
  if (idProperty && idProperty !== 'hs_object_id') {
    rec = table.records.find((r) => r.archived === archived && ownValue(r.properties, idProperty) === id);
  } else {
    const r = table.byId.get(id);
    rec = r && r.archived === archived ? r : undefined;
  }
  if (!rec) throw notFound('Object not found.  objectId are usually numeric.', { context: { id: [id] } });
  return rec;
}

function nowIso(env: SandboxEnv): string {
  return new Date(env.now()).toISOString();
}

function cleanProperties(
  input: Record<string, string | null>,
  keepNulls: boolean,
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === null) {
      if (keepNulls) out[k] = '';
      continue;
    }
    out[k] = v;
  }
  return out;
}

const ENGAGEMENTS = new Set<string>(ENGAGEMENT_TYPES);

/** CRM object CRUD and batch read. */
export const objectRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/crm/v3/objects/:objectType',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const table = portal.tables[type];
      const limit = intParam(ctx.query, 'limit', 10, 1, MAX_LIST_LIMIT);
      const archived = boolParam(ctx.query, 'archived', false);
      const properties = listParam(ctx.query, 'properties');
      const assoc = listParam(ctx.query, 'associations');
      const after = ctx.query.get('after');
      let i = after === null || after === '' ? 0 : table.lowerBound(idKeyOf(after), after);
      const page: StoredRecord[] = [];
      let next: StoredRecord | undefined;
      for (; i < table.records.length; i++) {
        const r = table.records[i];
        if (r.archived !== archived) continue;
        if (page.length === limit) {
          next = r;
          break;
        }
        page.push(r);
      }
      return {
        status: 200,
        body: {
          results: page.map((r) => {
            const a = associationsJson(portal, type, r, assoc);
            const json = withCalculated(objectJson(r, type, properties), portal, type, r, properties, env);
            return { ...json, ...(a ? { associations: a } : {}) };
          }),
          ...(next
            ? {
                paging: {
                  next: {
                    after: next.id,
                    link: `${ctx.origin}/crm/v3/objects/${type}?after=${encodeURIComponent(next.id)}`,
                  },
                },
              }
            : {}),
        },
      };
    },
  },
  {
    method: 'GET',
    pattern: '/crm/v3/objects/:objectType/:objectId',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const rec = findRecord(portal, type, ctx, boolParam(ctx.query, 'archived', false));
      const a = associationsJson(portal, type, rec, listParam(ctx.query, 'associations'));
      const properties = listParam(ctx.query, 'properties');
      return {
        status: 200,
        body: {
          ...withCalculated(objectJson(rec, type, properties), portal, type, rec, properties, env),
          ...(a ? { associations: a } : {}),
        },
      };
    },
  },
  {
    method: 'POST',
    pattern: '/crm/v3/objects/:objectType',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const body = parseJsonBody(ctx, createSchema);
      const properties = cleanProperties(body.properties, false);
      if (ENGAGEMENTS.has(type) && !properties.hs_timestamp) {
        throw validationError(`Property values were not valid: hs_timestamp is required to create ${type}.`, {
          errors: [{ message: 'hs_timestamp is required', in: 'hs_timestamp' }],
        });
      }
      // Check every association before writing anything: HubSpot refuses the whole create.
      const links: { to: CrmObjectType; id: string; typeId: number }[] = [];
      for (const a of body.associations ?? []) {
        for (const t of a.types) {
          const info = associationTypeInfo(t.associationTypeId);
          if (t.associationCategory !== 'HUBSPOT_DEFINED' || !info || info.from !== type) {
            throw validationError(
              `Association type ${t.associationCategory}/${t.associationTypeId} is not valid from ${type}.`,
            );
          }
          const target = portal.tables[info.to].byId.get(a.to.id);
          if (!target || target.archived) {
            throw validationError(
              `One or more associations are invalid: ${singularOf(info.to)} ${a.to.id} does not exist.`,
            );
          }
          links.push({ to: info.to, id: a.to.id, typeId: t.associationTypeId });
        }
      }
      const rec = portal.tables[type].create(properties, nowIso(env));
      for (const l of links) portal.associations.add(type, rec.id, l.to, l.id, l.typeId);
      return { status: 201, body: objectJson(rec, type, Object.keys(rec.properties)) };
    },
  },
  {
    method: 'PATCH',
    pattern: '/crm/v3/objects/:objectType/:objectId',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const rec = findRecord(portal, type, ctx, false);
      const body = parseJsonBody(ctx, updateSchema);
      portal.tables[type].update(rec, cleanProperties(body.properties, true), nowIso(env));
      return { status: 200, body: objectJson(rec, type, Object.keys(rec.properties)) };
    },
  },
  {
    method: 'DELETE',
    pattern: '/crm/v3/objects/:objectType/:objectId',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const rec = findRecord(portal, type, ctx, false);
      portal.tables[type].archive(rec, nowIso(env));
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    pattern: '/crm/v3/objects/:objectType/batch/read',
    auth: 'bearer',
    kind: 'general',
    handler: (ctx, env) => {
      const portal = portalOf(ctx);
      const type = objectTypeParam(ctx);
      const body = parseJsonBody(ctx, batchReadSchema);
      if (body.inputs.length > MAX_BATCH_READ) {
        throw validationError(
          `Batch read accepts at most ${MAX_BATCH_READ} inputs; got ${body.inputs.length}.`,
        );
      }
      const archived = boolParam(ctx.query, 'archived', false);
      const table = portal.tables[type];
      const idProperty = body.idProperty ?? undefined;
      const startedAt = nowIso(env);
      const results: Record<string, unknown>[] = [];
      const missing: string[] = [];
      const seen = new Set<string>();
      for (const { id } of body.inputs) {
        if (seen.has(id)) continue;
        seen.add(id);
        const rec =
          idProperty && idProperty !== 'hs_object_id'
            ? table.records.find((r) => r.archived === archived && ownValue(r.properties, idProperty) === id)
            : table.byId.get(id);
        if (rec && rec.archived === archived)
          results.push(
            withCalculated(
              objectJson(rec, type, body.properties ?? undefined),
              portal,
              type,
              rec,
              body.properties ?? undefined,
              env,
            ),
          );
        else missing.push(id);
      }
      const completedAt = nowIso(env);
      if (missing.length === 0) {
        return { status: 200, body: { status: 'COMPLETE', results, startedAt, completedAt } };
      }
      // HubSpot answers 207 when some ids are unknown: the known ones in results, the rest in errors.
      return {
        status: 207,
        body: {
          status: 'COMPLETE',
          results,
          numErrors: 1,
          errors: [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              message: `Could not get some ${singularOf(type).toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
              context: { ids: missing },
            },
          ],
          startedAt,
          completedAt,
        },
      };
    },
  },
];
