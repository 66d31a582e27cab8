/**
 * Loads the metrics report for (week, team) and exposes it as one status union. A response that
 * arrives after the user has moved to another week or team (or left the page) is dropped, so a
 * slow answer can never overwrite a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import type { MetricsReport } from '@pillars/contracts';
import type { FetchReport } from './api';
import { BackendError, BackendUnreachableError, InvalidReportError } from './api';
import type { BackendOrigin } from './config';

export type FailureKind =
  | 'not-authorised' // 401/403: the signed caller may not see this
  | 'unreachable' // network failure or timeout
  | 'server' // any other error status
  | 'invalid-response' // an answer that is not a report
  | 'misconfigured'; // the build has no usable BACKEND_ORIGIN

export interface Failure {
  kind: FailureKind;
  /** HTTP status when the backend answered. */
  status?: number;
  /** The backend's error code, when it sent one. */
  code?: string;
  /** A user-safe explanation from the backend or from the configuration check. */
  detail?: string;
}

export type ReportState =
  { status: 'loading' } | { status: 'ready'; report: MetricsReport } | { status: 'error'; failure: Failure };

export function toFailure(error: unknown): Failure {
  if (error instanceof BackendError) {
    const kind: FailureKind = error.status === 401 || error.status === 403 ? 'not-authorised' : 'server';
    return {
      kind,
      status: error.status,
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.publicMessage !== undefined ? { detail: error.publicMessage } : {}),
    };
  }
  if (error instanceof BackendUnreachableError) return { kind: 'unreachable' };
  if (error instanceof InvalidReportError) return { kind: 'invalid-response' };
  // Anything else is a bug in the page or an unexpected rejection: treat it like a failed request.
  return { kind: 'server' };
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
      setState({
        status: 'error',
        failure: { kind: 'misconfigured', ...(problem ? { detail: problem } : {}) },
      });
      return undefined;
    }
    // Stale-response guard: the cleanup of this run marks its request as superseded.
    let current = true;
    setState({ status: 'loading' });
    fetchReport({ backendOrigin: origin, week, ...(teamId !== undefined ? { teamId } : {}) }).then(
      (report) => {
        if (current) setState({ status: 'ready', report });
      },
      (error: unknown) => {
        if (current) setState({ status: 'error', failure: toFailure(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [fetchReport, origin, problem, week, teamId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reload };
}
