/**
 * The deal card's actions under HubSpot's test renderer: the follow-up task (one request even when
 * clicked twice while pending, the key reused on retry and renewed for a new intent, success and
 * errors) and the waiver form of an unmet criterion (validation, submit, cancel, errors). Each test
 * gets a fresh renderer.
 */
import { Alert, Button, Form, LoadingButton, Tag, Text, TextArea } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { BackendError, BackendUnreachableError } from '../api';
import type { Guidance } from '../api';
import type { DealActions, FollowUpRequest, FollowUpTask, WaiverRequest } from '../actions';
import { createDealActions, newIdempotencyKey } from '../actions';
import { DealGuidanceCard } from '../DealGuidanceCard';
import { BACKEND, DEAL_ID, answering, makeContext, makeCriterion, makeGuidance } from './test-utils/mocks';

interface Pending<Req, Res> {
  request: Req;
  resolve: (value: Res) => void;
  reject: (error: unknown) => void;
}

/** Actions whose answers the test gives, one call at a time. */
function controllableActions() {
  const followUps: Pending<FollowUpRequest, FollowUpTask>[] = [];
  const waivers: Pending<WaiverRequest, Guidance>[] = [];
  const actions: DealActions = {
    createFollowUp: (request) =>
      new Promise((resolve, reject) => followUps.push({ request, resolve, reject })),
    waiveCriterion: (request) => new Promise((resolve, reject) => waivers.push({ request, resolve, reject })),
  };
  return { actions, followUps, waivers };
}

const TASK: FollowUpTask = {
  id: '9001',
  subject: 'Book the demo',
  dueAt: '2026-11-30T12:00:00.000Z',
  ownerId: '77',
  status: 'NOT_STARTED',
};

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function renderCard(guidance = makeGuidance()) {
  const renderer = createRenderer('crm.record.tab');
  const { fetchGuidance } = answering(guidance);
  const controls = controllableActions();
  let n = 0;
  const newKey = () => `intent-key-${(n += 1)}`;
  renderer.render(
    <DealGuidanceCard
      context={makeContext()}
      fetchGuidance={fetchGuidance}
      actions={controls.actions}
      newKey={newKey}
    />,
  );
  await renderer.waitFor(() => renderer.findByTestId(Button, 'deal-guidance-refresh'));
  return { ...renderer, ...controls };
}

describe('follow-up task', () => {
  it('sends one request even when clicked twice while pending, then shows the task', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, followUps } = await renderCard();
    findByTestId(Button, 'follow-up-create').trigger('onClick');
    await waitFor(() => findByTestId(LoadingButton, 'follow-up-pending'));
    expect(findByTestId(LoadingButton, 'follow-up-pending').props.loading).toBe(true);
    findByTestId(LoadingButton, 'follow-up-pending').trigger('onClick');
    await settle();
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.request).toEqual({
      backendOrigin: BACKEND,
      dealId: DEAL_ID,
      idempotencyKey: 'intent-key-1',
    });

    followUps[0]?.resolve(TASK);
    await waitFor(() => findByTestId(Alert, 'follow-up-created'));
    expect(findByTestId(Alert, 'follow-up-created').props.variant).toBe('success');
    expect(findByTestId(Text, 'follow-up-created-text').text).toContain('"Book the demo" is due');
    expect(maybeFindByTestId(LoadingButton, 'follow-up-pending')).toBeNull();

    // Another click is a new intent: a new key.
    findByTestId(Button, 'follow-up-create').trigger('onClick');
    await settle();
    expect(followUps[1]?.request.idempotencyKey).toBe('intent-key-2');
  });

  it('shows the error and retries the same intent with the same key', async () => {
    const { findByTestId, waitFor, followUps } = await renderCard();
    findByTestId(Button, 'follow-up-create').trigger('onClick');
    await settle();
    followUps[0]?.reject(
      new BackendError(503, 'HUBSPOT_TEMPORARY', 'HubSpot is not answering right now.', 'req-123456'),
    );
    await waitFor(() => findByTestId(Alert, 'follow-up-error'));
    expect(findByTestId(Alert, 'follow-up-error').props.variant).toBe('danger');
    expect(findByTestId(Text, 'follow-up-error-text').text).toBe(
      'HubSpot is not answering right now. Try again (request req-123456).',
    );
    expect(findByTestId(Button, 'follow-up-create').text).toBe('Try again');
    findByTestId(Button, 'follow-up-create').trigger('onClick');
    await settle();
    expect(followUps.map((f) => f.request.idempotencyKey)).toEqual(['intent-key-1', 'intent-key-1']);
    followUps[1]?.reject(new BackendUnreachableError(new Error('timeout')));
    await waitFor(() => expect(findByTestId(Text, 'follow-up-error-text').text).toContain("didn't answer"));
  });

  it('is not offered on a closed deal', async () => {
    const closed = makeGuidance({
      stage: { ...makeGuidance().stage, outcome: 'won' },
      nextStep: { kind: 'closed', text: 'Closed won.', criterionId: null, nextStageId: null },
    });
    const { maybeFindByTestId } = await renderCard(closed);
    expect(maybeFindByTestId(Button, 'follow-up-create')).toBeNull();
  });
});

describe('waiver form', () => {
  const FORM = 'criterion-economic-buyer-waiver-form';

  it('is offered on unmet criteria only', async () => {
    const { maybeFindByTestId } = await renderCard();
    expect(maybeFindByTestId(Button, 'criterion-economic-buyer-waive')).not.toBeNull();
    expect(maybeFindByTestId(Button, 'criterion-discovery-call-waive')).toBeNull();
    expect(maybeFindByTestId(Button, 'criterion-mutual-plan-waive')).toBeNull();
  });

  it('requires a reason of at most 280 characters and counts them', async () => {
    const { findByTestId, waitFor, waivers } = await renderCard();
    findByTestId(Button, 'criterion-economic-buyer-waive').trigger('onClick');
    await waitFor(() => findByTestId(Form, FORM));
    const reason = () => findByTestId(TextArea, `${FORM}-reason`);
    expect(reason().props.required).toBe(true);
    expect(reason().props.description).toBe('0 / 280 characters');

    findByTestId(Form, FORM).trigger('onSubmit');
    await waitFor(() => expect(reason().props.error).toBe(true));
    expect(reason().props.validationMessage).toBe('Say why this criterion does not apply to this deal.');

    reason().trigger('onChange', 'x'.repeat(281) as never);
    await waitFor(() => expect(reason().props.description).toBe('281 / 280 characters'));
    expect(reason().props.error).toBe(false);
    findByTestId(Form, FORM).trigger('onSubmit');
    await waitFor(() => expect(reason().props.error).toBe(true));
    expect(reason().props.validationMessage).toBe('Keep the reason to 280 characters or fewer.');
    await settle();
    expect(waivers).toHaveLength(0);
  });

  it('submits the reason and shows the fresh guidance', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, waivers } = await renderCard();
    findByTestId(Button, 'criterion-economic-buyer-waive').trigger('onClick');
    await waitFor(() => findByTestId(Form, FORM));
    findByTestId(TextArea, `${FORM}-reason`).trigger('onChange', '  The CFO signs off by email.  ' as never);
    await settle();
    findByTestId(Form, FORM).trigger('onSubmit');
    await waitFor(() => findByTestId(LoadingButton, `${FORM}-submit`));
    findByTestId(Form, FORM).trigger('onSubmit'); // a double submit while pending sends nothing more
    await settle();
    expect(waivers).toHaveLength(1);
    expect(waivers[0]?.request).toEqual({
      backendOrigin: BACKEND,
      dealId: DEAL_ID,
      criterionId: 'economic-buyer',
      reason: 'The CFO signs off by email.',
      idempotencyKey: 'intent-key-1',
    });

    const base = makeGuidance();
    const fresh = makeGuidance({
      criteria: base.criteria.map((c) =>
        c.id === 'economic-buyer'
          ? makeCriterion('economic-buyer', 'waived', {
              waiver: { reason: 'The CFO signs off by email.', userId: '1', at: '2026-11-28T10:00:00Z' },
            })
          : c,
      ),
    });
    waivers[0]?.resolve(fresh);
    await waitFor(() => expect(findByTestId(Tag, 'criterion-economic-buyer-status').text).toBe('Waived'));
    expect(findByTestId(Text, 'criterion-economic-buyer-waiver').text).toBe(
      'Waived: The CFO signs off by email.',
    );
    expect(maybeFindByTestId(Form, FORM)).toBeNull();
  });

  it('shows a failure in the form and retries with the same key; cancel closes it', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, waivers } = await renderCard();
    findByTestId(Button, 'criterion-economic-buyer-waive').trigger('onClick');
    await waitFor(() => findByTestId(Form, FORM));
    findByTestId(TextArea, `${FORM}-reason`).trigger('onChange', 'Not relevant here' as never);
    await settle();
    findByTestId(Form, FORM).trigger('onSubmit');
    await settle();
    waivers[0]?.reject(
      new BackendError(400, 'INVALID_INPUT', "criterionId: not a criterion of the deal's current stage."),
    );
    await waitFor(() => findByTestId(Alert, `${FORM}-error`));
    expect(findByTestId(Text, `${FORM}-error-text`).text).toContain('not a criterion');
    findByTestId(Form, FORM).trigger('onSubmit');
    await settle();
    expect(waivers.map((w) => w.request.idempotencyKey)).toEqual(['intent-key-1', 'intent-key-1']);
    waivers[1]?.reject(new BackendUnreachableError(new Error('down')));
    await waitFor(() => expect(findByTestId(Button, `${FORM}-cancel`).props.disabled).toBe(false));

    findByTestId(Button, `${FORM}-cancel`).trigger('onClick');
    await waitFor(() => expect(maybeFindByTestId(Form, FORM)).toBeNull());
    // Opening it again is a new intent.
    findByTestId(Button, 'criterion-economic-buyer-waive').trigger('onClick');
    await waitFor(() => findByTestId(Form, FORM));
    findByTestId(TextArea, `${FORM}-reason`).trigger('onChange', 'Another reason' as never);
    await settle();
    findByTestId(Form, FORM).trigger('onSubmit');
    await settle();
    expect(waivers[2]?.request.idempotencyKey).toBe('intent-key-2');
  });
});

describe('actions client', () => {
  it('posts JSON bodies to the action routes and unwraps errors', async () => {
    const calls: Array<{ url: string; options: unknown }> = [];
    const answers: Response[] = [
      new Response(JSON.stringify({ task: TASK }), { status: 201 }),
      new Response(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'reason: is required.' } }), {
        status: 400,
      }),
    ];
    const client = createDealActions(async (url, options) => {
      calls.push({ url, options });
      return answers.shift() as Response;
    });
    await expect(
      client.createFollowUp({ backendOrigin: BACKEND, dealId: DEAL_ID, idempotencyKey: 'k-12345678' }),
    ).resolves.toEqual(TASK);
    expect(calls[0]).toEqual({
      url: `${BACKEND}/api/v1/deal-guidance/follow-up`,
      options: { method: 'POST', body: { dealId: DEAL_ID, idempotencyKey: 'k-12345678' }, timeout: 15_000 },
    });
    await expect(
      client.waiveCriterion({
        backendOrigin: BACKEND,
        dealId: DEAL_ID,
        criterionId: 'c',
        reason: '',
        idempotencyKey: 'k-12345678',
      }),
    ).rejects.toMatchObject({ status: 400, code: 'INVALID_INPUT', publicMessage: 'reason: is required.' });
  });

  it('makes keys the backend accepts, each different', () => {
    const keys = new Set(Array.from({ length: 100 }, newIdempotencyKey));
    expect(keys.size).toBe(100);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
  });
});
