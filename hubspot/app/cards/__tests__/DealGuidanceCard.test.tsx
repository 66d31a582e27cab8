/**
 * The deal card under HubSpot's test renderer: every state, the criteria checklist with evidence,
 * the stage badge, risks, next step, refresh and the stale-response guard. Each test gets a fresh
 * renderer.
 */
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Heading,
  Link,
  LoadingSpinner,
  StepIndicator,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Risk } from '@pillars/contracts';
import { BackendError, BackendUnreachableError, InvalidGuidanceError } from '../api';
import { DealGuidanceCard } from '../DealGuidanceCard';
import {
  BACKEND,
  DEAL_ID,
  answering,
  controllableFetch,
  makeContext,
  makeCriterion,
  makeGuidance,
  makeRisk,
  withStage,
} from './test-utils/mocks';

function setup() {
  return createRenderer('crm.record.tab');
}

type Calls = ReturnType<typeof controllableFetch>['calls'];

/**
 * Effects run after the render: wait until the card has sent request number `count`. Polls, as the
 * renderer's waitFor only re-checks when the rendered tree changes, and sending a request while
 * the spinner is already shown changes nothing in it.
 */
async function requested(calls: Calls, count = 1): Promise<void> {
  for (let tries = 0; tries < 200 && calls.length < count; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(calls).toHaveLength(count);
}

/** Renders the card over a fetch that always answers `guidance`, and waits for the result. */
async function renderReady(guidance = makeGuidance()) {
  const renderer = setup();
  const { fetchGuidance, requests } = answering(guidance);
  renderer.render(<DealGuidanceCard context={makeContext()} fetchGuidance={fetchGuidance} />);
  await renderer.waitFor(() => renderer.findByTestId(Button, 'deal-guidance-refresh'));
  return { ...renderer, requests };
}

/** Renders the card, fails its first request with `error`, and waits for the error view. */
async function renderFailure(error: unknown, testId = 'deal-guidance-error') {
  const renderer = setup();
  const { fetchGuidance, calls } = controllableFetch();
  renderer.render(<DealGuidanceCard context={makeContext()} fetchGuidance={fetchGuidance} />);
  await requested(calls);
  calls[0]?.reject(error);
  await renderer.waitFor(() => renderer.findByTestId(ErrorState, testId));
  return { ...renderer, calls };
}

describe('DealGuidanceCard', () => {
  it("shows a spinner while loading, and asks for the record's deal", async () => {
    const { render, findByTestId, maybeFindByTestId } = setup();
    const { fetchGuidance, calls } = controllableFetch();
    render(<DealGuidanceCard context={makeContext()} fetchGuidance={fetchGuidance} />);
    await requested(calls);

    expect(findByTestId(LoadingSpinner, 'deal-guidance-loading').props.label).toBe(
      'Checking this deal against your playbook',
    );
    expect(calls.map((c) => c.request)).toEqual([{ backendOrigin: BACKEND, dealId: DEAL_ID }]);
    expect(maybeFindByTestId(Button, 'deal-guidance-refresh')).toBeNull();
  });

  it('shows the stage stepper with every stage name and the current stage', async () => {
    const { findByTestId } = await renderReady();

    const stepper = findByTestId(StepIndicator, 'deal-guidance-stepper');
    expect(stepper.props.stepNames).toEqual([
      'Appointment scheduled',
      'Qualified to buy',
      'Presentation scheduled',
      'Decision maker bought in',
      'Contract sent',
      'Closed won',
      'Closed lost',
    ]);
    expect(stepper.props.currentStep).toBe(1);
    expect(findByTestId(Heading, 'deal-guidance-stage-label').text).toBe('Qualified to buy');
    expect(findByTestId(Text, 'deal-guidance-stage-position').text).toBe(
      'Sales pipeline · Stage 2 of 7 · 40% to close',
    );
  });

  it('falls back to "stage n of m" without a stepper when the backend sends no stage names', async () => {
    const guidance = makeGuidance({ pipeline: { id: 'default', label: 'Sales pipeline' } });
    const { findByTestId, maybeFindByTestId } = await renderReady(guidance);

    expect(maybeFindByTestId(StepIndicator, 'deal-guidance-stepper')).toBeNull();
    expect(findByTestId(Text, 'deal-guidance-stage-position').text).toContain('Stage 2 of 7');
  });

  it('says when the stage is not in the pipeline, without a stepper', async () => {
    const { findByTestId, maybeFindByTestId } = await renderReady(
      withStage({ id: 'legacy', label: 'legacy', index: -1, probability: null }),
    );

    expect(maybeFindByTestId(StepIndicator, 'deal-guidance-stepper')).toBeNull();
    expect(findByTestId(Text, 'deal-guidance-stage-position').text).toBe(
      'Sales pipeline · Stage not in pipeline',
    );
  });

  it('shows the stage goal and guidance', async () => {
    const { findByTestId } = await renderReady();

    expect(findByTestId(Text, 'deal-guidance-goal-text').text).toBe(
      'Confirm there is a budget, a buyer and a reason to act.',
    );
    expect(findByTestId(Text, 'deal-guidance-guidance-text').text).toBe(
      'Book the discovery call in the first week; bring the pricing sheet.',
    );
  });

  it('lists met, unmet and waived criteria with their evidence', async () => {
    const { findByTestId, maybeFindByTestId } = await renderReady();

    expect(findByTestId(Heading, 'deal-guidance-criteria-heading').text).toBe('Exit criteria (2 of 3 done)');

    // Met: a check mark and the evidence, no to-do.
    expect(findByTestId(Tag, 'criterion-discovery-call-status').text).toBe('✓ Met');
    expect(findByTestId(Tag, 'criterion-discovery-call-status').props.variant).toBe('success');
    expect(findByTestId(Text, 'criterion-discovery-call-label').text).toBe('Discovery call held');
    expect(findByTestId(Text, 'criterion-discovery-call-evidence').text).toBe(
      'Discovery call held 12 Nov with Ana Diaz',
    );
    expect(maybeFindByTestId(Text, 'criterion-discovery-call-hint')).toBeNull();

    // Unmet: what is missing and what to do.
    expect(findByTestId(Tag, 'criterion-economic-buyer-status').text).toBe('Not yet');
    expect(findByTestId(Tag, 'criterion-economic-buyer-status').props.variant).toBe('warning');
    expect(findByTestId(Text, 'criterion-economic-buyer-level').text).toBe('Required');
    expect(findByTestId(Text, 'criterion-economic-buyer-evidence').text).toBe(
      '0 of 1 contacts with a buying role',
    );
    expect(findByTestId(Text, 'criterion-economic-buyer-hint').text).toBe(
      'To do: Add the economic buyer as a contact on the deal.',
    );

    // Waived: the reason, no to-do.
    expect(findByTestId(Tag, 'criterion-mutual-plan-status').text).toBe('Waived');
    expect(findByTestId(Text, 'criterion-mutual-plan-level').text).toBe('Recommended');
    expect(findByTestId(Text, 'criterion-mutual-plan-waiver').text).toBe('Waived: Small deal, no MAP needed');
    expect(maybeFindByTestId(Text, 'criterion-mutual-plan-hint')).toBeNull();
  });

  it('omits an empty evidence line', async () => {
    const guidance = makeGuidance({ criteria: [makeCriterion('amount', 'unmet')] });
    const { findByTestId, maybeFindByTestId } = await renderReady(guidance);

    findByTestId(Tag, 'criterion-amount-status');
    expect(maybeFindByTestId(Text, 'criterion-amount-evidence')).toBeNull();
  });

  it('shows the next step prominently', async () => {
    const { findByTestId } = await renderReady();

    const alert = findByTestId(Alert, 'deal-guidance-next-step');
    expect(alert.props.title).toBe('Next step');
    expect(alert.props.variant).toBe('tip');
    expect(findByTestId(Text, 'deal-guidance-next-step-text').text).toBe(
      'Add the economic buyer as a contact on the deal.',
    );
  });

  it('shows a ready-to-advance next step as a success', async () => {
    const guidance = makeGuidance({
      nextStep: {
        kind: 'advance',
        text: 'Ready to advance to Presentation scheduled.',
        criterionId: null,
        nextStageId: 'presentationscheduled',
      },
    });
    const { findByTestId } = await renderReady(guidance);

    expect(findByTestId(Alert, 'deal-guidance-next-step').props.variant).toBe('success');
    expect(findByTestId(Text, 'deal-guidance-next-step-text').text).toBe(
      'Ready to advance to Presentation scheduled.',
    );
  });

  it('flags a stalled deal with the days in stage against the team typical', async () => {
    const { findByTestId } = await renderReady();

    expect(findByTestId(Tag, 'deal-guidance-age').text).toBe('Stalled');
    expect(findByTestId(Tag, 'deal-guidance-age').props.variant).toBe('error');
    expect(findByTestId(Text, 'deal-guidance-timing-text').text).toBe(
      '21 days in stage · team typical 11 (p50), n = 76',
    );
  });

  it('flags a slow deal', async () => {
    const { findByTestId } = await renderReady(withStage({ daysInStage: 16.6, age: 'slow' }));

    expect(findByTestId(Tag, 'deal-guidance-age').text).toBe('Slow');
    expect(findByTestId(Tag, 'deal-guidance-age').props.variant).toBe('warning');
    expect(findByTestId(Text, 'deal-guidance-timing-text').text).toBe(
      '17 days in stage · team typical 11 (p50), n = 76',
    );
  });

  it('says where the expected days come from when history is too thin', async () => {
    const timing = { stageId: 'qualifiedtobuy', sampleSize: 3, p50: 14, p75: 14, p90: 14 };
    const playbook = await renderReady(
      withStage({ daysInStage: 1, age: 'ok', timing: { ...timing, source: 'playbook' } }),
    );
    expect(playbook.findByTestId(Tag, 'deal-guidance-age').text).toBe('On pace');
    expect(playbook.findByTestId(Text, 'deal-guidance-timing-text').text).toBe(
      '1 day in stage · playbook target 14 days',
    );

    const fallback = await renderReady(
      withStage({ daysInStage: 0.2, age: 'ok', timing: { ...timing, source: 'default' } }),
    );
    expect(fallback.findByTestId(Text, 'deal-guidance-timing-text').text).toBe(
      'under a day in stage · expected 14 days (too few won deals to learn from)',
    );
  });

  it('shows no badge and no timing line when the stage entry date is unknown', async () => {
    const { maybeFindByTestId } = await renderReady(
      withStage({ daysInStage: null, age: null, timing: null }),
    );

    expect(maybeFindByTestId(Tag, 'deal-guidance-age')).toBeNull();
    expect(maybeFindByTestId(Text, 'deal-guidance-timing-text')).toBeNull();
  });

  it('lists risks, critical ones as danger', async () => {
    const guidance = makeGuidance({
      risks: [
        makeRisk('stalledInStage', 'critical', '21 days in Qualified to buy; won deals leave by day 19.'),
        makeRisk('singleThreaded', 'warning', 'Only one contact is engaged on this deal.'),
      ],
    });
    const { findByTestId, maybeFindByTestId } = await renderReady(guidance);

    expect(findByTestId(Alert, 'risk-stalledInStage').props).toMatchObject({
      title: 'Stalled in stage',
      variant: 'danger',
    });
    expect(findByTestId(Text, 'risk-stalledInStage-message').text).toBe(
      '21 days in Qualified to buy; won deals leave by day 19.',
    );
    expect(findByTestId(Alert, 'risk-singleThreaded').props).toMatchObject({
      title: 'Single-threaded',
      variant: 'warning',
    });
    expect(maybeFindByTestId(Alert, 'risk-noNextActivity')).toBeNull();
  });

  it('gives a risk code this card does not know a generic title', async () => {
    const unknown = { code: 'championLeft', severity: 'warning', message: 'Your champion left.' };
    const { findByTestId } = await renderReady(makeGuidance({ risks: [unknown as Risk] }));

    expect(findByTestId(Alert, 'risk-championLeft').props.title).toBe('Risk');
    expect(findByTestId(Text, 'risk-championLeft-message').text).toBe('Your champion left.');
  });

  it('shows no risk section when there are none', async () => {
    const { maybeFindByTestId } = await renderReady();
    expect(maybeFindByTestId(Alert, 'risk-stalledInStage')).toBeNull();
  });

  it("links the stage's resources", async () => {
    const { findByTestId } = await renderReady();

    const link = findByTestId(Link, 'resource-0');
    expect(link.text).toBe('Discovery call script');
    expect(link.props.href).toEqual({ url: 'https://docs.example.com/discovery', external: true });
  });

  it('re-fetches the same deal on Refresh and shows the new answer', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchGuidance, calls } = controllableFetch();
    render(<DealGuidanceCard context={makeContext()} fetchGuidance={fetchGuidance} />);
    await requested(calls);
    calls[0]?.resolve(makeGuidance());
    await waitFor(() => findByTestId(Button, 'deal-guidance-refresh'));

    findByTestId(Button, 'deal-guidance-refresh').trigger('onClick');
    await requested(calls, 2);
    expect(calls[1]?.request).toEqual({ backendOrigin: BACKEND, dealId: DEAL_ID });
    findByTestId(LoadingSpinner, 'deal-guidance-loading');

    calls[1]?.resolve(withStage({ daysInStage: 22.4 }));
    await waitFor(() =>
      expect(findByTestId(Text, 'deal-guidance-timing-text').text).toBe(
        '22 days in stage · team typical 11 (p50), n = 76',
      ),
    );
  });

  it('ignores a late failure of a request that a newer one superseded', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    const { fetchGuidance, calls } = controllableFetch();
    render(<DealGuidanceCard context={makeContext()} fetchGuidance={fetchGuidance} />);
    await requested(calls);
    // HubSpot reuses the card for another deal while the first request is still out.
    render(<DealGuidanceCard context={makeContext({ objectId: 5151 })} fetchGuidance={fetchGuidance} />);
    await requested(calls, 2);

    calls[1]?.resolve(withStage({ label: 'Newest' }, { dealId: '5151' }));
    await waitFor(() => expect(findByTestId(Heading, 'deal-guidance-stage-label').text).toBe('Newest'));
    calls[0]?.reject(new BackendUnreachableError(new Error('timeout')));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(findByTestId(Heading, 'deal-guidance-stage-label').text).toBe('Newest');
    expect(maybeFindByTestId(ErrorState, 'deal-guidance-error')).toBeNull();
  });

  it('drops the answer for a deal the card no longer shows', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchGuidance, calls } = controllableFetch();
    render(<DealGuidanceCard context={makeContext()} fetchGuidance={fetchGuidance} />);
    await requested(calls);
    render(<DealGuidanceCard context={makeContext({ objectId: 5151 })} fetchGuidance={fetchGuidance} />);
    await requested(calls, 2);
    expect(calls[1]?.request.dealId).toBe('5151');

    calls[1]?.resolve(makeGuidance({ dealId: '5151' }));
    await waitFor(() => findByTestId(Button, 'deal-guidance-refresh'));
    calls[0]?.resolve(withStage({ label: 'Other deal' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(findByTestId(Heading, 'deal-guidance-stage-label').text).toBe('Qualified to buy');
  });

  it('explains a closed deal with an empty state', async () => {
    const guidance = withStage(
      { id: 'closedlost', label: 'Closed lost', index: 6, outcome: 'lost', age: null, timing: null },
      {
        criteria: [],
        risks: [],
        nextStep: { kind: 'closed', text: 'This deal is closed lost.', criterionId: null, nextStageId: null },
      },
    );
    const { findByTestId, maybeFindByTestId } = await renderReady(guidance);

    expect(findByTestId(EmptyState, 'deal-guidance-closed').props.title).toBe('This deal is closed');
    expect(findByTestId(Text, 'deal-guidance-closed-text').text).toBe('This deal is closed lost.');
    expect(maybeFindByTestId(StepIndicator, 'deal-guidance-stepper')).toBeNull();
  });

  it('still shows a won deal with a handoff checklist', async () => {
    const guidance = withStage(
      { id: 'closedwon', label: 'Closed won', index: 5, outcome: 'won', age: null, timing: null },
      {
        criteria: [makeCriterion('kickoff', 'unmet', { label: 'Kickoff booked', hint: 'Book the kickoff.' })],
        nextStep: {
          kind: 'closed',
          text: 'This deal is closed won. Handoff: Book the kickoff.',
          criterionId: 'kickoff',
          nextStageId: null,
        },
      },
    );
    const { findByTestId, maybeFindByTestId } = await renderReady(guidance);

    expect(maybeFindByTestId(EmptyState, 'deal-guidance-closed')).toBeNull();
    expect(findByTestId(Alert, 'deal-guidance-next-step').props.variant).toBe('info');
    expect(findByTestId(Text, 'criterion-kickoff-hint').text).toBe('To do: Book the kickoff.');
  });

  it('says the stage has no playbook when there is nothing to check', async () => {
    const guidance = makeGuidance({ goal: null, guidance: '', criteria: [], resources: [] });
    const { findByTestId } = await renderReady(guidance);

    expect(findByTestId(EmptyState, 'deal-guidance-no-playbook').props.title).toBe(
      'No playbook for this stage',
    );
    expect(findByTestId(Text, 'deal-guidance-no-playbook-text').text).toContain(
      'no playbook for the Qualified to buy stage of Sales pipeline',
    );
    findByTestId(Button, 'deal-guidance-refresh');
  });

  it('explains a server error with its code and request id, and loads again on retry', async () => {
    const { findByTestId, waitFor, calls } = await renderFailure(
      new BackendError(503, 'HUBSPOT_RATE_LIMITED', 'HubSpot asked us to slow down.', 'req-123'),
    );

    expect(findByTestId(ErrorState, 'deal-guidance-error').props.title).toBe("Stage guidance didn't load");
    expect(findByTestId(Text, 'deal-guidance-error-message').text).toBe(
      'HubSpot asked us to slow down. Try again in a minute (Error code: HUBSPOT_RATE_LIMITED, request req-123).',
    );

    findByTestId(Button, 'deal-guidance-retry').trigger('onClick');
    await requested(calls, 2);
    findByTestId(LoadingSpinner, 'deal-guidance-loading');
    calls[1]?.resolve(makeGuidance());
    await waitFor(() => findByTestId(Button, 'deal-guidance-refresh'));
  });

  it('asks for a reconnect when HubSpot access is lost', async () => {
    const { findByTestId } = await renderFailure(
      new BackendError(
        502,
        'HUBSPOT_MISSING_SCOPE',
        'Pillars is missing a HubSpot permission. An admin needs to reinstall the app.',
      ),
    );

    expect(findByTestId(ErrorState, 'deal-guidance-error').props).toMatchObject({
      title: 'Pillars needs to be reconnected',
      type: 'lock',
    });
    expect(findByTestId(Text, 'deal-guidance-error-message').text).toContain('Marketplace › Connected apps');
  });

  it('says the deal was not found on 404, with a retry', async () => {
    const { findByTestId } = await renderFailure(new BackendError(404, 'HUBSPOT_NOT_FOUND', undefined));

    expect(findByTestId(ErrorState, 'deal-guidance-error').props.title).toBe(
      "Pillars couldn't find this deal",
    );
    expect(findByTestId(Text, 'deal-guidance-error-message').text).toBe(
      'The deal may have just been created, merged or deleted. Try again in a minute. If it keeps happening, contact Pillars support (Error code: HUBSPOT_NOT_FOUND).',
    );
    findByTestId(Button, 'deal-guidance-retry');
  });

  it("uses the backend's own explanation of a 404", async () => {
    const { findByTestId } = await renderFailure(
      new BackendError(
        404,
        'NOT_FOUND',
        'This deal was not found in HubSpot. It may have been deleted or merged; reload the record.',
        'req-9',
      ),
    );

    expect(findByTestId(Text, 'deal-guidance-error-message').text).toBe(
      'This deal was not found in HubSpot. It may have been deleted or merged; reload the record. If it keeps happening, contact Pillars support (Error code: NOT_FOUND, request req-9).',
    );
  });

  it('says the server did not answer in time when the request times out', async () => {
    const { findByTestId } = await renderFailure(new BackendUnreachableError(new Error('timeout')));

    expect(findByTestId(Text, 'deal-guidance-error-message').text).toContain(
      "didn't answer within 15 seconds",
    );
    expect(findByTestId(Button, 'deal-guidance-retry').text).toBe('Try again');
  });

  it('treats an answer that is not guidance as a retryable error', async () => {
    const { findByTestId } = await renderFailure(new InvalidGuidanceError('criteria is not a list'));

    expect(findByTestId(Text, 'deal-guidance-error-message').text).toContain("doesn't understand");
    findByTestId(Button, 'deal-guidance-retry');
  });

  it('shows the not-authorised state on 403, without a pointless retry', async () => {
    const { findByTestId, maybeFindByTestId } = await renderFailure(
      new BackendError(403, 'FORBIDDEN', 'You do not have access to this.'),
      'deal-guidance-not-authorised',
    );

    const state = findByTestId(ErrorState, 'deal-guidance-not-authorised');
    expect(state.props.type).toBe('lock');
    expect(state.props.title).toBe("You don't have access to this deal's guidance");
    expect(findByTestId(Text, 'deal-guidance-not-authorised-message').text).toContain(
      'Ask your HubSpot admin for access',
    );
    expect(maybeFindByTestId(Button, 'deal-guidance-retry')).toBeNull();
  });

  it('shows the not-authorised state on 401, with a retry and who can fix it', async () => {
    const { findByTestId } = await renderFailure(
      new BackendError(401, 'UNAUTHENTICATED', 'The request could not be authenticated.'),
      'deal-guidance-not-authorised',
    );

    expect(findByTestId(ErrorState, 'deal-guidance-not-authorised').props.title).toBe(
      "Pillars couldn't confirm your access",
    );
    expect(findByTestId(Text, 'deal-guidance-not-authorised-message').text).toContain(
      'ask a Super Admin to reinstall Pillars',
    );
    findByTestId(Button, 'deal-guidance-retry');
  });

  it('says the build is misconfigured when BACKEND_ORIGIN is missing, and sends nothing', async () => {
    const { render, findByTestId, maybeFindByTestId, waitFor } = setup();
    const { fetchGuidance, calls } = controllableFetch();
    render(<DealGuidanceCard context={makeContext({ variables: {} })} fetchGuidance={fetchGuidance} />);

    await waitFor(() => findByTestId(ErrorState, 'deal-guidance-error'));
    expect(findByTestId(ErrorState, 'deal-guidance-error').props.title).toBe(
      "Pillars isn't set up correctly",
    );
    expect(findByTestId(Text, 'deal-guidance-error-message').text).toContain(
      'the profile variable BACKEND_ORIGIN is missing',
    );
    expect(maybeFindByTestId(Button, 'deal-guidance-retry')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('says the card belongs on deals when the context has no record id, and sends nothing', async () => {
    const { render, findByTestId, waitFor } = setup();
    const { fetchGuidance, calls } = controllableFetch();
    render(<DealGuidanceCard context={makeContext({ objectId: 0 })} fetchGuidance={fetchGuidance} />);

    await waitFor(() => findByTestId(ErrorState, 'deal-guidance-error'));
    expect(findByTestId(ErrorState, 'deal-guidance-error').props.title).toBe('Stage guidance needs a deal');
    expect(calls).toHaveLength(0);
  });
});
