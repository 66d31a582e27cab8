/**
 * Training on the coaching card under HubSpot's test renderer: one-click Assign (the request and its
 * key, disabled while sending, "Assigned" or "Already assigned", errors retried with the same key)
 * and Mark complete. Each test gets a fresh renderer.
 */
import { Alert, Button, LoadingButton, StatusTag, Tag, Text } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { FullPanel } from '@pillars/contracts';
import { BackendError } from '../api';
import { CoachingPanelCard } from '../CoachingPanelCard';
import {
  BACKEND,
  CONTACT_ID,
  TODAY,
  controllableApi,
  makeAssignment,
  makeCoachingContext,
  makeFullPanel,
} from './test-utils/coaching-fixtures';

const MODULE = 'booking-the-next-step';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
}

async function renderCard(panel: FullPanel = makeFullPanel()) {
  const renderer = createRenderer('crm.record.tab');
  const controls = controllableApi(panel);
  let n = 0;
  const newKey = () => `intent-key-${(n += 1)}`;
  renderer.render(
    <CoachingPanelCard context={makeCoachingContext()} api={controls.api} newKey={newKey} today={TODAY} />,
  );
  await renderer.waitFor(() => renderer.findByTestId(Button, 'coaching-refresh'));
  return { ...renderer, ...controls };
}

const assigned = makeAssignment('a9', {
  moduleId: MODULE,
  moduleTitle: 'Booking the next step',
  moduleUrl: 'https://learn.example.com/booking-the-next-step',
  reason: 'Assigned by Ana Diaz.',
  metric: 'bookingRate',
  dueDate: '2026-12-12',
});

describe('assign a suggested module', () => {
  it('posts the module with a key, is disabled while sending, then says it was assigned', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, assigns } = await renderCard();
    findByTestId(Button, `suggested-${MODULE}-assign`).trigger('onClick');
    await waitFor(() => findByTestId(LoadingButton, `suggested-${MODULE}-assign`));
    const pending = findByTestId(LoadingButton, `suggested-${MODULE}-assign`);
    expect(pending.props.disabled).toBe(true);
    expect(pending.props.loading).toBe(true);
    expect(assigns.map((a) => a.request)).toEqual([
      { backendOrigin: BACKEND, contactId: CONTACT_ID, moduleId: MODULE, idempotencyKey: 'intent-key-1' },
    ]);

    assigns[0]?.resolve({ assignment: assigned, created: true });
    await waitFor(() => findByTestId(Tag, `suggested-${MODULE}-outcome`));
    expect(findByTestId(Tag, `suggested-${MODULE}-outcome`).text).toBe('Assigned');
    expect(maybeFindByTestId(Button, `suggested-${MODULE}-assign`)).toBeNull();
    expect(findByTestId(Alert, 'coaching-training-notice').props.title).toBe('Training assigned');
    expect(findByTestId(Text, 'coaching-training-notice-text').text).toBe(
      'Assigned "Booking the next step", due Dec 12, 2026.',
    );
    // It joins the assigned list, open, with its due date.
    expect(findByTestId(StatusTag, 'assignment-a9-status').text).toBe('Open');
    expect(findByTestId(Text, 'assignment-a9-due').text).toBe('Due Dec 12, 2026');
  });

  it('says "already assigned" when the backend found an open assignment', async () => {
    const { findByTestId, waitFor, assigns } = await renderCard();
    findByTestId(Button, `suggested-${MODULE}-assign`).trigger('onClick');
    await settle();
    assigns[0]?.resolve({ assignment: assigned, created: false });
    await waitFor(() => findByTestId(Tag, `suggested-${MODULE}-outcome`));
    expect(findByTestId(Tag, `suggested-${MODULE}-outcome`).text).toBe('Already assigned');
    expect(findByTestId(Alert, 'coaching-training-notice').props.title).toBe('Already assigned');
    expect(findByTestId(Text, 'coaching-training-notice-text').text).toBe(
      '"Booking the next step" was already assigned and is still open (due Dec 12, 2026). Nothing was added.',
    );
  });

  it('shows a failure and retries with the same key', async () => {
    const { findByTestId, waitFor, assigns } = await renderCard();
    findByTestId(Button, `suggested-${MODULE}-assign`).trigger('onClick');
    await settle();
    // While sending, the button is disabled and has nothing to click.
    expect(findByTestId(LoadingButton, `suggested-${MODULE}-assign`).props.onClick).toBeUndefined();
    expect(assigns).toHaveLength(1);
    assigns[0]?.reject(
      new BackendError(503, 'HUBSPOT_TEMPORARY', 'HubSpot is not answering right now.', 'req-1'),
    );
    await waitFor(() => findByTestId(Alert, `suggested-${MODULE}-error`));
    expect(findByTestId(Text, `suggested-${MODULE}-error-text`).text).toBe(
      'HubSpot is not answering right now. Try again (request req-1).',
    );
    expect(findByTestId(Button, `suggested-${MODULE}-assign`).text).toBe('Try again');
    findByTestId(Button, `suggested-${MODULE}-assign`).trigger('onClick');
    await settle();
    expect(assigns.map((a) => a.request.idempotencyKey)).toEqual(['intent-key-1', 'intent-key-1']);
  });

  it('gives each module its own key', async () => {
    const { findByTestId, assigns } = await renderCard();
    findByTestId(Button, `suggested-${MODULE}-assign`).trigger('onClick');
    findByTestId(Button, 'suggested-booking-roleplay-assign').trigger('onClick');
    await settle();
    expect(assigns.map((a) => [a.request.moduleId, a.request.idempotencyKey])).toEqual([
      [MODULE, 'intent-key-1'],
      ['booking-roleplay', 'intent-key-2'],
    ]);
  });
});

describe('complete an assignment', () => {
  it('posts the completion with a key and shows it completed', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, completes } = await renderCard();
    findByTestId(Button, 'assignment-a1-complete').trigger('onClick');
    await waitFor(() => findByTestId(LoadingButton, 'assignment-a1-complete'));
    expect(completes.map((c) => c.request)).toEqual([
      { backendOrigin: BACKEND, assignmentId: 'a1', idempotencyKey: 'intent-key-1' },
    ]);
    completes[0]?.resolve({
      ...makeAssignment('a1', { moduleTitle: 'Handling "send me an email"', dueDate: '2026-11-20' }),
      status: 'completed',
      overdue: false,
      completedAt: '2026-11-28T10:00:00.000Z',
    });
    await waitFor(() => expect(findByTestId(StatusTag, 'assignment-a1-status').text).toBe('Completed'));
    expect(maybeFindByTestId(StatusTag, 'assignment-a1-overdue')).toBeNull();
    expect(maybeFindByTestId(Button, 'assignment-a1-complete')).toBeNull();
    expect(findByTestId(Text, 'assignment-a1-effect').text).toBe(
      'Effect not measured yet: it needs some weeks of activity after completion.',
    );
    expect(findByTestId(Text, 'coaching-training-notice-text').text).toBe(
      'Marked "Handling "send me an email"" as completed.',
    );
  });

  it('shows a failure and keeps the button to try again', async () => {
    const { findByTestId, waitFor, completes } = await renderCard();
    findByTestId(Button, 'assignment-a1-complete').trigger('onClick');
    await settle();
    completes[0]?.reject(new BackendError(409, 'CONFLICT', 'This assignment was cancelled.', 'req-2'));
    await waitFor(() => findByTestId(Alert, 'assignment-a1-error'));
    expect(findByTestId(Text, 'assignment-a1-error-text').text).toBe(
      'This assignment was cancelled. Try again (request req-2).',
    );
    findByTestId(Button, 'assignment-a1-complete').trigger('onClick');
    await settle();
    expect(completes.map((c) => c.request.idempotencyKey)).toEqual(['intent-key-1', 'intent-key-1']);
  });
});
