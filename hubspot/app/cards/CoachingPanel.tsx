/**
 * Entry point of the contact card "Coaching" (contact-coaching-hsmeta.json). It only hands HubSpot's
 * context to the card, so tests render CoachingPanelCard directly and never load this file. The
 * contact id is `context.crm.objectId`.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { CoachingPanelCard } from './CoachingPanelCard';

hubspot.extend<'crm.record.tab'>(({ context }) => <CoachingPanelCard context={context} />);
