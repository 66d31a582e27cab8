/**
 * Entry point of the app home page (home-hsmeta.json). It only hands HubSpot's context to the
 * scoreboard and the weekly meeting pack, so tests render those directly and never load this file.
 */
import { Divider, Flex, hubspot } from '@hubspot/ui-extensions';
import { TeamScoreboard } from './TeamScoreboard';
import { WeeklyPack } from './WeeklyPack';

hubspot.extend<'home'>(({ context }) => (
  <Flex direction="column" gap="lg">
    <TeamScoreboard context={context} />
    <Divider />
    <WeeklyPack context={context} />
  </Flex>
));
