/**
 * The frame of the four coaching and training settings (targets, catalogue, rules, coaches): load
 * the setting (GET → {value, source}), edit a draft of it, save it (PUT {value, idempotencyKey} →
 * {value, source, warnings}) with the save button disabled while sending, the key reused when the
 * same draft is sent again after a failure, a success notice with the server's warnings, and a 400's
 * field named next to the form. Each section only renders the fields of its draft.
 */
import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { Flex } from '@hubspot/ui-extensions';
import type { SettingAnswer, SettingName, SettingValues } from './api';
import type { Failure } from './state';
import { useIntent, useLoad } from './state';
import type { Outcome, SectionEnv } from './ui';
import { Loaded, OutcomeView, SendButton, SourceTag } from './ui';

export interface DraftProps<T> {
  draft: T;
  setDraft: (change: (draft: T) => T) => void;
  /** The failure of the last save, to mark the field a 400 names. */
  failure: Failure | undefined;
  /** Bumped after each successful save (forms keyed on it start again from the saved value). */
  version: number;
}

export function SettingSection<N extends SettingName>({
  env,
  name,
  id,
  label,
  savedText,
  children,
}: {
  env: SectionEnv;
  name: N;
  id: string;
  /** Lower-case name of the setting, for "Loading …" and "… not saved". */
  label: string;
  savedText: string;
  children: (props: DraftProps<SettingValues[N]>) => ReactNode;
}) {
  const { api, origin } = env;
  const load = useCallback(() => api.getSetting(origin, name), [api, origin, name]);
  const { state, reload, set } = useLoad(load, [load]);
  return (
    <Loaded id={id} label={label} state={state} env={env} onRetry={reload}>
      {(answer) => (
        <SettingEditor
          env={env}
          name={name}
          id={id}
          label={label}
          savedText={savedText}
          answer={answer}
          onAnswer={set}
        >
          {children}
        </SettingEditor>
      )}
    </Loaded>
  );
}

function SettingEditor<N extends SettingName>({
  env,
  name,
  id,
  label,
  savedText,
  answer,
  onAnswer,
  children,
}: {
  env: SectionEnv;
  name: N;
  id: string;
  label: string;
  savedText: string;
  answer: SettingAnswer<SettingValues[N]>;
  onAnswer: (answer: SettingAnswer<SettingValues[N]>) => void;
  children: (props: DraftProps<SettingValues[N]>) => ReactNode;
}) {
  const [draft, setDraftState] = useState<SettingValues[N]>(answer.value);
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const intent = useIntent(env.newKey);
  const failure = outcome?.kind === 'failed' ? outcome.failure : undefined;
  const setDraft = useCallback(
    (change: (d: SettingValues[N]) => SettingValues[N]) => setDraftState((d) => change(d)),
    [],
  );

  const save = () => {
    if (intent.sending) return;
    setOutcome(undefined);
    intent.run(
      JSON.stringify(draft),
      (key) => env.api.putSetting(env.origin, name, draft, key),
      (saved) => {
        setDraftState(saved.value);
        setVersion((v) => v + 1);
        onAnswer({ ...saved, warnings: [] });
        setOutcome({ kind: 'saved', title: 'Saved', text: savedText, warnings: saved.warnings });
      },
      (f) =>
        setOutcome({
          kind: 'failed',
          title: `${label.charAt(0).toUpperCase()}${label.slice(1)} not saved`,
          failure: f,
        }),
    );
  };

  return (
    <Flex direction="column" gap="sm" testId={`${id}-editor`}>
      <Flex direction="row">
        <SourceTag id={`${id}-source`} saved={answer.source === 'saved'} />
      </Flex>
      {children({ draft, setDraft, failure, version })}
      <OutcomeView id={id} outcome={outcome} />
      <Flex direction="row" gap="sm">
        <SendButton
          id={`${id}-save`}
          sending={intent.sending}
          label="Save"
          retry={failure !== undefined && failure.kind !== 'invalid-input'}
          onClick={save}
        />
      </Flex>
    </Flex>
  );
}
