/**
 * "Add a team" for the coaches and the targets overrides: a Select of the account's teams by name
 * (those not listed yet) when the directory loaded, else the HubSpot team id typed in.
 */
import { useState } from 'react';
import { Button, Flex, Input, Select } from '@hubspot/ui-extensions';
import type { Directory } from './api';
import { teamOptions } from './lookups';

const HUBSPOT_ID = /^[1-9]\d{0,19}$/;

export function TeamAdder({
  id,
  directory,
  listed,
  buttonLabel,
  duplicate,
  onAdd,
}: {
  /** The section's test id prefix: `<id>-team-picker`, `<id>-new-team`, `<id>-add-team`. */
  id: string;
  /** Undefined while loading or after a failure: the id is typed. */
  directory: Directory | undefined;
  listed: readonly string[];
  buttonLabel: string;
  duplicate: (teamId: string) => string;
  onAdd: (teamId: string) => void;
}) {
  const [newTeam, setNewTeam] = useState('');
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const problemProps = problem !== undefined ? { error: true, validationMessage: problem } : { error: false };

  const add = () => {
    const teamId = newTeam.trim();
    if (directory && teamId === '') return setProblem('Choose a team.');
    if (!HUBSPOT_ID.test(teamId)) return setProblem('A HubSpot team id is a number, e.g. 4271.');
    if (listed.includes(teamId)) return setProblem(duplicate(teamId));
    setProblem(undefined);
    setNewTeam('');
    onAdd(teamId);
  };

  return (
    <Flex direction="row" gap="sm" align="end">
      {directory ? (
        <Select
          testId={`${id}-team-picker`}
          name="teamId"
          label="Team"
          placeholder={teamOptions(directory, listed).length === 0 ? 'Every team is listed' : 'Choose a team'}
          value={newTeam}
          options={teamOptions(directory, listed)}
          {...problemProps}
          onChange={(value) => setNewTeam(String(value))}
        />
      ) : (
        <Input
          testId={`${id}-new-team`}
          name="teamId"
          label="Team id"
          description="The HubSpot team id (Settings › Users & Teams › Teams)."
          value={newTeam}
          {...problemProps}
          onChange={setNewTeam}
        />
      )}
      <Button testId={`${id}-add-team`} variant="secondary" onClick={add}>
        {buttonLabel}
      </Button>
    </Flex>
  );
}
