import { Writable } from 'node:stream';
import { AppError } from '../../core/errors.js';
import { loadConfig } from '../config.js';
import { createLineScrubber, redactFields, redactUrl } from '../log-redaction.js';
import { createLogger } from '../logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { lines, destination };
}

const SECRET = 'client-secret-canary-42';
const TOKEN = 'pat-na1-aaaabbbb-cccc-dddd-eeee-ffff00001111';

describe('createLogger', () => {
  const config = loadConfig({
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    LOG_LEVEL: 'debug',
  });

  it('writes JSON lines to the given destination, at the configured level', () => {
    const { lines, destination } = capture();
    const logger = createLogger(config, destination);
    logger.trace('hidden');
    logger.debug({ portalId: 1 }, 'shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      level: 20,
      portalId: 1,
      msg: 'shown',
      service: 'pillars-backend',
    });
  });

  it('redacts headers, tokens, secrets and note text by key, at any depth and in child bindings', () => {
    const { lines, destination } = capture();
    const logger = createLogger(config, destination).child({ accessToken: 'child-binding-token' });
    logger.info(
      {
        req: {
          headers: {
            authorization: 'Bearer abc',
            'x-hubspot-signature-v3': 'sig==',
            'x-hubspot-signature': 'v2',
          },
        },
        deep: {
          a: { b: { refresh_token: 'rt', clientSecret: 'cs', noteText: 'private', requestBody: { x: 1 } } },
        },
        notes: 12,
        context: 'kept',
      },
      'line',
    );
    const line = lines.join('');
    for (const leak of [
      'Bearer abc',
      'sig==',
      '"v2"',
      '"rt"',
      '"cs"',
      'private',
      '"x":1',
      'child-binding-token',
    ]) {
      expect(line).not.toContain(leak);
    }
    expect(JSON.parse(line)).toMatchObject({ notes: 12, context: 'kept' });
  });

  it('scrubs configured secret values from messages, errors, causes and stacks', () => {
    const { lines, destination } = capture();
    const logger = createLogger(config, destination);
    const error = new AppError('INTERNAL', `failed with ${SECRET}`, { cause: new Error(`token ${TOKEN}`) });
    logger.error({ err: error }, `message ${SECRET}`);
    logger.error(new Error(`bare ${TOKEN}`));
    const text = lines.join('');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
    const first = JSON.parse(lines[0] ?? '{}') as {
      err: { type: string; code: string; cause: { message: string } };
    };
    expect(first.err.type).toBe('AppError');
    expect(first.err.code).toBe('INTERNAL');
    expect(first.err.cause.message).toBe('token [Redacted]');
  });
});

describe('log redaction helpers', () => {
  it('scrubs bearer credentials, HubSpot tokens and userEmail values anywhere in a line', () => {
    const scrub = createLineScrubber(['s3cr3t-value']);
    expect(scrub('auth Bearer eyJ.abc-def_1 end')).toBe('auth Bearer [Redacted] end');
    expect(scrub('basic Basic dXNlcjpwYXNz')).toBe('basic Basic [Redacted]');
    expect(scrub('t=pat-eu1-12345678-aaaa')).toBe('t=[Redacted]');
    expect(scrub('"/p?portalId=1&userEmail=a%40b.com&x=1"')).toBe('"/p?portalId=1&userEmail=[Redacted]&x=1"');
    expect(scrub('{"m":"s3cr3t-value"}')).toBe('{"m":"[Redacted]"}');
  });

  it('redactUrl removes userEmail values only', () => {
    expect(redactUrl('/a?userEmail=x%40y.z&portalId=2')).toBe('/a?userEmail=[Redacted]&portalId=2');
    expect(redactUrl('/a?portalId=2')).toBe('/a?portalId=2');
  });

  it('redactFields keeps numbers under text-like keys and truncates runaway depth', () => {
    expect(redactFields({ notes: 3, noteBody: 'x', body: null })).toEqual({
      notes: 3,
      noteBody: '[Redacted]',
      body: null,
    });
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 12; i += 1) deep = { next: deep };
    expect(JSON.stringify(redactFields(deep))).toContain('[Truncated]');
  });
});
