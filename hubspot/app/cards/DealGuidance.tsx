/**
 * Entry point of the deal card (deal-guidance-hsmeta.json). It only hands HubSpot's context to the
 * card, so tests render DealGuidanceCard directly and never load this file. The deal id is
 * `context.crm.objectId`.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { DealGuidanceCard } from './DealGuidanceCard';

hubspot.extend<'crm.record.tab'>(({ context }) => <DealGuidanceCard context={context} />);
