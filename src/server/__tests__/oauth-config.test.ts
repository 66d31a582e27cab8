import { inspect } from 'node:util';
import { AppError } from '../../core/errors.js';
import { describeConfig, loadConfig, secretValues, stateKeyBytes } from '../config.js';

const TOKEN_KEY = Buffer.alloc(32, 7).toString('base64');
const STATE_KEY = Buffer.alloc(48, 9).toString('base64');
const OAUTH = {
  HUBSPOT_CLIENT_ID: 'app-123',
  HUBSPOT_CLIENT_SECRET: 'oauth-client-secret-1234',
  PILLARS_TOKEN_KEYS: `k2:${TOKEN_KEY},k1:${Buffer.alloc(32, 8).toString('base64')}`,
  PILLARS_STATE_KEY: STATE_KEY,
};

function configError(env: Record<string, string>): AppError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('OAuth configuration', () => {
  it('is null outside OAuth mode and filled in OAuth mode, with defaults', () => {
    expect(loadConfig({}).oauth).toBeNull();
    expect(loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-x' }).oauth).toBeNull();
    const config = loadConfig({ ...OAUTH, PUBLIC_ORIGIN: 'https://pillars.example.com' });
    expect(config.hubspot.mode).toBe('oauth');
    expect(config.oauth).toMatchObject({
      redirectUrl: 'https://pillars.example.com/oauth/callback',
      authorizeUrl: 'https://app.hubspot.com/oauth/authorize',
      retentionDays: 30,
    });
    const stateKey = config.oauth?.stateKey;
    expect(stateKey === undefined ? 0 : stateKeyBytes(stateKey).length).toBe(48);
  });

  it('takes OAUTH_REDIRECT_URL, OAUTH_AUTHORIZE_URL and PILLARS_RETENTION_DAYS', () => {
    const config = loadConfig({
      ...OAUTH,
      OAUTH_REDIRECT_URL: 'http://localhost:3000/oauth/callback',
      OAUTH_AUTHORIZE_URL: 'http://127.0.0.1:4010/oauth/authorize',
      PILLARS_RETENTION_DAYS: '0',
    });
    expect(config.oauth).toMatchObject({
      redirectUrl: 'http://localhost:3000/oauth/callback',
      authorizeUrl: 'http://127.0.0.1:4010/oauth/authorize',
      retentionDays: 0,
    });
  });

  it('reports every missing or bad OAuth variable at once, without echoing values', () => {
    const missing = configError({
      HUBSPOT_CLIENT_ID: 'app-123',
      HUBSPOT_CLIENT_SECRET: 'oauth-client-secret-1234',
    });
    expect(missing.message).toMatch(/PILLARS_TOKEN_KEYS is required when HUBSPOT_CLIENT_ID is set/);
    expect(missing.message).toMatch(/PILLARS_STATE_KEY is required when HUBSPOT_CLIENT_ID is set/);

    const bad = configError({
      NODE_ENV: 'production',
      PUBLIC_ORIGIN: 'https://pillars.example.com',
      HUBSPOT_CLIENT_ID: 'app-123',
      HUBSPOT_CLIENT_SECRET: 'oauth-client-secret-1234',
      PILLARS_TOKEN_KEYS: 'k1:c2hvcnQ=',
      PILLARS_STATE_KEY: 'too-short-state-key',
      OAUTH_REDIRECT_URL: 'http://pillars.example.com/oauth/callback',
      OAUTH_AUTHORIZE_URL: 'http://app.hubspot.com/oauth/authorize',
      PILLARS_RETENTION_DAYS: 'forever',
    });
    for (const name of [
      'PILLARS_TOKEN_KEYS',
      'PILLARS_STATE_KEY',
      'OAUTH_REDIRECT_URL',
      'OAUTH_AUTHORIZE_URL',
      'PILLARS_RETENTION_DAYS',
    ]) {
      expect(bad.message).toContain(name);
    }
    expect(bad.message).not.toContain('c2hvcnQ=');
    expect(bad.message).not.toContain('too-short-state-key');
  });

  it('refuses the client secret as the state key', () => {
    const secret = Buffer.alloc(40, 3).toString('base64');
    const error = configError({ ...OAUTH, HUBSPOT_CLIENT_SECRET: secret, PILLARS_STATE_KEY: secret });
    expect(error.message).toMatch(/PILLARS_STATE_KEY must not be the HubSpot client secret/);
  });

  it('masks the keys everywhere and lists them for the log scrubber', () => {
    const config = loadConfig(OAUTH);
    const rendered = [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      JSON.stringify(describeConfig(config)),
    ];
    for (const text of rendered) {
      expect(text).not.toContain(TOKEN_KEY);
      expect(text).not.toContain(STATE_KEY);
    }
    expect(describeConfig(config)).toMatchObject({
      PILLARS_TOKEN_KEYS: 'set (****)',
      PILLARS_STATE_KEY: 'set (****)',
    });
    expect(secretValues(config)).toEqual(expect.arrayContaining([TOKEN_KEY, STATE_KEY]));
  });
});
