import express from 'express';
import request from 'supertest';
import { buildRouteTable, registerRoutes, ROUTE_AUTH_MODES } from '../../../src/server/route-table.js';
import type { RouteEntry, RouteTableDeps } from '../../../src/server/route-table.js';
import { createHarness } from './harness.js';

/** The parts of Express 5's router stack this test reads. */
interface Layer {
  name: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every route registered on the app, as "METHOD path"; a nested router is reported as unverifiable. */
function registeredRoutes(app: express.Express): string[] {
  const found: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods))
          if (on) found.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle.stack) {
        found.push(`ROUTER <nested router: routes cannot be checked against the table>`);
        walk(layer.handle.stack);
      }
    }
  };
  walk((app.router as unknown as { stack: Layer[] }).stack);
  return found;
}

const deps: RouteTableDeps = {
  functions: { activityMetrics: () => Promise.reject(new Error('unused')) },
  contextFor: () => Promise.reject(new Error('unused')),
  readiness: [],
};
const key = (entry: Pick<RouteEntry, 'method' | 'path'>) => `${entry.method.toUpperCase()} ${entry.path}`;

describe('route table', () => {
  const table = buildRouteTable(deps);

  it('every route on the app is in the table, and every table entry is on the app', () => {
    const { app } = createHarness();
    const registered = registeredRoutes(app);
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.filter((r) => !table.some((e) => key(e) === r))).toEqual([]);
    expect(table.map(key).filter((k) => !registered.includes(k))).toEqual([]);
  });

  it('every entry declares a known auth mode', () => {
    for (const entry of table) expect(ROUTE_AUTH_MODES).toContain(entry.auth);
  });

  it('the check catches a route added outside the table, nested routers included', () => {
    const { app } = createHarness();
    app.get('/rogue', (_req, res) => void res.end());
    const nested = express.Router();
    nested.post('/deep', (_req, res) => void res.end());
    app.use('/nested', nested);
    const extra = registeredRoutes(app).filter((r) => !table.some((e) => key(e) === r));
    expect(extra).toEqual([
      'GET /rogue',
      'ROUTER <nested router: routes cannot be checked against the table>',
      'POST /deep',
    ]);
  });

  it('every hubspotSignature route refuses an unsigned request with 401', async () => {
    const { app, calls, lookups } = createHarness();
    const signed = table.filter((e) => e.auth === 'hubspotSignature');
    expect(signed.length).toBeGreaterThan(0);
    for (const entry of signed) {
      const res = await request(app)[entry.method](`${entry.path.replace(/:[A-Za-z_]\w*/g, '1')}?portalId=1`);
      expect(res.status).toBe(401);
    }
    expect(calls).toHaveLength(0);
    expect(lookups).toHaveLength(0);
  });

  it('every public route answers without a signature', async () => {
    const { app } = createHarness();
    for (const entry of table.filter((e) => e.auth === 'public')) {
      expect((await request(app)[entry.method](entry.path)).status).toBeLessThan(400);
    }
  });
});

describe('registerRoutes refuses an unsafe table at boot', () => {
  const guards = { hubspotSignature: () => [] };
  const handler: RouteEntry['handler'] = (_req, res) => void res.end();

  it.each([
    ['no auth', { method: 'get', path: '/x', handler } as unknown as RouteEntry, /unknown auth/],
    [
      'misspelt auth',
      { method: 'get', path: '/x', auth: 'Public', handler } as unknown as RouteEntry,
      /unknown auth/,
    ],
    [
      'oauthState without its guard',
      { method: 'get', path: '/oauth/callback', auth: 'oauthState', handler } as RouteEntry,
      /oauthState guard/,
    ],
    [
      'public with a body limit',
      { method: 'post', path: '/x', auth: 'public', handler, bodyLimit: 10 } as RouteEntry,
      /reads no body/,
    ],
    [
      'wildcard path syntax',
      { method: 'get', path: '/x/*rest', auth: 'public', handler } as RouteEntry,
      /syntax/,
    ],
  ])('%s', (_name, entry, message) => {
    expect(() => registerRoutes(express(), [entry], guards)).toThrow(message);
  });

  it('a duplicated route', () => {
    const entry: RouteEntry = { method: 'get', path: '/x', auth: 'public', handler };
    expect(() => registerRoutes(express(), [entry, { ...entry, path: '/X' }], guards)).toThrow(
      /declared twice/,
    );
  });
});
