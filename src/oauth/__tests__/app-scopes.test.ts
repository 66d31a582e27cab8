import { readFileSync } from 'node:fs';
import { APP_REQUIRED_SCOPES } from '../app-scopes.js';

describe('APP_REQUIRED_SCOPES', () => {
  it('is exactly auth.requiredScopes of hubspot/app/app-hsmeta.json (the install URL must match the app)', () => {
    const app = JSON.parse(readFileSync('hubspot/app/app-hsmeta.json', 'utf8')) as {
      config: { auth: { requiredScopes: string[] } };
    };
    expect([...APP_REQUIRED_SCOPES]).toEqual(app.config.auth.requiredScopes);
    expect(Object.isFrozen(APP_REQUIRED_SCOPES)).toBe(true);
  });
});
