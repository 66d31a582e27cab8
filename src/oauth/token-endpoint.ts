/**
 * The port to HubSpot's OAuth token endpoint, so the token provider and the installer can be
 * tested with fakes. The HTTP implementation is ./hubspot-token-endpoint.ts.
 */
import { AppError } from '../core/errors.js';

/** What a code exchange or a refresh returns. */
export interface TokenSet {
  readonly accessToken: string;
  /** HubSpot may return the same refresh token or a new one; always store what comes back. */
  readonly refreshToken: string;
  /** Access-token lifetime in seconds (HubSpot: 1800). */
  readonly expiresIn: number;
}

/** What HubSpot says an access token belongs to. */
export interface TokenInfo {
  /** The portal (HubSpot's hub_id): the only trusted source of the portal id (threats E2). */
  readonly hubId: number;
  readonly hubDomain: string;
  readonly userId: number | null;
  readonly scopes: string[];
}

/** HubSpot's token endpoint: refusals of a refresh token throw badRefreshToken() errors. */
export interface TokenEndpoint {
  /** Exchange an authorization code (grant_type=authorization_code). */
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  /** Refresh (grant_type=refresh_token); a revoked token (uninstall) throws badRefreshToken(). */
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Who an access token speaks for (GET /oauth/v1/access-tokens/{token}). */
  tokenInfo(accessToken: string): Promise<TokenInfo>;
}

/** The error a TokenEndpoint throws when HubSpot refuses a refresh token (400 BAD_REFRESH_TOKEN / invalid_grant). */
export function badRefreshToken(cause?: unknown): AppError {
  return new AppError(
    'HUBSPOT_AUTH_EXPIRED',
    'oauth: HubSpot refused the refresh token (BAD_REFRESH_TOKEN)',
    {
      details: { reason: 'BAD_REFRESH_TOKEN' },
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** True for the error of badRefreshToken(): the install is gone or revoked. */
export function isBadRefreshToken(e: unknown): boolean {
  return (
    e instanceof AppError && e.code === 'HUBSPOT_AUTH_EXPIRED' && e.details?.reason === 'BAD_REFRESH_TOKEN'
  );
}
