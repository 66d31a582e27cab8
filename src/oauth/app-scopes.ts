/**
 * The scopes the install URL asks for: exactly `auth.requiredScopes` of hubspot/app/app-hsmeta.json
 * (HubSpot fails an install whose `scope` lacks a required scope or names an undeclared one). Kept
 * as a constant so no file is read at request time; a unit test holds it equal to the app file.
 */
export const APP_REQUIRED_SCOPES: readonly string[] = Object.freeze([
  'oauth',
  'crm.objects.owners.read',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.deals.read',
  'settings.users.read',
]);
