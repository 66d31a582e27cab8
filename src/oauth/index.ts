// The public face of OAuth: token sealing, install state, the token endpoint port, install and tokens.
export { createTokenCipher, isSealedTokenUnusable, parseTokenKeys } from './token-cipher.js';
export type { TokenCipher, TokenCipherConfig, TokenCipherFailure } from './token-cipher.js';
export { MAX_STATE_TTL_MS, checkStateSignature, createOAuthState } from './oauth-state.js';
export type { OAuthState, OAuthStateOptions, SignedState, StateCheck, StateFailure } from './oauth-state.js';
export { badRefreshToken, isBadRefreshToken } from './token-endpoint.js';
export type { TokenEndpoint, TokenInfo, TokenSet } from './token-endpoint.js';
export { createHubSpotTokenEndpoint } from './hubspot-token-endpoint.js';
export type { HubSpotTokenEndpointOptions } from './hubspot-token-endpoint.js';
export {
  DEFAULT_REFRESH_MARGIN_MS,
  DEFAULT_RETENTION_MS,
  createTokenProvider,
  sealContext,
} from './token-provider.js';
export type { AccessTokenOptions, TokenProvider, TokenProviderOptions } from './token-provider.js';
export { createInstaller } from './installer.js';
export type { InstallResult, Installer, InstallerOptions } from './installer.js';
