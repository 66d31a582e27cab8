/**
 * The choices the pickers offer: the account's deal pipelines with their stages, and its teams and
 * users (GET /api/v1/settings/pipelines and /directory, super admins only). Each is loaded once per
 * page, when the first section that needs it opens, and shared by the sections; a failed load is
 * forgotten so "Try again" asks again. When one fails, the section says so (with the request id) and
 * keeps its typed-id inputs, so the settings stay editable.
 */
import { useCallback, useEffect } from 'react';
import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';
import type { Directory, Pipeline, SettingsApi } from './api';
import type { LoadState } from './state';
import { failureMessage, useLoad } from './state';
import type { SectionEnv } from './ui';

export interface LookupValues {
  pipelines: Pipeline[];
  directory: Directory;
}
export type LookupName = keyof LookupValues;
export type Lookups = { [N in LookupName]: () => Promise<LookupValues[N]> };

/** One request per lookup while it succeeds or is on its way; a failure is retried on the next call. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export function createLookups(api: SettingsApi, origin: string): Lookups {
  return {
    pipelines: once(() => api.getPipelines(origin)),
    directory: once(() => api.getDirectory(origin)),
  };
}

/** A lookup's load state; a 403 sends the page to its "only super admins" state like any load. */
export function useLookup<N extends LookupName>(
  env: SectionEnv,
  name: N,
): { state: LoadState<LookupValues[N]>; reload: () => void } {
  const { lookups, onForbidden } = env;
  const load = useCallback(() => lookups[name](), [lookups, name]);
  const { state, reload } = useLoad(load, [load]);
  const forbidden =
    state.status === 'error' && state.failure.kind === 'forbidden' ? state.failure : undefined;
  useEffect(() => {
    if (forbidden) onForbidden(forbidden);
  }, [forbidden, onForbidden]);
  return { state, reload };
}

/** The data of a lookup once it is there. */
export function readyData<T>(state: LoadState<T>): T | undefined {
  return state.status === 'ready' ? state.data : undefined;
}

/** A failed lookup: what went wrong (request id included), that ids can be typed, and a retry. */
export function LookupProblem({
  id,
  what,
  state,
  onRetry,
}: {
  id: string;
  /** "deal pipelines", "teams and users". */
  what: string;
  state: LoadState<unknown>;
  onRetry: () => void;
}) {
  if (state.status !== 'error') return null;
  return (
    <Alert testId={`${id}-lookup-failed`} title={`The ${what} didn't load`} variant="warning">
      <Flex direction="column" gap="xs">
        <Text testId={`${id}-lookup-failed-text`}>
          {`${failureMessage(state.failure)} Until then, type the HubSpot ids below.`}
        </Text>
        <Flex direction="row">
          <Button testId={`${id}-lookup-retry`} size="xs" variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </Flex>
      </Flex>
    </Alert>
  );
}

export interface Option {
  value: string;
  label: string;
}

/** Options for chosen values: the known ones in order, then any chosen id the list does not know. */
export function withUnknown(
  options: readonly Option[],
  chosen: readonly string[],
  unknown: (id: string) => string,
) {
  const known = new Set(options.map((o) => o.value));
  const missing = [...new Set(chosen.filter((id) => !known.has(id)))];
  return [...options, ...missing.map((value) => ({ value, label: unknown(value) }))];
}

/** Every deal stage of every pipeline, labelled `Pipeline › Stage`, each id once. */
export function stageOptions(pipelines: readonly Pipeline[]): Option[] {
  const seen = new Set<string>();
  const options: Option[] = [];
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages) {
      if (seen.has(stage.id)) continue;
      seen.add(stage.id);
      options.push({ value: stage.id, label: `${pipeline.label} › ${stage.label}` });
    }
  }
  return options;
}

/** The users as coach options: by email, super admins marked. */
export function userOptions(directory: Directory): Option[] {
  return [...directory.users]
    .sort((a, b) => a.email.localeCompare(b.email))
    .map((u) => ({ value: u.id, label: u.superAdmin ? `${u.email} (super admin)` : u.email }));
}

/** A team's name, or its id when the directory does not know it. */
export function teamName(directory: Directory | undefined, teamId: string): string {
  const team = directory?.teams.find((t) => t.id === teamId);
  return team ? team.name : `Team ${teamId}`;
}

/** The teams not listed yet, by name. */
export function teamOptions(directory: Directory, listed: readonly string[]): Option[] {
  return directory.teams
    .filter((t) => !listed.includes(t.id))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((t) => ({ value: t.id, label: t.name }));
}
