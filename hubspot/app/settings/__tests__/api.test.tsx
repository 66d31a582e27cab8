/**
 * The settings page's fetch module over a fake `hubspot.fetch`: the URL, method, body and timeout of
 * each route, and how each kind of answer becomes data or a typed error (the backend's message,
 * request id and the field a 400 names, also when HubSpot's proxy wraps the error in a 200).
 */
import {
  BackendError,
  BackendUnreachableError,
  InvalidAnswerError,
  SETTINGS_TIMEOUT_MS,
  createSettingsApi,
  playbookPath,
} from '../api';
import { backendOriginFrom } from '@pillars/ui-kit';
import { toFailure } from '../state';
import { splitValues } from '../ui';
import {
  BACKEND,
  CATALOGUE,
  CONNECTION,
  DIRECTORY,
  PIPELINES,
  fakeBackend,
  fail,
  makePlaybook,
  ok,
} from './test-utils/settings-fixtures';

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('settings api', () => {
  it('sends every route with its method, body and timeout', async () => {
    const playbook = makePlaybook();
    const backend = fakeBackend({
      'GET /api/v1/settings/playbooks/sales_2': ok({ source: 'default', playbook }),
      'PUT /api/v1/settings/playbooks/sales_2': ok({ source: 'stored', playbook }),
      'DELETE /api/v1/settings/playbooks/sales_2': ok({ source: 'default', playbook }),
      'GET /api/v1/settings/training-catalogue': ok({ value: CATALOGUE, source: 'default' }),
      'PUT /api/v1/settings/training-catalogue': ok({ value: CATALOGUE, source: 'saved', warnings: ['w'] }),
      'GET /api/v1/settings/connection': ok(CONNECTION),
      'POST /api/v1/settings/connection/disconnect': ok({
        portalId: 1,
        status: 'uninstalled',
        dataDeleted: true,
      }),
    });
    const api = createSettingsApi(backend.fetchImpl);
    await api.getPlaybook(BACKEND, 'sales_2');
    await api.putPlaybook(BACKEND, 'sales_2', playbook, 'key-abcdefgh');
    await api.resetPlaybook(BACKEND, 'sales_2');
    expect(await api.getSetting(BACKEND, 'training-catalogue')).toEqual({
      value: CATALOGUE,
      source: 'default',
      warnings: [],
    });
    expect((await api.putSetting(BACKEND, 'training-catalogue', CATALOGUE, 'key-2')).warnings).toEqual(['w']);
    expect(await api.getConnection(BACKEND)).toEqual(CONNECTION);
    expect(await api.disconnect(BACKEND, 'key-3')).toEqual({
      portalId: 1,
      status: 'uninstalled',
      dataDeleted: true,
    });
    expect(backend.sent.map((s) => [s.url, s.options])).toEqual([
      [`${BACKEND}/api/v1/settings/playbooks/sales_2`, { method: 'GET', timeout: SETTINGS_TIMEOUT_MS }],
      [
        `${BACKEND}/api/v1/settings/playbooks/sales_2`,
        { method: 'PUT', body: { playbook, idempotencyKey: 'key-abcdefgh' }, timeout: SETTINGS_TIMEOUT_MS },
      ],
      [`${BACKEND}/api/v1/settings/playbooks/sales_2`, { method: 'DELETE', timeout: SETTINGS_TIMEOUT_MS }],
      [`${BACKEND}/api/v1/settings/training-catalogue`, { method: 'GET', timeout: SETTINGS_TIMEOUT_MS }],
      [
        `${BACKEND}/api/v1/settings/training-catalogue`,
        { method: 'PUT', body: { value: CATALOGUE, idempotencyKey: 'key-2' }, timeout: SETTINGS_TIMEOUT_MS },
      ],
      [`${BACKEND}/api/v1/settings/connection`, { method: 'GET', timeout: SETTINGS_TIMEOUT_MS }],
      [
        `${BACKEND}/api/v1/settings/connection/disconnect`,
        { method: 'POST', body: { idempotencyKey: 'key-3' }, timeout: SETTINGS_TIMEOUT_MS },
      ],
    ]);
  });

  it('encodes the pipeline id in the path', () => {
    expect(playbookPath('a/b')).toBe('/api/v1/settings/playbooks/a%2Fb');
  });

  it('turns an error answer into a BackendError with message, request id and field', async () => {
    const field = 'value.modules.0.url';
    const api = createSettingsApi(
      fakeBackend({
        'PUT /api/v1/settings/training-catalogue': fail(
          400,
          'INVALID_INPUT',
          `${field}: bad`,
          'req-1',
          field,
        ),
      }).fetchImpl,
    );
    const error = await failureOf(api.putSetting(BACKEND, 'training-catalogue', CATALOGUE, 'key-12345678'));
    expect(error).toBeInstanceOf(BackendError);
    expect(toFailure(error)).toEqual({
      kind: 'invalid-input',
      status: 400,
      code: 'INVALID_INPUT',
      detail: `${field}: bad`,
      requestId: 'req-1',
      field,
    });
  });

  it("unwraps HubSpot's proxy error into the backend's status", async () => {
    const api = createSettingsApi(
      fakeBackend({
        'GET /api/v1/settings/coaches': ok({
          status: 'error',
          category: 'VALIDATION_ERROR',
          context: { appServerStatusCode: 403 },
          responseBody: JSON.stringify({
            error: { code: 'FORBIDDEN', message: 'Only super admins.', requestId: 'r' },
          }),
        }),
      }).fetchImpl,
    );
    const failure = toFailure(await failureOf(api.getSetting(BACKEND, 'coaches')));
    expect(failure).toMatchObject({
      kind: 'forbidden',
      status: 403,
      detail: 'Only super admins.',
      requestId: 'r',
    });
  });

  it('refuses answers the page cannot use, and reports no answer as unreachable', async () => {
    const api = createSettingsApi(
      fakeBackend({
        'GET /api/v1/settings/playbooks/default': ok({ source: 'stored', playbook: { stages: {} } }),
        'GET /api/v1/settings/targets': ok({ value: { default: 'x' }, source: 'saved' }),
        'GET /api/v1/settings/connection': ok({ portalId: 'x' }),
        'GET /api/v1/settings/coaches': 'unreachable',
      }).fetchImpl,
    );
    expect(await failureOf(api.getPlaybook(BACKEND, 'default'))).toBeInstanceOf(InvalidAnswerError);
    expect(await failureOf(api.getSetting(BACKEND, 'targets'))).toBeInstanceOf(InvalidAnswerError);
    expect(await failureOf(api.getConnection(BACKEND))).toBeInstanceOf(InvalidAnswerError);
    expect(await failureOf(api.getSetting(BACKEND, 'coaches'))).toBeInstanceOf(BackendUnreachableError);
  });
});

describe("the pickers' lists", () => {
  it('reads the pipelines and the directory, and refuses malformed ones', async () => {
    const backend = fakeBackend({
      'GET /api/v1/settings/pipelines': [
        ok({ pipelines: PIPELINES }),
        ok({ pipelines: [{ id: 'x', label: 'X', stages: [{ id: 's' }] }] }),
      ],
      'GET /api/v1/settings/directory': [
        ok({ ...DIRECTORY, extra: true }),
        ok({ teams: [], users: [{ id: '1', email: 'a@example.com' }] }),
      ],
      'GET /api/v1/settings/connection': ok({ ...CONNECTION, retentionDays: '30' }),
    });
    const api = createSettingsApi(backend.fetchImpl);
    expect(await api.getPipelines(BACKEND)).toEqual(PIPELINES);
    expect(await api.getDirectory(BACKEND)).toEqual(DIRECTORY);
    expect(backend.sent.map((s) => [s.url, s.options])).toEqual([
      [`${BACKEND}/api/v1/settings/pipelines`, { method: 'GET', timeout: SETTINGS_TIMEOUT_MS }],
      [`${BACKEND}/api/v1/settings/directory`, { method: 'GET', timeout: SETTINGS_TIMEOUT_MS }],
    ]);
    expect(await failureOf(api.getPipelines(BACKEND))).toBeInstanceOf(InvalidAnswerError);
    expect(await failureOf(api.getDirectory(BACKEND))).toBeInstanceOf(InvalidAnswerError);
    expect(await failureOf(api.getConnection(BACKEND))).toBeInstanceOf(InvalidAnswerError);
  });
});

describe('helpers', () => {
  it('reads BACKEND_ORIGIN as an https origin', () => {
    expect(backendOriginFrom({ BACKEND_ORIGIN: 'https://api.example.com/' })).toEqual({
      ok: true,
      origin: 'https://api.example.com',
    });
    expect(backendOriginFrom({ BACKEND_ORIGIN: 'https://api.example.com/x' }).ok).toBe(false);
    expect(backendOriginFrom(undefined).ok).toBe(false);
  });

  it('splits multi-value inputs', () => {
    expect(splitValues(' 9001, 9002;9003\n 9004 9005,')).toEqual(['9001', '9002', '9003', '9004', '9005']);
    expect(splitValues('Closed won, Decision maker', true)).toEqual(['Closed won', 'Decision maker']);
  });
});
