/**
 * Coaches per team: HubSpot team id → the user ids of its coaches. Coaches see the coaching panel of
 * their team's reps and get the weekly meeting pack. A team without coaches is coached by the super
 * admins. The server checks every id against the account (a 400 names the unknown one).
 */
import { useState } from 'react';
import { Button, Flex, Input, Text, Tile } from '@hubspot/ui-extensions';
import type { CoachesSetting, TRAINING_LIMITS } from '@pillars/contracts';
import type { DraftProps } from './SettingForm';
import { SettingSection } from './SettingForm';
import type { Failure } from './state';
import type { SectionEnv } from './ui';
import { ListInput, dropKey, problemOf } from './ui';

const HUBSPOT_ID = /^[1-9]\d{0,19}$/;
/** The contract's limit (TRAINING_LIMITS.coachesPerTeam); the annotation fails on drift. */
export const MAX_COACHES: (typeof TRAINING_LIMITS)['coachesPerTeam'] = 50;

export function CoachesSection({ env }: { env: SectionEnv }) {
  return (
    <Flex direction="column" gap="md" testId="coaches">
      <Text testId="coaches-intro">
        Coaches see the coaching panel of their team&apos;s reps and get the team&apos;s weekly meeting pack.
        Teams without coaches here are coached by the account&apos;s super admins.
      </Text>
      <SettingSection
        env={env}
        name="coaches"
        id="coaches"
        label="coaches"
        savedText="Coaching access follows the new list from the next request."
      >
        {(props) => <CoachesEditor {...props} />}
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

function CoachesEditor({ draft, setDraft, failure }: DraftProps<CoachesSetting>) {
  const [newTeam, setNewTeam] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const teamIds = Object.keys(draft.teams);

  const addTeam = () => {
    const id = newTeam.trim();
    if (!HUBSPOT_ID.test(id)) return setProblem('A HubSpot team id is a number, e.g. 4271.');
    if (draft.teams[id] !== undefined) return setProblem(`Team ${id} is already listed.`);
    setProblem(undefined);
    setNewTeam('');
    setDraft((d) => ({ ...d, teams: { ...d.teams, [id]: [] } }));
  };

  return (
    <Flex direction="column" gap="sm">
      {teamIds.length === 0 ? (
        <Text testId="coaches-empty">No coaches set: super admins coach every team.</Text>
      ) : null}
      {teamIds.map((teamId) => {
        const coaches = draft.teams[teamId] ?? [];
        const message = teamProblem(failure, teamId, coaches.length);
        return (
          <Tile compact key={teamId} testId={`coaches-team-${teamId}`}>
            <Flex direction="column" gap="xs">
              <ListInput
                id={`coaches-team-${teamId}-users`}
                name={`coaches-${teamId}`}
                label={`Team ${teamId}: coach user ids`}
                description={
                  coaches.length === 0
                    ? 'No coaches: super admins coach this team. Separate ids with commas.'
                    : `Up to ${MAX_COACHES} HubSpot user ids, separated by commas.`
                }
                values={coaches}
                error={message === undefined ? { error: false } : { error: true, validationMessage: message }}
                onChange={(ids) => setDraft((d) => ({ ...d, teams: { ...d.teams, [teamId]: ids } }))}
              />
              <Flex direction="row">
                <Button
                  testId={`coaches-team-${teamId}-remove`}
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
      <Flex direction="row" gap="sm" align="end">
        <Input
          testId="coaches-new-team"
          name="teamId"
          label="Team id"
          description="The HubSpot team id (Settings › Users & Teams › Teams)."
          value={newTeam}
          error={problem !== undefined}
          {...(problem !== undefined ? { validationMessage: problem } : {})}
          onChange={setNewTeam}
        />
        <Button testId="coaches-add-team" variant="secondary" onClick={addTeam}>
          Add team
        </Button>
      </Flex>
    </Flex>
  );
}
