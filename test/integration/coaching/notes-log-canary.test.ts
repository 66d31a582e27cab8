/**
 * Note text never reaches a log line: the note routes served by the real app (createApp) at debug
 * level, with every line captured, across accepted, refused and failing writes.
 */
import type { Writable } from 'node:stream';
import request from 'supertest';
import { ZERO_METRICS } from '@pillars/contracts';
import type { CoachingNoteView, MetricsReport } from '@pillars/contracts';
import { AppError } from '../../../src/core/errors.js';
import type { CoachingNotes } from '../../../src/functions/coaching/coaching-notes.js';
import type { FunctionContext } from '../../../src/functions/context.js';
import type { HubSpotGateway } from '../../../src/hubspot/gateway.js';
import { createApp } from '../../../src/server/app.js';
import { loadConfig } from '../../../src/server/config.js';
import { createLogger } from '../../../src/server/logger.js';
import type { ClaimResult, IdempotencyStore } from '../../../src/store/idempotency-store.js';
import { signRequest } from '../../support/signer.js';

const SECRET = 'notes-canary-client-secret-4c1d9e';
const ORIGIN = 'https://pillars.example.com';
const PORTAL = 62515;
const NOTE_TEXT = 'canary note text: misses the discovery questions every time';

function memoryIdempotency(): IdempotencyStore {
  const keys = new Map<string, string | null>();
  return {
    async claim(portalId, key): Promise<ClaimResult> {
      const k = `${portalId}:${key}`;
      if (!keys.has(k)) {
        keys.set(k, null);
        return { state: 'claimed' };
      }
      const response = keys.get(k);
      return response === null || response === undefined ? { state: 'pending' } : { state: 'done', response };
    },
    async complete(portalId, key, response) {
      keys.set(`${portalId}:${key}`, response);
    },
    async release(portalId, key) {
      keys.delete(`${portalId}:${key}`);
    },
    async deleteOlderThan() {
      return 0;
    },
    async deletePortal() {},
  };
}

const view = (body: string): CoachingNoteView => ({
  id: '8a7f6d2e-1c3b-4a5d-9e8f-7a6b5c4d3e2f',
  repOwnerId: '61400270',
  kind: 'note',
  body,
  dueDate: null,
  done: null,
  authorUserId: 7,
  authorName: 'Coach',
  contactId: '101',
  createdAt: '2026-11-25T12:00:00.000Z',
  updatedAt: '2026-11-25T12:00:00.000Z',
  editable: true,
});

test('note text is never logged by the note routes', async () => {
  const lines: string[] = [];
  const destination = { write: (line: string) => void lines.push(line) } as unknown as Writable;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    HUBSPOT_CLIENT_SECRET: SECRET,
    PUBLIC_ORIGIN: ORIGIN,
    HUBSPOT_ACCESS_TOKEN: 'pat-na1-canary-token-0000-1111-2222',
  });
  let calls = 0;
  const notes: CoachingNotes = {
    async create(input, ctx) {
      calls += 1;
      ctx.logger.debug({ note: input }, 'creating a note');
      if (calls === 1) return view(input.body);
      if (calls === 2) throw new AppError('FORBIDDEN', 'caller may not write notes about this rep');
      throw new Error('the database fell over');
    },
    async update(input) {
      return view(input.body ?? '');
    },
    async remove() {
      return { deleted: true };
    },
  };
  const report = (portalId: number): MetricsReport => ({
    portalId,
    timeZone: 'UTC',
    period: { from: '2026-11-23', to: '2026-11-30', startUtc: '', endUtc: '' },
    reps: [],
    teams: [],
    unassigned: { ...ZERO_METRICS },
    skipped: 0,
  });
  const app = createApp({
    config,
    logger: createLogger(config, destination),
    functions: { activityMetrics: async (_i, ctx) => report(ctx.portalId) },
    contextFor: async (identity, log): Promise<FunctionContext> => ({
      portalId: identity.portalId,
      userId: identity.userId ?? 0,
      hubspot: {} as HubSpotGateway,
      now: () => new Date(),
      logger: log,
    }),
    readiness: [],
    coachingNotes: { notes, idempotency: memoryIdempotency() },
  });

  const send = async (method: 'post' | 'patch', path: string, payload: object) => {
    const target = `${path}?portalId=${PORTAL}&userId=7`;
    const body = JSON.stringify(payload);
    const headers = signRequest({
      method,
      url: `${ORIGIN}${target}`,
      body,
      secret: SECRET,
      timestamp: Date.now(),
    });
    return request(app)[method](target).set(headers).set('content-type', 'application/json').send(body);
  };
  const statuses: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const res = await send('post', '/api/v1/coaching/notes', {
      contactId: '101',
      kind: 'note',
      body: NOTE_TEXT,
      idempotencyKey: `canary-key-${i}`,
    });
    statuses.push(res.status);
  }
  statuses.push(
    (
      await send('patch', '/api/v1/coaching/notes/8a7f6d2e-1c3b-4a5d-9e8f-7a6b5c4d3e2f', {
        body: NOTE_TEXT,
        idempotencyKey: 'canary-edit-1',
      })
    ).status,
  );
  // A body the route refuses (no idempotency key) with the note text in it.
  statuses.push((await send('post', '/api/v1/coaching/notes', { kind: 'note', body: NOTE_TEXT })).status);

  expect(statuses).toEqual([201, 403, 500, 200, 400]);
  const log = lines.join('');
  expect(lines.length).toBeGreaterThan(5);
  expect(log).toContain('creating a note');
  expect(log).not.toContain('canary note text');
  expect(log).not.toContain('discovery questions');
});
