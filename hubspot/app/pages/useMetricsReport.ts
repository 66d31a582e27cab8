/**
 * Loads the metrics report for (week, team) and exposes it as one status union. A response that
 * arrives after the user has moved to another week or team (or left the page) is dropped, so a
 * slow answer can never overwrite a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MetricsReport } from '@pillars/contracts';
import type { BackendOrigin, FailureDetails } from '@pillars/ui-kit';
import { backendFailure, latestOnly, misconfigured } from '@pillars/ui-kit';
import type { FetchReport } from './api';
import { InvalidReportError } from './api';

export type FailureKind =
  | 'not-authorised' // 401/403: the signed caller may not see this
  | 'unreachable' // network failure or timeout
  | 'server' // any other error status
  | 'invalid-response' // an answer that is not a report
  | 'misconfigured'; // the build has no usable BACKEND_ORIGIN

/** Status, code, user-safe detail and request id as @pillars/ui-kit's backendFailure fills them. */
export interface Failure extends FailureDetails {
  kind: FailureKind;
}

export type ReportState =
  { status: 'loading' } | { status: 'ready'; report: MetricsReport } | { status: 'error'; failure: Failure };

export function toFailure(error: unknown): Failure {
  if (error instanceof InvalidReportError) return { kind: 'invalid-response' };
  // Anything else is a bug in the page or an unexpected rejection: treat it like a failed request.
  const failure = backendFailure(error);
  if (failure === undefined) return { kind: 'server' };
  // The page has no "not found" state: a 404 is a server failure like any other status.
  const { kind, ...details } = failure;
  return { kind: kind === 'not-found' ? 'server' : kind, ...details };
}

export interface UseMetricsReport {
  state: ReportState;
  /** Fetch the same week and team again (the error state's retry). */
  reload: () => void;
}

export function useMetricsReport(
  fetchReport: FetchReport,
  backend: BackendOrigin,
  week: string,
  teamId: string | undefined,
): UseMetricsReport {
  const [state, setState] = useState<ReportState>({ status: 'loading' });
  // Bumped by reload() so the effect runs again with unchanged parameters.
  const [attempt, setAttempt] = useState(0);
  const origin = backend.ok ? backend.origin : undefined;
  const problem = backend.ok ? undefined : backend.problem;

  useEffect(() => {
    if (origin === undefined) {
      setState({ status: 'error', failure: misconfigured(problem) });
      return undefined;
    }
    setState({ status: 'loading' });
    // Stale-response guard: the cleanup of this run marks its request as superseded.
    return latestOnly(
      fetchReport({ backendOrigin: origin, week, ...(teamId !== undefined ? { teamId } : {}) }),
      (report) => setState({ status: 'ready', report }),
      (error) => setState({ status: 'error', failure: toFailure(error) }),
    );
  }, [fetchReport, origin, problem, week, teamId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
