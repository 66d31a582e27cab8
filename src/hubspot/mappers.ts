/** From validated HubSpot answers to the plain CRM shapes of src/core/crm.ts. */
import type { z } from 'zod';
import type { CrmRecord, Owner, Pipeline, PortalDetails, PortalUser, Team } from '../core/crm.js';
import type {
  accountDetailsSchema,
  crmObjectSchema,
  ownerSchema,
  pipelinesSchema,
  teamsSchema,
  usersPageSchema,
} from './schemas.js';

/** An owner as the core sees it. */
export function toOwner(o: z.infer<typeof ownerSchema>): Owner {
  return {
    id: o.id,
    userId: o.userId ?? null,
    email: o.email ?? null,
    firstName: o.firstName ?? null,
    lastName: o.lastName ?? null,
    archived: o.archived ?? false,
    teams: (o.teams ?? []).map((t) => ({ id: t.id, name: t.name, primary: t.primary ?? false })),
  };
}

/** A user as the core sees it. */
export function toUser(u: z.infer<typeof usersPageSchema>['results'][number]): PortalUser {
  return {
    id: u.id,
    email: u.email,
    superAdmin: u.superAdmin ?? false,
    primaryTeamId: u.primaryTeamId ?? null,
    secondaryTeamIds: u.secondaryTeamIds ?? [],
  };
}

/** A team as the core sees it. */
export function toTeam(t: z.infer<typeof teamsSchema>['results'][number]): Team {
  return { id: t.id, name: t.name, userIds: t.userIds ?? [], secondaryUserIds: t.secondaryUserIds ?? [] };
}

/** A pipeline with its stages, in display order. */
export function toPipeline(p: z.infer<typeof pipelinesSchema>['results'][number]): Pipeline {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    archived: p.archived ?? false,
    stages: [...p.stages]
      .sort((a, b) => a.displayOrder - b.displayOrder)
      .map((s) => ({
        id: s.id,
        label: s.label,
        displayOrder: s.displayOrder,
        metadata: s.metadata ?? {},
        archived: s.archived ?? false,
      })),
  };
}

/** A CRM record (id and properties). */
export function toRecord(o: z.infer<typeof crmObjectSchema>): CrmRecord {
  return { id: o.id, properties: o.properties };
}

/** Account details. */
export function toPortalDetails(d: z.infer<typeof accountDetailsSchema>): PortalDetails {
  return { portalId: d.portalId, timeZone: d.timeZone, currency: d.companyCurrency };
}
