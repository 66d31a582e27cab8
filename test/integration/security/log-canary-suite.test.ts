/**
 * Log canary over the whole backend (threat H1; also A13/E4 for tokens): the real backend in OAuth
 * mode with every secret set to a unique canary value (the client secret, PILLARS_TOKEN_KEYS,
 * PILLARS_STATE_KEY, METRICS_TOKEN; SQLite, so there is no DATABASE_URL password) runs a flow
 * through every route family at debug level: Prometheus metrics with the right and a wrong bearer,
 * activity metrics, the deal card (read, waiver, follow-up), the coaching panel and notes (note text
 * is a canary), training assign and complete, every settings PUT, the weekly pack, webhooks (a
 * property value canary; a forged delivery), a second install through /oauth/install and the
 * callback, a callback with a canary code, a forced token refresh, the webhook processor and a
 * scheduler tick. Every line every logger wrote is captured (the logger module is wrapped to give
 * createLogger a capture destination); no canary may appear in any of them: not the secrets, not
 * the access and refresh tokens HubSpot issued (read back from the store), not the OAuth codes or
 * states, not a request signature, not the note text, the user's email or a webhook value.
 */
import { randomBytes } from 'node:crypto';
import {
  DEMO_CATALOGUE,
  DEFAULT_RULES,
  DEMO_TARGETS,
} from '../../../src/functions/training/default-catalogue.js';
import { createTokenCipher, parseTokenKeys } from '../../../src/oauth/token-cipher.js';
import { sealContext } from '../../../src/oauth/token-provider.js';
import { demoPeople } from '../coaching/helpers.js';
import { signRequest } from '../../support/signer.js';
import { capturedLines } from './log-capture.js';
import type * as Capture from './log-capture.js';
import type * as LoggerModule from '../../../src/server/logger.js';
import { startSecurityBackend, userOfOwner, VP_OWNER, type SecurityBackend } from './security-backend.js';

jest.mock('../../../src/server/logger.js', () => {
  const actual = jest.requireActual<typeof LoggerModule>('../../../src/server/logger.js');
  const { captureStream } = jest.requireActual<typeof Capture>('./log-capture.js');
  return {
    ...actual,
    createLogger: (...[config, destination]: Parameters<typeof LoggerModule.createLogger>) =>
      actual.createLogger(config, destination ?? captureStream),
  };
});

jest.setTimeout(120_000);

const tag = randomBytes(6).toString('hex');
const CANARY = {
  clientSecret: `canary-client-secret-${tag}`,
  tokenKey: randomBytes(32).toString('base64'),
  stateKey: randomBytes(32).toString('base64'),
  metricsToken: `canary-metrics-token-${tag}`,
  noteText: `canary note text ${tag}: struggles with discovery`,
  waiverReason: `canary waiver reason ${tag}`,
  subject: `canary follow-up subject ${tag}`,
  email: `canary.${tag}@example.com`,
  webhookValue: `canary-webhook-value-${tag}`,
  oauthCode: `canary-oauth-code-${tag}`,
};

let h: SecurityBackend;
let A: number;
let B: number;
const signatures: string[] = [];
const oauthValues: string[] = [];

beforeAll(async () => {
  capturedLines().length = 0;
  h = await startSecurityBackend({
    prefix: 'log-canary',
    seeds: [1, 2],
    size: 600,
    client: { clientId: 'pillars-log-canary', clientSecret: CANARY.clientSecret },
    env: {
      LOG_LEVEL: 'debug',
      PILLARS_TOKEN_KEYS: `k1:${CANARY.tokenKey}`,
      PILLARS_STATE_KEY: CANARY.stateKey,
      METRICS_TOKEN: CANARY.metricsToken,
    },
  });
  [A, B] = h.portals as [number, number];
}, 120_000);

afterAll(async () => {
  await h?.close();
});

/** The install through HTTP, keeping the state and code it carried as canaries. */
async function installKeepingValues(portalId: number, userId: number): Promise<number> {
  const start = await fetch(`${h.backend.url}/oauth/install`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location') ?? '');
  oauthValues.push(authorize.searchParams.get('state') ?? '');
  authorize.searchParams.set('portal_id', String(portalId));
  authorize.searchParams.set('user_id', String(userId));
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location') ?? '');
  oauthValues.push(callback.searchParams.get('code') ?? '');
  const res = await fetch(`${h.backend.url}${callback.pathname}${callback.search}`, { redirect: 'manual' });
  return res.status;
}

/** A signed request with the user's email in the query (as HubSpot sends it); signatures are kept. */
async function call(method: string, path: string, userId: number, body?: unknown, portalId = A) {
  const sep = path.includes('?') ? '&' : '?';
  const target = `${path}${sep}userEmail=${encodeURIComponent(CANARY.email)}`;
  const origin = h.env.PUBLIC_ORIGIN as string;
  const text = body === undefined ? undefined : JSON.stringify(body);
  const full = `${target}&portalId=${portalId}&userId=${userId}`;
  const headers = signRequest({
    method,
    url: `${origin}${full}`,
    body: text ?? '',
    secret: CANARY.clientSecret,
    timestamp: Date.now(),
  });
  signatures.push(headers['X-HubSpot-Signature-v3']);
  const res = await fetch(`${h.backend.url}${full}`, {
    method,
    headers: {
      ...headers,
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      authorization: `Bearer ${CANARY.metricsToken}`,
    },
    ...(text === undefined ? {} : { body: text }),
  });
  const out = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(out) as unknown;
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

const k = (() => {
  let n = 0;
  return () => `canary-key-${tag}-${(n += 1)}`;
})();

test('no secret, token, code, signature, note text or email reaches a log line', async () => {
  const fa = h.fixtures[0];
  if (!fa) throw new Error('no fixture');
  const admin = userOfOwner(fa, VP_OWNER);
  const people = demoPeople(fa);
  const rep = people.ownerOf('no-show');
  const repUser = people.userOf(rep);
  const team = people.primaryTeamOf(rep);
  const coach = people.managerOf(team);
  const contact = people.contactsOf(rep)[0] ?? '';
  const deal = fa.objects.deals.find((d) => d.properties.hubspot_owner_id === rep)?.id ?? '';

  // OAuth: two installs through HTTP (their states and codes are canaries); a callback with a canary code.
  expect(await installKeepingValues(A, admin)).toBe(302);
  expect(await installKeepingValues(B, admin)).toBe(302);
  const start = await fetch(`${h.backend.url}/oauth/install`, { redirect: 'manual' });
  const state = new URL(start.headers.get('location') ?? '').searchParams.get('state') ?? '';
  oauthValues.push(state);
  const badCode = await fetch(
    `${h.backend.url}/oauth/callback?state=${encodeURIComponent(state)}&code=${CANARY.oauthCode}`,
    { redirect: 'manual' },
  );
  expect(badCode.status).toBe(400);
  const tampered = await fetch(`${h.backend.url}/oauth/callback?state=${state}x&code=${CANARY.oauthCode}`, {
    redirect: 'manual',
  });
  expect(tampered.status).toBe(400);

  // Prometheus, with the right and a wrong bearer.
  expect(
    (await fetch(`${h.backend.url}/metrics`, { headers: { authorization: `Bearer ${CANARY.metricsToken}` } }))
      .status,
  ).toBe(200);
  await fetch(`${h.backend.url}/metrics`, { headers: { authorization: `Bearer ${CANARY.metricsToken}x` } });

  // Settings PUTs (admin): coaches, targets, catalogue, rules; a refused one from the rep.
  const settings: Array<[string, unknown]> = [
    ['coaches', { teams: { [team]: [String(coach)] } }],
    ['targets', DEMO_TARGETS],
    ['training-catalogue', DEMO_CATALOGUE],
    ['training-rules', DEFAULT_RULES],
  ];
  for (const [name, value] of settings)
    expect(
      (await call('PUT', `/api/v1/settings/${name}`, admin, { value, idempotencyKey: k() })).status,
    ).toBe(200);
  expect(
    (await call('PUT', '/api/v1/settings/targets', repUser, { value: DEMO_TARGETS, idempotencyKey: k() }))
      .status,
  ).toBe(403);

  // Activity metrics; the deal card: read, waiver (canary reason), follow-up (canary subject).
  expect((await call('GET', '/api/v1/activity-metrics?week=2026-11-16', admin)).status).toBe(200);
  const guidance = await call('GET', `/api/v1/deal-guidance?dealId=${deal}`, repUser);
  expect(guidance.status).toBe(200);
  const criterion = (guidance.json as { criteria: Array<{ id: string }> }).criteria[0]?.id ?? 'none';
  await call('POST', '/api/v1/deal-guidance/waivers', repUser, {
    dealId: deal,
    criterionId: criterion,
    reason: CANARY.waiverReason,
    idempotencyKey: k(),
  });
  await call('POST', '/api/v1/deal-guidance/waivers', repUser, {
    dealId: deal,
    criterionId: 'no-such-criterion',
    reason: CANARY.waiverReason,
    idempotencyKey: k(),
  });
  expect(
    (
      await call('POST', '/api/v1/deal-guidance/follow-up', repUser, {
        dealId: deal,
        subject: CANARY.subject,
        idempotencyKey: k(),
      })
    ).status,
  ).toBe(201);

  // Coaching: panel, notes with canary text (created, edited, refused for the rep, deleted).
  expect((await call('GET', `/api/v1/coaching-panel?contactId=${contact}`, coach)).status).toBe(200);
  const created = await call('POST', '/api/v1/coaching/notes', coach, {
    contactId: contact,
    kind: 'note',
    body: CANARY.noteText,
    idempotencyKey: k(),
  });
  expect(created.status).toBe(201);
  const noteId = (created.json as { note: { id: string } }).note.id;
  await call('POST', '/api/v1/coaching/notes', repUser, {
    contactId: contact,
    kind: 'note',
    body: CANARY.noteText,
    idempotencyKey: k(),
  });
  await call('POST', '/api/v1/coaching/notes', coach, {
    contactId: contact,
    kind: 'nope',
    body: CANARY.noteText,
    idempotencyKey: k(),
  });
  expect(
    (
      await call('PATCH', `/api/v1/coaching/notes/${noteId}`, coach, {
        body: `${CANARY.noteText} (edited)`,
        idempotencyKey: k(),
      })
    ).status,
  ).toBe(200);
  expect((await call('GET', `/api/v1/coaching-panel?contactId=${contact}`, repUser)).status).toBe(200);
  expect((await call('DELETE', `/api/v1/coaching/notes/${noteId}`, coach)).status).toBe(200);

  // Training: assign (coach), complete (rep).
  const moduleId = DEMO_CATALOGUE.modules[0]?.id ?? '';
  const assigned = await call('POST', '/api/v1/training/assignments', coach, {
    contactId: contact,
    moduleId,
    idempotencyKey: k(),
  });
  expect(assigned.status).toBe(201);
  const assignmentId = (assigned.json as { assignment: { id: string } }).assignment.id;
  expect(
    (
      await call('POST', `/api/v1/training/assignments/${assignmentId}/complete`, repUser, {
        idempotencyKey: k(),
      })
    ).status,
  ).toBe(200);

  // Weekly pack; process report; connection; the settings pickers.
  expect((await call('GET', '/api/v1/weekly-pack/teams', coach)).status).toBe(200);
  expect((await call('GET', `/api/v1/weekly-pack?teamId=${team}&week=2026-11-16`, coach)).status).toBe(200);
  expect((await call('GET', '/api/v1/process-report?from=2026-10-01&to=2026-11-01', admin)).status).toBe(200);
  expect((await call('GET', '/api/v1/settings/connection', admin)).status).toBe(200);
  for (const path of h
    .routes()
    .map((r) => r.path)
    .filter((p) => /^\/api\/v1\/settings\/(pipelines|directory)$/.test(p)))
    await call('GET', path, admin);

  // Webhooks: a delivery with a canary property value, and a forged one.
  const events = JSON.stringify([
    {
      eventId: 9_100_001,
      subscriptionId: 1,
      portalId: A,
      appId: 1,
      occurredAt: Date.now(),
      subscriptionType: 'deal.propertyChange',
      attemptNumber: 0,
      objectId: Number(deal),
      propertyName: 'dealname',
      propertyValue: CANARY.webhookValue,
    },
  ]);
  const origin = h.env.PUBLIC_ORIGIN as string;
  const hook = signRequest({
    method: 'POST',
    url: `${origin}/webhooks/hubspot`,
    body: events,
    secret: CANARY.clientSecret,
    timestamp: Date.now(),
  });
  signatures.push(hook['X-HubSpot-Signature-v3']);
  const delivered = await fetch(`${h.backend.url}/webhooks/hubspot`, {
    method: 'POST',
    headers: { ...hook, 'content-type': 'application/json' },
    body: events,
  });
  expect(delivered.status).toBe(204);
  const forged = signRequest({
    method: 'POST',
    url: `${origin}/webhooks/hubspot`,
    body: events,
    secret: 'attacker',
    timestamp: Date.now(),
  });
  signatures.push(forged['X-HubSpot-Signature-v3']);
  await fetch(`${h.backend.url}/webhooks/hubspot`, {
    method: 'POST',
    headers: { ...forged, 'content-type': 'application/json' },
    body: events,
  });
  await h.backend.webhookProcessor.runOnce();

  // A forced refresh (HubSpot refused the access token), then the scheduled jobs of both portals.
  const oauth = h.backend.oauth;
  if (!oauth) throw new Error('not in OAuth mode');
  const firstAccess = await oauth.tokens.accessTokenFor(A);
  const refreshed = await oauth.tokens.accessTokenFor(A, { rejected: firstAccess });
  await h.backend.scheduler.tick();

  // The tokens HubSpot issued, read back from the store and opened with the canary key.
  const cipher = createTokenCipher(parseTokenKeys(`k1:${CANARY.tokenKey}`));
  const tokens: string[] = [firstAccess, refreshed];
  for (const p of [A, B]) {
    const row = await h.backend.store.installations.get(p);
    if (row?.refreshTokenSealed)
      tokens.push(cipher.decrypt(row.refreshTokenSealed, sealContext(p, 'refresh')));
    if (row?.accessTokenSealed) tokens.push(cipher.decrypt(row.accessTokenSealed, sealContext(p, 'access')));
    tokens.push(await oauth.tokens.accessTokenFor(p));
  }

  const lines = capturedLines();
  const log = lines.join('');
  // The flow was logged, at debug level, failures included.
  expect(lines.length).toBeGreaterThan(100);
  for (const expected of [
    'signature verified',
    'request refused',
    'signature rejected',
    'portal installed',
    'oauth state refused',
  ])
    expect(log).toContain(expected);

  const canaries: Array<[string, string]> = [
    ...Object.entries(CANARY),
    ['email (encoded)', encodeURIComponent(CANARY.email)],
    ...tokens.map((t, i): [string, string] => [`token ${i}`, t]),
    ...oauthValues.filter((v) => v.length >= 8).map((v, i): [string, string] => [`oauth value ${i}`, v]),
    ...signatures.map((s, i): [string, string] => [`signature ${i}`, s]),
  ];
  expect(tokens.length).toBeGreaterThanOrEqual(6);
  const leaked = canaries.filter(([, value]) => log.includes(value)).map(([name]) => name);
  expect(leaked).toEqual([]);
});
