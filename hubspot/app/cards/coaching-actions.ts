/**
 * What the coaching card's actions share: the environment they run in, one idempotent "intent"
 * hook (a key made on the first send and reused when the same intent is retried after a failure, so
 * a double click or a retry never acts twice; a new intent gets a new key), the note validation the
 * form runs before sending, and the local panel updates applied after each successful action.
 */
import { useCallback, useRef, useState } from 'react';
import type {
  CoachingNoteView,
  FullPanel,
  NoteKind,
  PanelAssignment,
  TrainingAssignmentView,
} from '@pillars/contracts';
import type { CoachingApi } from './coaching-api';
import { NOTE_MAX_CHARS } from './coaching-api';
import { coachingActionError } from './useCoachingPanel';

/** What the actions need from the card. */
export interface CoachingEnv {
  api: CoachingApi;
  backendOrigin: string;
  contactId: string;
  locale: string;
  /** Today as YYYY-MM-DD in the portal's time zone (due dates are local dates). */
  today: string;
  /** A fresh idempotency key. */
  newKey: () => string;
  /** Apply an action's answer to the panel. */
  update: (change: (panel: FullPanel) => FullPanel) => void;
}

export interface Intent {
  /** Send `request` with this intent's key; a call while one is on its way does nothing. */
  run: <T>(
    request: (key: string) => Promise<T>,
    onDone: (value: T) => void,
    onError: (message: string) => void,
  ) => void;
  sending: boolean;
  /** Forget the key: the next send is a new intent. */
  reset: () => void;
}

export function useIntent(newKey: () => string): Intent {
  const key = useRef<string | undefined>(undefined);
  const pending = useRef(false);
  const [sending, setSending] = useState(false);

  const run = useCallback(
    <T>(
      request: (key: string) => Promise<T>,
      onDone: (value: T) => void,
      onError: (message: string) => void,
    ) => {
      if (pending.current) return;
      pending.current = true;
      key.current ??= newKey();
      setSending(true);
      request(key.current)
        .then(
          (value) => {
            key.current = undefined; // done: the next send is a new intent
            onDone(value);
          },
          (error: unknown) => {
            // The key is kept: trying again is the same intent, and the backend replays or resumes it.
            onError(coachingActionError(error));
          },
        )
        .finally(() => {
          pending.current = false;
          setSending(false);
        });
    },
    [newKey],
  );
  const reset = useCallback(() => {
    key.current = undefined;
  }, []);
  return { run, sending, reset };
}

export interface NoteProblems {
  body?: string;
  dueDate?: string;
}

/**
 * Why a note cannot be sent (the backend's rules: 1 to NOTE_MAX_CHARS characters once trimmed, a
 * due date on commitments only), plus a commitment due in the past. `checkPast` is false when an
 * edit keeps the due date it had: an overdue commitment's text can still be corrected.
 */
export function noteProblems(
  kind: NoteKind,
  body: string,
  dueDate: string | undefined,
  today: string,
  checkPast = true,
): NoteProblems {
  const problems: NoteProblems = {};
  const length = body.trim().length;
  if (length === 0) problems.body = 'Write something first.';
  else if (length > NOTE_MAX_CHARS) problems.body = `Keep it to ${NOTE_MAX_CHARS} characters or fewer.`;
  if (kind === 'commitment') {
    if (dueDate === undefined) problems.dueDate = 'A commitment needs a due date.';
    else if (checkPast && dueDate < today) problems.dueDate = 'Pick today or a later date.';
  }
  return problems;
}

export const hasProblems = (problems: NoteProblems): boolean =>
  problems.body !== undefined || problems.dueDate !== undefined;

// Local updates of the panel after an action succeeded.

export function addNote(note: CoachingNoteView): (panel: FullPanel) => FullPanel {
  return (panel) => ({ ...panel, notes: [note, ...panel.notes.filter((n) => n.id !== note.id)] });
}

export function replaceNote(note: CoachingNoteView): (panel: FullPanel) => FullPanel {
  return (panel) => ({ ...panel, notes: panel.notes.map((n) => (n.id === note.id ? note : n)) });
}

export function removeNote(noteId: string): (panel: FullPanel) => FullPanel {
  return (panel) => ({ ...panel, notes: panel.notes.filter((n) => n.id !== noteId) });
}

/** Puts an assignment the backend answered with into the assigned list (its effect kept, if any). */
export function upsertAssignment(assignment: TrainingAssignmentView): (panel: FullPanel) => FullPanel {
  return (panel) => {
    const existing = panel.training.assigned.find((a) => a.id === assignment.id);
    const next: PanelAssignment = { ...assignment, effect: existing?.effect ?? null };
    const assigned = existing
      ? panel.training.assigned.map((a) => (a.id === assignment.id ? next : a))
      : [next, ...panel.training.assigned];
    return { ...panel, training: { ...panel.training, assigned } };
  };
}
