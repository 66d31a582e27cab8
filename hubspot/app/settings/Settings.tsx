/**
 * Entry point of the settings page (settings-hsmeta.json). It only hands HubSpot's context to the
 * page, so tests render SettingsPage directly and never load this file. `@hubspot/ui-extensions/crm`
 * components are not available on a settings page; the page uses none.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { SettingsPage } from './SettingsPage';

hubspot.extend<'settings'>(({ context }) => <SettingsPage context={context} />);
