/**
 * The backend's configuration: one zod schema over the environment, parsed once at boot. Every
 * problem is reported together in one CONFIG_INVALID error naming each variable, so an operator
 * fixes a deployment in one round. `loadConfig` takes the env object: only the composition root
 * reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { parseTokenKeys } from '../oauth/token-cipher.js';
import { Secret } from './secret.js';

/** The environments the backend knows. */
export type NodeEnv = 'development' | 'test' | 'production';

/** pino's levels, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The largest body hubspot.fetch can send (1 MB); no route may accept more. */
export const MAX_BODY_BYTES_CEILING = 1_048_576;

/** Variables whose values are secrets: never logged, masked by `describeConfig`. */
export const SECRET_VARIABLES = [
  'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_ACCESS_TOKEN',
  'DATABASE_URL',
  'REDIS_URL',
  'METRICS_TOKEN',
  'PILLARS_TOKEN_KEYS',
  'PILLARS_STATE_KEY',
] as const;

/** Where HubSpot data comes from: an OAuth app (marketplace), one portal's token, or the built-in sandbox. */
export type HubSpotMode = 'oauth' | 'token' | 'sandbox';

/** The parsed configuration. Secrets are `Secret`s: they print as `[secret]`. */
export interface Config {
  env: NodeEnv;
  logLevel: LogLevel;
  server: {
    host: string;
    port: number;
    /** The public origin HubSpot calls (scheme://host[:port], no path); signatures cover it. */
    publicOrigin: string;
    /** Default body limit of signed routes, in bytes (≤ 1 MB). */
    maxBodyBytes: number;
  };
  hubspot: {
    mode: HubSpotMode;
    clientId: string | null;
    /** The app's client secret: the HMAC key of X-HubSpot-Signature-v3. */
    clientSecret: Secret;
    /** `generated`: development only, a random secret for this boot (nothing signed elsewhere verifies). */
    clientSecretSource: 'env' | 'generated';
    accessToken: Secret | null;
    apiBaseUrl: string;
  };
  storage: { kind: 'postgres'; url: Secret } | { kind: 'sqlite'; file: string };
  redisUrl: Secret | null;
  sandbox: { seed: number; size: number };
  /** How often the scheduler looks for due jobs, in ms; 0: this process runs no scheduled jobs. */
  schedulerIntervalMs: number;
  /** Bearer token of GET /metrics; without it, /metrics is open outside production and absent in production. */
  metricsToken: Secret | null;
  /** The marketplace app's OAuth settings: set exactly when hubspot.mode is 'oauth'. */
  oauth: OAuthConfig | null;
}

/** What OAuth installs need besides the client id and secret (see README, "Installing from the marketplace"). */
export interface OAuthConfig {
  /** PILLARS_TOKEN_KEYS as given (`keyId:base64key,...`, current first); parse with parseTokenKeys. */
  tokenKeys: Secret;
  /** PILLARS_STATE_KEY: the app key that signs OAuth `state` (never the client secret); use stateKeyBytes. */
  stateKey: Secret;
  /** Where HubSpot sends the installer back (must be one of the app's auth.redirectUrls). */
  redirectUrl: string;
  /** HubSpot's authorize page (the sandbox's in tests). */
  authorizeUrl: string;
  /** Days an uninstalled portal's data is kept before the purge (0: purge at the next purge run). */
  retentionDays: number;
}

/** The bytes of PILLARS_STATE_KEY (base64 or base64url). */
export function stateKeyBytes(secret: Secret): Buffer {
  return Buffer.from(secret.reveal().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** Where HubSpot's authorize page is unless OAUTH_AUTHORIZE_URL says otherwise. */
export const HUBSPOT_AUTHORIZE_URL = 'https://app.hubspot.com/oauth/authorize';
/** Default retention of an uninstalled portal's data (DESIGN: documented retention; threats E7). */
export const DEFAULT_RETENTION_DAYS = 30;
const MIN_STATE_KEY_BYTES = 32;

/** The variables `loadConfig` reads, one line each on what they mean. */
const VARIABLES = [
  'PORT', // TCP port to listen on (default 3000)
  'HOST', // interface to bind (default 127.0.0.1; 0.0.0.0 in containers)
  'PUBLIC_ORIGIN', // public origin HubSpot calls, e.g. https://pillars.example.com (required in production)
  'NODE_ENV', // development | test | production (default development)
  'LOG_LEVEL', // fatal | error | warn | info | debug | trace | silent (default info)
  'HUBSPOT_CLIENT_SECRET', // app client secret, verifies request signatures (required in production)
  'HUBSPOT_CLIENT_ID', // app client id; when set, the backend is an OAuth (marketplace) app
  'HUBSPOT_ACCESS_TOKEN', // single-portal token; without it and without an OAuth app, the sandbox serves data
  'HUBSPOT_API_BASE_URL', // HubSpot API origin (default https://api.hubapi.com)
  'DATABASE_URL', // postgres:// or postgresql:// URL; when absent, SQLite
  'SQLITE_FILE', // SQLite file when DATABASE_URL is absent (default .pillars/pillars.sqlite)
  'REDIS_URL', // redis:// or rediss:// URL for throttling shared across instances (optional)
  'SANDBOX_SEED', // seed of the generated demo portal (default 1)
  'SANDBOX_SIZE', // number of engagements in the generated demo portal (default 30000)
  'MAX_BODY_BYTES', // default body limit of signed routes in bytes (default 102400, at most 1048576)
  'SCHEDULER_INTERVAL_MS', // how often scheduled jobs are looked at (default 300000, 0 under NODE_ENV=test; 0: no jobs in this process)
  'METRICS_TOKEN', // bearer token of GET /metrics (required in production for /metrics to be served)
  'PILLARS_TOKEN_KEYS', // OAuth mode: keys sealing stored tokens, `keyId:base64(32 bytes)`, current first, comma-separated
  'PILLARS_STATE_KEY', // OAuth mode: base64 key (>= 32 bytes) signing the install `state`; not the client secret
  'OAUTH_REDIRECT_URL', // OAuth mode: the callback URL registered on the app (default PUBLIC_ORIGIN/oauth/callback)
  'OAUTH_AUTHORIZE_URL', // OAuth mode: HubSpot's authorize page (default https://app.hubspot.com/oauth/authorize)
  'PILLARS_RETENTION_DAYS', // days an uninstalled portal's data is kept before the purge (default 30)
] as const;
type Variable = (typeof VARIABLES)[number];

const DEFAULT_PORT = 3000;
/** How often scheduled jobs are looked at by default (jobs themselves run once per period). */
export const DEFAULT_SCHEDULER_INTERVAL_MS = 5 * 60_000;

/** Where the embedded SQLite database lives unless SQLITE_FILE says otherwise. */
export const DEFAULT_SQLITE_FILE = '.pillars/pillars.sqlite';

function wholeNumber(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d{1,16}$/, { error: message })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: message }).max(max, { error: message }));
}

function isUrl(value: string): boolean {
  return URL.canParse(value);
}

/** scheme://host[:port] with nothing after it (a trailing slash is tolerated and dropped). */
const originSchema = z
  .string()
  .refine(
    (value) => {
      if (!isUrl(value)) return false;
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') &&
        url.username === '' &&
        url.password === '' &&
        (value === url.origin || value === `${url.origin}/`)
      );
    },
    {
      error:
        'must be an origin like https://pillars.example.com (scheme and host, no path, query or credentials)',
    },
  )
  .transform((value) => new URL(value).origin);

const apiBaseSchema = z
  .string()
  .refine(
    (value) => {
      if (!isUrl(value)) return false;
      const url = new URL(value);
      return (
        (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.search === ''
      );
    },
    { error: 'must be an http(s) URL without credentials or query' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

/** An http(s) URL without credentials, query or fragment (the OAuth callback). */
const redirectUrlSchema = z.string().refine(
  (value) => {
    if (!isUrl(value)) return false;
    const url = new URL(value);
    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.username === '' &&
      url.search === '' &&
      url.hash === ''
    );
  },
  { error: 'must be an http(s) URL without credentials, query or fragment' },
);

const isPostgresUrl = (value: string): boolean => /^postgres(ql)?:\/\//i.test(value) && isUrl(value);
const postgresUrlSchema = z
  .string()
  .refine(isPostgresUrl, { error: 'must be a postgres:// or postgresql:// URL' });

const isRedisUrl = (value: string): boolean => /^rediss?:\/\//i.test(value) && isUrl(value);
const redisUrlSchema = z.string().refine(isRedisUrl, { error: 'must be a redis:// or rediss:// URL' });

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** One schema for the whole environment; conditional rules run even when other variables failed. */
const envSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'test', 'production'], { error: 'must be development, test or production' })
      .default('development'),
    PORT: wholeNumber(1, 65_535).optional(),
    HOST: z.string().default('127.0.0.1'),
    PUBLIC_ORIGIN: originSchema.optional(),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    HUBSPOT_CLIENT_SECRET: z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
    HUBSPOT_CLIENT_ID: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'must be the app client id (letters, digits and dashes)' })
      .optional(),
    HUBSPOT_ACCESS_TOKEN: z.string().optional(),
    HUBSPOT_API_BASE_URL: apiBaseSchema.default('https://api.hubapi.com'),
    DATABASE_URL: postgresUrlSchema.optional(),
    SQLITE_FILE: z.string().default(DEFAULT_SQLITE_FILE),
    REDIS_URL: redisUrlSchema.optional(),
    SANDBOX_SEED: wholeNumber(0, 2 ** 32 - 1).default(1),
    SANDBOX_SIZE: wholeNumber(0, 5_000_000).default(30_000),
    MAX_BODY_BYTES: wholeNumber(1_024, MAX_BODY_BYTES_CEILING).default(102_400),
    SCHEDULER_INTERVAL_MS: wholeNumber(0, 86_400_000).optional(),
    METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
    PILLARS_TOKEN_KEYS: z.string().optional(),
    PILLARS_STATE_KEY: z.string().optional(),
    OAUTH_REDIRECT_URL: redirectUrlSchema.optional(),
    OAUTH_AUTHORIZE_URL: apiBaseSchema.default(HUBSPOT_AUTHORIZE_URL),
    PILLARS_RETENTION_DAYS: wholeNumber(0, 3650).default(DEFAULT_RETENTION_DAYS),
  })
  .superRefine(
    (v, ctx) => {
      const production = v.NODE_ENV === 'production';
      const problem = (variable: Variable, message: string): void => {
        ctx.addIssue({ code: 'custom', path: [variable], message });
      };
      if (production && v.HUBSPOT_CLIENT_SECRET === undefined) {
        problem('HUBSPOT_CLIENT_SECRET', 'is required in production: without it no request can be verified');
      }
      if (!production && v.HUBSPOT_CLIENT_ID !== undefined && v.HUBSPOT_CLIENT_SECRET === undefined) {
        problem('HUBSPOT_CLIENT_SECRET', 'is required when HUBSPOT_CLIENT_ID is set');
      }
      if (production && v.PUBLIC_ORIGIN === undefined) {
        problem('PUBLIC_ORIGIN', 'is required in production: signatures cover the public URL');
      }
      if (production && v.PUBLIC_ORIGIN !== undefined && !v.PUBLIC_ORIGIN.startsWith('https://')) {
        problem('PUBLIC_ORIGIN', 'must be https in production (hubspot.fetch only calls https origins)');
      }
      if (production && v.HUBSPOT_CLIENT_ID === undefined && v.HUBSPOT_ACCESS_TOKEN === undefined) {
        problem(
          'HUBSPOT_CLIENT_ID',
          'or HUBSPOT_ACCESS_TOKEN is required in production (the sandbox is for development)',
        );
      }
      if (v.HUBSPOT_CLIENT_ID !== undefined) checkOAuth(v, production, problem);
      if (typeof v.HUBSPOT_API_BASE_URL === 'string' && v.HUBSPOT_API_BASE_URL.startsWith('http:')) {
        // Plain http only for a local fake of HubSpot, never in production.
        const host = URL.canParse(v.HUBSPOT_API_BASE_URL) ? new URL(v.HUBSPOT_API_BASE_URL).hostname : '';
        if (production || !LOOPBACK_HOSTS.has(host)) {
          problem(
            'HUBSPOT_API_BASE_URL',
            'must be https (plain http only for a loopback fake outside production)',
          );
        }
      }
    },
    { when: () => true },
  );

type ParsedEnv = z.output<typeof envSchema>;

/** The OAuth-mode rules (run with the other rules, so every problem is reported together). */
function checkOAuth(
  v: Partial<Record<string, unknown>>,
  production: boolean,
  problem: (variable: Variable, message: string) => void,
): void {
  const keys = v.PILLARS_TOKEN_KEYS;
  if (typeof keys !== 'string') {
    problem('PILLARS_TOKEN_KEYS', 'is required when HUBSPOT_CLIENT_ID is set: it seals the stored tokens');
  } else {
    try {
      parseTokenKeys(keys);
    } catch (e) {
      // parseTokenKeys names entries and sizes, never key material.
      const message = e instanceof Error ? e.message.replace(/^PILLARS_TOKEN_KEYS (is )?/, '') : 'is invalid';
      problem('PILLARS_TOKEN_KEYS', message);
    }
  }
  const stateKey = v.PILLARS_STATE_KEY;
  if (typeof stateKey !== 'string') {
    problem('PILLARS_STATE_KEY', 'is required when HUBSPOT_CLIENT_ID is set: it signs the install state');
  } else if (
    !/^[A-Za-z0-9+/_-]+={0,2}$/.test(stateKey) ||
    stateKeyBytes(new Secret(stateKey)).length < MIN_STATE_KEY_BYTES
  ) {
    problem('PILLARS_STATE_KEY', `must be base64 of at least ${MIN_STATE_KEY_BYTES} random bytes`);
  } else if (stateKey === v.HUBSPOT_CLIENT_SECRET) {
    problem('PILLARS_STATE_KEY', 'must not be the HubSpot client secret (use a separate app key)');
  }
  const redirect = v.OAUTH_REDIRECT_URL ?? (typeof v.PUBLIC_ORIGIN === 'string' ? undefined : null);
  if (redirect === null && production) {
    problem(
      'OAUTH_REDIRECT_URL',
      'is required in production when HUBSPOT_CLIENT_ID is set (or set PUBLIC_ORIGIN)',
    );
  }
  if (production && typeof redirect === 'string' && !redirect.startsWith('https://')) {
    problem('OAUTH_REDIRECT_URL', 'must be https in production');
  }
  const authorize = v.OAUTH_AUTHORIZE_URL;
  if (typeof authorize === 'string' && authorize.startsWith('http:')) {
    const host = URL.canParse(authorize) ? new URL(authorize).hostname : '';
    if (production || !LOOPBACK_HOSTS.has(host)) {
      problem(
        'OAUTH_AUTHORIZE_URL',
        'must be https (plain http only for a loopback fake outside production)',
      );
    }
  }
}

function toConfig(v: ParsedEnv): Config {
  const port = v.PORT ?? DEFAULT_PORT;
  const clientId = v.HUBSPOT_CLIENT_ID ?? null;
  const accessToken = v.HUBSPOT_ACCESS_TOKEN === undefined ? null : new Secret(v.HUBSPOT_ACCESS_TOKEN);
  const mode: HubSpotMode = clientId !== null ? 'oauth' : accessToken !== null ? 'token' : 'sandbox';
  return {
    env: v.NODE_ENV,
    logLevel: v.LOG_LEVEL,
    server: {
      host: v.HOST,
      port,
      publicOrigin: v.PUBLIC_ORIGIN ?? `http://127.0.0.1:${port}`,
      maxBodyBytes: v.MAX_BODY_BYTES,
    },
    hubspot: {
      mode,
      clientId,
      // Development without a secret still verifies every request, against a key nobody else has.
      clientSecret: new Secret(v.HUBSPOT_CLIENT_SECRET ?? randomBytes(32).toString('base64url')),
      clientSecretSource: v.HUBSPOT_CLIENT_SECRET === undefined ? 'generated' : 'env',
      accessToken,
      apiBaseUrl: v.HUBSPOT_API_BASE_URL,
    },
    storage:
      v.DATABASE_URL === undefined
        ? { kind: 'sqlite', file: v.SQLITE_FILE }
        : { kind: 'postgres', url: new Secret(v.DATABASE_URL) },
    redisUrl: v.REDIS_URL === undefined ? null : new Secret(v.REDIS_URL),
    sandbox: { seed: v.SANDBOX_SEED, size: v.SANDBOX_SIZE },
    // Tests boot many backends whose HubSpot request counts are asserted: no background jobs unless asked.
    schedulerIntervalMs:
      v.SCHEDULER_INTERVAL_MS ?? (v.NODE_ENV === 'test' ? 0 : DEFAULT_SCHEDULER_INTERVAL_MS),
    metricsToken: v.METRICS_TOKEN === undefined ? null : new Secret(v.METRICS_TOKEN),
    oauth:
      mode === 'oauth' && v.PILLARS_TOKEN_KEYS !== undefined && v.PILLARS_STATE_KEY !== undefined
        ? {
            tokenKeys: new Secret(v.PILLARS_TOKEN_KEYS),
            stateKey: new Secret(v.PILLARS_STATE_KEY),
            redirectUrl:
              v.OAUTH_REDIRECT_URL ?? `${v.PUBLIC_ORIGIN ?? `http://127.0.0.1:${port}`}/oauth/callback`,
            authorizeUrl: v.OAUTH_AUTHORIZE_URL,
            retentionDays: v.PILLARS_RETENTION_DAYS,
          }
        : null,
  };
}

/**
 * Parse the environment into a Config, or throw one AppError('CONFIG_INVALID') listing every bad or
 * missing variable by name (values are never echoed: some are secrets).
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input: Partial<Record<Variable, string>> = {};
  for (const name of VARIABLES) {
    const value = env[name];
    // An empty variable (`PORT=`) means "not set", as shells and compose files tend to produce it.
    if (value !== undefined && value !== '') input[name] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? 'environment'),
      problem: issue.message,
    }));
    const list = problems.map((p) => `${p.variable} ${p.problem}`).join('; ');
    throw new AppError('CONFIG_INVALID', `Invalid configuration (${problems.length} problem(s)): ${list}`, {
      details: { problems },
    });
  }
  return toConfig(parsed.data);
}

/** A URL with its password and query masked, for the startup log. */
function maskUrl(secret: Secret): string {
  const url = new URL(secret.reveal());
  const auth = url.username === '' ? '' : `${url.username}${url.password === '' ? '' : ':****'}@`;
  return `${url.protocol}//${auth}${url.host}${url.pathname}${url.search === '' ? '' : '?****'}`;
}

/** The configuration as a flat, log-safe record keyed by variable name: secrets masked. */
export function describeConfig(config: Config): Record<string, string | number> {
  return {
    NODE_ENV: config.env,
    LOG_LEVEL: config.logLevel,
    HOST: config.server.host,
    PORT: config.server.port,
    PUBLIC_ORIGIN: config.server.publicOrigin,
    MAX_BODY_BYTES: config.server.maxBodyBytes,
    HUBSPOT_MODE: config.hubspot.mode,
    HUBSPOT_CLIENT_ID: config.hubspot.clientId ?? 'not set',
    HUBSPOT_CLIENT_SECRET:
      config.hubspot.clientSecretSource === 'env'
        ? 'set (****)'
        : 'not set: generated a random secret for this boot; signed requests from HubSpot will fail',
    HUBSPOT_ACCESS_TOKEN: config.hubspot.accessToken === null ? 'not set' : 'set (****)',
    HUBSPOT_API_BASE_URL: config.hubspot.apiBaseUrl,
    DATABASE_URL: config.storage.kind === 'postgres' ? maskUrl(config.storage.url) : 'not set (SQLite)',
    SQLITE_FILE: config.storage.kind === 'sqlite' ? config.storage.file : 'unused (PostgreSQL)',
    REDIS_URL: config.redisUrl === null ? 'not set' : maskUrl(config.redisUrl),
    SANDBOX_SEED: config.sandbox.seed,
    SANDBOX_SIZE: config.sandbox.size,
    SCHEDULER_INTERVAL_MS: config.schedulerIntervalMs,
    METRICS_TOKEN: config.metricsToken === null ? 'not set' : '[secret]',
    PILLARS_TOKEN_KEYS: config.oauth === null ? 'not set' : 'set (****)',
    PILLARS_STATE_KEY: config.oauth === null ? 'not set' : 'set (****)',
    OAUTH_REDIRECT_URL: config.oauth?.redirectUrl ?? 'not set',
    OAUTH_AUTHORIZE_URL: config.oauth?.authorizeUrl ?? 'not set',
    PILLARS_RETENTION_DAYS: config.oauth?.retentionDays ?? 'not set',
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Every secret value in the config, so the logger can scrub them from any line. */
export function secretValues(config: Config): string[] {
  const values = [config.hubspot.clientSecret.reveal()];
  if (config.hubspot.accessToken !== null) values.push(config.hubspot.accessToken.reveal());
  if (config.metricsToken !== null) values.push(config.metricsToken.reveal());
  if (config.oauth !== null) {
    const keys = config.oauth.tokenKeys.reveal();
    values.push(keys, config.oauth.stateKey.reveal());
    for (const entry of keys.split(',')) values.push(entry.slice(entry.indexOf(':') + 1).trim());
  }
  for (const secret of [config.storage.kind === 'postgres' ? config.storage.url : null, config.redisUrl]) {
    if (secret === null) continue;
    values.push(secret.reveal());
    const password = URL.canParse(secret.reveal()) ? new URL(secret.reveal()).password : '';
    if (password !== '') values.push(password, safeDecode(password));
  }
  return values.filter((v) => v.length >= 4);
}
