/**
 * Completes an OAuth install from the callback's code (threats E2, E3): exchange the code, ask
 * HubSpot who the token belongs to (the portal id comes from token information, never from the
 * callback's query), then store the sealed tokens in one write. Any failure before that write
 * stores nothing, so there is no half-installed portal.
 */
import type { InstallationStore } from '../store/ports.js';
import type { TokenCipher } from './token-cipher.js';
import type { TokenEndpoint } from './token-endpoint.js';
import { sealContext } from './token-provider.js';

/** Options of createInstaller. */
export interface InstallerOptions {
  readonly store: Pick<InstallationStore, 'upsertInstalled'>;
  readonly cipher: TokenCipher;
  readonly exchange: TokenEndpoint;
  readonly now: () => Date;
}

/** What an install stored (no tokens). */
export interface InstallResult {
  readonly portalId: number;
  readonly hubDomain: string;
  readonly userId: number | null;
  readonly scopes: string[];
}

/** Completes installs; call only after the OAuth state was consumed (see ./oauth-state.ts). */
export interface Installer {
  /** Exchange the code and store the installation under HubSpot's hub id. */
  installFromCode(input: { code: string; redirectUri: string }): Promise<InstallResult>;
}

/** Build the installer. */
export function createInstaller(options: InstallerOptions): Installer {
  const { store, cipher, exchange, now } = options;
  return {
    async installFromCode({ code, redirectUri }) {
      const tokens = await exchange.exchangeCode(code, redirectUri);
      const info = await exchange.tokenInfo(tokens.accessToken);
      const at = now();
      const portalId = info.hubId;
      await store.upsertInstalled({
        portalId,
        hubDomain: info.hubDomain,
        userId: info.userId,
        scopes: info.scopes,
        refreshTokenSealed: cipher.encrypt(tokens.refreshToken, sealContext(portalId, 'refresh')),
        accessTokenSealed: cipher.encrypt(tokens.accessToken, sealContext(portalId, 'access')),
        accessExpiresAt: new Date(at.getTime() + tokens.expiresIn * 1000),
        installedAt: at,
      });
      return { portalId, hubDomain: info.hubDomain, userId: info.userId, scopes: [...info.scopes] };
    },
  };
}
