/**
 * The weekly meeting pack view under HubSpot's test renderer: loading, no teams coached, the pack's
 * sections, an empty team, errors with retry, team switching and the stale-response guard.
 */
import {
  Button,
  EmptyState,
  ErrorState,
  Flex,
  LoadingSpinner,
  Select,
  Table,
  TableCell,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { SelectProps } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { BackendError } from '../api';
import { WeeklyPack } from '../WeeklyPack';
import { BACKEND, makeContext } from './test-utils/mocks';
import { EAST, WEST, controllablePack, westPack } from './test-utils/pack-mocks';

function setup() {
  return createRenderer('home');
}

/**
 * Wait until `check` passes. The renderer's waitFor re-runs checks only when the rendered output
 * changes, and a request can go out without any change (loading stays loading): poll instead.
 */
async function until(check: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      check();
      return;
    } catch (error) {
      if (i >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

describe('WeeklyPack', () => {
  it('shows a spinner while the teams load, then asks for the first team it may see', async () => {
    const { render, findByTestId } = setup();
    const { fetchTeams, fetchPack, teamCalls, packCalls } = controllablePack();
    render(<WeeklyPack context={makeContext()} fetchTeams={fetchTeams} fetchPack={fetchPack} />);
    await until(() => expect(teamCalls).toHaveLength(1));
    expect(teamCalls[0]?.request).toBe(BACKEND);
    expect(findByTestId(LoadingSpinner, 'pack-teams-loading').props.label).toBe(
      'Loading the teams you coach',
    );

    teamCalls[0]?.resolve([WEST, EAST]);
    await until(() => expect(packCalls).toHaveLength(1));
    expect(packCalls[0]?.request).toEqual({ backendOrigin: BACKEND, teamId: WEST.id });
    findByTestId(LoadingSpinner, 'pack-loading');
    expect(findByTestId(Select, 'pack-team-select').props.value).toBe(WEST.id);
  });

  it('says so in one line when the user coaches no team', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    const { fetchTeams, fetchPack, teamCalls, packCalls } = controllablePack();
    render(<WeeklyPack context={makeContext()} fetchTeams={fetchTeams} fetchPack={fetchPack} />);
    await until(() => expect(teamCalls).toHaveLength(1));
    teamCalls[0]?.resolve([]);
    await waitFor(() => findByTestId(Text, 'pack-no-teams'));
    expect(findByTestId(Text, 'pack-no-teams').text).toContain("You don't coach a team");
    expect(maybeFindByTestId(Select, 'pack-team-select')).toBeNull();
    expect(packCalls).toHaveLength(0);
  });

  it('renders every section: scoreboard, off pace and why, praise, stalled deals, training, effects', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchTeams, fetchPack, teamCalls, packCalls } = controllablePack();
    render(<WeeklyPack context={makeContext()} fetchTeams={fetchTeams} fetchPack={fetchPack} />);
    await until(() => expect(teamCalls).toHaveLength(1));
    teamCalls[0]?.resolve([WEST]);
    await until(() => expect(packCalls).toHaveLength(1));
    packCalls[0]?.resolve(westPack());
    await waitFor(() => findByTestId(Table, 'pack-scoreboard'));

    expect(findByTestId(Text, 'pack-week').text).toContain('New Business West, week of Nov 16');
    expect(findByTestId(Tag, 'pack-status-61400270').text).toBe('Off pace');
    expect(findByTestId(Tag, 'pack-status-61400270').props.variant).toBe('warning');
    expect(findByTestId(Tag, 'pack-status-61400296').text).toBe('Not enough data');
    expect(findByTestId(Tag, 'pack-status-61400244').text).toBe('On pace');
    expect(findByTestId(TableCell, 'pack-cell-61400270-dials').text).toBe('74');
    expect(findByTestId(TableCell, 'pack-cell-61400270-connectRate').text).toBe('4%');
    expect(findByTestId(TableCell, 'pack-target-dials').text).toBe('60');
    expect(findByTestId(TableCell, 'pack-target-connectRate').text).toBe('—');

    findByTestId(Flex, 'pack-off-pace-61400270');
    expect(findByTestId(Text, 'pack-reason-61400270-0').text).toMatch(
      /^Weakest step: connect rate \(connects per dial\), 5.2 % \(13 of 252\)/,
    );
    const offPace = findByTestId(Text, 'pack-thin-61400296').text;
    expect(offPace).toBe('Grace Liu: Not enough data: 82 dials in the last 4 weeks.');
    expect(findByTestId(Text, 'pack-praise-0').text).toBe(
      'Lena Fischer: Improved connect rate. 12.3 % in the last 4 weeks, up from 10.6 %.',
    );
    expect(findByTestId(Tag, 'pack-deal-age-15000000873').text).toBe('Stalled');
    expect(findByTestId(TableCell, 'pack-deal-rep-15000000873').text).toBe('Diego Alvarez');
    expect(findByTestId(TableCell, 'pack-deal-usual-15000000873').text).toBe('21–35 days');
    expect(findByTestId(Text, 'pack-effect-cold-calling-connectRate').text).toBe(
      'cold-calling on connectRate: median effect +2.1 points (2 of 3 measurable)',
    );
  });

  it('shows an empty state for a team without members', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchTeams, fetchPack, teamCalls, packCalls } = controllablePack();
    render(<WeeklyPack context={makeContext()} fetchTeams={fetchTeams} fetchPack={fetchPack} />);
    await until(() => expect(teamCalls).toHaveLength(1));
    teamCalls[0]?.resolve([WEST]);
    await until(() => expect(packCalls).toHaveLength(1));
    packCalls[0]?.resolve(westPack({ members: [], praise: [], stalledDeals: [] }));
    await waitFor(() => findByTestId(EmptyState, 'pack-empty'));
    expect(findByTestId(Text, 'pack-empty-text').text).toContain('New Business West has no members');
  });

  it('explains a 404 with the backend message, and retries a failed team list', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchTeams, fetchPack, teamCalls, packCalls } = controllablePack();
    render(<WeeklyPack context={makeContext()} fetchTeams={fetchTeams} fetchPack={fetchPack} />);
    await until(() => expect(teamCalls).toHaveLength(1));
    teamCalls[0]?.reject(new BackendError(503, 'HUBSPOT_RATE_LIMITED', 'HubSpot asked us to slow down.'));
    await waitFor(() => findByTestId(ErrorState, 'pack-error'));
    expect(findByTestId(Text, 'pack-error-message').text).toBe(
      'HubSpot asked us to slow down. (Error code: HUBSPOT_RATE_LIMITED) Try again in a minute.',
    );
    findByTestId(Button, 'pack-retry').trigger('onClick');
    await until(() => expect(teamCalls).toHaveLength(2));
    teamCalls[1]?.resolve([WEST]);
    await until(() => expect(packCalls).toHaveLength(1));
    const message = 'No weekly pack for this team: it does not exist, or you are not one of its coaches.';
    packCalls[0]?.reject(new BackendError(404, 'NOT_FOUND', message));
    await waitFor(() => findByTestId(ErrorState, 'pack-error'));
    expect(findByTestId(Text, 'pack-error-message').text).toContain(message);
  });

  it('loads the team picked, and drops the answer of the team left behind', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchTeams, fetchPack, teamCalls, packCalls } = controllablePack();
    render(<WeeklyPack context={makeContext()} fetchTeams={fetchTeams} fetchPack={fetchPack} />);
    await until(() => expect(teamCalls).toHaveLength(1));
    teamCalls[0]?.resolve([WEST, EAST]);
    await until(() => expect(packCalls).toHaveLength(1));

    const select = findByTestId(Select, 'pack-team-select');
    select.trigger('onChange', EAST.id as unknown as SelectProps['onChange']);
    await until(() => expect(packCalls).toHaveLength(2));
    expect(packCalls[1]?.request.teamId).toBe(EAST.id);

    packCalls[1]?.resolve(westPack({ team: EAST, members: [] }));
    await waitFor(() => findByTestId(EmptyState, 'pack-empty'));
    // The West answer arrives late: ignored.
    packCalls[0]?.resolve(westPack());
    await new Promise((r) => setTimeout(r, 10));
    expect(findByTestId(Text, 'pack-empty-text').text).toContain('New Business East');
  });
});
