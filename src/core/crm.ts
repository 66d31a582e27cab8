/**
 * Plain CRM shapes the core works on. They mirror what HubSpot returns (property values are
 * strings) but carry no HubSpot client types, so the core stays free of I/O.
 */

/** The engagement object types Pillars reads. */
export const ENGAGEMENT_TYPES = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

/** Every CRM object type Pillars reads or writes. */
export const CRM_OBJECT_TYPES = [...ENGAGEMENT_TYPES, 'deals', 'contacts', 'companies'] as const;
export type CrmObjectType = (typeof CRM_OBJECT_TYPES)[number];

/** One CRM record: its id and the requested properties, as HubSpot's strings (or null when empty). */
export interface CrmRecord {
  id: string;
  properties: Readonly<Record<string, string | null | undefined>>;
}

export interface OwnerTeam {
  id: string;
  name: string;
  primary: boolean;
}

/** A HubSpot owner: the id found in `hubspot_owner_id`, with its user and teams. */
export interface Owner {
  id: string;
  userId: number | null;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  archived: boolean;
  teams: OwnerTeam[];
}

/** A call outcome ("disposition") of the portal. */
export interface CallDisposition {
  id: string;
  label: string;
}

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** HubSpot's string metadata, e.g. { probability: "0.2", isClosed: "false" }. */
  metadata: Record<string, string>;
  archived?: boolean;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  stages: PipelineStage[];
  archived?: boolean;
}

/** Account details that shape every computation. */
export interface PortalDetails {
  portalId: number;
  timeZone: string;
  currency: string;
  name?: string;
}

/** A HubSpot user (settings API), used for roles. */
export interface PortalUser {
  id: string;
  email: string;
  superAdmin: boolean;
  primaryTeamId: string | null;
  secondaryTeamIds: string[];
}

export interface Team {
  id: string;
  name: string;
  userIds: string[];
  secondaryUserIds: string[];
}
