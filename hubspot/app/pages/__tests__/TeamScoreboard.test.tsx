/**
 * The team scoreboard under HubSpot's test renderer: every state, week navigation, team
 * selection and the stale-response guard. Each test gets a fresh renderer.
 */
import {
  Button,
  EmptyState,
  ErrorState,
  LoadingSpinner,
  Select,
  Table,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { SelectProps } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { RenderedElementNode } from '@hubspot/ui-extensions/testing';
import { BackendError, BackendUnreachableError, InvalidReportError } from '../api';
import { TeamScoreboard } from '../TeamScoreboard';
import {
  BACKEND,
  LAST_WEEK,
  THIS_WEEK,
  answering,
  controllableFetch,
  eastReport,
  makeContext,
  makeRep,
  makeReport,
  makeTeam,
  now,
} from './test-utils/mocks';

function setup() {
  return createRenderer('home');
}

/** ICU puts thin or narrow no-break spaces around range dashes; compare with plain spaces. */
function plain(text: string | null): string {
  return (text ?? '').replace(/\s/g, ' ');
}

/**
 * Picks a Select option. In ui-extensions 0.17 `trigger`'s argument is typed as the handler itself,
 * while at runtime it is what the handler receives; this is the one place that bridges the two.
 */
function choose(select: RenderedElementNode<SelectProps>, value: string): void {
  select.trigger('onChange', value as unknown as SelectProps['onChange']);
}

type Calls = ReturnType<typeof controllableFetch>['calls'];
type WaitFor = ReturnType<typeof setup>['waitFor'];

/** Effects run after the render: wait until the page has sent request number `count`. */
async function requested(waitFor: WaitFor, calls: Calls, count = 1): Promise<void> {
  await waitFor(() => expect(calls).toHaveLength(count));
}

describe('TeamScoreboard', () => {
  it('shows a spinner while the report loads, and asks for this week and the user team', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    expect(findByTestId(LoadingSpinner, 'scoreboard-loading').props.label).toBe("Loading the week's numbers");
    expect(calls.map((c) => c.request)).toEqual([{ backendOrigin: BACKEND, week: THIS_WEEK, teamId: '7' }]);
    expect(plain(findByTestId(Text, 'week-label').text)).toBe('Nov 2 – 8, 2026');
    expect(findByTestId(Button, 'week-next').props.disabled).toBe(true);
  });

  it('shows each rep against the team median, formatted', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    render(
      <TeamScoreboard context={makeContext()} fetchReport={answering(eastReport()).fetchReport} now={now} />,
    );
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));

    const value = (id: string) => findByTestId(Text, `${id}-value`).text;
    const versus = (id: string) => maybeFindByTestId(Tag, `${id}-vs-median`);

    // Ana is above the median on dials, below on held rate.
    expect(value('cell-101-dials')).toBe('14');
    expect(versus('cell-101-dials')?.text).toBe('above median');
    expect(versus('cell-101-dials')?.props.variant).toBe('success');
    expect(value('cell-101-connectRate')).toBe('43%');
    expect(value('cell-101-talkTimeMs')).toBe('1 h 05 min');
    expect(value('cell-101-meetingHeldRate')).toBe('75%');
    expect(versus('cell-101-meetingHeldRate')?.text).toBe('below median');
    expect(value('cell-101-wonAmount')).toBe('12,500');

    // Ben is below on dials and won amount, above on held rate.
    expect(value('cell-102-dials')).toBe('6');
    expect(versus('cell-102-dials')?.text).toBe('below median');
    expect(versus('cell-102-dials')?.props.variant).toBe('warning');
    expect(value('cell-102-talkTimeMs')).toBe('40 s');
    expect(versus('cell-102-meetingHeldRate')?.text).toBe('above median');
    expect(versus('cell-102-wonAmount')?.text).toBe('below median');

    // The median row is the backend's median, not recomputed; medians can be halves.
    expect(findByTestId(Text, 'median-connects-value').text).toBe('3.5');
    expect(findByTestId(Text, 'median-connectRate-value').text).toBe('30%');
    expect(findByTestId(Text, 'median-talkTimeMs-value').text).toBe('33 min');
    expect(maybeFindByTestId(Tag, 'median-dials-vs-median')).toBeNull();
    expect(maybeFindByTestId(Text, 'median-hint')).toBeNull();
  });

  it('shows rates without a denominator as a dash, with no comparison', async () => {
    const report = makeReport(
      [makeRep('101', 'Ana Diaz', ['7'], { dials: 0, notes: 2 })],
      [makeTeam('7', 'East', ['101'], { connectRate: 0.5 })],
    );
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    render(<TeamScoreboard context={makeContext()} fetchReport={answering(report).fetchReport} now={now} />);
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));

    expect(findByTestId(Text, 'cell-101-connectRate-value').text).toBe('—');
    expect(maybeFindByTestId(Tag, 'cell-101-connectRate-vs-median')).toBeNull();
  });

  it('formats won amounts as money when the report names its currency', async () => {
    const report = { ...eastReport(), currency: 'USD' };
    const { render, findByTestId, waitFor } = setup();
    render(<TeamScoreboard context={makeContext()} fetchReport={answering(report).fetchReport} now={now} />);
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));

    expect(findByTestId(Text, 'cell-101-wonAmount-value').text).toBe('$12,500');
  });

  it('shows an empty state when the team has no reps', async () => {
    const report = makeReport([], [makeTeam('7', 'East', [])]);
    const { render, findByTestId, waitFor } = setup();
    render(<TeamScoreboard context={makeContext()} fetchReport={answering(report).fetchReport} now={now} />);
    await waitFor(() => findByTestId(EmptyState, 'scoreboard-empty-reps'));

    expect(findByTestId(EmptyState, 'scoreboard-empty-reps').props.title).toBe('No reps to show');
    expect(findByTestId(Text, 'scoreboard-empty-reps-text').text).toContain('East has no reps in HubSpot');
  });

  it('shows an empty state when nobody logged any activity this week', async () => {
    const report = makeReport(
      [makeRep('101', 'Ana Diaz', ['7']), makeRep('102', 'Ben Okafor', ['7'])],
      [makeTeam('7', 'East', ['101', '102'])],
    );
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    render(<TeamScoreboard context={makeContext()} fetchReport={answering(report).fetchReport} now={now} />);
    await waitFor(() => findByTestId(EmptyState, 'scoreboard-empty-activity'));

    expect(findByTestId(Text, 'scoreboard-empty-activity-text').text).toContain(
      'for East this week. Pick an earlier week',
    );
    expect(maybeFindByTestId(Table, 'scoreboard-table')).toBeNull();
  });

  it('explains a failed request and loads again on retry', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    calls[0]?.reject(new BackendError(503, 'HUBSPOT_RATE_LIMITED', 'HubSpot asked us to slow down.'));
    await waitFor(() => findByTestId(ErrorState, 'scoreboard-error'));
    expect(findByTestId(ErrorState, 'scoreboard-error').props.title).toBe("The scoreboard didn't load");
    expect(findByTestId(Text, 'scoreboard-error-message').text).toBe(
      'HubSpot asked us to slow down. Try again in a minute. (Error code: HUBSPOT_RATE_LIMITED)',
    );

    findByTestId(Button, 'scoreboard-retry').trigger('onClick');
    await requested(waitFor, calls, 2);
    findByTestId(LoadingSpinner, 'scoreboard-loading');
    expect(calls[1]?.request).toEqual(calls[0]?.request);

    calls[1]?.resolve(eastReport());
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));
  });

  it('says the server did not answer in time when the request times out', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    calls[0]?.reject(new BackendUnreachableError(new Error('timeout')));
    await waitFor(() => findByTestId(ErrorState, 'scoreboard-error'));
    expect(findByTestId(Text, 'scoreboard-error-message').text).toContain("didn't answer within 15 seconds");
    expect(findByTestId(Button, 'scoreboard-retry').text).toBe('Try again');
  });

  it('treats an answer that is not a report as a retryable error', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    calls[0]?.reject(new InvalidReportError('reps is not a list'));
    await waitFor(() => findByTestId(ErrorState, 'scoreboard-error'));
    expect(findByTestId(Text, 'scoreboard-error-message').text).toContain("doesn't understand");
    findByTestId(Button, 'scoreboard-retry');
  });

  it('shows the not-authorised state on 403, without a pointless retry', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    calls[0]?.reject(new BackendError(403, 'FORBIDDEN', undefined));
    await waitFor(() => findByTestId(ErrorState, 'scoreboard-not-authorised'));
    const state = findByTestId(ErrorState, 'scoreboard-not-authorised');
    expect(state.props.type).toBe('lock');
    expect(state.props.title).toBe("You don't have access to this scoreboard");
    expect(findByTestId(Text, 'scoreboard-not-authorised-message').text).toContain('Pick a team you coach');
    expect(maybeFindByTestId(Button, 'scoreboard-retry')).toBeNull();
  });

  it('shows the not-authorised state on 401, with a retry and who can fix it', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    calls[0]?.reject(new BackendError(401, 'UNAUTHENTICATED', 'The request could not be authenticated.'));
    await waitFor(() => findByTestId(ErrorState, 'scoreboard-not-authorised'));
    expect(findByTestId(ErrorState, 'scoreboard-not-authorised').props.title).toBe(
      "Pillars couldn't confirm your access",
    );
    expect(findByTestId(Text, 'scoreboard-not-authorised-message').text).toContain(
      'ask a Super Admin to reinstall Pillars',
    );
    findByTestId(Button, 'scoreboard-retry');
  });

  it('says the build is misconfigured when BACKEND_ORIGIN is missing, and sends nothing', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext({ variables: {} })} fetchReport={fetchReport} now={now} />);

    await waitFor(() => findByTestId(ErrorState, 'scoreboard-error'));
    expect(findByTestId(ErrorState, 'scoreboard-error').props.title).toBe("Pillars isn't set up correctly");
    expect(findByTestId(Text, 'scoreboard-error-message').text).toContain(
      'the profile variable BACKEND_ORIGIN is missing',
    );
    expect(maybeFindByTestId(Button, 'scoreboard-retry')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('moves between weeks with the previous, next and this-week buttons', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    const { fetchReport, requests } = answering(eastReport());
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));
    expect(maybeFindByTestId(Button, 'week-current')).toBeNull();

    findByTestId(Button, 'week-previous').trigger('onClick');
    await waitFor(() => expect(plain(findByTestId(Text, 'week-label').text)).toBe('Oct 26 – Nov 1, 2026'));
    expect(requests.at(-1)).toEqual({ backendOrigin: BACKEND, week: LAST_WEEK, teamId: '7' });
    expect(findByTestId(Button, 'week-next').props.disabled).toBe(false);

    findByTestId(Button, 'week-previous').trigger('onClick');
    await waitFor(() => expect(requests.at(-1)?.week).toBe('2026-10-19'));

    findByTestId(Button, 'week-next').trigger('onClick');
    await waitFor(() => expect(requests.at(-1)?.week).toBe(LAST_WEEK));

    findByTestId(Button, 'week-current').trigger('onClick');
    await waitFor(() => expect(requests.at(-1)?.week).toBe(THIS_WEEK));
    expect(findByTestId(Button, 'week-next').props.disabled).toBe(true);
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));
  });

  it('switches teams with the selector, including all teams', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, requests } = answering(eastReport());
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));

    // The user's team comes from HubSpot's context; West is only known from the report.
    await waitFor(() =>
      expect(findByTestId(Select, 'team-select').props.options).toEqual([
        { label: 'All teams', value: 'all' },
        { label: 'East', value: '7' },
        { label: 'West', value: '8' },
      ]),
    );
    expect(findByTestId(Select, 'team-select').props.value).toBe('7');

    choose(findByTestId(Select, 'team-select'), '8');
    await waitFor(() =>
      expect(requests.at(-1)).toEqual({ backendOrigin: BACKEND, week: THIS_WEEK, teamId: '8' }),
    );
    // West has no reps in this report.
    await waitFor(() => findByTestId(EmptyState, 'scoreboard-empty-reps'));
    expect(findByTestId(Select, 'team-select').props.value).toBe('8');

    choose(findByTestId(Select, 'team-select'), 'all');
    await waitFor(() => expect(requests.at(-1)).toEqual({ backendOrigin: BACKEND, week: THIS_WEEK }));
    // Without a team there is no median to compare with, and the page says how to get one.
    await waitFor(() => findByTestId(Text, 'median-hint'));
  });

  it('starts on all teams when the user is in no team', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, requests } = answering(eastReport());
    render(<TeamScoreboard context={makeContext({ teams: [] })} fetchReport={fetchReport} now={now} />);
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));

    expect(requests[0]).toEqual({ backendOrigin: BACKEND, week: THIS_WEEK });
    expect(findByTestId(Select, 'team-select').props.value).toBe('all');
  });

  it('ignores a slow answer for a week the user has already left', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchReport, calls } = controllableFetch();
    render(<TeamScoreboard context={makeContext()} fetchReport={fetchReport} now={now} />);
    await requested(waitFor, calls);

    findByTestId(Button, 'week-previous').trigger('onClick');
    await requested(waitFor, calls, 2);
    expect(calls[1]?.request.week).toBe(LAST_WEEK);

    // Last week's answer arrives first and is shown; this week's late answer must not replace it.
    calls[1]?.resolve(
      makeReport([makeRep('201', 'Last Week Rep', ['7'], { dials: 3 })], [makeTeam('7', 'East', ['201'])]),
    );
    await waitFor(() => findByTestId(Table, 'scoreboard-table'));
    calls[0]?.resolve(eastReport());
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(findByTestId(Text, 'cell-201-dials-value').text).toBe('3');
    expect(() => findByTestId(Text, 'cell-101-dials-value')).toThrow();
  });

  it('notes activities the backend skipped for lack of a date', async () => {
    const report = { ...eastReport(), skipped: 2 };
    const { render, findByTestId, waitFor } = setup();
    render(<TeamScoreboard context={makeContext()} fetchReport={answering(report).fetchReport} now={now} />);
    await waitFor(() => findByTestId(Text, 'skipped-note'));

    expect(findByTestId(Text, 'skipped-note').text).toBe(
      '2 activities have no usable date in HubSpot and are not counted.',
    );
  });
});
