/**
 * Loads the guidance of one deal and exposes it as one status union. A response that arrives after
 * a newer request was sent (refresh, another deal, or the card went away) is dropped, so a slow
 * answer can never overwrite a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import type { BackendOrigin, FailureDetails } from '@pillars/ui-kit';
import { backendFailure, latestOnly, misconfigured } from '@pillars/ui-kit';
import type { FetchGuidance, Guidance } from './api';
import { InvalidGuidanceError } from './api';

export type FailureKind =
  | 'not-authorised' // 401/403: the signed caller may not see this
  | 'not-found' // 404: the backend does not know this deal (deleted, merged, or not synced yet)
  | 'unreachable' // network failure or timeout
  | 'server' // any other error status
  | 'invalid-response' // an answer that is not guidance
  | 'misconfigured' // the build has no usable BACKEND_ORIGIN
  | 'no-deal'; // HubSpot's context carries no deal id (the card sits on another record type)

/** Status, code, user-safe detail and request id as @pillars/ui-kit's backendFailure fills them. */
export interface Failure extends FailureDetails {
  kind: FailureKind;
}

export type GuidanceState =
  { status: 'loading' } | { status: 'ready'; guidance: Guidance } | { status: 'error'; failure: Failure };

export function toFailure(error: unknown): Failure {
  if (error instanceof InvalidGuidanceError) return { kind: 'invalid-response' };
  // Anything else is a bug in the card or an unexpected rejection: treat it like a failed request.
  return backendFailure(error) ?? { kind: 'server' };
}

export interface UseDealGuidance {
  state: GuidanceState;
  /** Fetch the same deal again (the Refresh button and the error state's retry). */
  reload: () => void;
  /** Show guidance the card already has (an action's answer), without a request. */
  replace: (guidance: Guidance) => void;
}

export function useDealGuidance(
  fetchGuidance: FetchGuidance,
  backend: BackendOrigin,
  dealId: string | undefined,
): UseDealGuidance {
  const [state, setState] = useState<GuidanceState>({ status: 'loading' });
  // Bumped by reload() so the effect runs again with unchanged parameters.
  const [attempt, setAttempt] = useState(0);
  const origin = backend.ok ? backend.origin : undefined;
  const problem = backend.ok ? undefined : backend.problem;

  useEffect(() => {
    if (origin === undefined) {
      setState({ status: 'error', failure: misconfigured(problem) });
      return undefined;
    }
    if (dealId === undefined) {
      setState({ status: 'error', failure: { kind: 'no-deal' } });
      return undefined;
    }
    setState({ status: 'loading' });
    // Stale-response guard: the cleanup of this run marks its request as superseded.
    return latestOnly(
      fetchGuidance({ backendOrigin: origin, dealId }),
      (guidance) => setState({ status: 'ready', guidance }),
      (error) => setState({ status: 'error', failure: toFailure(error) }),
    );
  }, [fetchGuidance, origin, problem, dealId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const replace = useCallback((guidance: Guidance) => setState({ status: 'ready', guidance }), []);
  return { state, reload, replace };
}
