import request from 'supertest';
import { AppError } from '../../../src/core/errors.js';
import { createHarness, KNOWN_PORTAL, rawRequest, SECRET } from './harness.js';

const ACCESS_TOKEN = 'pat-na1-canary-token-0000-1111-2222';
const BEARER = 'eyJhbGciOiJIUzI1NiJ9.canary-bearer-token.c2lnbmF0dXJl';
const EMAIL = 'canary.rep@example.com';
const NOTE_TEXT = 'canary coaching note: struggles with discovery calls';

describe('log canary (H1): secrets, tokens, signatures never reach a log line', () => {
  it('across accepted, refused and failing requests', async () => {
    let call = 0;
    const h = createHarness({
      activityMetrics: async (_input, ctx) => {
        call += 1;
        ctx.logger.info(
          { noteText: NOTE_TEXT, headers: { authorization: `Bearer ${BEARER}` } },
          'function log',
        );
        if (call === 1)
          throw new Error(`upstream said: invalid client secret ${SECRET} for Bearer ${BEARER}`);
        if (call === 2)
          throw new AppError('HUBSPOT_AUTH_EXPIRED', `token ${ACCESS_TOKEN} rejected`, {
            cause: new Error(SECRET),
          });
        // AppError messages are log text by contract, so callers keep note text out of them; the
        // note text here travels in a logged field and in a signed body instead.
        throw new AppError('INVALID_INPUT', 'bad input', { details: { noteBody: NOTE_TEXT } });
      },
    });
    const target = `/api/v1/activity-metrics?week=2024-03-06&portalId=${KNOWN_PORTAL}&userId=7&userEmail=${encodeURIComponent(EMAIL)}`;
    const signatures: string[] = [];

    for (let i = 0; i < 3; i += 1) {
      const headers = h.sign('GET', target);
      signatures.push(headers['X-HubSpot-Signature-v3']);
      await request(h.app)
        .get(target)
        .set(headers)
        .set('Authorization', `Bearer ${BEARER}`)
        .set('Cookie', `s=${BEARER}`);
    }
    // A forged one and a stale one: refused, and their signatures must not be logged either.
    const forged = { ...h.sign('GET', target, '', { secret: 'attacker-secret' }) };
    signatures.push(forged['X-HubSpot-Signature-v3']);
    await request(h.app).get(target).set(forged);
    const stale = h.sign('GET', target, '', { timestamp: h.clock.now - 400_000 });
    signatures.push(stale['X-HubSpot-Signature-v3']);
    await request(h.app).get(target).set(stale);
    // A signed body with note text.
    const body = JSON.stringify({ noteText: NOTE_TEXT });
    const withBody = { ...h.sign('GET', target, body), 'content-type': 'application/json' };
    signatures.push(withBody['X-HubSpot-Signature-v3']);
    await rawRequest(h.app, { method: 'GET', target, headers: withBody, body });

    const log = h.lines.join('');
    expect(h.lines.length).toBeGreaterThan(10);
    expect(log).toContain('request failed'); // the failures were logged…
    expect(log).toContain('upstream said'); // …with their cause
    for (const canary of [
      SECRET,
      ACCESS_TOKEN,
      BEARER,
      EMAIL,
      encodeURIComponent(EMAIL),
      NOTE_TEXT,
      ...signatures,
    ]) {
      expect(log).not.toContain(canary);
    }
  });
});
