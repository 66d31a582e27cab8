/**
 * Loads the teams the user coaches, then the weekly pack of the chosen team (the first by default),
 * each as one status union. A pack that arrives after the user picked another team (or left) is
 * dropped, so a slow answer never overwrites a newer one.
 */
import { useCallback, useEffect, useState } from 'react';
import type { PackTeam, WeeklyPack } from '@pillars/contracts';
import type { BackendOrigin } from '@pillars/ui-kit';
import { latestOnly, misconfigured } from '@pillars/ui-kit';
import type { Failure } from './useMetricsReport';
import { toFailure } from './useMetricsReport';
import type { FetchPack, FetchPackTeams } from './weekly-pack-api';

export type TeamsState =
  { status: 'loading' } | { status: 'ready'; teams: PackTeam[] } | { status: 'error'; failure: Failure };

export type PackState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ready'; pack: WeeklyPack }
  | { status: 'error'; failure: Failure };

export interface UseWeeklyPack {
  teams: TeamsState;
  teamId: string | undefined;
  selectTeam: (teamId: string) => void;
  pack: PackState;
  /** Retry whatever failed: the team list, else the pack. */
  reload: () => void;
}

export function useWeeklyPack(
  fetchTeams: FetchPackTeams,
  fetchPack: FetchPack,
  backend: BackendOrigin,
): UseWeeklyPack {
  const [teams, setTeams] = useState<TeamsState>({ status: 'loading' });
  const [teamId, setTeamId] = useState<string | undefined>(undefined);
  const [pack, setPack] = useState<PackState>({ status: 'idle' });
  const [teamsAttempt, setTeamsAttempt] = useState(0);
  const [packAttempt, setPackAttempt] = useState(0);
  const origin = backend.ok ? backend.origin : undefined;
  const problem = backend.ok ? undefined : backend.problem;

  useEffect(() => {
    if (origin === undefined) {
      setTeams({ status: 'error', failure: misconfigured(problem) });
      return undefined;
    }
    setTeams({ status: 'loading' });
    return latestOnly(
      fetchTeams(origin),
      (list) => {
        setTeams({ status: 'ready', teams: list });
        setTeamId((chosen) =>
          chosen !== undefined && list.some((t) => t.id === chosen) ? chosen : list[0]?.id,
        );
      },
      (error) => setTeams({ status: 'error', failure: toFailure(error) }),
    );
  }, [fetchTeams, origin, problem, teamsAttempt]);

  useEffect(() => {
    if (origin === undefined || teamId === undefined) {
      setPack({ status: 'idle' });
      return undefined;
    }
    setPack({ status: 'loading' });
    return latestOnly(
      fetchPack({ backendOrigin: origin, teamId }),
      (p) => setPack({ status: 'ready', pack: p }),
      (error) => setPack({ status: 'error', failure: toFailure(error) }),
    );
  }, [fetchPack, origin, teamId, packAttempt]);

  const reload = useCallback(() => {
    if (teams.status === 'error') setTeamsAttempt((n) => n + 1);
    else setPackAttempt((n) => n + 1);
  }, [teams.status]);
  const selectTeam = useCallback((id: string) => setTeamId(id), []);
  return { teams, teamId, selectTeam, pack, reload };
}
