/**
 * Access tokens per portal (threats E5, E6, E7). A stored access token is used until
 * `refreshMarginMs` before it expires; then one caller refreshes:
 * - in this process, concurrent callers for a portal share one in-flight refresh (single flight);
 * - across processes, the refresh runs under the store's per-portal refresh lock, and expiry is
 *   checked again once the lock is held, so a process that waited uses the token the winner stored;
 * - whatever refresh token HubSpot returns is stored (it may rotate);
 * - BAD_REFRESH_TOKEN (uninstall, revoked access) marks the portal uninstalled and deletes its
 *   tokens at once, then fails with HUBSPOT_AUTH_EXPIRED.
 */
import { AppError } from '../core/errors.js';
import type { Installation, InstallationStore } from '../store/ports.js';
import type { TokenCipher } from './token-cipher.js';
import { isSealedTokenUnusable } from './token-cipher.js';
import { isBadRefreshToken } from './token-endpoint.js';
import type { TokenEndpoint } from './token-endpoint.js';

/** Options of createTokenProvider. */
export interface TokenProviderOptions {
  readonly store: InstallationStore;
  readonly cipher: TokenCipher;
  readonly exchange: TokenEndpoint;
  readonly now: () => Date;
  /** Refresh when less than this remains (default 5 minutes, Shopify's margin; threats E6). */
  readonly refreshMarginMs?: number | undefined;
  /** How long an uninstalled portal's data is kept before the purge (default 30 days). */
  readonly retentionMs?: number | undefined;
}

/** Per-call options of accessTokenFor. */
export interface AccessTokenOptions {
  /**
   * An access token HubSpot just refused with 401: refresh unless the stored token is already a
   * different, fresh one (another caller refreshed). One retry per 401, never a loop (E6).
   */
  readonly rejected?: string | undefined;
}

/** Hands out valid access tokens per portal. */
export interface TokenProvider {
  /** A valid access token: NOT_FOUND if the portal never installed, HUBSPOT_AUTH_EXPIRED if it is uninstalled or revoked. */
  accessTokenFor(portalId: number, options?: AccessTokenOptions): Promise<string>;
}

export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60_000;

/** Context bound into sealed tokens, so a sealed token cannot be moved to another portal or column. */
export function sealContext(portalId: number, kind: 'access' | 'refresh'): string {
  return `portal:${portalId}:${kind}`;
}

type LockedOutcome = { kind: 'token'; token: string } | { kind: 'revoked'; cause: unknown };

/** Build the provider. */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { store, cipher, exchange, now } = options;
  const marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const inFlight = new Map<number, Promise<string>>();

  // The stored access token when it is fresh and opens, else null.
  function usableAccess(row: Installation, rejected: string | undefined): string | null {
    if (row.accessTokenSealed === null || row.accessExpiresAt === null) return null;
    if (row.accessExpiresAt.getTime() - now().getTime() <= marginMs) return null;
    try {
      const token = cipher.decrypt(row.accessTokenSealed, sealContext(row.portalId, 'access'));
      return token === rejected ? null : token;
    } catch (e) {
      if (isSealedTokenUnusable(e)) return null; // a damaged access token is simply refreshed
      throw e;
    }
  }

  function requireActive(portalId: number, row: Installation | null): Installation {
    if (row === null) throw new AppError('NOT_FOUND', `oauth: portal ${portalId} has not installed the app`);
    if (row.status !== 'active') {
      throw new AppError('HUBSPOT_AUTH_EXPIRED', `oauth: portal ${portalId} has uninstalled the app`, {
        details: { portalId },
      });
    }
    return row;
  }

  async function refresh(portalId: number, rejected: string | undefined): Promise<string> {
    const outcome = await store.withRefreshLock(portalId, async (current, locked): Promise<LockedOutcome> => {
      const row = requireActive(portalId, current);
      // Another process (or an earlier flight) may have refreshed while we waited for the lock.
      const fresh = usableAccess(row, rejected);
      if (fresh !== null) return { kind: 'token', token: fresh };

      const at = now();
      const revoke = async (cause: unknown): Promise<LockedOutcome> => {
        // Delete the tokens now (E7); returning instead of throwing keeps this write committed.
        await locked.markUninstalled(at, new Date(at.getTime() + retentionMs));
        return { kind: 'revoked', cause };
      };
      let refreshToken: string;
      try {
        if (row.refreshTokenSealed === null)
          throw new AppError('INTERNAL', 'oauth: active portal without a refresh token');
        refreshToken = cipher.decrypt(row.refreshTokenSealed, sealContext(portalId, 'refresh'));
      } catch (e) {
        if (isSealedTokenUnusable(e)) return revoke(e); // tampered at rest: reconnect needed (E4)
        throw e;
      }
      let tokens;
      try {
        tokens = await exchange.refresh(refreshToken);
      } catch (e) {
        if (isBadRefreshToken(e)) return revoke(e);
        throw e;
      }
      await locked.saveTokens({
        refreshTokenSealed: cipher.encrypt(tokens.refreshToken, sealContext(portalId, 'refresh')),
        accessTokenSealed: cipher.encrypt(tokens.accessToken, sealContext(portalId, 'access')),
        accessExpiresAt: new Date(at.getTime() + tokens.expiresIn * 1000),
      });
      return { kind: 'token', token: tokens.accessToken };
    });
    if (outcome.kind === 'revoked') {
      throw new AppError(
        'HUBSPOT_AUTH_EXPIRED',
        `oauth: portal ${portalId} revoked access; marked uninstalled`,
        {
          cause: outcome.cause,
          details: { portalId },
        },
      );
    }
    return outcome.token;
  }

  return {
    async accessTokenFor(portalId, callOptions = {}) {
      const rejected = callOptions.rejected;
      const row = requireActive(portalId, await store.get(portalId));
      const cached = usableAccess(row, rejected);
      if (cached !== null) return cached;

      const running = inFlight.get(portalId);
      if (running !== undefined) return running;
      const flight = refresh(portalId, rejected).finally(() => inFlight.delete(portalId));
      inFlight.set(portalId, flight);
      return flight;
    },
  };
}
