/**
 * requireAdmin: settings and the process report are for the portal's super admins only. The signed
 * userId (never the body) must be a HubSpot super admin of the signed portal, per the settings users
 * API (scope `settings.users.read`). The user list comes through the gateway's metadata cache, so an
 * admin check costs no HubSpot request while warm; a user's admin rights granted or removed in
 * HubSpot take effect within that cache's TTL (METADATA_TTL_MS in boot.ts: 5 minutes).
 */
import { AppError } from '../core/errors.js';
import type { FunctionContext } from '../functions/context.js';

/** The public message of the 403 (shown on the settings page and by API clients). */
export const ADMIN_ONLY_MESSAGE =
  'Only super admins of this HubSpot account can do this. Ask a super admin, or to be made one.';

/** Resolve when ctx.userId is a super admin of ctx's portal; AppError FORBIDDEN otherwise. */
export async function requireAdmin(ctx: FunctionContext): Promise<void> {
  if (ctx.userId === undefined) {
    throw new AppError('FORBIDDEN', 'admin route called without a signed userId', {
      publicMessage: ADMIN_ONLY_MESSAGE,
    });
  }
  const id = String(ctx.userId);
  const users = await ctx.hubspot.listUsers();
  if (!users.some((u) => u.id === id && u.superAdmin)) {
    throw new AppError('FORBIDDEN', `user ${id} is not a super admin of portal ${ctx.portalId}`, {
      publicMessage: ADMIN_ONLY_MESSAGE,
    });
  }
}
