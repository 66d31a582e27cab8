/**
 * zod schemas for every HubSpot answer the gateway uses; nothing is read before it passes one.
 * Responses of generated APIs are checked as `@hubspot/api-client` hands them back (its models:
 * `from` renamed `_from`, dates as Date, unknown fields dropped), raw GETs as the JSON HubSpot sent.
 * Only the fields we read are required; anything else may come and go.
 */
import { z } from 'zod';

const forwardPaging = z.object({ next: z.object({ after: z.string().min(1) }).nullish() }).nullish();

const ownerTeam = z.object({ id: z.string(), name: z.string(), primary: z.boolean().nullish() });

/** One owner (`/crm/v3/owners`). */
export const ownerSchema = z.object({
  id: z.string().min(1),
  userId: z.number().int().nullish(),
  email: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  archived: z.boolean().nullish(),
  teams: z.array(ownerTeam).nullish(),
});

/** A page of owners. */
export const ownersPageSchema = z.object({ results: z.array(ownerSchema), paging: forwardPaging });

/** A page of users (`/settings/v3/users`). */
export const usersPageSchema = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      email: z.string(),
      superAdmin: z.boolean().nullish(),
      primaryTeamId: z.string().nullish(),
      secondaryTeamIds: z.array(z.string()).nullish(),
    }),
  ),
  paging: forwardPaging,
});

/** All teams (`/settings/v3/users/teams`). */
export const teamsSchema = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string(),
      userIds: z.array(z.string()).nullish(),
      secondaryUserIds: z.array(z.string()).nullish(),
    }),
  ),
});

const stageSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  displayOrder: z.number(),
  archived: z.boolean().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

/** Deal pipelines with stages (`/crm/v3/pipelines/deals`). */
export const pipelinesSchema = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      label: z.string(),
      displayOrder: z.number(),
      archived: z.boolean().nullish(),
      stages: z.array(stageSchema),
    }),
  ),
});

/** Call outcomes (`/calling/v1/dispositions`): a bare JSON array. */
export const dispositionsSchema = z.array(z.object({ id: z.string().min(1), label: z.string() }));

/** One CRM object with its requested properties (HubSpot's strings, null when empty). */
export const crmObjectSchema = z.object({
  id: z.string().min(1),
  properties: z.record(z.string(), z.string().nullable()),
});

/** A search page (`POST /crm/v3/objects/{type}/search`). */
export const searchPageSchema = z.object({
  total: z.number().int().nonnegative().nullish(),
  results: z.array(crmObjectSchema),
  paging: forwardPaging,
});

/** A batch read (200, or 207 with per-id errors, which we leave out). */
export const batchReadSchema = z.object({ results: z.array(crmObjectSchema) });

/** A v4 association batch read; `paging` appears on a result when it has more associations. */
export const associationBatchReadSchema = z.object({
  results: z.array(
    z.object({
      _from: z.object({ id: z.union([z.string(), z.number()]) }),
      to: z.array(z.object({ toObjectId: z.union([z.string().min(1), z.number().int()]) })),
      paging: forwardPaging,
    }),
  ),
});

/** Account details (`/account-info/v3/details`), raw JSON. */
export const accountDetailsSchema = z.object({
  portalId: z.number().int().positive(),
  timeZone: z.string().min(1),
  companyCurrency: z.string().min(1),
});
