import { AppError } from '../../core/errors.js';
import { createHubSpotAppUninstall } from '../app-uninstall.js';

const TOKEN = 'sbx-at-canary-access-token';

function fakeFetch(status: number, seen: Array<{ url: string; init: RequestInit | undefined }> = []) {
  return (async (url: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(url), init });
    return new Response(status === 204 ? null : '{}', { status });
  }) as typeof fetch;
}

describe('createHubSpotAppUninstall', () => {
  it('sends DELETE /appinstalls/v3/external-install with the bearer token', async () => {
    const seen: Array<{ url: string; init: RequestInit | undefined }> = [];
    const uninstall = createHubSpotAppUninstall({
      basePath: 'https://api.hubapi.com/',
      fetch: fakeFetch(204, seen),
    });
    await expect(uninstall(TOKEN)).resolves.toBe('uninstalled');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe('https://api.hubapi.com/appinstalls/v3/external-install');
    expect(seen[0]?.init?.method).toBe('DELETE');
    expect((seen[0]?.init?.headers as Record<string, string>).authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('treats 401 and 404 as already gone', async () => {
    for (const status of [401, 404]) {
      const uninstall = createHubSpotAppUninstall({
        basePath: 'https://api.hubapi.com',
        fetch: fakeFetch(status),
      });
      await expect(uninstall(TOKEN)).resolves.toBe('already-gone');
    }
  });

  it('maps failures to AppErrors that never carry the token', async () => {
    const cases: Array<[number | 'network', string]> = [
      [500, 'HUBSPOT_TEMPORARY'],
      [429, 'HUBSPOT_RATE_LIMITED'],
      [400, 'HUBSPOT_BAD_REQUEST'],
      ['network', 'HUBSPOT_TEMPORARY'],
    ];
    for (const [status, code] of cases) {
      const fetchImpl =
        status === 'network'
          ? ((() => Promise.reject(new Error('ECONNRESET'))) as unknown as typeof fetch)
          : fakeFetch(status);
      const uninstall = createHubSpotAppUninstall({ basePath: 'https://api.hubapi.com', fetch: fetchImpl });
      const error = await uninstall(TOKEN).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(code);
      expect(
        JSON.stringify({ message: (error as AppError).message, details: (error as AppError).details }),
      ).not.toContain(TOKEN);
    }
  });

  it('refuses a base path that is not http(s)', () => {
    expect(() => createHubSpotAppUninstall({ basePath: 'ftp://x' })).toThrow(AppError);
  });
});
