/**
 * One `@hubspot/api-client` Client per gateway, with the API objects the gateway uses taken from it
 * at once. Why at once: 13.5 keeps its retry/limiter decorators in a process-wide singleton that
 * every `new Client()` overwrites, and builds API objects lazily with whatever the singleton holds
 * at first access. Constructing our Client sets the singleton to "no decorators"; touching the APIs
 * in the same synchronous step pins that, whatever another Client does later. We never configure
 * `numberOfApiCallRetries` or `limiterOptions`, nor an access token (sent per request instead, so a
 * refreshed token needs no new Client).
 */
import { Client } from '@hubspot/api-client';

/** The generated APIs the gateway calls. */
export interface SdkApis {
  owners: Client['crm']['owners']['ownersApi'];
  objects: Client['crm']['objects']['basicApi'];
  batch: Client['crm']['objects']['batchApi'];
  search: Client['crm']['objects']['searchApi'];
  pipelines: Client['crm']['pipelines']['pipelinesApi'];
  users: Client['settings']['users']['usersApi'];
  teams: Client['settings']['users']['teamsApi'];
  associations: Client['crm']['associations']['v4']['batchApi'];
}

/** Build an isolated Client for `basePath` and return its APIs, already instantiated. */
export function createSdkApis(basePath: string): SdkApis {
  const client = new Client({ basePath });
  return {
    owners: client.crm.owners.ownersApi,
    objects: client.crm.objects.basicApi,
    batch: client.crm.objects.batchApi,
    search: client.crm.objects.searchApi,
    pipelines: client.crm.pipelines.pipelinesApi,
    users: client.settings.users.usersApi,
    teams: client.settings.users.teamsApi,
    associations: client.crm.associations.v4.batchApi,
  };
}
