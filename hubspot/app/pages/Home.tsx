/**
 * Entry point of the app home page (home-hsmeta.json). It only hands HubSpot's context to the
 * scoreboard, so tests render TeamScoreboard directly and never load this file.
 */
import { hubspot } from '@hubspot/ui-extensions';
import { TeamScoreboard } from './TeamScoreboard';

hubspot.extend<'home'>(({ context }) => <TeamScoreboard context={context} />);
