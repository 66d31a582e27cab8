/**
 * Uninstall the app from one portal, from our side (threats E8): `DELETE
 * /appinstalls/v3/external-install` with that portal's access token (the `oauth` scope) → 204.
 * HubSpot then removes the cards and webhook subscriptions and emails the portal's admins. A 401 or
 * 404 means the install is already gone, which is what the caller wants anyway. Errors never carry
 * the token.
 */
import { AppError } from '../core/errors.js';

/** Options of createHubSpotAppUninstall. */
export interface AppUninstallOptions {
  /** `https://api.hubapi.com`, or the sandbox's base URL. */
  readonly basePath: string;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetch?: typeof fetch | undefined;
  /** Deadline in ms (default 5000). */
  readonly timeoutMs?: number | undefined;
}

/** What HubSpot said: uninstalled now, or there was no live install for the token. */
export type AppUninstallResult = 'uninstalled' | 'already-gone';

/** Calls HubSpot's app-uninstall endpoint with a portal's access token. */
export type AppUninstall = (accessToken: string) => Promise<AppUninstallResult>;

/** The uninstall call over HTTP. */
export function createHubSpotAppUninstall(options: AppUninstallOptions): AppUninstall {
  const base = options.basePath.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base))
    throw new AppError('CONFIG_INVALID', 'app uninstall: basePath must be an http(s) URL');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  return async (accessToken) => {
    let res: Response;
    try {
      res = await doFetch(`${base}/appinstalls/v3/external-install`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      throw new AppError('HUBSPOT_TEMPORARY', 'app uninstall: HubSpot did not answer', { cause });
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.status === 204 || res.status === 200) return 'uninstalled';
    if (res.status === 401 || res.status === 404) return 'already-gone';
    if (res.status === 429)
      throw new AppError('HUBSPOT_RATE_LIMITED', 'app uninstall: HubSpot rate limited the call');
    if (res.status >= 500)
      throw new AppError('HUBSPOT_TEMPORARY', `app uninstall: HubSpot failed with ${res.status}`);
    throw new AppError('HUBSPOT_BAD_REQUEST', `app uninstall: HubSpot refused with ${res.status}`, {
      details: { status: res.status },
    });
  };
}
