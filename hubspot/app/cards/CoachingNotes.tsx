/**
 * The private coaching notes thread of the full panel: the form to add a note, praise or commitment
 * (validated before sending: empty, too long, a commitment without a due date or due in the past),
 * each note with edit and delete for its author, and "Mark done" on open commitments (the rep or a
 * coach). Every write carries one idempotency key per intent (see coaching-actions.ts); after a
 * success the thread updates in place and a notice says what happened.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  DateInput,
  Flex,
  Form,
  Heading,
  LoadingButton,
  Select,
  StatusTag,
  Tag,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import type { DateInputEventsPayload } from '@hubspot/ui-extensions';
import type { CoachingNoteView, FullPanel, NoteKind } from '@pillars/contracts';
import type { CoachingEnv, NoteProblems } from './coaching-actions';
import { addNote, hasProblems, noteProblems, removeNote, replaceNote, useIntent } from './coaching-actions';
import { NOTE_KIND_LABELS, NOTE_KIND_ORDER, NOTE_MAX_CHARS } from './coaching-api';
import { formatLocalDate, formatTimestamp, fromBaseDate, toBaseDate } from './coaching-format';
import { coachingActionError } from './useCoachingPanel';

/** Text the note form starts with ("Use as praise" fills it); a new `n` starts a new form. */
export interface NoteSeed {
  kind: NoteKind;
  body: string;
  n: number;
}

interface Notice {
  variant: 'success' | 'danger';
  title: string;
  text: string;
}

export function NotesSection({
  panel,
  env,
  seed,
}: {
  panel: FullPanel;
  env: CoachingEnv;
  seed?: NoteSeed | undefined;
}) {
  const [notice, setNotice] = useState<Notice | undefined>(undefined);
  // Newest first, whatever order the backend sends.
  const notes = [...panel.notes].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const writer = panel.permissions.writeNotes;
  return (
    <Flex direction="column" gap="sm" testId="coaching-notes">
      <Heading testId="coaching-notes-heading">Coaching notes</Heading>
      <Text variant="microcopy" testId="coaching-notes-privacy">
        {panel.access === 'self'
          ? 'Private between you and your coaches.'
          : `Private between ${panel.rep.name} and their coaches.`}
      </Text>
      {notice ? (
        <Alert testId="coaching-notes-notice" title={notice.title} variant={notice.variant}>
          <Text testId="coaching-notes-notice-text">{notice.text}</Text>
        </Alert>
      ) : null}
      {writer ? <NoteComposer key={seed?.n ?? 0} env={env} seed={seed} onNotice={setNotice} /> : null}
      {notes.length === 0 ? (
        <Text testId="coaching-notes-empty">
          {writer ? 'No notes yet. Write the first one above.' : 'No coaching notes yet.'}
        </Text>
      ) : (
        notes.map((note) => <NoteItem key={note.id} note={note} env={env} onNotice={setNotice} />)
      )}
    </Flex>
  );
}

const KIND_TAG = { note: 'default', praise: 'success', commitment: 'info' } as const;

function characterCount(body: string): string {
  return `${body.length} / ${NOTE_MAX_CHARS} characters`;
}

function DueDateInput({
  id,
  value,
  today,
  problem,
  onChange,
}: {
  id: string;
  value: string | undefined;
  today: string;
  problem: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const date = toBaseDate(value);
  const min = toBaseDate(today);
  return (
    <DateInput
      testId={id}
      name="dueDate"
      label="Due date"
      required
      format="medium"
      {...(date ? { value: date } : {})}
      {...(min ? { min } : {})}
      minValidationMessage="Pick today or a later date."
      error={problem !== undefined}
      {...(problem !== undefined ? { validationMessage: problem } : {})}
      onChange={(picked: DateInputEventsPayload | null) =>
        onChange(picked ? fromBaseDate(picked) : undefined)
      }
    />
  );
}

function NoteComposer({
  env,
  seed,
  onNotice,
}: {
  env: CoachingEnv;
  seed?: NoteSeed | undefined;
  onNotice: (notice: Notice | undefined) => void;
}) {
  const [kind, setKind] = useState<NoteKind>(seed?.kind ?? 'note');
  const [body, setBody] = useState(seed?.body ?? '');
  const [dueDate, setDueDate] = useState<string | undefined>(undefined);
  const [problems, setProblems] = useState<NoteProblems>({});
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const intent = useIntent(env.newKey);
  const id = 'coaching-note-form';

  const submit = () => {
    if (intent.sending) return;
    const found = noteProblems(kind, body, dueDate, env.today);
    setProblems(found);
    if (hasProblems(found)) return;
    setFailure(undefined);
    intent.run(
      (idempotencyKey) =>
        env.api.createNote({
          backendOrigin: env.backendOrigin,
          contactId: env.contactId,
          kind,
          body: body.trim(),
          ...(kind === 'commitment' && dueDate !== undefined ? { dueDate } : {}),
          idempotencyKey,
        }),
      (note) => {
        env.update(addNote(note));
        setBody('');
        setDueDate(undefined);
        setProblems({});
        onNotice({
          variant: 'success',
          title: `${NOTE_KIND_LABELS[note.kind] ?? 'Note'} added`,
          text:
            note.kind === 'commitment' && note.dueDate !== null
              ? `The commitment is in the thread, due ${formatLocalDate(note.dueDate, env.locale)}.`
              : 'It is at the top of the thread.',
        });
      },
      setFailure,
    );
  };

  return (
    <Tile compact testId={`${id}-tile`}>
      <Form testId={id} onSubmit={submit} preventDefault>
        <Flex direction="column" gap="xs" testId={`${id}-body`}>
          <Select
            testId={`${id}-kind`}
            name="kind"
            label="Kind"
            value={kind}
            options={NOTE_KIND_ORDER.map((value) => ({ value, label: NOTE_KIND_LABELS[value] }))}
            onChange={(value) => {
              const next = NOTE_KIND_ORDER.find((k) => k === value) ?? 'note';
              setKind(next);
              setProblems((p) => ({ ...(p.body !== undefined ? { body: p.body } : {}) }));
            }}
          />
          <TextArea
            testId={`${id}-text`}
            name="body"
            label={kind === 'commitment' ? 'What will be done?' : kind === 'praise' ? 'Praise' : 'Note'}
            required
            rows={3}
            value={body}
            description={characterCount(body)}
            error={problems.body !== undefined}
            {...(problems.body !== undefined ? { validationMessage: problems.body } : {})}
            onChange={(value) => {
              setBody(value);
              setProblems((p) => ({ ...(p.dueDate !== undefined ? { dueDate: p.dueDate } : {}) }));
            }}
          />
          {kind === 'commitment' ? (
            <DueDateInput
              id={`${id}-due`}
              value={dueDate}
              today={env.today}
              problem={problems.dueDate}
              onChange={(value) => {
                setDueDate(value);
                setProblems((p) => ({ ...(p.body !== undefined ? { body: p.body } : {}) }));
              }}
            />
          ) : null}
          {failure !== undefined ? (
            <Alert testId={`${id}-error`} title="The note wasn't saved" variant="danger">
              <Text testId={`${id}-error-text`}>{failure}</Text>
            </Alert>
          ) : null}
          <Flex direction="row" gap="sm" testId={`${id}-buttons`}>
            {intent.sending ? (
              <LoadingButton testId={`${id}-submit`} size="sm" variant="primary" type="submit" loading>
                {`Add ${NOTE_KIND_LABELS[kind].toLowerCase()}`}
              </LoadingButton>
            ) : (
              <Button testId={`${id}-submit`} size="sm" variant="primary" type="submit">
                {failure !== undefined ? 'Try again' : `Add ${NOTE_KIND_LABELS[kind].toLowerCase()}`}
              </Button>
            )}
          </Flex>
        </Flex>
      </Form>
    </Tile>
  );
}

function commitmentTag(note: CoachingNoteView, today: string) {
  if (note.kind !== 'commitment') return undefined;
  if (note.done === true) return { variant: 'success', label: 'Done' } as const;
  if (note.dueDate !== null && note.dueDate < today) return { variant: 'danger', label: 'Overdue' } as const;
  return { variant: 'info', label: 'Open' } as const;
}

type ItemMode = 'view' | 'edit' | 'confirm-delete';

function NoteItem({
  note,
  env,
  onNotice,
}: {
  note: CoachingNoteView;
  env: CoachingEnv;
  onNotice: (notice: Notice | undefined) => void;
}) {
  const [mode, setMode] = useState<ItemMode>('view');
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const done = useIntent(env.newKey);
  const [deleting, setDeleting] = useState(false);
  const id = `note-${note.id}`;
  const status = commitmentTag(note, env.today);
  const edited = note.updatedAt !== note.createdAt;

  const markDone = () => {
    setFailure(undefined);
    done.run(
      (idempotencyKey) =>
        env.api.updateNote({ backendOrigin: env.backendOrigin, noteId: note.id, done: true, idempotencyKey }),
      (updated) => {
        env.update(replaceNote(updated));
        onNotice({
          variant: 'success',
          title: 'Commitment done',
          text: `Marked "${short(note.body)}" as done.`,
        });
      },
      setFailure,
    );
  };

  const remove = () => {
    if (deleting) return;
    setDeleting(true);
    setFailure(undefined);
    env.api
      .deleteNote({ backendOrigin: env.backendOrigin, noteId: note.id })
      .then(
        () => {
          env.update(removeNote(note.id));
          onNotice({ variant: 'success', title: 'Note deleted', text: `Deleted "${short(note.body)}".` });
        },
        (error: unknown) => {
          setMode('view');
          setFailure(coachingActionError(error));
        },
      )
      .finally(() => setDeleting(false));
  };

  return (
    <Tile compact testId={id}>
      <Flex direction="column" gap="xs" testId={`${id}-content`}>
        <Flex direction="row" gap="sm" align="center" wrap="wrap" testId={`${id}-header`}>
          <Tag variant={KIND_TAG[note.kind] ?? 'default'} testId={`${id}-kind`}>
            {NOTE_KIND_LABELS[note.kind] ?? 'Note'}
          </Tag>
          {status ? (
            <StatusTag variant={status.variant} testId={`${id}-status`}>
              {status.label}
            </StatusTag>
          ) : null}
          <Text variant="microcopy" testId={`${id}-meta`}>
            {`${note.authorName ?? 'Unknown author'} · ${formatTimestamp(note.createdAt, env.locale)}${edited ? ' · edited' : ''}`}
          </Text>
        </Flex>
        {mode === 'edit' ? (
          <NoteEditForm
            note={note}
            env={env}
            onCancel={() => setMode('view')}
            onSaved={(updated) => {
              setMode('view');
              env.update(replaceNote(updated));
              onNotice({ variant: 'success', title: 'Note updated', text: 'Your changes are saved.' });
            }}
          />
        ) : (
          <Text testId={`${id}-text`}>{note.body}</Text>
        )}
        {note.kind === 'commitment' && note.dueDate !== null && mode !== 'edit' ? (
          <Text variant="microcopy" testId={`${id}-due`}>
            {`Due ${formatLocalDate(note.dueDate, env.locale)}`}
          </Text>
        ) : null}
        {failure !== undefined ? (
          <Alert testId={`${id}-error`} title="That didn't work" variant="danger">
            <Text testId={`${id}-error-text`}>{failure}</Text>
          </Alert>
        ) : null}
        {mode === 'confirm-delete' ? (
          <Flex direction="row" gap="sm" align="center" testId={`${id}-confirm`}>
            <Text testId={`${id}-confirm-text`}>Delete this note for everyone?</Text>
            {deleting ? (
              <LoadingButton testId={`${id}-delete-confirm`} size="xs" variant="destructive" loading>
                Delete
              </LoadingButton>
            ) : (
              <Button testId={`${id}-delete-confirm`} size="xs" variant="destructive" onClick={remove}>
                Delete
              </Button>
            )}
            <Button
              testId={`${id}-delete-cancel`}
              size="xs"
              variant="secondary"
              disabled={deleting}
              onClick={() => setMode('view')}
            >
              Cancel
            </Button>
          </Flex>
        ) : null}
        {mode === 'view' ? (
          <Flex direction="row" gap="sm" testId={`${id}-actions`}>
            {note.kind === 'commitment' && note.done !== true ? (
              done.sending ? (
                <LoadingButton testId={`${id}-done`} size="xs" variant="secondary" loading>
                  Mark done
                </LoadingButton>
              ) : (
                <Button testId={`${id}-done`} size="xs" variant="secondary" onClick={markDone}>
                  Mark done
                </Button>
              )
            ) : null}
            {note.editable ? (
              <>
                <Button
                  testId={`${id}-edit`}
                  size="xs"
                  variant="secondary"
                  onClick={() => {
                    setFailure(undefined);
                    setMode('edit');
                  }}
                >
                  Edit
                </Button>
                <Button
                  testId={`${id}-delete`}
                  size="xs"
                  variant="transparent"
                  onClick={() => {
                    setFailure(undefined);
                    setMode('confirm-delete');
                  }}
                >
                  Delete
                </Button>
              </>
            ) : null}
          </Flex>
        ) : null}
      </Flex>
    </Tile>
  );
}

function NoteEditForm({
  note,
  env,
  onCancel,
  onSaved,
}: {
  note: CoachingNoteView;
  env: CoachingEnv;
  onCancel: () => void;
  onSaved: (note: CoachingNoteView) => void;
}) {
  const [body, setBody] = useState(note.body);
  const [dueDate, setDueDate] = useState<string | undefined>(note.dueDate ?? undefined);
  const [problems, setProblems] = useState<NoteProblems>({});
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const intent = useIntent(env.newKey);
  const id = `note-${note.id}-edit-form`;

  const submit = () => {
    if (intent.sending) return;
    const dueChanged = dueDate !== (note.dueDate ?? undefined);
    const found = noteProblems(note.kind, body, dueDate, env.today, dueChanged);
    setProblems(found);
    if (hasProblems(found)) return;
    setFailure(undefined);
    intent.run(
      (idempotencyKey) =>
        env.api.updateNote({
          backendOrigin: env.backendOrigin,
          noteId: note.id,
          body: body.trim(),
          ...(note.kind === 'commitment' && dueChanged && dueDate !== undefined ? { dueDate } : {}),
          idempotencyKey,
        }),
      onSaved,
      setFailure,
    );
  };

  return (
    <Form testId={id} onSubmit={submit} preventDefault>
      <Flex direction="column" gap="xs" testId={`${id}-body`}>
        <TextArea
          testId={`${id}-text`}
          name="body"
          label="Edit the note"
          required
          rows={3}
          value={body}
          description={characterCount(body)}
          error={problems.body !== undefined}
          {...(problems.body !== undefined ? { validationMessage: problems.body } : {})}
          onChange={(value) => {
            setBody(value);
            setProblems((p) => ({ ...(p.dueDate !== undefined ? { dueDate: p.dueDate } : {}) }));
          }}
        />
        {note.kind === 'commitment' ? (
          <DueDateInput
            id={`${id}-due`}
            value={dueDate}
            today={env.today}
            problem={problems.dueDate}
            onChange={(value) => {
              setDueDate(value);
              setProblems((p) => ({ ...(p.body !== undefined ? { body: p.body } : {}) }));
            }}
          />
        ) : null}
        {failure !== undefined ? (
          <Alert testId={`${id}-error`} title="The change wasn't saved" variant="danger">
            <Text testId={`${id}-error-text`}>{failure}</Text>
          </Alert>
        ) : null}
        <Flex direction="row" gap="sm" testId={`${id}-buttons`}>
          {intent.sending ? (
            <LoadingButton testId={`${id}-submit`} size="xs" variant="primary" type="submit" loading>
              Save
            </LoadingButton>
          ) : (
            <Button testId={`${id}-submit`} size="xs" variant="primary" type="submit">
              Save
            </Button>
          )}
          <Button
            testId={`${id}-cancel`}
            size="xs"
            variant="secondary"
            disabled={intent.sending}
            onClick={onCancel}
          >
            Cancel
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}

/** The first words of a note, for a notice. */
function short(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text.length <= 60 ? text : `${text.slice(0, 57)}…`;
}
