/**
 * Our request shapes to the SDK's request models. The SDK's types are narrower than what HubSpot
 * documents in two places, so the casts live here, each with its reason.
 */
import type {
  AssociationSpecAssociationCategoryEnum,
  FilterOperatorEnum,
  PublicObjectSearchRequest,
  SimplePublicObjectInputForCreate,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import type { CreateObjectInput } from './gateway.js';
import type { SearchPageRequest } from './search-all.js';

/** One search page as the SDK's PublicObjectSearchRequest. */
export function toSdkSearchRequest(request: SearchPageRequest): PublicObjectSearchRequest {
  return {
    filterGroups: request.filterGroups.map((g) => ({
      filters: g.filters.map((f) => ({
        propertyName: f.propertyName,
        operator: f.operator as FilterOperatorEnum, // our union is exactly HubSpot's enum values
        ...(f.value !== undefined ? { value: f.value } : {}),
        ...(f.highValue !== undefined ? { highValue: f.highValue } : {}),
        ...(f.values !== undefined ? { values: f.values } : {}),
      })),
    })),
    // 13.5 types `sorts` as string[]; HubSpot documents objects, and the SDK's serializer passes
    // items of a primitive-typed array through untouched (checked in search-all.test.ts).
    sorts: request.sorts as unknown as string[],
    properties: request.properties,
    limit: request.limit,
    ...(request.after !== undefined ? { after: request.after } : {}),
  };
}

/** A create with its HubSpot-defined associations. */
export function toSdkCreateInput(input: CreateObjectInput): SimplePublicObjectInputForCreate {
  return {
    properties: input.properties,
    associations: (input.associations ?? []).map((a) => ({
      to: { id: a.toId },
      types: [
        {
          associationCategory: 'HUBSPOT_DEFINED' as AssociationSpecAssociationCategoryEnum,
          associationTypeId: a.associationTypeId,
        },
      ],
    })),
  };
}
