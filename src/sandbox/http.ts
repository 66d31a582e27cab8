/**
 * The small HTTP toolkit of the sandbox: a route table (method + path pattern), the context a
 * handler receives, JSON and form body parsing with HubSpot's 400 bodies, and endpoint keys with
 * ids normalised to `{id}` for stats.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { CrmObjectType } from '../core/crm.js';
import { resolveObjectType } from './associations.js';
import { errorBody, HubSpotHttpError, validationError } from './hubspot-errors.js';
import type { BearerIdentity, OAuthAuthority } from './oauth.js';
import type { PortalState } from './portal-state.js';

/** What every handler can reach. */
export interface SandboxEnv {
  now(): number;
  portals: Map<number, PortalState>;
  oauth: OAuthAuthority;
}

/** One request, as a handler sees it. */
export interface RouteContext {
  method: string;
  /** Path without query and trailing slash. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  params: Record<string, string>;
  /** `http://host:port`, for paging links. */
  origin: string;
  /** Set on bearer-authenticated routes. */
  identity?: BearerIdentity;
  /** The authenticated portal, on bearer-authenticated routes. */
  portal?: PortalState;
}

/** What a handler answers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A route handler: synchronous, over in-memory state. */
export type Handler = (ctx: RouteContext, env: SandboxEnv) => RouteResult;

/** A route: which requests, how they authenticate, which limit they count against. */
export interface RouteDef {
  method: string;
  /** e.g. `/crm/v3/objects/:objectType/:objectId`. Params ending in `Type` stay literal in endpoint keys. */
  pattern: string;
  auth: 'bearer' | 'none';
  kind: 'general' | 'search';
  handler: Handler;
}

interface CompiledRoute extends RouteDef {
  regex: RegExp;
  names: string[];
}

/** A matched route and its decoded params. */
export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
  endpoint: string;
}

/** Routes requests by method and path pattern, in registration order. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(...defs: RouteDef[]): this {
    for (const def of defs) {
      const names: string[] = [];
      const source = def.pattern
        .split('/')
        .map((seg) => {
          if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(seg.slice(1));
          return '([^/]+)';
        })
        .join('/');
      this.routes.push({ ...def, regex: new RegExp(`^${source}$`), names });
    }
    return this;
  }

  /** The route for a request; `methodMismatch` when the path exists under another method. */
  match(method: string, path: string): RouteMatch | 'methodMismatch' | undefined {
    let other = false;
    for (const r of this.routes) {
      const m = r.regex.exec(path);
      if (!m) continue;
      if (r.method !== method) {
        other = true;
        continue;
      }
      const params: Record<string, string> = {};
      let endpoint = r.pattern;
      r.names.forEach((name, i) => {
        let value: string;
        try {
          value = decodeURIComponent(m[i + 1]);
        } catch {
          value = m[i + 1];
        }
        params[name] = value;
        endpoint = endpoint.replace(`:${name}`, name.endsWith('Type') ? value : '{id}');
      });
      return { route: r, params, endpoint: `${method} ${endpoint}` };
    }
    return other ? 'methodMismatch' : undefined;
  }
}

/** Endpoint key of an unrouted request: numeric segments become `{id}`. */
export function fallbackEndpoint(method: string, path: string): string {
  return `${method} ${path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
}

/** Parse a JSON body with a zod schema; HubSpot's 400 on bad JSON or a wrong shape. */
export function parseJsonBody<S extends z.ZodType>(ctx: RouteContext, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = ctx.body.length === 0 ? {} : JSON.parse(ctx.body.toString('utf8'));
  } catch (e) {
    throw validationError(`Invalid input JSON: ${(e as Error).message}`);
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    throw validationError(`Invalid input JSON: ${problems.join('; ')}`, {
      errors: result.error.issues.slice(0, 10).map((i) => ({ message: i.message, in: i.path.join('.') })),
    });
  }
  return result.data;
}

/** An application/x-www-form-urlencoded body (the OAuth endpoints). */
export function parseFormBody(ctx: RouteContext): URLSearchParams {
  return new URLSearchParams(ctx.body.toString('utf8'));
}

/** The object type of a path segment, or HubSpot's 400. */
export function objectTypeParam(ctx: RouteContext, name = 'objectType'): CrmObjectType {
  const raw = ctx.params[name] ?? '';
  const type = resolveObjectType(raw);
  if (!type) throw validationError(`Unable to infer object type from: ${raw}`);
  return type;
}

/** The authenticated portal (bearer routes only). */
export function portalOf(ctx: RouteContext): PortalState {
  if (!ctx.portal)
    throw new HubSpotHttpError(500, errorBody('INTERNAL_ERROR', 'route has no authenticated portal'));
  return ctx.portal;
}

/** A query parameter that may repeat or hold a comma-separated list (`properties`). */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** An integer query parameter within bounds, else HubSpot's 400. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw validationError(`${name} must be an integer; got "${raw}".`);
  const n = Number(raw);
  if (n < min || n > max) throw validationError(`${name} must be between ${min} and ${max}; got ${n}.`);
  return n;
}

/** A boolean query parameter (`true`/`false`), else HubSpot's 400. */
export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw validationError(`${name} must be true or false; got "${raw}".`);
}
