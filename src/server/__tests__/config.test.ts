import { inspect } from 'node:util';
import { AppError } from '../../core/errors.js';
import { describeConfig, loadConfig, secretValues } from '../config.js';

const PROD_BASE = {
  NODE_ENV: 'production',
  HUBSPOT_CLIENT_SECRET: 'prod-client-secret-abcdef',
  HUBSPOT_CLIENT_ID: '6f1c1a2b-1111-2222-3333-444455556666',
  PUBLIC_ORIGIN: 'https://pillars.example.com',
  // OAuth mode's keys (32 bytes each, base64); see oauth-config.test.ts for their rules.
  PILLARS_TOKEN_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
  PILLARS_STATE_KEY: Buffer.alloc(32, 2).toString('base64'),
};

function configError(env: Record<string, string | undefined>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('runs with nothing set: development, SQLite, sandbox, generated secret', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 3000,
      publicOrigin: 'http://127.0.0.1:3000',
      maxBodyBytes: 102_400,
    });
    expect(config.storage).toEqual({ kind: 'sqlite', file: '.pillars/pillars.sqlite' });
    expect(config.hubspot.mode).toBe('sandbox');
    expect(config.hubspot.clientSecretSource).toBe('generated');
    expect(config.hubspot.clientSecret.reveal().length).toBeGreaterThanOrEqual(32);
    expect(config.hubspot.apiBaseUrl).toBe('https://api.hubapi.com');
    expect(config.redisUrl).toBeNull();
  });

  it('generates a different dev secret on every boot', () => {
    expect(loadConfig({}).hubspot.clientSecret.reveal()).not.toBe(
      loadConfig({}).hubspot.clientSecret.reveal(),
    );
  });

  it('derives the default public origin from PORT, and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '8080', HOST: '', LOG_LEVEL: '' });
    expect(config.server.publicOrigin).toBe('http://127.0.0.1:8080');
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.logLevel).toBe('info');
  });

  it('reads a full production environment', () => {
    const config = loadConfig({
      ...PROD_BASE,
      PORT: '443',
      HOST: '0.0.0.0',
      PUBLIC_ORIGIN: 'https://pillars.example.com/',
      LOG_LEVEL: 'warn',
      DATABASE_URL: 'postgresql://pillars:p%40ss@db.internal:5432/pillars',
      REDIS_URL: 'rediss://:redispw@cache.internal:6380',
      MAX_BODY_BYTES: '1048576',
      SANDBOX_SEED: '7',
      SANDBOX_SIZE: '40',
    });
    expect(config.server.publicOrigin).toBe('https://pillars.example.com');
    expect(config.hubspot.mode).toBe('oauth');
    expect(config.storage.kind).toBe('postgres');
    expect(config.server.maxBodyBytes).toBe(1_048_576);
    expect(config.sandbox).toEqual({ seed: 7, size: 40 });
  });

  it('picks token mode for a single-portal token without an OAuth app', () => {
    expect(loadConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-na1-aaaa' }).hubspot.mode).toBe('token');
  });

  it('reports every problem at once, each by variable name, without echoing values', () => {
    const error = configError({
      NODE_ENV: 'production',
      PORT: 'eighty',
      PUBLIC_ORIGIN: 'https://pillars.example.com/app',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'mysql://root:hunter2hunter2@db/pillars',
      REDIS_URL: 'http://cache',
      MAX_BODY_BYTES: '2000000',
      SANDBOX_SIZE: '99999999',
      HUBSPOT_API_BASE_URL: 'http://api.example.com',
    });
    expect(error.code).toBe('CONFIG_INVALID');
    for (const name of [
      'PORT',
      'PUBLIC_ORIGIN',
      'LOG_LEVEL',
      'DATABASE_URL',
      'REDIS_URL',
      'MAX_BODY_BYTES',
      'SANDBOX_SIZE',
      'HUBSPOT_API_BASE_URL',
      'HUBSPOT_CLIENT_SECRET',
      'HUBSPOT_CLIENT_ID',
    ]) {
      expect(error.message).toContain(name);
    }
    const problems = (error.details?.problems ?? []) as Array<{ variable: string }>;
    expect(problems.length).toBeGreaterThanOrEqual(10);
    expect(error.message).not.toContain('hunter2hunter2');
    expect(error.message).not.toContain('eighty');
  });

  it('refuses to start in production without the client secret (no skip flag exists)', () => {
    const { HUBSPOT_CLIENT_SECRET: _omitted, ...env } = PROD_BASE;
    const error = configError({ ...env, SKIP_SIGNATURE_VERIFICATION: 'true', HUBSPOT_SKIP_VERIFY: '1' });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/HUBSPOT_CLIENT_SECRET is required in production/);
  });

  it('requires PUBLIC_ORIGIN over https in production', () => {
    const { PUBLIC_ORIGIN: _omitted, ...env } = PROD_BASE;
    expect(configError(env).message).toMatch(/PUBLIC_ORIGIN is required in production/);
    expect(configError({ ...PROD_BASE, PUBLIC_ORIGIN: 'http://pillars.example.com' }).message).toMatch(
      /PUBLIC_ORIGIN must be https/,
    );
  });

  it('refuses the sandbox in production', () => {
    const { HUBSPOT_CLIENT_ID: _omitted, ...env } = PROD_BASE;
    expect(configError(env).message).toMatch(
      /HUBSPOT_CLIENT_ID or HUBSPOT_ACCESS_TOKEN is required in production/,
    );
  });

  it('requires the secret with an OAuth client id, even in development', () => {
    expect(configError({ HUBSPOT_CLIENT_ID: 'abc-123' }).message).toMatch(
      /HUBSPOT_CLIENT_SECRET is required when HUBSPOT_CLIENT_ID is set/,
    );
  });

  it('accepts postgres:// and postgresql://, nothing else', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@h/db' }).storage.kind).toBe('postgres');
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@h/db' }).storage.kind).toBe('postgres');
    expect(configError({ DATABASE_URL: 'sqlite:///tmp/x' }).message).toMatch(
      /DATABASE_URL must be a postgres/,
    );
  });

  it('bounds MAX_BODY_BYTES by the 1 MB hubspot.fetch cap', () => {
    expect(configError({ MAX_BODY_BYTES: '1048577' }).message).toMatch(/MAX_BODY_BYTES/);
    expect(configError({ MAX_BODY_BYTES: '-1' }).message).toMatch(/MAX_BODY_BYTES/);
  });

  it('allows plain-http HubSpot only for a loopback fake outside production', () => {
    expect(loadConfig({ HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9999/' }).hubspot.apiBaseUrl).toBe(
      'http://127.0.0.1:9999',
    );
    expect(configError({ ...PROD_BASE, HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9999' }).message).toMatch(
      /HUBSPOT_API_BASE_URL must be https/,
    );
  });
});

describe('describeConfig and secrets', () => {
  const config = loadConfig({
    ...PROD_BASE,
    HUBSPOT_ACCESS_TOKEN: 'pat-na1-11111111-2222-3333-4444-555555555555',
    DATABASE_URL:
      'postgres://pillars:db-password-123@db.internal:5432/pillars?sslmode=require&sslpassword=zzz',
    REDIS_URL: 'redis://default:redis-password-456@cache.internal:6379',
  });
  const secrets = [
    'prod-client-secret-abcdef',
    'pat-na1-11111111-2222-3333-4444-555555555555',
    'db-password-123',
    'redis-password-456',
    'zzz',
  ];

  it('masks every secret', () => {
    const description = JSON.stringify(describeConfig(config));
    for (const secret of secrets) expect(description).not.toContain(secret);
    expect(describeConfig(config)).toMatchObject({
      HUBSPOT_CLIENT_SECRET: 'set (****)',
      HUBSPOT_ACCESS_TOKEN: 'set (****)',
      DATABASE_URL: 'postgres://pillars:****@db.internal:5432/pillars?****',
      REDIS_URL: 'redis://default:****@cache.internal:6379',
      HUBSPOT_MODE: 'oauth',
    });
  });

  it('reports a generated development secret without showing it', () => {
    const dev = loadConfig({});
    const description = describeConfig(dev);
    expect(description.HUBSPOT_CLIENT_SECRET).toMatch(/generated a random secret/);
    expect(JSON.stringify(description)).not.toContain(dev.hubspot.clientSecret.reveal());
  });

  it('keeps secrets out of JSON, string conversion and util.inspect of the whole config', () => {
    for (const rendered of [
      JSON.stringify(config),
      inspect(config, { depth: 10 }),
      String(config.hubspot.clientSecret),
    ]) {
      for (const secret of secrets) expect(rendered).not.toContain(secret);
    }
  });

  it('lists the secret values for the log scrubber', () => {
    const values = secretValues(config);
    for (const secret of ['prod-client-secret-abcdef', 'db-password-123', 'redis-password-456']) {
      expect(values).toContain(secret);
    }
  });
});
