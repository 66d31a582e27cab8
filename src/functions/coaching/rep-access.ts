/**
 * Who is looking at whom: resolves the signed caller (their owner record and super-admin flag) and
 * the rep behind a contact (the contact's owner), then asks the one access policy
 * (src/core/access/policy.ts). Every coaching and training route goes through resolveContactAccess,
 * so the rep is always derived from HubSpot data the caller may open, never named by the caller.
 *
 * HubSpot requests: the contact (one batch read); owners and users come from the gateway's metadata
 * cache, so a warm call costs one request, and none when the caller caches the result.
 */
import { accessToRep } from '../../core/access/policy.js';
import type { RepAccess, Viewer } from '../../core/access/policy.js';
import type { Owner } from '../../core/crm.js';
import { AppError } from '../../core/errors.js';
import type { FunctionContext } from '../context.js';
import type { CoachingSettings } from './coaching-settings.js';

/** The public message when a card calls without a signed user. */
export const SIGNED_USER_REQUIRED = 'Open this from a HubSpot record so Pillars knows who you are.';

/** Contact properties the coaching pillar reads. */
export const CONTACT_PROPERTIES = ['firstname', 'lastname', 'email', 'hubspot_owner_id'] as const;

/** The contact whose record is open. */
export interface ContactRef {
  id: string;
  /** "First Last", else the email, else null. */
  name: string | null;
  ownerId: string | null;
}

/** The outcome of resolving a caller against a contact. */
export interface ContactAccess {
  viewer: Viewer;
  contact: ContactRef;
  /** The contact's owner as HubSpot knows them; null when the contact has no owner or it is unknown. */
  rep: Owner | null;
  access: RepAccess;
}

/** The signed caller as the policy sees them; FORBIDDEN without a signed user id. */
export async function resolveViewer(ctx: FunctionContext): Promise<Viewer> {
  if (ctx.userId === undefined) {
    throw new AppError('FORBIDDEN', 'coaching route called without a signed userId', {
      publicMessage: SIGNED_USER_REQUIRED,
    });
  }
  const userId = ctx.userId;
  const [owners, users] = await Promise.all([
    ctx.hubspot.listOwners({ archived: false }),
    ctx.hubspot.listUsers(),
  ]);
  const own = owners.find((o) => o.userId === userId) ?? null;
  const user = users.find((u) => u.id === String(userId));
  return { userId, ownerId: own?.id ?? null, superAdmin: user?.superAdmin === true };
}

/** Display name of an owner: "First Last", else the email, else "Owner <id>". */
export function ownerName(owner: Owner): string {
  const name = [owner.firstName, owner.lastName].filter((p) => p !== null && p !== '').join(' ');
  return name !== '' ? name : (owner.email ?? `Owner ${owner.id}`);
}

/** Read the contact; NOT_FOUND when HubSpot does not know it (or it is archived). */
export async function readContact(ctx: FunctionContext, contactId: string): Promise<ContactRef> {
  const [record] = await ctx.hubspot.batchRead('contacts', [contactId], [...CONTACT_PROPERTIES]);
  if (record === undefined) {
    throw new AppError('NOT_FOUND', `contact ${contactId} not found in portal ${ctx.portalId}`, {
      publicMessage: 'This contact no longer exists in HubSpot. Refresh the page.',
    });
  }
  const p = record.properties;
  const full = [p.firstname, p.lastname].filter((v) => v !== null && v !== undefined && v !== '').join(' ');
  const ownerId = p.hubspot_owner_id;
  return {
    id: record.id,
    name: full !== '' ? full : (p.email ?? null) || null,
    ownerId: ownerId !== null && ownerId !== undefined && ownerId !== '' ? ownerId : null,
  };
}

/**
 * Resolve caller, contact, rep and the policy's answer. `read` replaces the contact read (the panel
 * passes a briefly cached one so a warm view costs no request; writes always read fresh).
 */
export async function resolveContactAccess(
  ctx: FunctionContext,
  settings: CoachingSettings,
  contactId: string,
  read: (ctx: FunctionContext, contactId: string) => Promise<ContactRef> = readContact,
): Promise<ContactAccess> {
  const [viewer, contact, coaches] = await Promise.all([
    resolveViewer(ctx),
    read(ctx, contactId),
    settings.coaches(ctx.portalId),
  ]);
  if (contact.ownerId === null) return { viewer, contact, rep: null, access: 'none' };
  const owners = await ctx.hubspot.listOwners({ archived: false });
  let rep = owners.find((o) => o.id === contact.ownerId) ?? null;
  if (rep === null) {
    // A rep who left: their owner record is archived, and their numbers still belong to their coaches.
    const archived = await ctx.hubspot.listOwners({ archived: true });
    rep = archived.find((o) => o.id === contact.ownerId) ?? null;
  }
  if (rep === null) return { viewer, contact, rep: null, access: 'none' };
  const access = accessToRep(viewer, { ownerId: rep.id, teamIds: rep.teams.map((t) => t.id) }, coaches.teams);
  return { viewer, contact, rep, access };
}
