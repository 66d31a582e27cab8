/**
 * The coaching contact card under HubSpot's test renderer: loading, errors (with the request id),
 * not-authorised, misconfigured, no owner, summary only (nothing about the rep), the coach's full
 * panel (scorecard, funnel with the diagnosed step, trend chart, praise, notes, training,
 * relationship), the rep's own view, and a rep without data. Each test gets a fresh renderer.
 */
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Form,
  Heading,
  LineChart,
  Link,
  LoadingSpinner,
  StatisticsItem,
  StatusTag,
  Table,
  TableCell,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { CoachingPanel } from '@pillars/contracts';
import { BackendError, BackendUnreachableError } from '../api';
import { InvalidCoachingAnswerError } from '../coaching-api';
import { CoachingPanelCard } from '../CoachingPanelCard';
import {
  BACKEND,
  CONTACT_ID,
  REP_NAME,
  TODAY,
  controllableApi,
  makeCoachingContext,
  makeFullPanel,
  makeNoDataPanel,
  makeSelfPanel,
  makeSummaryPanel,
} from './test-utils/coaching-fixtures';

type Panels = ReturnType<typeof controllableApi>['panels'];

/** Effects run after the render: wait until the card has sent request number `count`. */
async function requested(panels: Panels, count = 1): Promise<void> {
  for (let tries = 0; tries < 200 && panels.length < count; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(panels).toHaveLength(count);
}

async function renderPanel(panel: CoachingPanel) {
  const renderer = createRenderer('crm.record.tab');
  const controls = controllableApi(panel);
  renderer.render(
    <CoachingPanelCard
      context={makeCoachingContext()}
      api={controls.api}
      newKey={() => 'key-1'}
      today={TODAY}
    />,
  );
  await renderer.waitFor(() => renderer.findByTestId(Button, 'coaching-refresh'));
  return { ...renderer, ...controls };
}

/** Renders the card, fails its first request with `error`, and waits for the error view. */
async function renderFailure(error: unknown, testId = 'coaching-error') {
  const renderer = createRenderer('crm.record.tab');
  const controls = controllableApi();
  renderer.render(<CoachingPanelCard context={makeCoachingContext()} api={controls.api} today={TODAY} />);
  await requested(controls.panels);
  controls.panels[0]?.reject(error);
  await renderer.waitFor(() => renderer.findByTestId(ErrorState, testId));
  return { ...renderer, ...controls };
}

const cellText = (find: ReturnType<typeof createRenderer>['findByTestId'], id: string) =>
  find(TableCell, id).text;

describe('CoachingPanelCard: loading and failures', () => {
  it("shows a spinner while loading, and asks for the record's contact", async () => {
    const { render, findByTestId, maybeFindByTestId } = createRenderer('crm.record.tab');
    const { api, panels } = controllableApi();
    render(<CoachingPanelCard context={makeCoachingContext()} api={api} today={TODAY} />);
    await requested(panels);

    expect(findByTestId(LoadingSpinner, 'coaching-loading').props.label).toBe('Loading the coaching panel');
    expect(panels.map((p) => p.request)).toEqual([{ backendOrigin: BACKEND, contactId: CONTACT_ID }]);
    expect(maybeFindByTestId(Button, 'coaching-refresh')).toBeNull();
  });

  it('shows a server error with its request id, and retries', async () => {
    const { findByTestId, waitFor, panels } = await renderFailure(
      new BackendError(500, 'INTERNAL', 'Pillars could not read the activity data.', 'req-7f3a'),
    );
    expect(findByTestId(ErrorState, 'coaching-error').props.title).toBe("The coaching panel didn't load");
    expect(findByTestId(Text, 'coaching-error-message').text).toBe(
      'Pillars could not read the activity data. Try again in a minute; if it keeps failing, contact Pillars support (Error code: INTERNAL, request req-7f3a).',
    );
    findByTestId(Button, 'coaching-retry').trigger('onClick');
    await requested(panels, 2);
    panels[1]?.resolve(makeFullPanel());
    await waitFor(() => findByTestId(Heading, 'coaching-heading'));
  });

  it('says when the server did not answer in time', async () => {
    const { findByTestId } = await renderFailure(new BackendUnreachableError(new Error('timeout')));
    expect(findByTestId(Text, 'coaching-error-message').text).toContain("didn't answer within 15 seconds");
    findByTestId(Button, 'coaching-retry');
  });

  it('says when the answer is not a panel', async () => {
    const { findByTestId } = await renderFailure(new InvalidCoachingAnswerError('view is unknown'));
    expect(findByTestId(Text, 'coaching-error-message').text).toContain("doesn't understand");
  });

  it('says a contact that is not found may have been merged, with the request id', async () => {
    const { findByTestId } = await renderFailure(
      new BackendError(404, 'HUBSPOT_NOT_FOUND', 'HubSpot has no such contact.', 'req-404'),
    );
    expect(findByTestId(ErrorState, 'coaching-error').props.title).toBe("Pillars couldn't find this contact");
    expect(findByTestId(Text, 'coaching-error-message').text).toContain('request req-404');
  });

  it('shows a lock without retry when the user may not see the contact', async () => {
    const { findByTestId, maybeFindByTestId } = await renderFailure(
      new BackendError(403, 'FORBIDDEN', 'You do not have access to this.', 'req-403'),
      'coaching-not-authorised',
    );
    const state = findByTestId(ErrorState, 'coaching-not-authorised');
    expect(state.props.type).toBe('lock');
    expect(state.props.title).toBe("You don't have access to this contact's coaching panel");
    expect(findByTestId(Text, 'coaching-not-authorised-message').text).toContain('request req-403');
    expect(maybeFindByTestId(Button, 'coaching-retry')).toBeNull();
  });

  it('offers a retry when HubSpot did not vouch for the request (401)', async () => {
    const { findByTestId } = await renderFailure(
      new BackendError(401, 'UNAUTHENTICATED', 'Bad signature.'),
      'coaching-not-authorised',
    );
    expect(findByTestId(ErrorState, 'coaching-not-authorised').props.title).toBe(
      "Pillars couldn't confirm your access",
    );
    findByTestId(Button, 'coaching-retry');
  });

  it.each([
    ['missing', {}, 'the profile variable BACKEND_ORIGIN is missing'],
    [
      'plain http',
      { BACKEND_ORIGIN: 'http://api.pillars.example.com' },
      'BACKEND_ORIGIN is not an https URL',
    ],
  ])('explains a build whose BACKEND_ORIGIN is %s, without a request', async (_, variables, problem) => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = createRenderer('crm.record.tab');
    const { api, panels } = controllableApi();
    render(<CoachingPanelCard context={makeCoachingContext({ variables })} api={api} today={TODAY} />);
    await waitFor(() => findByTestId(ErrorState, 'coaching-misconfigured'));

    expect(findByTestId(ErrorState, 'coaching-misconfigured').props.title).toBe(
      "Pillars isn't set up correctly",
    );
    expect(findByTestId(Text, 'coaching-misconfigured-message').text).toContain(problem);
    expect(maybeFindByTestId(Button, 'coaching-retry')).toBeNull();
    expect(panels).toHaveLength(0);
  });

  it('says the card needs a contact when HubSpot sends no record id', async () => {
    const { render, findByTestId, waitFor } = createRenderer('crm.record.tab');
    const { api, panels } = controllableApi();
    render(<CoachingPanelCard context={makeCoachingContext({ objectId: 0 })} api={api} today={TODAY} />);
    await waitFor(() => findByTestId(ErrorState, 'coaching-error'));
    expect(findByTestId(ErrorState, 'coaching-error').props.title).toBe('The coaching panel needs a contact');
    expect(panels).toHaveLength(0);
  });

  it("shows the newest contact's answer when HubSpot reuses the card", async () => {
    const { render, findByTestId, waitFor } = createRenderer('crm.record.tab');
    const { api, panels } = controllableApi();
    render(<CoachingPanelCard context={makeCoachingContext()} api={api} today={TODAY} />);
    await requested(panels);
    render(<CoachingPanelCard context={makeCoachingContext({ objectId: 6000 })} api={api} today={TODAY} />);
    await requested(panels, 2);
    expect(panels[1]?.request.contactId).toBe('6000');
    panels[1]?.resolve(makeSummaryPanel());
    await waitFor(() => findByTestId(Text, 'coaching-summary-only-text'));
    panels[0]?.resolve(makeFullPanel()); // the first contact's answer, late: ignored
    await new Promise((resolve) => setTimeout(resolve, 20));
    findByTestId(Text, 'coaching-summary-only-text');
  });
});

describe('CoachingPanelCard: views without coaching', () => {
  it('shows the relationship summary and says coaching needs an owner when the contact has none', async () => {
    const { findByTestId, maybeFindByTestId } = await renderPanel(makeSummaryPanel('no-owner'));

    expect(findByTestId(Alert, 'coaching-no-owner-alert').props.title).toBe('No contact owner');
    expect(findByTestId(Text, 'coaching-no-owner-text').text).toContain('Coaching needs an owner');
    expect(findByTestId(Heading, 'coaching-relationship-heading').text).toBe('Relationship, last 30 days');
    expect(findByTestId(StatisticsItem, 'touches-emails').props.number).toBe(9);
    expect(maybeFindByTestId(Table, 'coaching-scorecard-table')).toBeNull();
    expect(maybeFindByTestId(Form, 'coaching-note-form')).toBeNull();
  });

  it('shows only the relationship summary, and nothing about the rep, to anyone else', async () => {
    const { findByTestId, maybeFindByTestId, getRootNode } = await renderPanel(makeSummaryPanel());

    const touches = ['calls', 'emails', 'meetings', 'notes', 'tasks'].map(
      (c) => findByTestId(StatisticsItem, `touches-${c}`).props,
    );
    expect(touches.map((t) => [t.label, t.number])).toEqual([
      ['Calls', 4],
      ['Emails', 9],
      ['Meetings', 2],
      ['Notes', 1],
      ['Tasks', 3],
    ]);
    expect(findByTestId(Text, 'coaching-relationship-last').text).toBe('Last touch: email on Nov 26, 2026');
    expect(findByTestId(Text, 'coaching-relationship-next').text).toBe(
      'Next: meeting "Pricing review" on Dec 2, 2026',
    );
    const neutral = findByTestId(Text, 'coaching-summary-only-text').text ?? '';
    expect(neutral).toBe('Only the relationship summary is available to you on this record.');
    // Every text the user can read (test ids and prop names left out).
    const all = getRootNode()
      .findAll(Text)
      .concat(getRootNode().findAll(Heading))
      .map((node) => node.text ?? '')
      .join('\n');
    expect(all).toContain('Relationship, last 30 days');
    for (const word of [REP_NAME, 'Ben', ' rep', 'owner', 'coach', 'Coach']) {
      expect(all.includes(word)).toBe(false);
    }
    expect(maybeFindByTestId(Heading, 'coaching-heading')).toBeNull();
    expect(maybeFindByTestId(Table, 'coaching-scorecard-table')).toBeNull();
  });

  it('says when there were no touches and nothing is scheduled', async () => {
    const panel = {
      ...makeSummaryPanel(),
      relationship: { ...makeSummaryPanel().relationship, lastTouch: null, nextActivity: null },
    };
    const { findByTestId } = await renderPanel(panel);
    expect(findByTestId(Text, 'coaching-relationship-last').text).toBe('No touches in the last 30 days.');
    expect(findByTestId(Text, 'coaching-relationship-next').text).toBe('Nothing scheduled next.');
  });
});

describe("CoachingPanelCard: a coach's full panel", () => {
  it('names the rep and says whose view it is', async () => {
    const { findByTestId } = await renderPanel(makeFullPanel());
    expect(findByTestId(Heading, 'coaching-heading').text).toBe('Coaching: Ben Ortiz');
    expect(findByTestId(Tag, 'coaching-access').text).toBe('Coach view');
    expect(findByTestId(Text, 'coaching-subtitle').text).toBe(
      'Ben Ortiz owns this contact · East · week of Nov 23, 2026',
    );
  });

  it('shows the scorecard: this week, target, team median and trend per metric', async () => {
    const { findByTestId, maybeFindByTestId } = await renderPanel(makeFullPanel());
    const row = (metric: string) =>
      ['metric', 'value', 'target', 'median', 'trend'].map((c) =>
        cellText(findByTestId, `scorecard-${metric}-${c}`),
      );

    expect(row('dials')).toEqual(['Dials', '48', '60', '55', '↓ Down']);
    expect(findByTestId(Tag, 'scorecard-dials-below').props.variant).toBe('warning');
    expect(row('connects')).toEqual(['Connects', '12', '—', '11.5', '→ Flat']);
    expect(row('connectRate')).toEqual(['Connect rate', '25%', '—', '20%', '↑ Up']);
    expect(row('talkTimeMs')).toEqual(['Talk time', '1 h 30 min', '—', '1 h 15 min', '↑ Up']);
    expect(row('meetingsBooked')).toEqual(['Meetings booked', '1', '4', '3', '· Not enough weeks']);
    expect(row('winRate')).toEqual(['Win rate', '—', '—', '30%', '· Not enough weeks']);
    expect(maybeFindByTestId(Tag, 'scorecard-connects-below')).toBeNull();
  });

  it('shows the funnel with the diagnosed step marked and the diagnosis summary', async () => {
    const { findByTestId, maybeFindByTestId } = await renderPanel(makeFullPanel());

    const alert = findByTestId(Alert, 'coaching-diagnosis');
    expect(alert.props.variant).toBe('warning');
    expect(alert.props.title).toBe('Diagnosis: one step holds the funnel back');
    expect(findByTestId(Text, 'coaching-diagnosis-summary').text).toContain('books fewer meetings');
    expect(findByTestId(Heading, 'coaching-funnel-heading').text).toBe('Funnel over the last 8 weeks');

    expect(findByTestId(StatusTag, 'funnel-booking-diagnosed').text).toBe('Diagnosed gap');
    expect(maybeFindByTestId(StatusTag, 'funnel-connect-diagnosed')).toBeNull();
    expect(cellText(findByTestId, 'funnel-booking-rep')).toBe('13% (12 of 96)');
    expect(cellText(findByTestId, 'funnel-booking-median')).toBe('21%');
    expect(cellText(findByTestId, 'funnel-booking-gap')).toBe('-40%');
    expect(cellText(findByTestId, 'funnel-booking-weeks')).toBe('6 of 8');
    expect(cellText(findByTestId, 'funnel-win-rep')).toBe('— (0 of 0)');
    expect(cellText(findByTestId, 'funnel-win-gap')).toBe('—');
    expect(cellText(findByTestId, 'funnel-win-weeks')).toBe('—');
  });

  it('marks no step when the diagnosis finds no clear gap', async () => {
    const panel = makeFullPanel();
    const { findByTestId, maybeFindByTestId } = await renderPanel({
      ...panel,
      diagnosis: {
        ...panel.diagnosis,
        status: 'no-clear-gap',
        weakestStep: null,
        summary: 'On par with the team.',
      },
    });
    expect(findByTestId(Alert, 'coaching-diagnosis').props.variant).toBe('success');
    expect(maybeFindByTestId(StatusTag, 'funnel-booking-diagnosed')).toBeNull();
  });

  it('charts the key counts of the last 8 weeks, leaving out rates and missing weeks', async () => {
    const { findByTestId } = await renderPanel(makeFullPanel());
    const chart = findByTestId(LineChart, 'coaching-trend-chart');
    const rows = chart.props.data as Array<{ week: string; metric: string; value: number }>;

    expect(new Set(rows.map((r) => r.metric))).toEqual(new Set(['Dials', 'Connects', 'Meetings booked']));
    expect(rows.slice(0, 3)).toEqual([
      { week: 'Oct 5', metric: 'Dials', value: 50 },
      { week: 'Oct 5', metric: 'Connects', value: 10 },
      { week: 'Oct 5', metric: 'Meetings booked', value: 2 },
    ]);
    expect(rows.filter((r) => r.week === 'Oct 26').map((r) => r.metric)).toEqual(['Dials', 'Connects']);
    expect(rows).toHaveLength(8 * 3 - 1);
    expect(chart.props.axes).toMatchObject({
      x: { field: 'week', fieldType: 'category' },
      y: { field: 'value', fieldType: 'linear' },
      options: { groupFieldByColor: 'metric' },
    });
    expect(findByTestId(Heading, 'coaching-trend-heading').text).toBe('Last 8 weeks');
  });

  it('shows praise suggestions with their evidence', async () => {
    const { findByTestId } = await renderPanel(makeFullPanel());
    expect(findByTestId(Text, 'praise-0-headline').text).toBe('Connect rate up to 25%');
    expect(findByTestId(Text, 'praise-0-evidence').text).toContain('From 20% in the first four weeks');
    findByTestId(Button, 'praise-0-use');
  });

  it('lists the notes newest first, with kind, author and commitment status', async () => {
    const { findByTestId, findAll } = await renderPanel(makeFullPanel());
    const ids = findAll(Text)
      .map((t) => t.props.testId)
      .filter((id): id is string => typeof id === 'string' && /^note-n\d-text$/.test(id));
    expect(ids).toEqual(['note-n2-text', 'note-n1-text', 'note-n3-text']);
    expect(findByTestId(Tag, 'note-n2-kind').text).toBe('Commitment');
    expect(findByTestId(StatusTag, 'note-n2-status').text).toBe('Open');
    expect(findByTestId(Text, 'note-n2-due').text).toBe('Due Dec 4, 2026');
    expect(findByTestId(Text, 'note-n3-meta').text).toBe('Chris Park · Nov 10, 2026 · edited');
    expect(findByTestId(Tag, 'note-n3-kind').text).toBe('Praise');
    findByTestId(Form, 'coaching-note-form');
  });

  it('shows assigned training with status, due date, overdue and the measured effect only when supported', async () => {
    const { findByTestId, maybeFindByTestId } = await renderPanel(makeFullPanel());

    expect(findByTestId(Link, 'assignment-a1-title').props.href).toEqual({
      url: 'https://learn.example.com/a1',
      external: true,
    });
    expect(findByTestId(StatusTag, 'assignment-a1-status').text).toBe('Open');
    expect(findByTestId(StatusTag, 'assignment-a1-overdue').text).toBe('Overdue');
    expect(findByTestId(Text, 'assignment-a1-due').text).toBe('Due Nov 20, 2026');
    expect(maybeFindByTestId(Text, 'assignment-a1-effect')).toBeNull();
    findByTestId(Button, 'assignment-a1-complete');

    expect(findByTestId(StatusTag, 'assignment-a2-status').text).toBe('Completed');
    expect(findByTestId(Text, 'assignment-a2-due').text).toBe('Due Oct 1, 2026 · completed Sep 28, 2026');
    expect(findByTestId(Text, 'assignment-a2-effect').text).toBe(
      'Measured effect on Meeting held rate: +14 pts against the team (95% interval 3 to 25). Enough meetings on both sides of the completion date.',
    );
    expect(maybeFindByTestId(Button, 'assignment-a2-complete')).toBeNull();

    const unsupported = findByTestId(Text, 'assignment-a3-effect').text ?? '';
    expect(unsupported).toBe(
      'No effect claimed on Connect rate: Only 2 weeks of calls since completion; at least 4 are needed.',
    );
    expect(unsupported).not.toContain('pts');
  });

  it('suggests modules with one-click Assign', async () => {
    const { findByTestId } = await renderPanel(makeFullPanel());
    expect(findByTestId(Link, 'suggested-booking-the-next-step-title').text).toBe('Booking the next step');
    expect(findByTestId(Text, 'suggested-booking-the-next-step-format').text).toBe('video · 12 min');
    expect(findByTestId(Button, 'suggested-booking-the-next-step-assign').text).toBe('Assign');
    findByTestId(Button, 'suggested-booking-roleplay-assign');
  });

  it('refreshes on demand', async () => {
    const { findByTestId, panels, waitFor } = await renderPanel(makeFullPanel());
    findByTestId(Button, 'coaching-refresh').trigger('onClick');
    await waitFor(() => expect(panels).toHaveLength(2));
    await waitFor(() => findByTestId(Heading, 'coaching-heading'));
  });
});

describe("CoachingPanelCard: the rep's own view", () => {
  it('has no note form, no edit or delete and no assign buttons, but can complete training', async () => {
    const { findByTestId, maybeFindByTestId } = await renderPanel(makeSelfPanel());

    expect(findByTestId(Heading, 'coaching-heading').text).toBe('Your coaching');
    expect(findByTestId(Tag, 'coaching-access').text).toBe('Your own view');
    expect(findByTestId(Text, 'coaching-subtitle').text).toContain('You own this contact');
    expect(findByTestId(Text, 'coaching-notes-privacy').text).toBe('Private between you and your coaches.');
    expect(maybeFindByTestId(Form, 'coaching-note-form')).toBeNull();
    expect(maybeFindByTestId(Button, 'praise-0-use')).toBeNull();
    for (const note of ['n1', 'n2', 'n3']) {
      expect(maybeFindByTestId(Button, `note-${note}-edit`)).toBeNull();
      expect(maybeFindByTestId(Button, `note-${note}-delete`)).toBeNull();
    }
    findByTestId(Button, 'note-n2-done'); // their own commitment
    expect(maybeFindByTestId(Button, 'suggested-booking-the-next-step-assign')).toBeNull();
    findByTestId(Link, 'suggested-booking-the-next-step-title');
    findByTestId(Button, 'assignment-a1-complete');
  });

  it('shows the note form and assign buttons when the permissions allow it', async () => {
    const { findByTestId } = await renderPanel(
      makeSelfPanel({ permissions: { writeNotes: true, assignTraining: true, completeTraining: true } }),
    );
    findByTestId(Form, 'coaching-note-form');
    findByTestId(Button, 'suggested-booking-the-next-step-assign');
  });

  it('hides Mark complete when the rep may not complete training', async () => {
    const { maybeFindByTestId } = await renderPanel(
      makeSelfPanel({ permissions: { writeNotes: false, assignTraining: false, completeTraining: false } }),
    );
    expect(maybeFindByTestId(Button, 'assignment-a1-complete')).toBeNull();
  });
});

describe('CoachingPanelCard: a rep without data', () => {
  it('shows a clear empty state instead of zero-filled tables and charts', async () => {
    const { findByTestId, maybeFindByTestId } = await renderPanel(makeNoDataPanel());

    expect(findByTestId(EmptyState, 'coaching-no-data').props.title).toBe('No activity to coach on yet');
    expect(findByTestId(Text, 'coaching-no-data-text').text).toBe(
      'Ben Ortiz has no calls, emails, meetings or deals logged in the last 8 weeks, so there is no scorecard, funnel or trend to show yet. Notes and training still work.',
    );
    expect(maybeFindByTestId(Table, 'coaching-scorecard-table')).toBeNull();
    expect(maybeFindByTestId(LineChart, 'coaching-trend-chart')).toBeNull();
    expect(maybeFindByTestId(Alert, 'coaching-diagnosis')).toBeNull();
    // Notes and training still work.
    findByTestId(Form, 'coaching-note-form');
    expect(findByTestId(Text, 'coaching-notes-empty').text).toBe('No notes yet. Write the first one above.');
    expect(findByTestId(Text, 'coaching-training-none').text).toBe('No training assigned.');
  });

  it('speaks to the rep in their own view', async () => {
    const { findByTestId } = await renderPanel(makeNoDataPanel({ access: 'self' }));
    expect(findByTestId(Text, 'coaching-no-data-text').text).toContain('You have no calls');
  });
});
