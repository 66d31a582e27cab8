/**
 * Coaches per team: HubSpot team id → the user ids of its coaches. Coaches see the coaching panel of
 * their team's reps and get the weekly meeting pack. A team without coaches is coached by the super
 * admins. Teams are picked by name and coaches by email from the account's directory; when it does
 * not load, ids are typed. The server checks every id against the account (a 400 names the unknown one).
 */
import { Button, Flex, MultiSelect, Text, Tile } from '@hubspot/ui-extensions';
import type { CoachesSetting, TRAINING_LIMITS } from '@pillars/contracts';
import type { Directory } from './api';
import { LookupProblem, readyData, teamName, useLookup, userOptions, withUnknown } from './lookups';
import type { DraftProps } from './SettingForm';
import { SettingSection } from './SettingForm';
import type { Failure } from './state';
import { TeamAdder } from './TeamAdder';
import type { SectionEnv } from './ui';
import { ListInput, dropKey, problemOf } from './ui';

/** The contract's limit (TRAINING_LIMITS.coachesPerTeam); the annotation fails on drift. */
export const MAX_COACHES: (typeof TRAINING_LIMITS)['coachesPerTeam'] = 50;

export function CoachesSection({ env }: { env: SectionEnv }) {
  const { state, reload } = useLookup(env, 'directory');
  const directory = readyData(state);
  return (
    <Flex direction="column" gap="md" testId="coaches">
      <Text testId="coaches-intro">
        Coaches see the coaching panel of their team&apos;s reps and get the team&apos;s weekly meeting pack.
        Teams without coaches here are coached by the account&apos;s super admins.
      </Text>
      <LookupProblem id="coaches" what="teams and users" state={state} onRetry={reload} />
      <SettingSection
        env={env}
        name="coaches"
        id="coaches"
        label="coaches"
        savedText="Coaching access follows the new list from the next request."
      >
        {(props) => <CoachesEditor {...props} directory={directory} />}
      </SettingSection>
    </Flex>
  );
}

/** The message of a 400 on the team or on one of its coaches. */
function teamProblem(failure: Failure | undefined, teamId: string, count: number): string | undefined {
  const path = `value.teams.${teamId}`;
  for (let i = 0; i < count; i += 1) {
    const problem = problemOf(failure, `${path}.${i}`);
    if (problem !== undefined) return problem;
  }
  return problemOf(failure, path);
}

function CoachesEditor({
  draft,
  setDraft,
  failure,
  directory,
}: DraftProps<CoachesSetting> & { directory: Directory | undefined }) {
  const teamIds = Object.keys(draft.teams);
  const setCoaches = (teamId: string, ids: string[]) =>
    setDraft((d) => ({ ...d, teams: { ...d.teams, [teamId]: ids } }));

  return (
    <Flex direction="column" gap="sm">
      {teamIds.length === 0 ? (
        <Text testId="coaches-empty">No coaches set: super admins coach every team.</Text>
      ) : null}
      {teamIds.map((teamId) => {
        const coaches = draft.teams[teamId] ?? [];
        const message = teamProblem(failure, teamId, coaches.length);
        const error = message === undefined ? { error: false } : { error: true, validationMessage: message };
        const id = `coaches-team-${teamId}`;
        return (
          <Tile compact key={teamId} testId={id}>
            <Flex direction="column" gap="xs">
              {directory ? (
                <MultiSelect
                  testId={`${id}-coaches`}
                  name={`coaches-${teamId}`}
                  label={`${teamName(directory, teamId)}: coaches`}
                  description={
                    coaches.length === 0
                      ? 'No coaches: super admins coach this team.'
                      : `Up to ${MAX_COACHES} users.`
                  }
                  value={coaches}
                  options={withUnknown(userOptions(directory), coaches, (u) => `User ${u} (not in HubSpot)`)}
                  {...error}
                  onChange={(values) => setCoaches(teamId, values.map(String))}
                />
              ) : (
                <ListInput
                  id={`${id}-users`}
                  name={`coaches-${teamId}`}
                  label={`Team ${teamId}: coach user ids`}
                  description={
                    coaches.length === 0
                      ? 'No coaches: super admins coach this team. Separate ids with commas.'
                      : `Up to ${MAX_COACHES} HubSpot user ids, separated by commas.`
                  }
                  values={coaches}
                  error={error}
                  onChange={(ids) => setCoaches(teamId, ids)}
                />
              )}
              <Flex direction="row">
                <Button
                  testId={`${id}-remove`}
                  size="xs"
                  variant="transparent"
                  onClick={() => setDraft((d) => ({ ...d, teams: dropKey(d.teams, teamId) }))}
                >
                  Remove team
                </Button>
              </Flex>
            </Flex>
          </Tile>
        );
      })}
      <TeamAdder
        id="coaches"
        directory={directory}
        listed={teamIds}
        buttonLabel="Add team"
        duplicate={(teamId) => `Team ${teamId} is already listed.`}
        onAdd={(teamId) => setDraft((d) => ({ ...d, teams: { ...d.teams, [teamId]: [] } }))}
      />
    </Flex>
  );
}
