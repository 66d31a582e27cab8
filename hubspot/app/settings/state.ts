/**
 * What the settings sections share: failures turned into user-safe words (with the request id to
 * quote), a loader hook with a stale-answer guard, and the idempotent "intent" of a save: one key
 * made on the first send and reused when the same content is sent again after a failure (a retry
 * never acts twice); a success, or a change of the content, makes the next send a new intent.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { BackendError, backendFailure, latestOnly } from '@pillars/ui-kit';
import { InvalidAnswerError, SETTINGS_TIMEOUT_MS } from './api';

export type FailureKind =
  | 'forbidden' // 403: not a super admin of this account
  | 'unauthenticated' // 401: HubSpot did not vouch for the request
  | 'not-found' // 404
  | 'invalid-input' // 400, naming a field
  | 'unreachable' // network failure or timeout
  | 'server' // any other error status
  | 'invalid-response'; // an answer that is not what the route promises

export interface Failure {
  kind: FailureKind;
  status?: number;
  code?: string;
  /** A user-safe explanation from the backend. */
  detail?: string;
  /** The backend's request id, to quote to support. */
  requestId?: string;
  /** The field a 400 names. */
  field?: string;
}

/** @pillars/ui-kit's failure, told apart further: 401 from 403, and a 400 with the field it names. */
export function toFailure(error: unknown): Failure {
  const failure = backendFailure(error);
  if (failure === undefined)
    return { kind: error instanceof InvalidAnswerError ? 'invalid-response' : 'server' };
  if (failure.kind === 'unreachable') return { kind: 'unreachable' };
  const { status } = failure;
  const kind: FailureKind =
    status === 403
      ? 'forbidden'
      : status === 401
        ? 'unauthenticated'
        : status === 404
          ? 'not-found'
          : status === 400
            ? 'invalid-input'
            : 'server';
  const field = error instanceof BackendError ? error.field : undefined;
  return { ...failure, kind, ...(field !== undefined ? { field } : {}) };
}

export const ADMIN_ONLY =
  'Only super admins of this HubSpot account can see and change the Pillars settings. Ask a super admin, or ask to be made one.';

/** ` (request abc)` or nothing. */
export function reference(failure: Failure): string {
  return failure.requestId ? ` (request ${failure.requestId})` : '';
}

/** One sentence for a failed load or save, with what to do and the request id to quote. */
export function failureMessage(failure: Failure): string {
  const ref = reference(failure);
  switch (failure.kind) {
    case 'forbidden':
      return `${failure.detail ?? ADMIN_ONLY}${ref}`;
    case 'unauthenticated':
      return `HubSpot did not vouch for this request, or Pillars is no longer connected to this account. Reload the page; if it keeps happening, reinstall Pillars${ref}.`;
    case 'unreachable':
      return `Pillars' server didn't answer within ${SETTINGS_TIMEOUT_MS / 1000} seconds. Check your connection and try again.`;
    case 'invalid-response':
      return "Pillars' server sent an answer this page doesn't understand, which usually means the app is being updated. Try again in a minute.";
    case 'invalid-input':
      return `${failure.detail ?? 'The server refused the change.'}${ref}`;
    case 'not-found':
      return `${failure.detail ?? 'Pillars could not find this.'}${ref}`;
    case 'server':
      return `${failure.detail ?? 'Something went wrong on Pillars’ server.'} Try again; if it keeps failing, contact Pillars support${ref}.`;
  }
}

export type LoadState<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; failure: Failure };

/**
 * Runs `load` when `deps` change or on reload(); an answer arriving after a newer request started is
 * dropped. `set` replaces the data in place (after a save answered the new value).
 */
export function useLoad<T>(
  load: (() => Promise<T>) | undefined,
  deps: readonly unknown[],
): { state: LoadState<T>; reload: () => void; set: (data: T) => void } {
  const [state, setState] = useState<LoadState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const run = loadRef.current;
    if (run === undefined) return undefined;
    setState({ status: 'loading' });
    return latestOnly(
      run(),
      (data) => setState({ status: 'ready', data }),
      (error) => setState({ status: 'error', failure: toFailure(error) }),
    );
  }, [...deps, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const set = useCallback((data: T) => setState({ status: 'ready', data }), []);
  return { state, reload, set };
}

export interface Intent {
  /**
   * Send with this intent's key; a call while one is on its way does nothing. `content` identifies
   * what is sent: the key is reused only for the same content (a retry), a new content is a new intent.
   */
  run: <T>(
    content: string,
    request: (key: string) => Promise<T>,
    onDone: (value: T) => void,
    onError: (failure: Failure) => void,
  ) => void;
  sending: boolean;
}

export function useIntent(newKey: () => string): Intent {
  const key = useRef<{ key: string; content: string } | undefined>(undefined);
  const pending = useRef(false);
  const [sending, setSending] = useState(false);

  const run = useCallback(
    <T>(
      content: string,
      request: (key: string) => Promise<T>,
      onDone: (value: T) => void,
      onError: (failure: Failure) => void,
    ) => {
      if (pending.current) return;
      pending.current = true;
      if (key.current === undefined || key.current.content !== content) {
        key.current = { key: newKey(), content };
      }
      setSending(true);
      request(key.current.key)
        .then(
          (value) => {
            key.current = undefined; // done: the next send is a new intent
            onDone(value);
          },
          (error: unknown) => {
            // The key is kept: sending the same content again is a retry, which the backend replays.
            onError(toFailure(error));
          },
        )
        .finally(() => {
          pending.current = false;
          setSending(false);
        });
    },
    [newKey],
  );
  return { run, sending };
}

/** A fresh idempotency key: 8 to 128 of [A-Za-z0-9_-], as the backend requires. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `${Date.now().toString(36)}-${random()}${random()}`;
}
