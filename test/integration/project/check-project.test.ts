/**
 * scripts/check-project.mjs against the real project and against copies with one defect each.
 */
import type { ProjectCopy } from './project-copy.js';
import { copyProject, runScript } from './project-copy.js';

type Json = Record<string, unknown>;

const APP = 'hubspot/app/app-hsmeta.json';
const HOME = 'hubspot/app/pages/home-hsmeta.json';

/** A valid card, so a test can break one field of it. */
function addCard(project: ProjectCopy, config: Json = {}, uid = 'pillars-deal-card'): void {
  project.write('hubspot/app/cards/package.json', '{ "name": "cards", "private": true }\n');
  project.write('hubspot/app/cards/DealCard.tsx', 'export {};\n');
  project.write(
    'hubspot/app/cards/deal-card-hsmeta.json',
    JSON.stringify({
      uid,
      type: 'card',
      config: {
        name: 'Deal guidance',
        location: 'crm.record.tab',
        objectTypes: ['deals'],
        entrypoint: '/app/cards/DealCard.tsx',
        ...config,
      },
    }),
  );
}

function authOf(app: Json): Json {
  return (app.config as Json).auth as Json;
}

describe('check-project.mjs', () => {
  let project: ProjectCopy;

  beforeEach(() => {
    project = copyProject();
  });

  afterEach(() => {
    project.remove();
  });

  const check = () => runScript('check-project.mjs', ['--project', project.dir]);

  it('passes on the real project', () => {
    const result = runScript('check-project.mjs', []);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('HubSpot project OK: platform 2026.03');
    expect(result.stdout).toContain('profiles local, production');
  });

  it('passes on an unchanged copy, including a valid card', () => {
    addCard(project);
    const result = check();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fails on a card location HubSpot does not have', () => {
    addCard(project, { location: 'crm.record.middle' });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'app/cards/deal-card-hsmeta.json: location "crm.record.middle" is not one of crm.record.tab, crm.record.sidebar, crm.preview, helpdesk.sidebar',
    );
  });

  it('fails on a singular objectType', () => {
    addCard(project, { objectTypes: ['deal'] });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('objectTypes has "deal"; allowed: contacts, companies, deals, tickets');
  });

  it('fails when the home page is not at location "home"', () => {
    project.editJson(HOME, (json) => {
      (json.config as Json).location = 'settings';
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('location "settings" must be "home" for a type "page" component');
  });

  it('fails when permittedUrls.fetch is not exactly the profile BACKEND_ORIGIN', () => {
    project.editJson(APP, (json) => {
      ((json.config as Json).permittedUrls as Json).fetch = ['${BACKEND_ORIGIN}', 'https://api.hubapi.com'];
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `permittedUrls.fetch is ["https://api.pillars.example.com","https://api.hubapi.com"], expected exactly the profile's BACKEND_ORIGIN ["https://api.pillars.example.com"] [profile production]`,
    );
    expect(result.stderr).toContain('[profile local]');
  });

  it('fails when a profile BACKEND_ORIGIN is not an https origin', () => {
    project.editJson('hubspot/hsprofile.production.json', (json) => {
      (json.variables as Json).BACKEND_ORIGIN = 'http://api.pillars.example.com/v1';
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'hsprofile.production.json: BACKEND_ORIGIN is "http://api.pillars.example.com/v1"; it must be an https origin (https://host, no path)',
    );
    expect(result.stderr).toContain(
      'permittedUrls.fetch has "http://api.pillars.example.com/v1", which is not an https origin',
    );
  });

  it('fails on a duplicate uid', () => {
    addCard(project, {}, 'pillars-home');
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'app/cards/deal-card-hsmeta.json, app/pages/home-hsmeta.json: duplicate uid "pillars-home" (uids must be unique in the project)',
    );
    // HubSpot's own parser refuses it too; the message is reported once, not once per profile.
    expect(result.stderr.match(/HubSpot's project parser: Duplicate uid 'pillars-home'/g)).toHaveLength(1);
  });

  it('fails on a scope that the docs do not document', () => {
    project.editJson(APP, (json) => {
      (authOf(json).requiredScopes as string[]).push('tickets');
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'app/app-hsmeta.json: auth.requiredScopes has "tickets", which the scope table in docs/hubspot-project.md does not document as required',
    );
  });

  it('fails on a documented scope the app no longer requests', () => {
    project.editJson(APP, (json) => {
      const auth = authOf(json);
      auth.requiredScopes = (auth.requiredScopes as string[]).filter((s) => s !== 'crm.objects.deals.read');
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'docs/hubspot-project.md documents "crm.objects.deals.read" in requiredScopes, but auth.requiredScopes does not request it',
    );
  });

  it('fails on an optional scope documented as required', () => {
    project.editJson(APP, (json) => {
      authOf(json).optionalScopes = ['crm.objects.deals.read'];
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('auth.optionalScopes has "crm.objects.deals.read"');
  });

  it('fails on a private or static app', () => {
    project.editJson(APP, (json) => {
      const config = json.config as Json;
      config.distribution = 'private';
      (config.auth as Json).type = 'static';
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('distribution is "private", expected "marketplace"');
    expect(result.stderr).toContain('auth.type is "static", expected "oauth"');
  });

  it('fails on a nested hsmeta file and an unknown component folder', () => {
    project.write('hubspot/app/pages/extra/extra-hsmeta.json', '{}');
    project.write('hubspot/app/shared/util.ts', 'export {};\n');
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('app/pages/extra/extra-hsmeta.json: is nested inside app/pages/');
    expect(result.stderr).toContain('app/shared/: is not a HubSpot component folder');
  });

  it('fails on an unexpected top-level key and a missing entry point', () => {
    project.editJson(HOME, (json) => {
      json.permissions = {};
      (json.config as Json).entrypoint = '/app/pages/Missing.tsx';
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('has "permissions", which needs platformVersion 2026.09-beta or later');
    expect(result.stderr).toContain('entrypoint /app/pages/Missing.tsx does not exist');
  });

  it('fails when hsproject.json moves off the pinned platform version', () => {
    project.editJson('hsproject.json', (json) => {
      json.platformVersion = '2025.2';
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('hsproject.json: platformVersion is "2025.2", pinned to "2026.03"');
  });

  it('fails when a profile lacks a variable the config uses', () => {
    project.editJson('hubspot/hsprofile.local.json', (json) => {
      delete (json.variables as Json).REDIRECT_URL;
    });
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("HubSpot's project parser: Missing value for REDIRECT_URL");
    expect(result.stderr).toContain('[profile local]');
  });
});
