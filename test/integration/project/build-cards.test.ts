/**
 * scripts/build-cards.mjs: the real UI folders build with HubSpot's builder; a folder that reaches
 * outside itself (code that HubSpot's remote build would not have) or uses require() fails.
 */
import type { ProjectCopy } from './project-copy.js';
import { copyProject, runScript } from './project-copy.js';

const ENTRY = 'hubspot/app/pages/Home.tsx';

/** Prepends `line` to the page entry file of the copy. */
function prependToEntry(project: ProjectCopy, line: string): void {
  project.write(ENTRY, `${line}\n${project.read(ENTRY)}`);
}

describe('build-cards.mjs', () => {
  let project: ProjectCopy;

  beforeEach(() => {
    project = copyProject();
  });

  afterEach(() => {
    project.remove();
  });

  const build = () => runScript('build-cards.mjs', ['--project', project.dir]);

  it('builds every UI folder of the real project and prints bundle sizes', () => {
    const result = runScript('build-cards.mjs', []);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/hubspot\/app\/pages\/Home\.js: \d+\.\d kB \(gzip \d+\.\d kB\)/);
    expect(result.stdout).toMatch(/hubspot\/app\/cards\/DealGuidance\.js: \d+\.\d kB/);
    expect(result.stdout).toMatch(/hubspot\/app\/cards\/CoachingPanel\.js: \d+\.\d kB/);
    expect(result.stdout).toMatch(/hubspot\/app\/settings\/Settings\.js: \d+\.\d kB/);
    expect(result.stdout).toContain("built 4 UI extension(s) with HubSpot's builder");
  });

  it('fails when the page bundles a file from outside its folder', () => {
    // The file exists, so Vite resolves it locally; HubSpot's build would not have it.
    project.write('src/x.ts', "export const x = 1;\nconsole.log('loaded', x);\n");
    prependToEntry(project, "import '../../../src/x';");
    const result = build();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'bundles src/x.ts, which is outside hubspot/app/pages/ and not part of a package it depends on',
    );
  });

  it('fails when an import from outside the folder does not resolve', () => {
    prependToEntry(project, "import '../../../src/x';");
    const result = build();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('build failed: Could not resolve "../../../src/x"');
  });

  it('fails on a require() call, which the builder reports', () => {
    project.write('hubspot/app/pages/legacy.ts', "const util = require('./week');\nexport default util;\n");
    prependToEntry(project, "import legacy from './legacy';\nconsole.log(legacy);");
    const result = build();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'the builder reported a require() call: require statements are not supported',
    );
  });

  it('fails when an hsmeta entry point is missing', () => {
    project.editJson('hubspot/app/pages/home-hsmeta.json', (json) => {
      (json.config as Record<string, unknown>).entrypoint = '/app/pages/Nope.tsx';
    });
    const result = build();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('entrypoint /app/pages/Nope.tsx does not exist');
  });
});
