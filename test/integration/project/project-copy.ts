/**
 * Temp copies of the HubSpot project for the script tests: hsproject.json, hubspot/ and the docs
 * the scope check reads, plus a node_modules link so HubSpot's builder resolves packages. Tests
 * inject one defect into a copy and run the real script on it as a child process (the scripts are
 * ESM; jest runs CommonJS).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');

export interface ScriptResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runScript(script: string, args: string[]): ScriptResult {
  const result = spawnSync(process.execPath, [path.join(REPO, 'scripts', script), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ProjectCopy {
  dir: string;
  /** Absolute path of a file in the copy. */
  file: (rel: string) => string;
  read: (rel: string) => string;
  write: (rel: string, content: string) => void;
  /** Read JSON, change it, write it back. */
  editJson: (rel: string, change: (json: Record<string, unknown>) => void) => void;
  remove: () => void;
}

export function copyProject(): ProjectCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pillars-project-'));
  const skip = (src: string): boolean => !/[\\/](node_modules|dist)([\\/]|$)/.test(path.relative(REPO, src));
  fs.copyFileSync(path.join(REPO, 'hsproject.json'), path.join(dir, 'hsproject.json'));
  fs.cpSync(path.join(REPO, 'hubspot'), path.join(dir, 'hubspot'), { recursive: true, filter: skip });
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.copyFileSync(
    path.join(REPO, 'docs', 'hubspot-project.md'),
    path.join(dir, 'docs', 'hubspot-project.md'),
  );
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const file = (rel: string): string => path.join(dir, rel);
  const write = (rel: string, content: string): void => {
    fs.mkdirSync(path.dirname(file(rel)), { recursive: true });
    fs.writeFileSync(file(rel), content);
  };
  const read = (rel: string): string => fs.readFileSync(file(rel), 'utf8');
  return {
    dir,
    file,
    read,
    write,
    editJson: (rel, change) => {
      const json = JSON.parse(read(rel)) as Record<string, unknown>;
      change(json);
      write(rel, `${JSON.stringify(json, null, 2)}\n`);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
