/**
 * Training catalogue: the modules coaches and rules assign. Each module has a title, an https link,
 * skill tags (rules pick modules by tag), a format, minutes, a version (bump it when the content
 * changes) and optionally the product release it covers (its name and the deal stage ids whose open
 * deals call for it, picked from the account's pipelines when they load). Retire a module to stop assigning it while keeping it on open assignments;
 * removing it is allowed but its open assignments lose their title and link (the server warns).
 */
import { useState } from 'react';
import {
  Accordion,
  Button,
  Flex,
  Input,
  MultiSelect,
  NumberInput,
  Select,
  StatusTag,
  Text,
  Toggle,
} from '@hubspot/ui-extensions';
import type { CatalogueSetting, TRAINING_LIMITS, TrainingModule } from '@pillars/contracts';
import { FORMATS, FORMAT_LABELS, labelOf } from './labels';
import type { Option } from './lookups';
import { LookupProblem, readyData, stageOptions, useLookup, withUnknown } from './lookups';
import type { DraftProps } from './SettingForm';
import { SettingSection } from './SettingForm';
import type { Failure } from './state';
import type { SectionEnv } from './ui';
import { ListInput, fieldProps, omitKey } from './ui';

/** The contract's limit (TRAINING_LIMITS.modules); the annotation fails the typecheck on drift. */
export const MAX_MODULES: (typeof TRAINING_LIMITS)['modules'] = 500;

/** A module id not used in the catalogue. */
export function newModuleId(modules: readonly TrainingModule[]): string {
  const used = new Set(modules.map((m) => m.id));
  for (let n = modules.length + 1; ; n += 1) {
    const id = `module-${n}`;
    if (!used.has(id)) return id;
  }
}

export function newModule(modules: readonly TrainingModule[]): TrainingModule {
  return {
    id: newModuleId(modules),
    title: '',
    url: 'https://',
    skillTags: [],
    format: 'video',
    minutes: 10,
    version: '1',
  };
}

export function CatalogueSection({ env }: { env: SectionEnv }) {
  const { state, reload } = useLookup(env, 'pipelines');
  const pipelines = readyData(state);
  const stages = pipelines ? stageOptions(pipelines) : undefined;
  return (
    <Flex direction="column" gap="md" testId="catalogue">
      <Text testId="catalogue-intro">
        The training modules coaches assign from the coaching card and rules assign automatically. Retire a
        module to stop assigning it: open assignments keep its title and link.
      </Text>
      <LookupProblem id="catalogue" what="deal pipelines" state={state} onRetry={reload} />
      <SettingSection
        env={env}
        name="training-catalogue"
        id="catalogue"
        label="training catalogue"
        savedText="Coaches and rules assign from the new catalogue now."
      >
        {(props) => <CatalogueEditor {...props} stages={stages} />}
      </SettingSection>
    </Flex>
  );
}

function CatalogueEditor({
  draft,
  setDraft,
  failure,
  version,
  stages,
}: DraftProps<CatalogueSetting> & { stages: Option[] | undefined }) {
  // Modules added since the last save: only their id can still be edited.
  const [added, setAdded] = useState<{ version: number; ids: string[] }>({ version, ids: [] });
  const addedIds = added.version === version ? added.ids : [];
  const update = (i: number, next: TrainingModule) =>
    setDraft((d) => ({ ...d, modules: d.modules.map((m, j) => (j === i ? next : m)) }));
  return (
    <Flex direction="column" gap="sm">
      {draft.modules.length === 0 ? (
        <Text testId="catalogue-empty">The catalogue is empty. Add the first module.</Text>
      ) : null}
      {draft.modules.map((module, i) => (
        <ModuleEditor
          key={i}
          id={`catalogue-${i}`}
          path={`value.modules.${i}`}
          module={module}
          isNew={addedIds.includes(module.id)}
          stages={stages}
          failure={failure}
          onChange={(next) => {
            if (next.id !== module.id && addedIds.includes(module.id)) {
              setAdded({ version, ids: addedIds.map((a) => (a === module.id ? next.id : a)) });
            }
            update(i, next);
          }}
          onRemove={() => setDraft((d) => ({ ...d, modules: d.modules.filter((_, j) => j !== i) }))}
        />
      ))}
      <Flex direction="row">
        <Button
          testId="catalogue-add"
          size="sm"
          variant="secondary"
          disabled={draft.modules.length >= MAX_MODULES}
          onClick={() => {
            const module = newModule(draft.modules);
            setAdded({ version, ids: [...addedIds, module.id] });
            setDraft((d) => ({ ...d, modules: [...d.modules, module] }));
          }}
        >
          Add module
        </Button>
      </Flex>
    </Flex>
  );
}

function ModuleEditor({
  id,
  path,
  module,
  isNew,
  stages,
  failure,
  onChange,
  onRemove,
}: {
  id: string;
  path: string;
  module: TrainingModule;
  isNew: boolean;
  /** Every deal stage, when the pipelines loaded. */
  stages: Option[] | undefined;
  failure: Failure | undefined;
  onChange: (next: TrainingModule) => void;
  onRemove: () => void;
}) {
  const hasError = failure?.field?.startsWith(`${path}.`) === true || failure?.field === path;
  const open = isNew || hasError;
  const release = module.release;
  return (
    <Accordion
      testId={id}
      title={`${module.title || 'New module'}${module.retired ? ' (retired)' : ''} · ${module.id}`}
      defaultOpen={open}
      {...(open ? { open: true } : {})}
    >
      <Flex direction="column" gap="xs">
        {module.retired ? (
          <Flex direction="row">
            <StatusTag testId={`${id}-retired-tag`} variant="default">
              Retired: never assigned again
            </StatusTag>
          </Flex>
        ) : null}
        <Input
          testId={`${id}-id`}
          name="id"
          label="Id"
          description={
            isNew
              ? 'Assignments refer to it: it cannot change once saved.'
              : 'Fixed: assignments refer to it.'
          }
          readOnly={!isNew}
          value={module.id}
          {...fieldProps(failure, `${path}.id`)}
          onChange={(value) => onChange({ ...module, id: value })}
        />
        <Input
          testId={`${id}-title`}
          name="title"
          label="Title"
          required
          value={module.title}
          {...fieldProps(failure, `${path}.title`)}
          onChange={(title) => onChange({ ...module, title })}
        />
        <Input
          testId={`${id}-url`}
          name="url"
          label="Link (https)"
          required
          value={module.url}
          {...fieldProps(failure, `${path}.url`)}
          onChange={(url) => onChange({ ...module, url })}
        />
        <ListInput
          id={`${id}-tags`}
          name="skillTags"
          label="Skill tags"
          description="1 to 10 lower-case words joined by dashes, e.g. discovery, booking, cold-calls. Rules pick modules by tag."
          values={module.skillTags}
          error={fieldProps(failure, `${path}.skillTags`)}
          onChange={(skillTags) => onChange({ ...module, skillTags })}
        />
        <Flex direction="row" gap="sm" wrap="wrap">
          <Select
            testId={`${id}-format`}
            name="format"
            label="Format"
            value={module.format}
            options={FORMATS.map((value) => ({ value, label: labelOf(FORMAT_LABELS, value) }))}
            onChange={(value) => {
              const format = FORMATS.find((f) => f === value);
              if (format) onChange({ ...module, format });
            }}
          />
          <NumberInput
            testId={`${id}-minutes`}
            name="minutes"
            label="Minutes"
            min={1}
            max={10000}
            precision={0}
            value={module.minutes}
            {...fieldProps(failure, `${path}.minutes`)}
            onChange={(value) =>
              onChange({
                ...module,
                minutes: typeof value === 'number' && Number.isFinite(value) ? value : module.minutes,
              })
            }
          />
          <Input
            testId={`${id}-version`}
            name="version"
            label="Version"
            description="Bump it when the content changes."
            value={module.version}
            {...fieldProps(failure, `${path}.version`)}
            onChange={(value) => onChange({ ...module, version: value })}
          />
        </Flex>
        <Toggle
          testId={`${id}-release-toggle`}
          name="release"
          label="Covers a product release"
          labelDisplay="inline"
          checked={release !== undefined}
          onChange={(on) => {
            const rest = omitKey(module, 'release');
            onChange(on ? { ...rest, release: release ?? { name: '', stageIds: [] } } : rest);
          }}
        />
        {release ? (
          <Flex direction="column" gap="xs">
            <Input
              testId={`${id}-release-name`}
              name="releaseName"
              label="Release name"
              value={release.name}
              {...fieldProps(failure, `${path}.release.name`)}
              onChange={(name) => onChange({ ...module, release: { ...release, name } })}
            />
            {stages ? (
              <MultiSelect
                testId={`${id}-release-stage-picker`}
                name="releaseStageIds"
                label="Deal stages"
                description="Reps with open deals in these stages get the module, when release rules are on."
                value={release.stageIds}
                options={withUnknown(stages, release.stageIds, (s) => `Stage ${s} (not in any pipeline)`)}
                {...fieldProps(failure, `${path}.release.stageIds`)}
                onChange={(values) =>
                  onChange({ ...module, release: { ...release, stageIds: values.map(String) } })
                }
              />
            ) : (
              <ListInput
                id={`${id}-release-stages`}
                name="releaseStageIds"
                label="Deal stage ids"
                description="Reps with open deals in these stages (any pipeline) get the module, when release rules are on."
                values={release.stageIds}
                error={fieldProps(failure, `${path}.release.stageIds`)}
                onChange={(stageIds) => onChange({ ...module, release: { ...release, stageIds } })}
              />
            )}
          </Flex>
        ) : null}
        <Flex direction="row" gap="sm">
          <Button
            testId={`${id}-retire`}
            size="xs"
            variant="secondary"
            onClick={() => {
              const rest = omitKey(module, 'retired');
              onChange(module.retired ? rest : { ...rest, retired: true });
            }}
          >
            {module.retired ? 'Bring back' : 'Retire'}
          </Button>
          <Button testId={`${id}-remove`} size="xs" variant="transparent" onClick={onRemove}>
            Remove
          </Button>
        </Flex>
        {!isNew ? (
          <Text variant="microcopy" testId={`${id}-remove-help`}>
            Prefer Retire: removing a module leaves its open assignments without title and link.
          </Text>
        ) : null}
      </Flex>
    </Accordion>
  );
}
