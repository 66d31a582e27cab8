/**
 * Playbooks: the stage playbook of one deal pipeline. Ops picks the pipeline by name (or types its
 * id when the pipelines do not load; "default" is HubSpot's sales pipeline), the page loads its
 * playbook (stored, or the default generated from the pipeline), and each stage, named by its label,
 * shows its goal, guidance, SLA days and a criteria editor (a condition on the deal stage picks stages). Save is a PUT with an idempotency key (a 400 names the field, shown
 * next to it and above the buttons); Reset to default is a DELETE after a confirmation.
 */
import { useCallback, useState } from 'react';
import {
  Accordion,
  Alert,
  Button,
  Divider,
  Flex,
  Heading,
  Input,
  LoadingSpinner,
  MultiSelect,
  NumberInput,
  Select,
  Tag,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import type {
  ActivityType,
  Criterion,
  CriterionKind,
  PLAYBOOK_LIMITS,
  Playbook,
  PropertyCondition,
  StagePlaybook,
} from '@pillars/contracts';
import type { Pipeline, PipelineStage, PlaybookAnswer } from './api';
import type { Option } from './lookups';
import { LookupProblem, readyData, useLookup, withUnknown } from './lookups';
import type { Failure } from './state';
import { toFailure, useIntent, useLoad } from './state';
import type { Outcome, SectionEnv } from './ui';
import { ListInput, Loaded, OutcomeView, SendButton, fieldProps, omitKey } from './ui';

/** HubSpot's default sales pipeline: every account has it. */
export const DEFAULT_PIPELINE_ID = 'default';
const PIPELINE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The backend's limit (PLAYBOOK_LIMITS.criteriaPerStage); the annotation fails the typecheck on drift. */
export const MAX_CRITERIA: (typeof PLAYBOOK_LIMITS)['criteriaPerStage'] = 20;
export const MAX_CONDITIONS: (typeof PLAYBOOK_LIMITS)['conditionsPerCriterion'] = 10;

export const KIND_LABELS: Record<CriterionKind, string> = {
  property: 'Deal property',
  activity: 'Activity logged',
  association: 'Contacts on the deal',
  time: 'Time in stage',
};
const KINDS = Object.keys(KIND_LABELS) as CriterionKind[];

export const ACTIVITY_LABELS: Record<ActivityType, string> = {
  calls: 'Calls',
  emails: 'Emails',
  meetings: 'Meetings',
  notes: 'Notes',
  tasks: 'Tasks',
};

type Op = PropertyCondition['op'];
export const OP_LABELS: Record<Op, string> = {
  gt: 'is greater than',
  gte: 'is at least',
  lt: 'is less than',
  lte: 'is at most',
  eq: 'equals',
  neq: 'does not equal',
  contains: 'contains',
  in: 'is one of',
  notIn: 'is none of',
  set: 'is set',
  notSet: 'is not set',
  inFuture: 'is a future date',
  inPast: 'is a past date',
};
const OPS = Object.keys(OP_LABELS) as Op[];

/** The condition after its operator changed: the value kept when it still fits. */
export function withOp(condition: PropertyCondition, op: Op): PropertyCondition {
  const { property } = condition;
  const value = 'value' in condition ? condition.value : undefined;
  switch (op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { property, op, value: typeof value === 'number' ? value : 0 };
    case 'eq':
    case 'neq':
    case 'contains':
      return { property, op, value: typeof value === 'string' ? value : '' };
    case 'in':
    case 'notIn':
      return { property, op, values: 'values' in condition ? condition.values : [] };
    default:
      return { property, op };
  }
}

/** The criterion after its kind changed: id, label, level and hint kept, the rest defaulted. */
export function withKind(criterion: Criterion, kind: CriterionKind): Criterion {
  if (criterion.kind === kind) return criterion;
  const base = { id: criterion.id, label: criterion.label, level: criterion.level, hint: criterion.hint };
  switch (kind) {
    case 'property':
      return { ...base, kind, condition: { property: 'amount', op: 'set' } };
    case 'activity':
      return { ...base, kind, type: 'meetings', minCount: 1, days: 30 };
    case 'association':
      return { ...base, kind, minCount: 1 };
    case 'time':
      return { ...base, kind, days: 14 };
  }
}

/** A criterion id not used anywhere in the playbook (ids are unique across stages). */
export function newCriterionId(playbook: Playbook, stageId: string): string {
  const used = new Set(Object.values(playbook.stages).flatMap((s) => s.criteria.map((c) => c.id)));
  const stem = stageId.slice(0, 40);
  for (let n = 1; ; n += 1) {
    const id = `${stem}-criterion-${n}`;
    if (!used.has(id)) return id;
  }
}

export function newCriterion(playbook: Playbook, stageId: string): Criterion {
  return {
    id: newCriterionId(playbook, stageId),
    label: 'New criterion',
    level: 'required',
    hint: 'What the rep should do.',
    kind: 'activity',
    type: 'meetings',
    minCount: 1,
    days: 30,
  };
}

export function PlaybooksSection({ env }: { env: SectionEnv }) {
  const [input, setInput] = useState(DEFAULT_PIPELINE_ID);
  const [pipelineId, setPipelineId] = useState(DEFAULT_PIPELINE_ID);
  const [inputProblem, setInputProblem] = useState<string | undefined>(undefined);
  const { api, origin } = env;
  const load = useCallback(() => api.getPlaybook(origin, pipelineId), [api, origin, pipelineId]);
  const { state, reload, set } = useLoad(load, [load]);
  const pipelines = useLookup(env, 'pipelines');
  const list = readyData(pipelines.state);

  const choose = () => {
    const id = input.trim();
    if (!PIPELINE_ID.test(id)) {
      setInputProblem('A pipeline id is 1 to 64 letters, digits, "-" or "_".');
      return;
    }
    setInputProblem(undefined);
    if (id === pipelineId) reload();
    else setPipelineId(id);
  };

  return (
    <Flex direction="column" gap="md" testId="playbooks">
      <Text testId="playbooks-intro">
        The playbook tells reps what each stage of a deal pipeline is for and what must be true before the
        deal moves on. The deal card checks the criteria against each deal.
      </Text>
      <LookupProblem
        id="playbooks"
        what="deal pipelines"
        state={pipelines.state}
        onRetry={pipelines.reload}
      />
      {pipelines.state.status === 'loading' ? (
        <LoadingSpinner testId="playbooks-pipelines-loading" label="Loading pipelines" showLabel size="xs" />
      ) : list ? (
        <Select
          testId="playbooks-pipeline-select"
          name="pipelineId"
          label="Deal pipeline"
          value={pipelineId}
          options={withUnknown(
            list.map((p) => ({ value: p.id, label: p.label })),
            [pipelineId],
            (id) => `Pipeline ${id} (not found)`,
          )}
          onChange={(value) => setPipelineId(String(value))}
        />
      ) : (
        <Flex direction="row" gap="sm" align="end" testId="playbooks-picker">
          <Input
            testId="playbooks-pipeline"
            name="pipelineId"
            label="Deal pipeline id"
            description='"default" is the sales pipeline every HubSpot account has. Find other ids in Settings › Objects › Deals › Pipelines.'
            value={input}
            error={inputProblem !== undefined}
            {...(inputProblem !== undefined ? { validationMessage: inputProblem } : {})}
            onChange={setInput}
          />
          <Button testId="playbooks-load" variant="secondary" onClick={choose}>
            Load playbook
          </Button>
        </Flex>
      )}
      <Loaded id="playbooks" label="playbook" state={state} env={env} onRetry={reload}>
        {(answer) => (
          <PlaybookEditor
            key={`${answer.playbook.pipelineId}`}
            env={env}
            answer={answer}
            pipeline={list?.find((p) => p.id === answer.playbook.pipelineId)}
            onAnswer={set}
          />
        )}
      </Loaded>
    </Flex>
  );
}

/** A stage's label from the pipeline, or its id when the pipelines did not load. */
function stageLabel(pipeline: Pipeline | undefined, stageId: string): string | undefined {
  return pipeline?.stages.find((s) => s.id === stageId)?.label;
}

function PlaybookEditor({
  env,
  answer,
  pipeline,
  onAnswer,
}: {
  env: SectionEnv;
  answer: PlaybookAnswer;
  /** The pipeline's name and stages, when the pipelines loaded. */
  pipeline: Pipeline | undefined;
  onAnswer: (answer: PlaybookAnswer) => void;
}) {
  const [draft, setDraft] = useState<Playbook>(answer.playbook);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [confirmReset, setConfirmReset] = useState(false);
  const [resetting, setResetting] = useState(false);
  const intent = useIntent(env.newKey);
  const pipelineId = answer.playbook.pipelineId;
  const failure = outcome?.kind === 'failed' ? outcome.failure : undefined;
  const stageIds = Object.keys(draft.stages);
  const name = pipeline ? pipeline.label : `pipeline ${pipelineId}`;
  const Name = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const busy = intent.sending || resetting;

  const updateStage = (stageId: string, change: (stage: StagePlaybook) => StagePlaybook) =>
    setDraft((p) => {
      const stage = p.stages[stageId];
      return stage ? { ...p, stages: { ...p.stages, [stageId]: change(stage) } } : p;
    });

  const save = () => {
    if (busy) return;
    setOutcome(undefined);
    intent.run(
      JSON.stringify(draft),
      (key) => env.api.putPlaybook(env.origin, pipelineId, draft, key),
      (saved) => {
        setDraft(saved.playbook);
        onAnswer(saved);
        setOutcome({
          kind: 'saved',
          title: 'Playbook saved',
          text: `Deal cards in ${name} use it from their next view.`,
          warnings: [],
        });
      },
      (f) => setOutcome({ kind: 'failed', title: "The playbook wasn't saved", failure: f }),
    );
  };

  const reset = () => {
    if (busy) return;
    setResetting(true);
    setOutcome(undefined);
    env.api
      .resetPlaybook(env.origin, pipelineId)
      .then(
        (fresh) => {
          setConfirmReset(false);
          setDraft(fresh.playbook);
          onAnswer(fresh);
          setOutcome({
            kind: 'saved',
            title: 'Playbook reset',
            text: `${Name} is back on the default playbook.`,
            warnings: [],
          });
        },
        (error: unknown) => {
          setConfirmReset(false);
          setOutcome({ kind: 'failed', title: "The playbook wasn't reset", failure: toFailure(error) });
        },
      )
      .finally(() => setResetting(false));
  };

  return (
    <Flex direction="column" gap="sm" testId="playbook-editor">
      <Flex direction="row" gap="sm" align="center" testId="playbook-header">
        <Heading testId="playbook-heading">{Name}</Heading>
        <Tag testId="playbook-source" variant={answer.source === 'stored' ? 'success' : 'default'}>
          {answer.source === 'stored' ? 'Saved playbook' : 'Default playbook (not saved yet)'}
        </Tag>
      </Flex>
      <Text variant="microcopy" testId="playbook-stages">
        {stageIds.length === 0
          ? 'This pipeline has no stages.'
          : `${stageIds.length} stage(s), in pipeline order: ${stageIds.map((id) => stageLabel(pipeline, id) ?? id).join(', ')}`}
      </Text>
      {stageIds.map((stageId) => {
        const stage = draft.stages[stageId];
        return stage ? (
          <StageEditor
            key={stageId}
            stageId={stageId}
            label={stageLabel(pipeline, stageId)}
            dealStages={pipeline?.stages}
            stage={stage}
            failure={failure}
            onChange={(change) => updateStage(stageId, change)}
            onAddCriterion={() =>
              updateStage(stageId, (s) => ({ ...s, criteria: [...s.criteria, newCriterion(draft, stageId)] }))
            }
          />
        ) : null;
      })}
      <OutcomeView id="playbook" outcome={outcome} />
      {confirmReset ? (
        <Alert testId="playbook-reset-confirm" title="Reset to the default playbook?" variant="warning">
          <Flex direction="column" gap="sm">
            <Text testId="playbook-reset-confirm-text">
              {`The saved playbook of ${name} is deleted and the default one, generated from the pipeline's stages, takes its place. Waivers of criteria the default does not have stop showing.`}
            </Text>
            <Flex direction="row" gap="sm">
              <SendButton
                id="playbook-reset-yes"
                variant="destructive"
                sending={resetting}
                label="Reset to default"
                onClick={reset}
              />
              <Button
                testId="playbook-reset-cancel"
                variant="secondary"
                disabled={resetting}
                onClick={() => setConfirmReset(false)}
              >
                Cancel
              </Button>
            </Flex>
          </Flex>
        </Alert>
      ) : null}
      <Flex direction="row" gap="sm" testId="playbook-buttons">
        <SendButton
          id="playbook-save"
          sending={intent.sending}
          label="Save playbook"
          retry={failure !== undefined && failure.kind !== 'invalid-input'}
          onClick={save}
        />
        <Button
          testId="playbook-reset"
          variant="secondary"
          disabled={busy || answer.source !== 'stored'}
          onClick={() => setConfirmReset(true)}
        >
          Reset to default
        </Button>
      </Flex>
    </Flex>
  );
}

function StageEditor({
  stageId,
  label,
  dealStages,
  stage,
  failure,
  onChange,
  onAddCriterion,
}: {
  stageId: string;
  /** The stage's label, when the pipelines loaded. */
  label: string | undefined;
  dealStages: PipelineStage[] | undefined;
  stage: StagePlaybook;
  failure: Failure | undefined;
  onChange: (change: (stage: StagePlaybook) => StagePlaybook) => void;
  onAddCriterion: () => void;
}) {
  const path = `playbook.stages.${stageId}`;
  const id = `stage-${stageId}`;
  const hasError = failure?.field?.startsWith(`${path}.`) === true;
  const updateCriterion = (index: number, next: Criterion) =>
    onChange((s) => ({ ...s, criteria: s.criteria.map((c, i) => (i === index ? next : c)) }));
  const removeCriterion = (index: number) =>
    onChange((s) => ({ ...s, criteria: s.criteria.filter((_, i) => i !== index) }));
  return (
    <Accordion
      testId={id}
      title={`${label ?? `Stage ${stageId}`} · ${stage.criteria.length} criteria`}
      defaultOpen={hasError}
      {...(hasError ? { open: true } : {})}
    >
      <Flex direction="column" gap="sm">
        <Input
          testId={`${id}-goal`}
          name="goal"
          label="Goal"
          description="What this stage is for, in one sentence (up to 200 characters)."
          required
          value={stage.goal}
          {...fieldProps(failure, `${path}.goal`)}
          onChange={(goal) => onChange((s) => ({ ...s, goal }))}
        />
        <TextArea
          testId={`${id}-guidance`}
          name="guidance"
          label="Guidance"
          description="How to work the stage (up to 1000 characters)."
          rows={3}
          value={stage.guidance}
          {...fieldProps(failure, `${path}.guidance`)}
          onChange={(guidance) => onChange((s) => ({ ...s, guidance }))}
        />
        <NumberInput
          testId={`${id}-sla`}
          name="slaDays"
          label="SLA days (optional)"
          description="Expected days in the stage when the history of won deals is too thin. Leave empty to learn it from history."
          min={1}
          max={365}
          precision={0}
          {...(stage.slaDays !== undefined ? { value: stage.slaDays } : {})}
          {...fieldProps(failure, `${path}.slaDays`)}
          onChange={(value) =>
            onChange((s) => {
              const rest = omitKey(s, 'slaDays');
              return typeof value === 'number' && Number.isFinite(value) ? { ...rest, slaDays: value } : rest;
            })
          }
        />
        <Divider />
        <Heading testId={`${id}-criteria-heading`}>Criteria</Heading>
        {stage.criteria.length === 0 ? (
          <Text testId={`${id}-no-criteria`}>No criteria: deals may leave this stage at any time.</Text>
        ) : null}
        {stage.criteria.map((criterion, index) => (
          <CriterionEditor
            key={index}
            id={`${id}-criterion-${index}`}
            path={`${path}.criteria.${index}`}
            criterion={criterion}
            dealStages={dealStages}
            failure={failure}
            onChange={(next) => updateCriterion(index, next)}
            onRemove={() => removeCriterion(index)}
          />
        ))}
        <Flex direction="row">
          <Button
            testId={`${id}-add-criterion`}
            size="sm"
            variant="secondary"
            disabled={stage.criteria.length >= MAX_CRITERIA}
            onClick={onAddCriterion}
          >
            Add criterion
          </Button>
        </Flex>
        {stage.resources.length > 0 || stage.trainingModuleIds.length > 0 ? (
          <Text variant="microcopy" testId={`${id}-kept`}>
            {`Kept as they are: ${stage.resources.length} resource link(s) and ${stage.trainingModuleIds.length} training module(s).`}
          </Text>
        ) : null}
      </Flex>
    </Accordion>
  );
}

const unknownStage = (id: string) => `Stage ${id} (not in this pipeline)`;

function numberOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function CriterionEditor({
  id,
  path,
  criterion,
  dealStages,
  failure,
  onChange,
  onRemove,
}: {
  id: string;
  path: string;
  criterion: Criterion;
  dealStages: PipelineStage[] | undefined;
  failure: Failure | undefined;
  onChange: (next: Criterion) => void;
  onRemove: () => void;
}) {
  return (
    <Tile compact testId={id}>
      <Flex direction="column" gap="xs">
        <Flex direction="row" gap="sm" wrap="wrap">
          <Select
            testId={`${id}-kind`}
            name="kind"
            label="Kind"
            value={criterion.kind}
            options={KINDS.map((value) => ({ value, label: KIND_LABELS[value] }))}
            onChange={(value) => {
              const kind = KINDS.find((k) => k === value);
              if (kind) onChange(withKind(criterion, kind));
            }}
          />
          <Select
            testId={`${id}-level`}
            name="level"
            label="Level"
            value={criterion.level}
            options={[
              { value: 'required', label: 'Required (gates the next stage)' },
              { value: 'recommended', label: 'Recommended (shown only)' },
            ]}
            onChange={(value) =>
              onChange({ ...criterion, level: value === 'recommended' ? 'recommended' : 'required' })
            }
          />
          <Input
            testId={`${id}-id`}
            name="id"
            label="Id"
            description="Waivers name it: keep it once reps use it."
            value={criterion.id}
            {...fieldProps(failure, `${path}.id`)}
            onChange={(value) => onChange({ ...criterion, id: value })}
          />
        </Flex>
        <Input
          testId={`${id}-label`}
          name="label"
          label="Label"
          required
          value={criterion.label}
          {...fieldProps(failure, `${path}.label`)}
          onChange={(label) => onChange({ ...criterion, label })}
        />
        <KindFields
          id={id}
          path={path}
          criterion={criterion}
          dealStages={dealStages}
          failure={failure}
          onChange={onChange}
        />
        <TextArea
          testId={`${id}-hint`}
          name="hint"
          label="Hint"
          description="What the rep should do when it is unmet (up to 300 characters)."
          rows={2}
          value={criterion.hint}
          {...fieldProps(failure, `${path}.hint`)}
          onChange={(hint) => onChange({ ...criterion, hint })}
        />
        <Flex direction="row">
          <Button testId={`${id}-remove`} size="xs" variant="transparent" onClick={onRemove}>
            Remove criterion
          </Button>
        </Flex>
      </Flex>
    </Tile>
  );
}

function KindFields({
  id,
  path,
  criterion,
  dealStages,
  failure,
  onChange,
}: {
  id: string;
  path: string;
  criterion: Criterion;
  dealStages: PipelineStage[] | undefined;
  failure: Failure | undefined;
  onChange: (next: Criterion) => void;
}) {
  switch (criterion.kind) {
    case 'property':
      return (
        <ConditionEditor
          id={`${id}-condition`}
          path={`${path}.condition`}
          condition={criterion.condition}
          dealStages={dealStages}
          failure={failure}
          onChange={(condition) => onChange({ ...criterion, condition })}
        />
      );
    case 'activity':
      return (
        <Flex direction="column" gap="xs">
          <Flex direction="row" gap="sm" wrap="wrap">
            <Select
              testId={`${id}-type`}
              name="type"
              label="Activity"
              value={criterion.type}
              options={(Object.keys(ACTIVITY_LABELS) as ActivityType[]).map((value) => ({
                value,
                label: ACTIVITY_LABELS[value],
              }))}
              onChange={(value) => {
                const type = (Object.keys(ACTIVITY_LABELS) as ActivityType[]).find((t) => t === value);
                if (type) onChange({ ...criterion, type });
              }}
            />
            <NumberInput
              testId={`${id}-min-count`}
              name="minCount"
              label="At least"
              min={1}
              max={100}
              precision={0}
              value={criterion.minCount}
              {...fieldProps(failure, `${path}.minCount`)}
              onChange={(value) => onChange({ ...criterion, minCount: numberOr(value, criterion.minCount) })}
            />
            <NumberInput
              testId={`${id}-days`}
              name="days"
              label="In the last (days)"
              min={1}
              max={365}
              precision={0}
              value={criterion.days}
              {...fieldProps(failure, `${path}.days`)}
              onChange={(value) => onChange({ ...criterion, days: numberOr(value, criterion.days) })}
            />
            <NumberInput
              testId={`${id}-contacts`}
              name="minDistinctContacts"
              label="With distinct contacts (optional)"
              min={1}
              max={20}
              precision={0}
              {...(criterion.minDistinctContacts !== undefined
                ? { value: criterion.minDistinctContacts }
                : {})}
              {...fieldProps(failure, `${path}.minDistinctContacts`)}
              onChange={(value) => {
                const rest = omitKey(criterion, 'minDistinctContacts');
                onChange(
                  typeof value === 'number' && Number.isFinite(value)
                    ? { ...rest, minDistinctContacts: value }
                    : rest,
                );
              }}
            />
          </Flex>
          <WhereEditor
            id={`${id}-where`}
            path={`${path}.where`}
            what="engagement"
            where={criterion.where}
            failure={failure}
            onChange={(where) => {
              const rest = omitKey(criterion, 'where');
              onChange(where.length > 0 ? { ...rest, where } : rest);
            }}
          />
        </Flex>
      );
    case 'association':
      return (
        <Flex direction="column" gap="xs">
          <NumberInput
            testId={`${id}-min-count`}
            name="minCount"
            label="At least this many contacts"
            min={1}
            max={50}
            precision={0}
            value={criterion.minCount}
            {...fieldProps(failure, `${path}.minCount`)}
            onChange={(value) => onChange({ ...criterion, minCount: numberOr(value, criterion.minCount) })}
          />
          <WhereEditor
            id={`${id}-where`}
            path={`${path}.where`}
            what="contact"
            where={criterion.where}
            failure={failure}
            onChange={(where) => {
              const rest = omitKey(criterion, 'where');
              onChange(where.length > 0 ? { ...rest, where } : rest);
            }}
          />
        </Flex>
      );
    case 'time':
      return (
        <NumberInput
          testId={`${id}-days`}
          name="days"
          label="At most this many days in the stage"
          min={1}
          max={365}
          precision={0}
          value={criterion.days}
          {...fieldProps(failure, `${path}.days`)}
          onChange={(value) => onChange({ ...criterion, days: numberOr(value, criterion.days) })}
        />
      );
    default:
      return (
        <Text testId={`${id}-unknown`}>
          This kind of criterion is kept as it is; this page cannot edit it yet.
        </Text>
      );
  }
}

function WhereEditor({
  id,
  path,
  what,
  where,
  failure,
  onChange,
}: {
  id: string;
  path: string;
  what: 'engagement' | 'contact';
  where: PropertyCondition[] | undefined;
  failure: Failure | undefined;
  onChange: (where: PropertyCondition[]) => void;
}) {
  const list = where ?? [];
  return (
    <Flex direction="column" gap="xs" testId={id}>
      <Text variant="microcopy">
        {list.length === 0
          ? `Every ${what} counts. Add a condition to count only some.`
          : `Only ${what}s matching every condition count:`}
      </Text>
      {list.map((condition, i) => (
        <Flex key={i} direction="row" gap="sm" align="end">
          <ConditionEditor
            id={`${id}-${i}`}
            path={`${path}.${i}`}
            condition={condition}
            failure={failure}
            onChange={(next) => onChange(list.map((c, j) => (j === i ? next : c)))}
          />
          <Button
            testId={`${id}-${i}-remove`}
            size="xs"
            variant="transparent"
            onClick={() => onChange(list.filter((_, j) => j !== i))}
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
          disabled={list.length >= MAX_CONDITIONS}
          onClick={() => onChange([...list, { property: '', op: 'set' }])}
        >
          Add condition
        </Button>
      </Flex>
    </Flex>
  );
}

/** The deal property holding the stage id. */
export const DEAL_STAGE_PROPERTY = 'dealstage';

function ConditionEditor({
  id,
  path,
  condition,
  dealStages,
  failure,
  onChange,
}: {
  id: string;
  path: string;
  condition: PropertyCondition;
  /** The pipeline's stages: a condition on the deal's stage picks them (deal conditions only). */
  dealStages?: PipelineStage[] | undefined;
  failure: Failure | undefined;
  onChange: (next: PropertyCondition) => void;
}) {
  const stageChoices =
    dealStages && condition.property === DEAL_STAGE_PROPERTY
      ? dealStages.map((s) => ({ value: s.id, label: s.label }))
      : undefined;
  return (
    <Flex direction="row" gap="sm" wrap="wrap" testId={id}>
      <Input
        testId={`${id}-property`}
        name="property"
        label="Property (internal name)"
        value={condition.property}
        {...fieldProps(failure, `${path}.property`)}
        onChange={(property) => onChange({ ...condition, property })}
      />
      <Select
        testId={`${id}-op`}
        name="op"
        label="Condition"
        value={condition.op}
        options={OPS.map((value) => ({ value, label: OP_LABELS[value] }))}
        onChange={(value) => {
          const op = OPS.find((o) => o === value);
          if (op) onChange(withOp(condition, op));
        }}
      />
      <ConditionValue
        id={id}
        path={path}
        condition={condition}
        stageChoices={stageChoices}
        failure={failure}
        onChange={onChange}
      />
    </Flex>
  );
}

function ConditionValue({
  id,
  path,
  condition,
  stageChoices,
  failure,
  onChange,
}: {
  id: string;
  path: string;
  condition: PropertyCondition;
  /** Set when the condition is on the deal's stage and the stages are known. */
  stageChoices: Option[] | undefined;
  failure: Failure | undefined;
  onChange: (next: PropertyCondition) => void;
}) {
  switch (condition.op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return (
        <NumberInput
          testId={`${id}-value`}
          name="value"
          label="Value"
          value={condition.value}
          {...fieldProps(failure, `${path}.value`)}
          onChange={(value) => onChange({ ...condition, value: numberOr(value, condition.value) })}
        />
      );
    case 'eq':
    case 'neq':
    case 'contains':
      if (stageChoices && condition.op !== 'contains') {
        return (
          <Select
            testId={`${id}-stage`}
            name="value"
            label="Stage"
            value={condition.value}
            options={withUnknown(stageChoices, condition.value ? [condition.value] : [], unknownStage)}
            {...fieldProps(failure, `${path}.value`)}
            onChange={(value) => onChange({ ...condition, value: String(value) })}
          />
        );
      }
      return (
        <Input
          testId={`${id}-value`}
          name="value"
          label="Value"
          value={condition.value}
          {...fieldProps(failure, `${path}.value`)}
          onChange={(value) => onChange({ ...condition, value })}
        />
      );
    case 'in':
    case 'notIn':
      if (stageChoices) {
        return (
          <MultiSelect
            testId={`${id}-stages`}
            name="values"
            label="Stages"
            value={condition.values}
            options={withUnknown(stageChoices, condition.values, unknownStage)}
            {...fieldProps(failure, `${path}.values`)}
            onChange={(values) => onChange({ ...condition, values: values.map(String) })}
          />
        );
      }
      return (
        <ListInput
          id={`${id}-values`}
          name="values"
          label="Values (comma-separated internal values)"
          values={condition.values}
          keepSpaces
          error={fieldProps(failure, `${path}.values`)}
          onChange={(values) => onChange({ ...condition, values })}
        />
      );
    default:
      return null;
  }
}
