#!/usr/bin/env node
// Builds every UI extension of the HubSpot project (cards/, settings/, pages/) with HubSpot's own
// builder, the same `remoteBuild` HubSpot runs after `hs project upload`, into a temp directory.
// Fails on any build error, on the builder's warnings about imports from outside the folder or
// `require`, and on any bundled module that lives outside the folder without being a package the
// folder declares (the builder only warns about images; code imports would break HubSpot's build,
// which sees only what the upload ships). Prints each bundle's size.
//
//   node scripts/build-cards.mjs [--project <dir>] [--out <dir>]
//
// --project  the directory holding hsproject.json (default: this repository)
// --out      keep the bundles in this directory (default: a temp directory, removed afterwards)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { remoteBuild } from '@hubspot/ui-extensions-dev-server/build';

const UI_FOLDERS = ['cards', 'settings', 'pages'];
const HSMETA_SUFFIX = '-hsmeta.json';
// What HubSpot's codeBlockingPlugin logs (ui-extensions-dev-server dist/lib/plugins/codeBlockingPlugin.js).
const BLOCKING_WARNINGS = [
  { pattern: /outside of the extension directory/i, what: 'an import from outside the folder' },
  { pattern: /require statements are not supported/i, what: 'a require() call' },
];

function parseArgs(argv) {
  const args = { project: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), out: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if ((flag === '--project' || flag === '--out') && value) {
      args[flag.slice(2)] = path.resolve(value);
      i += 1;
    } else {
      throw new Error(`unknown argument "${flag}" (usage: build-cards.mjs [--project <dir>] [--out <dir>])`);
    }
  }
  return args;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function kB(bytes) {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

/** Every UI extension: its folder, uid and entry file, from the `*-hsmeta.json` files. */
function findExtensions(srcDir, problems) {
  const extensions = [];
  for (const folder of UI_FOLDERS) {
    const dir = path.join(srcDir, 'app', folder);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs
      .readdirSync(dir)
      .filter((n) => n.endsWith(HSMETA_SUFFIX))
      .sort()) {
      const metaFile = path.join(dir, name);
      const rel = path.relative(srcDir, metaFile);
      let meta;
      try {
        meta = readJson(metaFile);
      } catch (error) {
        problems.push(`${rel}: not valid JSON (${error.message})`);
        continue;
      }
      const entrypoint = meta?.config?.entrypoint;
      if (typeof entrypoint !== 'string' || entrypoint === '') {
        problems.push(`${rel}: config.entrypoint is missing`);
        continue;
      }
      const entry = path.join(srcDir, entrypoint);
      if (!fs.existsSync(entry)) {
        problems.push(`${rel}: entrypoint ${entrypoint} does not exist`);
        continue;
      }
      extensions.push({ folder, dir, uid: String(meta.uid ?? name), entry, metaFile: rel });
    }
  }
  return extensions;
}

// The builder colours its messages when it sees a CI or a terminal; our checks and logs want plain text.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const plain = (text) => String(text).replace(ANSI, '');

/** Runs `fn` while recording what the builder logs; warnings and errors are also printed. */
async function captureLogs(fn) {
  const logs = [];
  const originals = { warn: console.warn, error: console.error, log: console.log, info: console.info };
  for (const level of Object.keys(originals)) {
    console[level] = (...parts) => {
      const text = plain(parts.map((p) => (p instanceof Error ? p.message : String(p))).join(' '));
      logs.push({ level, text });
      if (level === 'warn' || level === 'error') originals.error(`    builder ${level}: ${text}`);
    };
  }
  try {
    await fn();
  } finally {
    Object.assign(console, originals);
  }
  return logs;
}

/** The nearest package.json name above `file`, or undefined. */
function owningPackage(file) {
  let dir = path.dirname(file);
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      try {
        return readJson(candidate).name;
      } catch {
        return undefined;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Bundled modules outside the folder. The builder's manifest lists every module; those outside the
 * extension folder keep their absolute path. A module is fine if it belongs to a package the
 * folder's package.json depends on (the CLI ships `file:` dependencies and workspaces with the
 * upload); anything else exists only on this machine.
 */
function outsideImports(extension, manifest) {
  const declared = new Set();
  const pkgFile = path.join(extension.dir, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const pkg = readJson(pkgFile);
    for (const name of Object.keys(pkg.dependencies ?? {})) declared.add(name);
  }
  const internal = manifest?.modules?.internal ?? [];
  const folderReal = fs.realpathSync(extension.dir);
  const found = [];
  for (const { module } of internal) {
    if (typeof module !== 'string' || module.startsWith('\0') || !path.isAbsolute(module)) continue;
    const file = module.split('?')[0];
    const rel = path.relative(folderReal, fs.existsSync(file) ? fs.realpathSync(file) : file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) continue;
    const owner = owningPackage(file);
    if (owner !== undefined && declared.has(owner)) continue;
    found.push(file);
  }
  return found;
}

async function buildOne(extension, outDir, projectDir) {
  const problems = [];
  const label = `${path.relative(projectDir, extension.entry)} (${extension.uid})`;
  const bundleDir = path.join(outDir, extension.folder, extension.uid);
  console.log(`building ${label}`);
  let buildError;
  const logs = await captureLogs(async () => {
    try {
      await remoteBuild({
        root: extension.dir,
        entryPoint: extension.entry,
        outputDir: bundleDir,
        logLevel: 'warn',
      });
    } catch (error) {
      buildError = error;
    }
  });
  if (buildError) {
    problems.push(`${label}: build failed: ${plain(buildError.message)}`);
    return problems;
  }
  for (const { level, text } of logs) {
    if (level !== 'warn' && level !== 'error') continue;
    const blocking = BLOCKING_WARNINGS.find(({ pattern }) => pattern.test(text));
    if (blocking) problems.push(`${label}: the builder reported ${blocking.what}: ${text}`);
    else if (level === 'error') problems.push(`${label}: the builder reported an error: ${text}`);
  }
  const bundleName = `${path.parse(extension.entry).name}.js`;
  const bundleFile = path.join(bundleDir, encodeURIComponent(bundleName));
  if (!fs.existsSync(bundleFile)) {
    problems.push(`${label}: the build produced no ${bundleName}`);
    return problems;
  }
  const manifestFile = path.join(bundleDir, `${path.parse(extension.entry).name}-manifest.json`);
  const manifest = fs.existsSync(manifestFile) ? readJson(manifestFile) : undefined;
  if (!manifest) problems.push(`${label}: the build produced no manifest`);
  for (const file of outsideImports(extension, manifest)) {
    problems.push(
      `${label}: bundles ${path.relative(projectDir, file)}, which is outside ${path.relative(projectDir, extension.dir)}/ ` +
        'and not part of a package it depends on; HubSpot builds only what the folder and its declared packages contain',
    );
  }
  const bytes = fs.readFileSync(bundleFile);
  console.log(
    `  ${path.relative(projectDir, extension.dir)}/${bundleName}: ${kB(bytes.length)} (gzip ${kB(gzipSync(bytes).length)})`,
  );
  return problems;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error.message);
    return 2;
  }
  const hsproject = path.join(args.project, 'hsproject.json');
  if (!fs.existsSync(hsproject)) {
    console.error(`✖ no hsproject.json in ${args.project}`);
    return 1;
  }
  const srcDir = path.resolve(args.project, readJson(hsproject).srcDir ?? '');
  const problems = [];
  const extensions = findExtensions(srcDir, problems);
  if (extensions.length === 0 && problems.length === 0) {
    console.error(
      `✖ no UI extensions found under ${path.relative(args.project, srcDir)}/app/{${UI_FOLDERS.join(',')}}`,
    );
    return 1;
  }
  const outDir = args.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pillars-cards-'));
  try {
    for (const extension of extensions) problems.push(...(await buildOne(extension, outDir, args.project)));
  } finally {
    if (!args.out) fs.rmSync(outDir, { recursive: true, force: true });
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`✖ ${problem}`);
    console.error(`${problems.length} problem(s) building the UI extensions`);
    return 1;
  }
  console.log(
    `✔ built ${extensions.length} UI extension(s) with HubSpot's builder${args.out ? ` into ${args.out}` : ''}`,
  );
  return 0;
}

process.exitCode = await main();
