/**
 * Training rules: "assign a module tagged T when the rep's metric M is below (or above) the team
 * median in W of the last N weeks", the release rules switch (modules covering a product release go
 * to reps with open deals in its stages) and the monthly cap of automatic assignments per rep.
 */
import {
  Button,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  Text,
  Tile,
  Toggle,
} from '@hubspot/ui-extensions';
import type { RulesSetting, TRAINING_LIMITS, TrainingRule } from '@pillars/contracts';
import { RULE_METRICS, RULE_METRIC_LABELS, labelOf } from './labels';
import type { DraftProps } from './SettingForm';
import { SettingSection } from './SettingForm';
import type { SectionEnv } from './ui';
import { fieldProps } from './ui';

/** The contract's default cap (TRAINING_LIMITS.monthlyAutoCap); the annotation fails on drift. */
export const DEFAULT_MONTHLY_CAP: (typeof TRAINING_LIMITS)['monthlyAutoCap'] = 2;
export const MAX_RULES = 200;

const COMPARATORS: { value: TrainingRule['comparator']; label: string }[] = [
  { value: 'belowTeamMedian', label: 'below the team median' },
  { value: 'aboveTeamMedian', label: 'above the team median' },
];

const whole = (value: number | undefined, fallback: number): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : fallback;

export function RulesSection({ env }: { env: SectionEnv }) {
  return (
    <Flex direction="column" gap="md" testId="rules">
      <Text testId="rules-intro">
        Rules assign training automatically: when a rep&apos;s metric is on the wrong side of the team median
        in enough of the recent weeks, the rep gets a module carrying the rule&apos;s tag.
      </Text>
      <SettingSection
        env={env}
        name="training-rules"
        id="rules"
        label="training rules"
        savedText="The next training run uses these rules."
      >
        {(props) => <RulesEditor {...props} />}
      </SettingSection>
    </Flex>
  );
}

function RulesEditor({ draft, setDraft, failure }: DraftProps<RulesSetting>) {
  const update = (i: number, change: Partial<TrainingRule>) =>
    setDraft((d) => ({ ...d, rules: d.rules.map((r, j) => (j === i ? { ...r, ...change } : r)) }));
  return (
    <Flex direction="column" gap="md">
      <Heading testId="rules-heading">Rules</Heading>
      {draft.rules.length === 0 ? (
        <Text testId="rules-empty">No rules: nothing is assigned automatically.</Text>
      ) : null}
      {draft.rules.map((rule, i) => {
        const id = `rules-${i}`;
        const path = `value.rules.${i}`;
        return (
          <Tile compact key={i} testId={id}>
            <Flex direction="column" gap="xs">
              <Flex direction="row" gap="sm" wrap="wrap" align="end">
                <Select
                  testId={`${id}-metric`}
                  name="metric"
                  label="Metric"
                  value={rule.metric}
                  options={RULE_METRICS.map((value) => ({
                    value,
                    label: labelOf(RULE_METRIC_LABELS, value),
                  }))}
                  {...fieldProps(failure, `${path}.metric`)}
                  onChange={(value) => {
                    const metric = RULE_METRICS.find((m) => m === value);
                    if (metric) update(i, { metric });
                  }}
                />
                <Select
                  testId={`${id}-comparator`}
                  name="comparator"
                  label="Is"
                  value={rule.comparator}
                  options={COMPARATORS}
                  onChange={(value) =>
                    update(i, {
                      comparator: value === 'aboveTeamMedian' ? 'aboveTeamMedian' : 'belowTeamMedian',
                    })
                  }
                />
                <NumberInput
                  testId={`${id}-weeks`}
                  name="weeks"
                  label="In weeks"
                  min={1}
                  max={26}
                  precision={0}
                  value={rule.weeks}
                  {...fieldProps(failure, `${path}.weeks`)}
                  onChange={(value) => update(i, { weeks: whole(value, rule.weeks) })}
                />
                <NumberInput
                  testId={`${id}-out-of`}
                  name="outOf"
                  label="Out of the last (weeks)"
                  min={1}
                  max={26}
                  precision={0}
                  value={rule.outOf}
                  {...fieldProps(failure, `${path}.outOf`)}
                  onChange={(value) => update(i, { outOf: whole(value, rule.outOf) })}
                />
                <Input
                  testId={`${id}-tag`}
                  name="moduleTag"
                  label="Assign a module tagged"
                  value={rule.moduleTag}
                  {...fieldProps(failure, `${path}.moduleTag`)}
                  onChange={(moduleTag) => update(i, { moduleTag })}
                />
              </Flex>
              <Flex direction="row">
                <Button
                  testId={`${id}-remove`}
                  size="xs"
                  variant="transparent"
                  onClick={() => setDraft((d) => ({ ...d, rules: d.rules.filter((_, j) => j !== i) }))}
                >
                  Remove rule
                </Button>
              </Flex>
            </Flex>
          </Tile>
        );
      })}
      <Flex direction="row">
        <Button
          testId="rules-add"
          size="sm"
          variant="secondary"
          disabled={draft.rules.length >= MAX_RULES}
          onClick={() =>
            setDraft((d) => ({
              ...d,
              rules: [
                ...d.rules,
                { metric: 'connectRate', comparator: 'belowTeamMedian', weeks: 3, outOf: 4, moduleTag: '' },
              ],
            }))
          }
        >
          Add rule
        </Button>
      </Flex>
      <Heading testId="rules-options-heading">Release training and cap</Heading>
      <Toggle
        testId="rules-release"
        name="releaseRules"
        label="Release rules"
        labelDisplay="inline"
        checked={draft.releaseRules}
        textChecked="On"
        textUnchecked="Off"
        onChange={(releaseRules) => setDraft((d) => ({ ...d, releaseRules }))}
      />
      <Text variant="microcopy" testId="rules-release-help">
        On: a catalogue module that covers a product release goes to reps with open deals in the
        release&apos;s stages.
      </Text>
      <NumberInput
        testId="rules-cap"
        name="monthlyCap"
        label="Automatic assignments per rep per month, at most"
        description={`0 turns automatic assignments off. The default is ${DEFAULT_MONTHLY_CAP}.`}
        min={0}
        max={20}
        precision={0}
        value={draft.monthlyCap}
        {...fieldProps(failure, 'value.monthlyCap')}
        onChange={(value) => setDraft((d) => ({ ...d, monthlyCap: whole(value, d.monthlyCap) }))}
      />
    </Flex>
  );
}
