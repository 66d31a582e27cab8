#!/usr/bin/env node
// Offline structure check of the HubSpot project (hsproject.json + srcDir), for CI.
//
// HubSpot's full validation needs an account and downloads JSON schemas; `translate` with
// `skipValidation: true` only parses, applies a profile and rejects duplicate uids (reference
// §2.11). So this script runs that parse once per profile and adds the checks a reviewer would
// otherwise do by hand: pinned project fields, folder placement, hsmeta keys and uids, the
// marketplace/OAuth shape of the app, permittedUrls against the profile's BACKEND_ORIGIN, card
// locations and objectTypes, entry points, and requiredScopes against the scope table in
// docs/hubspot-project.md (a scope added without documentation fails).
//
//   node scripts/check-project.mjs [--project <dir>]
//
// Exit 0 when everything holds; 1 with one line per problem otherwise; 2 on bad arguments.
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  ALLOWED_TOP_LEVEL_FIELDS,
  Components,
  METAFILE_EXTENSION,
} from '@hubspot/project-parsing-lib/constants';
import { getAllHsProfiles } from '@hubspot/project-parsing-lib/profiles';
import {
  isKnownPlatformVersion,
  meetsMinimumPlatformVersion,
  validateProjectConfig,
} from '@hubspot/project-parsing-lib/projects';
import { translate } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';

// Pinned on purpose: renaming the project creates a new HubSpot project, and a platform upgrade is
// a deliberate migration (reference §1.1, pitfall 18).
const EXPECTED = { name: 'pillars', platformVersion: '2026.03' };
const SCOPES_DOC = 'docs/hubspot-project.md';
const BACKEND_ORIGIN = 'BACKEND_ORIGIN';
const WEBHOOK_TARGET_URL = 'WEBHOOK_TARGET_URL';

// Card placement and record types this app may use (reference §2.4). A new value is a decision:
// add it here together with the card that needs it.
const CARD_LOCATIONS = new Set(['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar']);
const CARD_OBJECT_TYPES = new Set(['contacts', 'companies', 'deals', 'tickets']);
const ENTRYPOINT_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx']);
const TOP_LEVEL_DIRS = new Set(
  Object.values(Components)
    .filter((c) => c.isToplevel)
    .map((c) => c.dir),
);
const APP_SUB_DIRS = new Set(
  Object.values(Components)
    .filter((c) => c.parentComponent === 'app')
    .map((c) => c.dir),
);
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git']);

/** Problems keyed by text; `profiles` records which profiles saw it, to print each once. */
class Problems {
  #items = new Map();

  add(where, message, profile) {
    const key = `${where}: ${message}`;
    const entry = this.#items.get(key) ?? { profiles: new Set(), always: false };
    if (profile === undefined) entry.always = true;
    else entry.profiles.add(profile);
    this.#items.set(key, entry);
  }

  get size() {
    return this.#items.size;
  }

  lines(allProfiles) {
    return [...this.#items].map(([key, { profiles, always }]) => {
      if (always || profiles.size === allProfiles.length) return key;
      return `${key} [profile ${[...profiles].join(', ')}]`;
    });
  }
}

function parseArgs(argv) {
  const args = { project: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--project' && argv[i + 1]) {
      args.project = path.resolve(argv[i + 1]);
      i += 1;
    } else {
      throw new Error(`unknown argument "${argv[i]}" (usage: check-project.mjs [--project <dir>])`);
    }
  }
  return args;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.trim() !== '';

function parseUrl(value) {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** An https origin exactly as HubSpot expects it: scheme + host (+ port), no path, no slash. */
function isHttpsOrigin(value) {
  const url = typeof value === 'string' ? parseUrl(value) : undefined;
  return url !== undefined && url.protocol === 'https:' && url.origin === value;
}

function isHttpsUrl(value) {
  const url = typeof value === 'string' ? parseUrl(value) : undefined;
  return url !== undefined && url.protocol === 'https:';
}

/** OAuth redirect URLs: https, or plain http to a loopback host for local development. */
function isRedirectUrl(value) {
  const url = typeof value === 'string' ? parseUrl(value) : undefined;
  if (!url) return false;
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname))
  );
}

function readJsonFile(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** hsproject.json: readable, HubSpot's own field checks, and our pins. Returns srcDir or undefined. */
function checkProjectConfig(projectDir, problems) {
  const file = path.join(projectDir, 'hsproject.json');
  let config;
  try {
    config = readJsonFile(file);
  } catch (error) {
    problems.add('hsproject.json', `cannot be read as JSON (${error.message})`);
    return undefined;
  }
  try {
    validateProjectConfig(config, projectDir);
  } catch (error) {
    problems.add('hsproject.json', error.message);
    return undefined;
  }
  if (config.name !== EXPECTED.name) {
    problems.add(
      'hsproject.json',
      `name is "${config.name}", expected "${EXPECTED.name}" (a rename creates a new HubSpot project)`,
    );
  }
  if (!isKnownPlatformVersion(config.platformVersion)) {
    problems.add(
      'hsproject.json',
      `platformVersion "${config.platformVersion}" is not a version HubSpot's tooling knows`,
    );
  } else if (config.platformVersion !== EXPECTED.platformVersion) {
    problems.add(
      'hsproject.json',
      `platformVersion is "${config.platformVersion}", pinned to "${EXPECTED.platformVersion}"`,
    );
  }
  return { srcDir: path.resolve(projectDir, config.srcDir), platformVersion: config.platformVersion };
}

/** All `*-hsmeta.json` files under srcDir, and problems with folders that HubSpot would skip. */
function walkSource(srcDir, problems) {
  const metaFiles = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(METAFILE_EXTENSION)) metaFiles.push(path.relative(srcDir, full));
    }
  };
  visit(srcDir);

  const placed = [];
  for (const rel of metaFiles) {
    const parts = path.dirname(rel).split(path.sep);
    if (parts.length === 1 && TOP_LEVEL_DIRS.has(parts[0])) placed.push(rel);
    else if (parts.length === 2 && parts[0] === 'app' && APP_SUB_DIRS.has(parts[1])) placed.push(rel);
    else if (parts.length > 2 && parts[0] === 'app' && APP_SUB_DIRS.has(parts[1])) {
      problems.add(
        rel,
        `is nested inside app/${parts[1]}/; component files must sit directly in their folder (HubSpot skips it)`,
      );
    } else {
      problems.add(
        rel,
        `is not in a HubSpot component folder (app/ or app/{${[...APP_SUB_DIRS].join(',')}}); HubSpot skips it`,
      );
    }
  }

  const appDir = path.join(srcDir, 'app');
  if (fs.existsSync(appDir)) {
    for (const entry of fs.readdirSync(appDir, { withFileTypes: true })) {
      if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !APP_SUB_DIRS.has(entry.name)) {
        problems.add(
          `app/${entry.name}/`,
          'is not a HubSpot component folder; move its code into the component that uses it',
        );
      }
    }
  }
  return placed;
}

/** Per-file checks that need no profile: JSON, top-level keys, type vs folder, uids, singular components. */
function checkMetaFiles(srcDir, platformVersion, metaFiles, problems) {
  const parsed = [];
  const uids = new Map();
  const perDir = new Map();
  const permissionsAllowed = meetsMinimumPlatformVersion(platformVersion, '2026.09-beta');
  for (const rel of metaFiles) {
    let content;
    try {
      content = readJsonFile(path.join(srcDir, rel));
    } catch (error) {
      problems.add(rel, `is not valid JSON (${error.message})`);
      continue;
    }
    if (!isObject(content)) {
      problems.add(rel, 'must be a JSON object');
      continue;
    }
    for (const key of Object.keys(content)) {
      if (!ALLOWED_TOP_LEVEL_FIELDS.has(key)) {
        problems.add(rel, `has top-level key "${key}"; allowed: ${[...ALLOWED_TOP_LEVEL_FIELDS].join(', ')}`);
      } else if (key === 'permissions' && !permissionsAllowed) {
        problems.add(rel, `has "permissions", which needs platformVersion 2026.09-beta or later`);
      }
    }
    const dir = path.dirname(rel).split(path.sep).at(-1);
    const component = Components[content.type];
    if (typeof content.type !== 'string' || !component) {
      problems.add(rel, `has unknown type "${content.type}"`);
    } else if (component.dir !== dir) {
      problems.add(
        rel,
        `has type "${content.type}", which belongs in ${component.parentComponent ? `${component.parentComponent}/` : ''}${component.dir}/`,
      );
    } else if (content.type === 'app-function') {
      problems.add(rel, 'is an app function; marketplace (OAuth) apps cannot contain them (reference §1.2)');
    }
    if (!isObject(content.config)) problems.add(rel, 'has no config object');
    if (typeof content.uid !== 'string') {
      problems.add(rel, 'has no uid');
    } else {
      // Profile variables may appear in uids; those are checked after substitution.
      if (!content.uid.includes('${')) {
        const invalid = validateUid(content.uid);
        if (invalid) problems.add(rel, `uid "${content.uid}": ${invalid}`);
      }
      uids.set(content.uid, [...(uids.get(content.uid) ?? []), rel]);
    }
    perDir.set(dir, [...(perDir.get(dir) ?? []), { rel, type: content.type }]);
    parsed.push({ rel, content });
  }
  for (const [uid, files] of uids) {
    if (files.length > 1)
      problems.add(files.join(', '), `duplicate uid "${uid}" (uids must be unique in the project)`);
  }
  for (const [dir, files] of perDir) {
    const component = Object.values(Components).find((c) => c.dir === dir);
    if (component?.singularComponent && files.length > 1) {
      problems.add(
        files.map((f) => f.rel).join(', '),
        `only one ${component.userFriendlyName} component is allowed in ${dir}/`,
      );
    }
  }
  return parsed;
}

/** The scope table of docs/hubspot-project.md: `| \`scope\` | required/optional/conditionally required | ...`. */
function readDocumentedScopes(projectDir, problems) {
  const file = path.join(projectDir, SCOPES_DOC);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    problems.add(SCOPES_DOC, 'is missing; it must document every scope the app requests');
    return undefined;
  }
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((line) => /^#{2,3}\s.*\bscopes\b/i.test(line));
  if (start === -1) {
    problems.add(SCOPES_DOC, 'has no "## Scopes" section');
    return undefined;
  }
  const documented = { required: new Set(), optional: new Set(), conditional: new Set() };
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (/^#{1,3}\s/.test(line)) break;
    if (!line.trim().startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
    const scope = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (!scope) continue; // header or separator row
    const kind = (cells[1] ?? '').toLowerCase();
    const set =
      { required: documented.required, optional: documented.optional }[kind] ??
      (kind.startsWith('conditionally') ? documented.conditional : undefined);
    if (set) {
      set.add(scope);
    } else {
      problems.add(
        SCOPES_DOC,
        `scope ${scope} has kind "${cells[1]}"; use required, optional or conditionally required`,
      );
    }
  }
  if (documented.required.size === 0) {
    problems.add(SCOPES_DOC, 'the Scopes section has no table of required scopes');
  }
  return documented;
}

function checkScopeList(where, field, value, documented, problems, profile) {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((s) => !isNonEmptyString(s))) {
    problems.add(where, `auth.${field} must be a list of scope names`, profile);
    return;
  }
  const seen = new Set();
  for (const scope of value) {
    if (seen.has(scope)) problems.add(where, `auth.${field} lists "${scope}" twice`, profile);
    seen.add(scope);
  }
  if (!documented) return;
  for (const scope of seen) {
    if (!documented.has(scope)) {
      problems.add(
        where,
        `auth.${field} has "${scope}", which the scope table in ${SCOPES_DOC} does not document as ${field.replace('Scopes', '')}`,
        profile,
      );
    }
  }
  for (const scope of documented) {
    if (!seen.has(scope)) {
      problems.add(
        where,
        `${SCOPES_DOC} documents "${scope}" in ${field}, but auth.${field} does not request it`,
        profile,
      );
    }
  }
}

function checkApp(where, config, variables, documented, problems, profile) {
  if (config.distribution !== 'marketplace') {
    problems.add(
      where,
      `distribution is "${config.distribution}", expected "marketplace" (switching later uninstalls every account)`,
      profile,
    );
  }
  const auth = isObject(config.auth) ? config.auth : {};
  if (auth.type !== 'oauth')
    problems.add(
      where,
      `auth.type is "${auth.type}", expected "oauth" (the only type a marketplace app may use)`,
      profile,
    );
  if (!Array.isArray(auth.redirectUrls) || auth.redirectUrls.length === 0) {
    problems.add(where, 'auth.redirectUrls must list the OAuth callback URL', profile);
  } else {
    for (const url of auth.redirectUrls) {
      if (!isRedirectUrl(url))
        problems.add(
          where,
          `auth.redirectUrls has "${url}", which is not an https (or http://localhost) URL`,
          profile,
        );
    }
  }
  checkScopeList(where, 'requiredScopes', auth.requiredScopes ?? [], documented?.required, problems, profile);
  checkScopeList(where, 'optionalScopes', auth.optionalScopes ?? [], documented?.optional, problems, profile);
  checkScopeList(
    where,
    'conditionallyRequiredScopes',
    auth.conditionallyRequiredScopes ?? [],
    documented?.conditional,
    problems,
    profile,
  );

  const backend = variables[BACKEND_ORIGIN];
  if (!isHttpsOrigin(backend)) {
    problems.add(
      `hsprofile.${profile}.json`,
      `${BACKEND_ORIGIN} is ${JSON.stringify(backend)}; it must be an https origin (https://host, no path)`,
      profile,
    );
  }
  const permitted = isObject(config.permittedUrls) ? config.permittedUrls : {};
  const fetchUrls = permitted.fetch;
  if (!Array.isArray(fetchUrls)) {
    problems.add(where, `permittedUrls.fetch must list the backend origin (\${${BACKEND_ORIGIN}})`, profile);
  } else {
    for (const url of fetchUrls.filter((u) => !isHttpsOrigin(u))) {
      problems.add(
        where,
        `permittedUrls.fetch has "${url}", which is not an https origin (https://host, no path)`,
        profile,
      );
    }
    if (fetchUrls.length !== 1 || fetchUrls[0] !== backend) {
      problems.add(
        where,
        `permittedUrls.fetch is ${JSON.stringify(fetchUrls)}, expected exactly the profile's ${BACKEND_ORIGIN} ${JSON.stringify([backend])}`,
        profile,
      );
    }
  }
  for (const kind of ['iframe', 'img']) {
    const urls = permitted[kind] ?? [];
    if (!Array.isArray(urls)) {
      problems.add(where, `permittedUrls.${kind} must be a list`, profile);
      continue;
    }
    for (const url of urls.filter((u) => !isHttpsOrigin(u))) {
      problems.add(where, `permittedUrls.${kind} has "${url}", which is not an https origin`, profile);
    }
  }
  const support = isObject(config.support) ? config.support : {};
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(support.supportEmail ?? ''))) {
    problems.add(where, 'support.supportEmail must be an email address', profile);
  }
  for (const field of ['documentationUrl', 'supportUrl']) {
    if (!isHttpsUrl(support[field])) problems.add(where, `support.${field} must be an https URL`, profile);
  }
  if (!isNonEmptyString(config.name)) problems.add(where, 'config.name is missing', profile);
  if (!isNonEmptyString(config.description)) problems.add(where, 'config.description is missing', profile);
}

/** A UI extension's entry file exists in its own folder (HubSpot builds each folder on its own). */
function checkEntrypoint(srcDir, where, metaRel, entrypoint, problems, profile) {
  if (!isNonEmptyString(entrypoint) || !entrypoint.startsWith('/')) {
    problems.add(
      where,
      `config.entrypoint must be a path from srcDir such as "/app/cards/Card.tsx", got ${JSON.stringify(entrypoint)}`,
      profile,
    );
    return;
  }
  const file = path.join(srcDir, entrypoint);
  const folder = path.join(srcDir, path.dirname(metaRel));
  if (!ENTRYPOINT_EXTENSIONS.has(path.extname(file))) {
    problems.add(
      where,
      `entrypoint ${entrypoint} must be a ${[...ENTRYPOINT_EXTENSIONS].join('/')} file`,
      profile,
    );
  }
  if (path.dirname(file) !== folder) {
    problems.add(
      where,
      `entrypoint ${entrypoint} must sit directly in ${path.relative(srcDir, folder)}/`,
      profile,
    );
  }
  if (!fs.existsSync(file)) problems.add(where, `entrypoint ${entrypoint} does not exist`, profile);
  if (!fs.existsSync(path.join(folder, 'package.json'))) {
    problems.add(
      `${path.relative(srcDir, folder)}/`,
      'has no package.json; HubSpot installs and builds each UI folder from its own package.json',
      profile,
    );
  }
}

/**
 * `${NAME}` substitution as project-parsing-lib applies it (src/lib/profiles.js): a value that is
 * exactly one placeholder keeps the variable's type, embedded placeholders become strings. Only
 * used when the parser itself failed, so the remaining checks still run. Unknown names stay as-is.
 */
function substitute(value, variables) {
  if (typeof value === 'string') {
    const whole = /^\$\{([^}]+)\}$/.exec(value);
    if (whole && whole[1] in variables) return variables[whole[1]];
    return value.replace(/\$\{(.*?)\}/g, (match, name) =>
      name in variables ? String(variables[name]) : match,
    );
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, variables));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, variables)]));
  return value;
}

function checkNode(srcDir, node, source, variables, documented, problems, profile) {
  const where = source.rel;
  const config = isObject(node.config) ? node.config : {};
  const invalidUid = validateUid(node.uid);
  if (invalidUid) problems.add(where, `uid "${node.uid}": ${invalidUid}`, profile);
  switch (source.content.type) {
    case 'app':
      checkApp(where, config, variables, documented, problems, profile);
      break;
    case 'card':
      if (!isNonEmptyString(config.name))
        problems.add(where, 'config.name (the card title) is missing', profile);
      if (!CARD_LOCATIONS.has(config.location)) {
        problems.add(
          where,
          `location "${config.location}" is not one of ${[...CARD_LOCATIONS].join(', ')}`,
          profile,
        );
      }
      if (!Array.isArray(config.objectTypes) || config.objectTypes.length === 0) {
        problems.add(where, 'objectTypes must list the record types the card appears on', profile);
      } else {
        for (const type of config.objectTypes) {
          if (!CARD_OBJECT_TYPES.has(type)) {
            problems.add(
              where,
              `objectTypes has "${type}"; allowed: ${[...CARD_OBJECT_TYPES].join(', ')}`,
              profile,
            );
          }
        }
      }
      checkEntrypoint(srcDir, where, source.rel, config.entrypoint, problems, profile);
      break;
    case 'page':
      // The app home page: type "page" with location "home" (type "pages" is the router variant).
      if (config.location !== 'home')
        problems.add(
          where,
          `location "${config.location}" must be "home" for a type "page" component`,
          profile,
        );
      checkEntrypoint(srcDir, where, source.rel, config.entrypoint, problems, profile);
      break;
    case 'pages':
    case 'settings':
      checkEntrypoint(srcDir, where, source.rel, config.entrypoint, problems, profile);
      break;
    case 'webhooks': {
      const settings = isObject(config.settings) ? config.settings : {};
      if (!isHttpsUrl(settings.targetUrl))
        problems.add(where, 'settings.targetUrl must be an https URL', profile);
      else if (
        variables[WEBHOOK_TARGET_URL] !== undefined &&
        settings.targetUrl !== variables[WEBHOOK_TARGET_URL]
      ) {
        problems.add(where, `settings.targetUrl must be the profile's ${WEBHOOK_TARGET_URL}`, profile);
      }
      if (!Number.isInteger(settings.maxConcurrentRequests) || settings.maxConcurrentRequests < 1) {
        problems.add(where, 'settings.maxConcurrentRequests must be a positive integer', profile);
      }
      break;
    }
    default:
      break;
  }
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  const problems = new Problems();
  const project = checkProjectConfig(args.project, problems);
  let profiles = [];
  let components = 0;
  if (project) {
    const { srcDir, platformVersion } = project;
    const metaFiles = walkSource(srcDir, problems);
    const parsed = checkMetaFiles(srcDir, platformVersion, metaFiles, problems);
    components = parsed.length;
    const apps = parsed.filter((p) => p.content.type === 'app');
    if (apps.length !== 1)
      problems.add(
        path.relative(args.project, srcDir),
        `must hold exactly one app component (found ${apps.length})`,
      );
    const documented = readDocumentedScopes(args.project, problems);
    const bySourceFile = new Map(parsed.map((p) => [p.rel.split(path.sep).join('/'), p]));

    profiles = await getAllHsProfiles(srcDir);
    if (profiles.length === 0)
      problems.add(
        path.relative(args.project, srcDir),
        'has no hsprofile.<name>.json; the app config needs profile variables',
      );
    for (const profile of profiles) {
      const profileFile = `hsprofile.${profile}.json`;
      let profileContent;
      try {
        profileContent = readJsonFile(path.join(srcDir, profileFile));
      } catch (error) {
        problems.add(profileFile, `is not valid JSON (${error.message})`, profile);
        continue;
      }
      if (!Number.isInteger(profileContent.accountId) || profileContent.accountId < 0) {
        problems.add(profileFile, 'accountId must be a HubSpot account id (a non-negative integer)', profile);
      }
      const variables = isObject(profileContent.variables) ? profileContent.variables : {};
      let nodes;
      try {
        const result = await translate(
          { projectSourceDir: srcDir, platformVersion, accountId: profileContent.accountId },
          { skipValidation: true, profile },
        );
        nodes = Object.values(result.intermediateRepresentation.intermediateNodesIndexedByUid);
      } catch (error) {
        problems.add("HubSpot's project parser", error.message.replace(/\s*\n\s*/g, ' '), profile);
        // Keep checking the rest: substitute the profile ourselves, as the parser would have.
        nodes = parsed.map(({ rel, content }) => ({
          uid: substitute(content.uid, variables),
          config: substitute(content.config, variables),
          metaFilePath: rel.split(path.sep).join('/'),
        }));
      }
      for (const node of nodes) {
        const source = bySourceFile.get(node.metaFilePath);
        if (!source) continue; // generated by the parser (e.g. a serverless package)
        checkNode(srcDir, node, source, variables, documented, problems, profile);
      }
    }
  }

  if (problems.size > 0) {
    for (const line of problems.lines(profiles)) console.error(`✖ ${line}`);
    console.error(`${problems.size} problem(s) in the HubSpot project`);
    return 1;
  }
  console.log(
    `✔ HubSpot project OK: platform ${EXPECTED.platformVersion}, ${components} component(s), profiles ${profiles.join(', ')}, scopes match ${SCOPES_DOC}`,
  );
  return 0;
}

process.exitCode = await main();
