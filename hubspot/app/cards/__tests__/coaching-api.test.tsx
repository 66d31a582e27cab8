/**
 * The coaching card's fetch module over a fake `hubspot.fetch`: the URL, method, body and timeout
 * of each route, and how each kind of answer becomes data or a typed error.
 */
import type { HubSpotFetchOptions } from '@hubspot/ui-extensions';
import { BackendError, BackendUnreachableError } from '../api';
import type { HubSpotFetch } from '../api';
import {
  COACHING_NOTES_PATH,
  COACHING_PANEL_PATH,
  COACHING_TIMEOUT_MS,
  InvalidCoachingAnswerError,
  NOTE_KIND_ORDER,
  NOTE_MAX_CHARS,
  TRAINING_ASSIGNMENTS_PATH,
  checkPanel,
  coachingNotePath,
  coachingPanelUrl,
  completeAssignmentPath,
  createCoachingApi,
} from '../coaching-api';
import { noteProblems } from '../coaching-actions';
import { formatLocalDate, fromBaseDate, todayIn, toBaseDate } from '../coaching-format';
import {
  BACKEND,
  CONTACT_ID,
  makeAssignment,
  makeFullPanel,
  makeNote,
  makeNoDataPanel,
  makeSelfPanel,
  makeSummaryPanel,
} from './test-utils/coaching-fixtures';

interface Sent {
  url: string;
  options: HubSpotFetchOptions | undefined;
}

function fakeFetch(...answers: Array<() => Promise<Response>>): { fetchImpl: HubSpotFetch; sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    fetchImpl: (url, options) => {
      sent.push({ url, options });
      const answer = answers.shift();
      if (!answer) throw new Error('unexpected request');
      return answer();
    },
  };
}

const json =
  (body: unknown, status = 200) =>
  () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
    );

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('routes', () => {
  it('are the paths the backend mounts', () => {
    expect(COACHING_PANEL_PATH).toBe('/api/v1/coaching-panel');
    expect(COACHING_NOTES_PATH).toBe('/api/v1/coaching/notes');
    expect(TRAINING_ASSIGNMENTS_PATH).toBe('/api/v1/training/assignments');
    expect(coachingNotePath('n 1')).toBe('/api/v1/coaching/notes/n%201');
    expect(completeAssignmentPath('a1')).toBe('/api/v1/training/assignments/a1/complete');
    expect(coachingPanelUrl({ backendOrigin: BACKEND, contactId: '1&x=2' })).toBe(
      `${BACKEND}/api/v1/coaching-panel?contactId=1%26x%3D2`,
    );
  });

  it('mirror the contract constants the card cannot import at runtime', () => {
    expect(NOTE_MAX_CHARS).toBe(2000);
    expect(NOTE_KIND_ORDER).toEqual(['note', 'praise', 'commitment']);
  });
});

describe('createCoachingApi', () => {
  it('GETs the panel with an explicit timeout and returns it', async () => {
    const { fetchImpl, sent } = fakeFetch(json(makeFullPanel()));
    const panel = await createCoachingApi(fetchImpl).fetchPanel({
      backendOrigin: BACKEND,
      contactId: CONTACT_ID,
    });
    expect(panel.view).toBe('full');
    expect(sent).toEqual([
      {
        url: `${BACKEND}/api/v1/coaching-panel?contactId=${CONTACT_ID}`,
        options: { method: 'GET', timeout: 15_000 },
      },
    ]);
    expect(COACHING_TIMEOUT_MS).toBe(15_000);
  });

  it('POSTs a note with its key and returns the note', async () => {
    const note = makeNote('n1');
    const { fetchImpl, sent } = fakeFetch(json({ note }, 201));
    const answer = await createCoachingApi(fetchImpl).createNote({
      backendOrigin: BACKEND,
      contactId: CONTACT_ID,
      kind: 'commitment',
      body: 'Call back',
      dueDate: '2026-12-04',
      idempotencyKey: 'key-12345678',
    });
    expect(answer).toEqual(note);
    expect(sent).toEqual([
      {
        url: `${BACKEND}/api/v1/coaching/notes`,
        options: {
          method: 'POST',
          body: {
            contactId: CONTACT_ID,
            kind: 'commitment',
            body: 'Call back',
            dueDate: '2026-12-04',
            idempotencyKey: 'key-12345678',
          },
          timeout: 15_000,
        },
      },
    ]);
  });

  it('PATCHes and DELETEs a note by id', async () => {
    const note = makeNote('n1', { done: true });
    const { fetchImpl, sent } = fakeFetch(json({ note }), json({ deleted: true }));
    const api = createCoachingApi(fetchImpl);
    await expect(
      api.updateNote({ backendOrigin: BACKEND, noteId: 'n1', done: true, idempotencyKey: 'key-12345678' }),
    ).resolves.toEqual(note);
    await expect(api.deleteNote({ backendOrigin: BACKEND, noteId: 'n1' })).resolves.toBeUndefined();
    expect(sent).toEqual([
      {
        url: `${BACKEND}/api/v1/coaching/notes/n1`,
        options: { method: 'PATCH', body: { done: true, idempotencyKey: 'key-12345678' }, timeout: 15_000 },
      },
      { url: `${BACKEND}/api/v1/coaching/notes/n1`, options: { method: 'DELETE', timeout: 15_000 } },
    ]);
  });

  it('POSTs an assignment and a completion, with their keys', async () => {
    const assignment = makeAssignment('a1');
    const { fetchImpl, sent } = fakeFetch(
      json({ assignment, created: false }, 201),
      json({ assignment: { ...assignment, status: 'completed' } }),
    );
    const api = createCoachingApi(fetchImpl);
    await expect(
      api.assignTraining({
        backendOrigin: BACKEND,
        contactId: CONTACT_ID,
        moduleId: 'm1',
        idempotencyKey: 'key-1aaaaaaa',
      }),
    ).resolves.toEqual({ assignment, created: false });
    await expect(
      api.completeTraining({ backendOrigin: BACKEND, assignmentId: 'a1', idempotencyKey: 'key-2bbbbbbb' }),
    ).resolves.toMatchObject({ id: 'a1', status: 'completed' });
    expect(sent).toEqual([
      {
        url: `${BACKEND}/api/v1/training/assignments`,
        options: {
          method: 'POST',
          body: { contactId: CONTACT_ID, moduleId: 'm1', idempotencyKey: 'key-1aaaaaaa' },
          timeout: 15_000,
        },
      },
      {
        url: `${BACKEND}/api/v1/training/assignments/a1/complete`,
        options: { method: 'POST', body: { idempotencyKey: 'key-2bbbbbbb' }, timeout: 15_000 },
      },
    ]);
  });

  it('throws BackendError with the code, message and request id of the error envelope', async () => {
    const { fetchImpl } = fakeFetch(
      json(
        { error: { code: 'FORBIDDEN', message: 'Only the author can edit a note.', requestId: 'r-1' } },
        403,
      ),
    );
    const error = await failureOf(
      createCoachingApi(fetchImpl).updateNote({
        backendOrigin: BACKEND,
        noteId: 'n1',
        body: 'x',
        idempotencyKey: 'k-12345678',
      }),
    );
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      publicMessage: 'Only the author can edit a note.',
      requestId: 'r-1',
    });
  });

  it("unwraps HubSpot's proxy envelope into the backend's real status", async () => {
    const envelope = {
      status: 'error',
      category: 'BAD_GATEWAY',
      context: { appServerStatusCode: 404 },
      responseBody: JSON.stringify({
        error: { code: 'NOT_FOUND', message: 'No such contact.', requestId: 'r-2' },
      }),
    };
    const { fetchImpl } = fakeFetch(json(envelope));
    const error = await failureOf(
      createCoachingApi(fetchImpl).fetchPanel({ backendOrigin: BACKEND, contactId: '1' }),
    );
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', requestId: 'r-2' });
  });

  it('throws BackendUnreachableError when hubspot.fetch rejects', async () => {
    const { fetchImpl } = fakeFetch(() => Promise.reject(new Error('Request timed out')));
    const error = await failureOf(
      createCoachingApi(fetchImpl).deleteNote({ backendOrigin: BACKEND, noteId: 'n1' }),
    );
    expect(error).toBeInstanceOf(BackendUnreachableError);
  });

  it('throws InvalidCoachingAnswerError on answers it cannot use', async () => {
    const { fetchImpl } = fakeFetch(
      () => Promise.resolve(new Response('<html>maintenance</html>', { status: 200 })),
      json({ note: { id: 'n1' } }, 201),
      json({ assignment: makeAssignment('a1') }, 201),
      json({ ok: true }),
    );
    const api = createCoachingApi(fetchImpl);
    const request = { backendOrigin: BACKEND, contactId: CONTACT_ID };
    expect(await failureOf(api.fetchPanel(request))).toBeInstanceOf(InvalidCoachingAnswerError);
    expect(
      await failureOf(api.createNote({ ...request, kind: 'note', body: 'x', idempotencyKey: 'k-12345678' })),
    ).toBeInstanceOf(InvalidCoachingAnswerError);
    expect(
      await failureOf(api.assignTraining({ ...request, moduleId: 'm', idempotencyKey: 'k-12345678' })),
    ).toBeInstanceOf(InvalidCoachingAnswerError);
    expect(await failureOf(api.deleteNote({ backendOrigin: BACKEND, noteId: 'n1' }))).toBeInstanceOf(
      InvalidCoachingAnswerError,
    );
  });
});

describe('checkPanel', () => {
  it('accepts every view, and fields the contract does not know yet', () => {
    expect(checkPanel(makeFullPanel())).toBeUndefined();
    expect(checkPanel(makeSelfPanel())).toBeUndefined();
    expect(checkPanel(makeNoDataPanel())).toBeUndefined();
    expect(checkPanel(makeSummaryPanel())).toBeUndefined();
    expect(checkPanel(makeSummaryPanel('no-owner'))).toBeUndefined();
    expect(checkPanel({ ...makeFullPanel(), forecast: { x: 1 } })).toBeUndefined();
  });

  const full = makeFullPanel();
  it.each([
    ['not a JSON object', 'panel'],
    ['view is unknown', { ...full, view: 'partial' }],
    ['contact is missing', { ...full, contact: null }],
    ['relationship summary is malformed', { ...full, relationship: { ...full.relationship, touches: {} } }],
    ['access is unknown', { ...full, access: 'admin' }],
    ['rep is missing', { ...full, rep: { ownerId: '1' } }],
    ['scorecard is malformed', { ...full, scorecard: [{ metric: 'dials', value: '3' }] }],
    ['diagnosis is malformed', { ...full, diagnosis: { ...full.diagnosis, steps: [{}] } }],
    ['trend is malformed', { ...full, trend: { weeks: [], series: [{ metric: 'dials', values: ['1'] }] } }],
    ['a note is malformed', { ...full, notes: [{ id: 'n1' }] }],
    ['training is malformed', { ...full, training: { assigned: [], suggested: [{ moduleId: 'm' }] } }],
    ['permissions are missing', { ...full, permissions: undefined }],
  ])('says %s', (reason, value) => {
    expect(checkPanel(value)).toBe(reason);
  });
});

describe('note validation and dates', () => {
  it('checks the body and the due date of a commitment', () => {
    expect(noteProblems('note', ' hi ', undefined, '2026-11-28')).toEqual({});
    expect(noteProblems('note', '  ', undefined, '2026-11-28')).toEqual({ body: 'Write something first.' });
    expect(noteProblems('praise', 'x'.repeat(2001), undefined, '2026-11-28').body).toContain('2000');
    expect(noteProblems('commitment', 'x', undefined, '2026-11-28')).toEqual({
      dueDate: 'A commitment needs a due date.',
    });
    expect(noteProblems('commitment', 'x', '2026-11-27', '2026-11-28')).toEqual({
      dueDate: 'Pick today or a later date.',
    });
    expect(noteProblems('commitment', 'x', '2026-11-28', '2026-11-28')).toEqual({});
    expect(noteProblems('commitment', 'x', '2026-11-27', '2026-11-28', false)).toEqual({});
  });

  it("converts DateInput's months from 0 and formats local dates without a time-zone shift", () => {
    expect(fromBaseDate({ year: 2026, month: 0, date: 5 })).toBe('2026-01-05');
    expect(toBaseDate('2026-12-04')).toEqual({ year: 2026, month: 11, date: 4 });
    expect(toBaseDate('soon')).toBeUndefined();
    expect(formatLocalDate('2026-12-04', 'en-US')).toBe('Dec 4, 2026');
  });

  it("takes today in the portal's time zone", () => {
    const now = new Date('2026-11-28T03:00:00.000Z');
    expect(todayIn('America/Los_Angeles', now)).toBe('2026-11-27');
    expect(todayIn('Europe/Berlin', now)).toBe('2026-11-28');
    expect(todayIn('Not/AZone', now)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
