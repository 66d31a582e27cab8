/**
 * Activity targets: the default per-week target of each count metric, and per-team overrides (a team
 * with its own list uses it instead of the default). The scorecard of the coaching card and the
 * volume checks of the diagnosis read them. Overrides pick teams by name from the account's directory
 * (by typed id when it does not load).
 */
import { Button, Flex, Heading, NumberInput, Select, Text, Tile } from '@hubspot/ui-extensions';
import type { ActivityTarget, CountMetric, TargetsSetting } from '@pillars/contracts';
import type { Directory } from './api';
import { COUNT_METRICS, COUNT_METRIC_LABELS, labelOf } from './labels';
import { LookupProblem, readyData, teamName, useLookup } from './lookups';
import type { DraftProps } from './SettingForm';
import { SettingSection } from './SettingForm';
import type { Failure } from './state';
import { TeamAdder } from './TeamAdder';
import type { SectionEnv } from './ui';
import { dropKey, fieldProps } from './ui';

/** The contract's limit of targets per list. */
export const MAX_TARGETS = 20;

export function TargetsSection({ env }: { env: SectionEnv }) {
  const { state, reload } = useLookup(env, 'directory');
  const directory = readyData(state);
  return (
    <Flex direction="column" gap="md" testId="targets">
      <Text testId="targets-intro">
        Weekly activity targets per rep. The default applies to every team without its own targets; a team
        override replaces the whole default list for that team.
      </Text>
      <LookupProblem id="targets" what="teams" state={state} onRetry={reload} />
      <SettingSection
        env={env}
        name="targets"
        id="targets"
        label="activity targets"
        savedText="Scorecards use the new targets from their next view."
      >
        {(props) => <TargetsEditor {...props} directory={directory} />}
      </SettingSection>
    </Flex>
  );
}

function TargetsEditor({
  draft,
  setDraft,
  failure,
  directory,
}: DraftProps<TargetsSetting> & { directory: Directory | undefined }) {
  const teamIds = Object.keys(draft.teams);

  return (
    <Flex direction="column" gap="md">
      <Heading testId="targets-default-heading">Default targets per week</Heading>
      <TargetRows
        id="targets-default"
        path="value.default"
        targets={draft.default}
        failure={failure}
        onChange={(list) => setDraft((d) => ({ ...d, default: list }))}
      />
      <Heading testId="targets-teams-heading">Team overrides</Heading>
      {teamIds.length === 0 ? (
        <Text testId="targets-no-teams">No team overrides: every team uses the default targets.</Text>
      ) : null}
      {teamIds.map((teamId) => (
        <Tile compact key={teamId} testId={`targets-team-${teamId}`}>
          <Flex direction="column" gap="xs">
            <Flex direction="row" gap="sm" align="center" justify="between">
              <Text testId={`targets-team-${teamId}-name`} format={{ fontWeight: 'demibold' }}>
                {teamName(directory, teamId)}
              </Text>
              <Button
                testId={`targets-team-${teamId}-remove`}
                size="xs"
                variant="transparent"
                onClick={() => setDraft((d) => ({ ...d, teams: dropKey(d.teams, teamId) }))}
              >
                Remove override
              </Button>
            </Flex>
            <TargetRows
              id={`targets-team-${teamId}-rows`}
              path={`value.teams.${teamId}`}
              targets={draft.teams[teamId] ?? []}
              failure={failure}
              onChange={(list) => setDraft((d) => ({ ...d, teams: { ...d.teams, [teamId]: list } }))}
            />
          </Flex>
        </Tile>
      ))}
      <TeamAdder
        id="targets"
        directory={directory}
        listed={teamIds}
        buttonLabel="Add team override"
        duplicate={(teamId) => `Team ${teamId} already has targets.`}
        onAdd={(teamId) =>
          setDraft((d) => ({ ...d, teams: { ...d.teams, [teamId]: d.default.map((t) => ({ ...t })) } }))
        }
      />
    </Flex>
  );
}

function TargetRows({
  id,
  path,
  targets,
  failure,
  onChange,
}: {
  id: string;
  path: string;
  targets: ActivityTarget[];
  failure: Failure | undefined;
  onChange: (targets: ActivityTarget[]) => void;
}) {
  const unused = COUNT_METRICS.filter((m) => !targets.some((t) => t.metric === m));
  return (
    <Flex direction="column" gap="xs" testId={id}>
      {targets.length === 0 ? <Text testId={`${id}-empty`}>No targets.</Text> : null}
      {targets.map((target, i) => (
        <Flex key={i} direction="row" gap="sm" align="end" testId={`${id}-${i}`}>
          <Select
            testId={`${id}-${i}-metric`}
            name="metric"
            label="Metric"
            value={target.metric}
            options={COUNT_METRICS.map((value) => ({ value, label: labelOf(COUNT_METRIC_LABELS, value) }))}
            {...fieldProps(failure, `${path}.${i}.metric`)}
            onChange={(value) => {
              const metric = COUNT_METRICS.find((m) => m === value);
              if (metric) onChange(targets.map((t, j) => (j === i ? { ...t, metric } : t)));
            }}
          />
          <NumberInput
            testId={`${id}-${i}-per-week`}
            name="perWeek"
            label="Per week"
            min={0}
            value={target.perWeek}
            {...fieldProps(failure, `${path}.${i}.perWeek`)}
            onChange={(value) =>
              onChange(
                targets.map((t, j) =>
                  j === i
                    ? { ...t, perWeek: typeof value === 'number' && Number.isFinite(value) ? value : 0 }
                    : t,
                ),
              )
            }
          />
          <Button
            testId={`${id}-${i}-remove`}
            size="xs"
            variant="transparent"
            onClick={() => onChange(targets.filter((_, j) => j !== i))}
          >
            Remove
          </Button>
        </Flex>
      ))}
      <Flex direction="row">
        <Button
          testId={`${id}-add`}
          size="xs"
          variant="secondary"
          disabled={unused.length === 0 || targets.length >= MAX_TARGETS}
          onClick={() => {
            const metric: CountMetric | undefined = unused[0];
            if (metric) onChange([...targets, { metric, perWeek: 0 }]);
          }}
        >
          Add target
        </Button>
      </Flex>
    </Flex>
  );
}
