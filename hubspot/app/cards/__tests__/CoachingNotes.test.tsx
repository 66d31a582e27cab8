/**
 * The coaching notes thread under HubSpot's test renderer: the note form (validation before sending,
 * the body it posts with its idempotency key, one request per double submit, the same key on retry
 * and a new one for the next note, server errors), "Use as praise", edit and delete for the author
 * only, and marking a commitment done. Each test gets a fresh renderer.
 */
import {
  Alert,
  Button,
  DateInput,
  Form,
  LoadingButton,
  Select,
  StatusTag,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { FullPanel } from '@pillars/contracts';
import { BackendError, BackendUnreachableError } from '../api';
import { CoachingPanelCard } from '../CoachingPanelCard';
import {
  BACKEND,
  CONTACT_ID,
  TODAY,
  controllableApi,
  makeCoachingContext,
  makeFullPanel,
  makeNote,
} from './test-utils/coaching-fixtures';

const FORM = 'coaching-note-form';

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
  await renderer.waitFor(() => renderer.findByTestId(Form, FORM));
  const text = () => renderer.findByTestId(TextArea, `${FORM}-text`);
  const type = async (value: string) => {
    text().trigger('onChange', value as never);
    await settle();
  };
  const submit = async () => {
    renderer.findByTestId(Form, FORM).trigger('onSubmit');
    await settle();
  };
  const chooseKind = async (kind: string) => {
    renderer.findByTestId(Select, `${FORM}-kind`).trigger('onChange', kind as never);
    await settle();
  };
  return { ...renderer, ...controls, text, type, submit, chooseKind };
}

describe('note form', () => {
  it('offers the three kinds and counts characters up to the limit', async () => {
    const { findByTestId, text, type } = await renderCard();
    expect(findByTestId(Select, `${FORM}-kind`).props.options).toEqual([
      { value: 'note', label: 'Note' },
      { value: 'praise', label: 'Praise' },
      { value: 'commitment', label: 'Commitment' },
    ]);
    expect(text().props.description).toBe('0 / 2000 characters');
    await type('Nice call');
    expect(text().props.description).toBe('9 / 2000 characters');
  });

  it('refuses an empty note and one over 2000 characters, without sending', async () => {
    const { text, type, submit, waitFor, creates } = await renderCard();
    await type('   ');
    await submit();
    await waitFor(() => expect(text().props.error).toBe(true));
    expect(text().props.validationMessage).toBe('Write something first.');

    await type('x'.repeat(2001));
    expect(text().props.error).toBe(false);
    expect(text().props.description).toBe('2001 / 2000 characters');
    await submit();
    await waitFor(() => expect(text().props.validationMessage).toBe('Keep it to 2000 characters or fewer.'));
    expect(creates).toHaveLength(0);
  });

  it('asks a commitment for a due date, not in the past', async () => {
    const { findByTestId, maybeFindByTestId, type, submit, chooseKind, waitFor, creates } =
      await renderCard();
    expect(maybeFindByTestId(DateInput, `${FORM}-due`)).toBeNull();
    await chooseKind('commitment');
    const due = () => findByTestId(DateInput, `${FORM}-due`);
    expect(due().props.min).toEqual({ year: 2026, month: 10, date: 28 });

    await type('Ask for the meeting on every connected call.');
    await submit();
    await waitFor(() => expect(due().props.error).toBe(true));
    expect(due().props.validationMessage).toBe('A commitment needs a due date.');

    due().trigger('onChange', { year: 2026, month: 10, date: 27 } as never); // yesterday
    await settle();
    expect(due().props.error).toBe(false);
    await submit();
    await waitFor(() => expect(due().props.validationMessage).toBe('Pick today or a later date.'));
    expect(creates).toHaveLength(0);
  });

  it('posts a commitment with its due date and key, then shows it at the top of the thread', async () => {
    const { findByTestId, type, submit, chooseKind, waitFor, creates, text } = await renderCard();
    await chooseKind('commitment');
    await type('  Book two demos from this week’s connects.  ');
    findByTestId(DateInput, `${FORM}-due`).trigger('onChange', { year: 2026, month: 11, date: 4 } as never);
    await settle();
    await submit();
    await waitFor(() => findByTestId(LoadingButton, `${FORM}-submit`));
    await submit(); // a double submit while pending sends nothing more
    expect(creates).toHaveLength(1);
    expect(creates[0]?.request).toEqual({
      backendOrigin: BACKEND,
      contactId: CONTACT_ID,
      kind: 'commitment',
      body: 'Book two demos from this week’s connects.',
      dueDate: '2026-12-04',
      idempotencyKey: 'intent-key-1',
    });

    creates[0]?.resolve(
      makeNote('n9', {
        kind: 'commitment',
        body: 'Book two demos from this week’s connects.',
        dueDate: '2026-12-04',
        done: false,
        createdAt: '2026-11-28T11:00:00.000Z',
        updatedAt: '2026-11-28T11:00:00.000Z',
      }),
    );
    await waitFor(() => findByTestId(Alert, 'coaching-notes-notice'));
    expect(findByTestId(Alert, 'coaching-notes-notice').props.title).toBe('Commitment added');
    expect(findByTestId(Text, 'coaching-notes-notice-text').text).toBe(
      'The commitment is in the thread, due Dec 4, 2026.',
    );
    expect(findByTestId(Text, 'note-n9-text').text).toBe('Book two demos from this week’s connects.');
    expect(findByTestId(StatusTag, 'note-n9-status').text).toBe('Open');
    expect(text().props.value).toBe('');
  });

  it('sends a plain note without a due date', async () => {
    const { type, submit, creates } = await renderCard();
    await type('Listen more than you talk.');
    await submit();
    expect(creates[0]?.request).toEqual({
      backendOrigin: BACKEND,
      contactId: CONTACT_ID,
      kind: 'note',
      body: 'Listen more than you talk.',
      idempotencyKey: 'intent-key-1',
    });
  });

  it('shows a server error, retries with the same key, and uses a new key for the next note', async () => {
    const { findByTestId, type, submit, waitFor, creates } = await renderCard();
    await type('Follow up with Acme.');
    await submit();
    creates[0]?.reject(new BackendError(400, 'INVALID_INPUT', 'body: at most 2000 characters', 'req-55'));
    await waitFor(() => findByTestId(Alert, `${FORM}-error`));
    expect(findByTestId(Text, `${FORM}-error-text`).text).toBe(
      'body: at most 2000 characters Try again (request req-55).',
    );
    expect(findByTestId(Button, `${FORM}-submit`).text).toBe('Try again');

    await submit();
    creates[1]?.reject(new BackendUnreachableError(new Error('timeout')));
    await waitFor(() => expect(findByTestId(Text, `${FORM}-error-text`).text).toContain("didn't answer"));
    await submit();
    expect(creates.map((c) => c.request.idempotencyKey)).toEqual([
      'intent-key-1',
      'intent-key-1',
      'intent-key-1',
    ]);
    creates[2]?.resolve(
      makeNote('n10', { body: 'Follow up with Acme.', createdAt: '2026-11-28T12:00:00.000Z' }),
    );
    await waitFor(() => findByTestId(Text, 'note-n10-text'));

    await type('Another one.');
    await submit();
    expect(creates[3]?.request.idempotencyKey).toBe('intent-key-2');
  });

  it('fills the form with a praise suggestion', async () => {
    const { findByTestId, text, waitFor } = await renderCard();
    findByTestId(Button, 'praise-0-use').trigger('onClick');
    await waitFor(() => expect(findByTestId(Select, `${FORM}-kind`).props.value).toBe('praise'));
    expect(text().props.value).toBe(
      'Connect rate up to 25%. From 20% in the first four weeks to 25% in the last four, above the team median of 20%.',
    );
  });
});

describe('notes thread', () => {
  it('offers edit and delete only on notes the viewer wrote', async () => {
    const { findByTestId, maybeFindByTestId } = await renderCard();
    findByTestId(Button, 'note-n1-edit');
    findByTestId(Button, 'note-n1-delete');
    findByTestId(Button, 'note-n2-edit');
    expect(maybeFindByTestId(Button, 'note-n3-edit')).toBeNull();
    expect(maybeFindByTestId(Button, 'note-n3-delete')).toBeNull();
  });

  it('edits a note: sends the new text with a key and shows it', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, updates } = await renderCard();
    findByTestId(Button, 'note-n1-edit').trigger('onClick');
    const EDIT = 'note-n1-edit-form';
    await waitFor(() => findByTestId(Form, EDIT));
    expect(findByTestId(TextArea, `${EDIT}-text`).props.value).toBe(
      'Good discovery call with Acme: you let them talk.',
    );
    findByTestId(TextArea, `${EDIT}-text`).trigger('onChange', '' as never);
    await settle();
    findByTestId(Form, EDIT).trigger('onSubmit');
    await waitFor(() => expect(findByTestId(TextArea, `${EDIT}-text`).props.error).toBe(true));
    expect(updates).toHaveLength(0);

    findByTestId(TextArea, `${EDIT}-text`).trigger('onChange', 'Great discovery call with Acme.' as never);
    await settle();
    findByTestId(Form, EDIT).trigger('onSubmit');
    await settle();
    expect(updates[0]?.request).toEqual({
      backendOrigin: BACKEND,
      noteId: 'n1',
      body: 'Great discovery call with Acme.',
      idempotencyKey: 'intent-key-1',
    });
    updates[0]?.resolve(
      makeNote('n1', {
        body: 'Great discovery call with Acme.',
        createdAt: '2026-11-18T09:00:00.000Z',
        updatedAt: '2026-11-28T09:00:00.000Z',
      }),
    );
    await waitFor(() =>
      expect(findByTestId(Text, 'note-n1-text').text).toBe('Great discovery call with Acme.'),
    );
    expect(maybeFindByTestId(Form, EDIT)).toBeNull();
    expect(findByTestId(Text, 'note-n1-meta').text).toContain('edited');
    expect(findByTestId(Alert, 'coaching-notes-notice').props.title).toBe('Note updated');
  });

  it("edits a commitment's due date, refusing a date in the past", async () => {
    const { findByTestId, waitFor, updates } = await renderCard();
    findByTestId(Button, 'note-n2-edit').trigger('onClick');
    const EDIT = 'note-n2-edit-form';
    await waitFor(() => findByTestId(DateInput, `${EDIT}-due`));
    expect(findByTestId(DateInput, `${EDIT}-due`).props.value).toEqual({ year: 2026, month: 11, date: 4 });
    findByTestId(DateInput, `${EDIT}-due`).trigger('onChange', { year: 2026, month: 9, date: 1 } as never);
    await settle();
    findByTestId(Form, EDIT).trigger('onSubmit');
    await waitFor(() =>
      expect(findByTestId(DateInput, `${EDIT}-due`).props.validationMessage).toBe(
        'Pick today or a later date.',
      ),
    );
    findByTestId(DateInput, `${EDIT}-due`).trigger('onChange', { year: 2026, month: 11, date: 11 } as never);
    await settle();
    findByTestId(Form, EDIT).trigger('onSubmit');
    await settle();
    expect(updates[0]?.request).toMatchObject({
      noteId: 'n2',
      dueDate: '2026-12-11',
      idempotencyKey: 'intent-key-1',
    });
  });

  it('deletes a note after a confirmation, and says so', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, deletes } = await renderCard();
    findByTestId(Button, 'note-n1-delete').trigger('onClick');
    await waitFor(() => findByTestId(Button, 'note-n1-delete-confirm'));
    expect(deletes).toHaveLength(0);
    findByTestId(Button, 'note-n1-delete-confirm').trigger('onClick');
    await settle();
    expect(deletes.map((d) => d.request)).toEqual([{ backendOrigin: BACKEND, noteId: 'n1' }]);
    deletes[0]?.resolve();
    await waitFor(() => expect(maybeFindByTestId(Text, 'note-n1-text')).toBeNull());
    expect(findByTestId(Alert, 'coaching-notes-notice').props.title).toBe('Note deleted');
    expect(findByTestId(Text, 'coaching-notes-notice-text').text).toBe(
      'Deleted "Good discovery call with Acme: you let them talk.".',
    );
  });

  it('keeps the note and shows why when the delete fails; cancel sends nothing', async () => {
    const { findByTestId, waitFor, deletes } = await renderCard();
    findByTestId(Button, 'note-n1-delete').trigger('onClick');
    await waitFor(() => findByTestId(Button, 'note-n1-delete-cancel'));
    findByTestId(Button, 'note-n1-delete-cancel').trigger('onClick');
    await waitFor(() => findByTestId(Button, 'note-n1-delete'));
    expect(deletes).toHaveLength(0);

    findByTestId(Button, 'note-n1-delete').trigger('onClick');
    await waitFor(() => findByTestId(Button, 'note-n1-delete-confirm'));
    findByTestId(Button, 'note-n1-delete-confirm').trigger('onClick');
    await settle();
    deletes[0]?.reject(new BackendError(403, 'FORBIDDEN', 'Only the author can delete a note.', 'req-9'));
    await waitFor(() => findByTestId(Alert, 'note-n1-error'));
    expect(findByTestId(Text, 'note-n1-error-text').text).toBe(
      'Only the author can delete a note. (request req-9)',
    );
    findByTestId(Text, 'note-n1-text');
  });

  it('marks a commitment done', async () => {
    const { findByTestId, maybeFindByTestId, waitFor, updates } = await renderCard();
    findByTestId(Button, 'note-n2-done').trigger('onClick');
    await waitFor(() => findByTestId(LoadingButton, 'note-n2-done'));
    expect(updates.map((u) => u.request)).toEqual([
      { backendOrigin: BACKEND, noteId: 'n2', done: true, idempotencyKey: 'intent-key-1' },
    ]);
    updates[0]?.resolve(
      makeNote('n2', {
        kind: 'commitment',
        body: 'Ask for the meeting on every connected call this week.',
        dueDate: '2026-12-04',
        done: true,
        createdAt: '2026-11-25T09:00:00.000Z',
        updatedAt: '2026-11-28T09:00:00.000Z',
      }),
    );
    await waitFor(() => expect(findByTestId(StatusTag, 'note-n2-status').text).toBe('Done'));
    expect(maybeFindByTestId(Button, 'note-n2-done')).toBeNull();
    expect(findByTestId(Alert, 'coaching-notes-notice').props.title).toBe('Commitment done');
  });

  it('marks an overdue commitment', async () => {
    const panel = makeFullPanel({
      notes: [makeNote('late', { kind: 'commitment', dueDate: '2026-11-20', done: false })],
    });
    const { findByTestId } = await renderCard(panel);
    expect(findByTestId(StatusTag, 'note-late-status').text).toBe('Overdue');
    expect(findByTestId(StatusTag, 'note-late-status').props.variant).toBe('danger');
  });
});
