/**
 * Shared by the coaching integration suites: the demo people (reps by profile, the coach of each
 * team, the super admins), their contacts, signed requests as a given HubSpot user, and HubSpot
 * request counts from the sandbox.
 */
import type { Backend } from '../../../src/server/boot.js';
import type { DemoPortalFixture } from '../../../src/sandbox/demo-portal/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';
import { startDemoBackend } from '../../support/demo-backend.js';
import type { DemoBackend } from '../../support/demo-backend.js';
import { signRequest } from '../../support/signer.js';

/**
 * The anchor the coaching suites pin the demo portal and the backend's clock to, so their numbers do
 * not depend on the day they run (the same portal as src/core/coaching/__tests__/demo-series.ts).
 */
export const DEMO_ANCHOR = '2026-11-25';

/**
 * Boot the backend on a demo portal of `size` engagements anchored on DEMO_ANCHOR (the diagnosis
 * needs the default 30,000), the functions' clock started at the portal's "now".
 */
export async function startCoachingBackend(options: {
  secret: string;
  prefix: string;
  size: number;
}): Promise<DemoBackend & { now: Date }> {
  const demo = await startDemoBackend({
    ...options,
    anchor: DEMO_ANCHOR,
    clockFromDemoNow: true,
    boot: { webhooks: { autostart: false } },
  });
  return { ...demo, now: new Date(demo.fixture.demo.now) };
}

/** The people of the demo portal the coaching tests act as. */
export interface DemoPeople {
  ownerOf(profile: string): string;
  userOf(ownerId: string): number;
  primaryTeamOf(ownerId: string): string;
  /** The manager (user id) of a team. */
  managerOf(teamId: string): number;
  superAdmins: number[];
  /** Contacts owned by an owner, by id ascending. */
  contactsOf(ownerId: string): string[];
  /** A contact with no owner. */
  ownerlessContact: string;
}

export function demoPeople(fixture: DemoPortalFixture): DemoPeople {
  const owners = fixture.owners;
  const ownerOf = (profile: string) => {
    const hit = Object.entries(fixture.demo.profiles).find(([, p]) => p === profile);
    if (!hit) throw new Error(`no demo owner with profile ${profile}`);
    return hit[0];
  };
  const userOf = (ownerId: string) => {
    const o = owners.find((x) => x.id === ownerId);
    if (!o || o.userId === null || o.userId === undefined) throw new Error(`owner ${ownerId} has no user`);
    return Number(o.userId);
  };
  const primaryTeamOf = (ownerId: string) => {
    const o = owners.find((x) => x.id === ownerId);
    const team = o?.teams?.find((t) => t.primary) ?? o?.teams?.[0];
    if (!team) throw new Error(`owner ${ownerId} has no team`);
    return team.id;
  };
  const managerOf = (teamId: string) => {
    const team = fixture.demo.teams[teamId];
    if (!team?.managerOwnerId) throw new Error(`no team ${teamId} with a manager`);
    return userOf(team.managerOwnerId);
  };
  const contacts = fixture.objects.contacts ?? [];
  const contactsOf = (ownerId: string) =>
    contacts
      .filter((c) => c.properties.hubspot_owner_id === ownerId)
      .map((c) => c.id)
      .sort((a, b) => Number(a) - Number(b));
  const ownerless = contacts.find((c) => !c.properties.hubspot_owner_id);
  if (!ownerless) throw new Error('the demo portal has no contact without owner');
  return {
    ownerOf,
    userOf,
    primaryTeamOf,
    managerOf,
    superAdmins: fixture.users.filter((u) => u.superAdmin).map((u) => Number(u.id)),
    contactsOf,
    ownerlessContact: ownerless.id,
  };
}

/** Signed requests to the backend as a HubSpot user of a portal. */
export function signedClient(backend: Backend, secret: string) {
  return async function call(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options: { userId: number | null; portalId?: number; body?: unknown; query?: string },
  ): Promise<{ status: number; json: unknown; text: string }> {
    const portalId = options.portalId ?? backend.portalId;
    const identity = `portalId=${portalId}${options.userId === null ? '' : `&userId=${options.userId}`}`;
    const url = `${backend.url}${path}?${options.query ? `${options.query}&` : ''}${identity}`;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      ...signRequest({ method, url, secret, timestamp: Date.now(), ...(body ? { body } : {}) }),
    };
    if (body) headers['content-type'] = 'application/json';
    const res = await fetch(url, { method, headers, ...(body ? { body } : {}) });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = null;
    }
    return { status: res.status, json, text };
  };
}

/** HubSpot requests of the portal answered by the sandbox since the last reset. */
export function requestsOf(
  sandbox: Sandbox,
  portalId: number,
): { total: number; byEndpoint: Record<string, number> } {
  const c = sandbox.stats().byPortal[portalId];
  return { total: c?.total ?? 0, byEndpoint: c?.byEndpoint ?? {} };
}
