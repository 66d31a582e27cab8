/**
 * Loads the coaching panel of one contact and exposes it as one status union, like useDealGuidance:
 * a response that arrives after a newer request was sent is dropped. `update` applies an action's
 * answer to the panel in place (a note added, an assignment completed), without a request.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CoachingPanel, FullPanel } from '@pillars/contracts';
import type { BackendOrigin, FailureDetails } from '@pillars/ui-kit';
import { backendFailure, latestOnly, misconfigured } from '@pillars/ui-kit';
import { InvalidGuidanceError } from './api';
import type { CoachingApi } from './coaching-api';
import { InvalidCoachingAnswerError } from './coaching-api';

export type CoachingFailureKind =
  | 'not-authorised' // 401/403: the signed caller may not see this
  | 'not-found' // 404: the backend does not know this contact (deleted, merged, not synced yet)
  | 'unreachable' // network failure or timeout
  | 'server' // any other error status
  | 'invalid-response' // an answer that is not a coaching panel
  | 'misconfigured' // the build has no usable BACKEND_ORIGIN
  | 'no-contact'; // HubSpot's context carries no record id (the card sits on another record type)

/** Status, code, user-safe detail and request id as @pillars/ui-kit's backendFailure fills them. */
export interface CoachingFailure extends FailureDetails {
  kind: CoachingFailureKind;
}

export type PanelState =
  | { status: 'loading' }
  | { status: 'ready'; panel: CoachingPanel }
  | { status: 'error'; failure: CoachingFailure };

export function toCoachingFailure(error: unknown): CoachingFailure {
  if (error instanceof InvalidCoachingAnswerError || error instanceof InvalidGuidanceError) {
    return { kind: 'invalid-response' };
  }
  // Anything else is a bug in the card or an unexpected rejection: treat it like a failed request.
  return backendFailure(error) ?? { kind: 'server' };
}

/** A short, user-safe sentence for a failed action, with the request id to quote. */
export function coachingActionError(error: unknown): string {
  const failure = toCoachingFailure(error);
  const reference = failure.requestId ? ` (request ${failure.requestId})` : '';
  switch (failure.kind) {
    case 'unreachable':
      return "Pillars' server didn't answer. Check your connection and try again.";
    case 'invalid-response':
      return "Pillars' server sent an answer this card doesn't understand. Try again in a minute.";
    case 'not-authorised':
      return `${failure.detail ?? "You don't have access to do this."}${reference}`;
    default:
      return `${failure.detail ?? 'Something went wrong.'} Try again${reference}.`;
  }
}

export interface UseCoachingPanel {
  state: PanelState;
  /** Fetch the same contact again (the Refresh button and the error state's retry). */
  reload: () => void;
  /** Apply an action's answer to the full panel, without a request. */
  update: (change: (panel: FullPanel) => FullPanel) => void;
}

export function useCoachingPanel(
  fetchPanel: CoachingApi['fetchPanel'],
  backend: BackendOrigin,
  contactId: string | undefined,
): UseCoachingPanel {
  const [state, setState] = useState<PanelState>({ status: 'loading' });
  // Bumped by reload() so the effect runs again with unchanged parameters.
  const [attempt, setAttempt] = useState(0);
  const origin = backend.ok ? backend.origin : undefined;
  const problem = backend.ok ? undefined : backend.problem;

  useEffect(() => {
    if (origin === undefined) {
      setState({ status: 'error', failure: misconfigured(problem) });
      return undefined;
    }
    if (contactId === undefined) {
      setState({ status: 'error', failure: { kind: 'no-contact' } });
      return undefined;
    }
    setState({ status: 'loading' });
    // Stale-response guard: the cleanup of this run marks its request as superseded.
    return latestOnly(
      fetchPanel({ backendOrigin: origin, contactId }),
      (panel) => setState({ status: 'ready', panel }),
      (error) => setState({ status: 'error', failure: toCoachingFailure(error) }),
    );
  }, [fetchPanel, origin, problem, contactId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const update = useCallback(
    (change: (panel: FullPanel) => FullPanel) =>
      setState((s) =>
        s.status === 'ready' && s.panel.view === 'full' ? { status: 'ready', panel: change(s.panel) } : s,
      ),
    [],
  );
  return { state, reload, update };
}
