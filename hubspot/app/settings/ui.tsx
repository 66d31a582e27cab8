/**
 * Building blocks every settings section uses: the environment a section runs in, the loading and
 * failure views of a section, the save bar (disabled while sending, a success notice with the
 * server's warnings, a failure naming the field), and the multi-value text input.
 */
import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import {
  Alert,
  Button,
  ErrorState,
  Flex,
  Input,
  LoadingButton,
  LoadingSpinner,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { SettingsApi } from './api';
import type { Lookups } from './lookups';
import type { Failure, LoadState } from './state';
import { failureMessage } from './state';

/** What a section needs from the page. */
export interface SectionEnv {
  api: SettingsApi;
  /** The backend's https origin. */
  origin: string;
  /** A fresh idempotency key (tests pass predictable ones). */
  newKey: () => string;
  locale: string;
  timeZone: string | undefined;
  /** The pipelines, teams and users the pickers offer, loaded once for the page. */
  lookups: Lookups;
  /** A 403 on a load: the page replaces every section with the "only super admins" state. */
  onForbidden: (failure: Failure) => void;
}

/** A section's load: spinner, failure with retry, or the section's content. */
export function Loaded<T>({
  id,
  label,
  state,
  env,
  onRetry,
  children,
}: {
  id: string;
  label: string;
  state: LoadState<T>;
  env: SectionEnv;
  onRetry: () => void;
  children: (data: T) => ReactNode;
}) {
  const forbidden =
    state.status === 'error' && state.failure.kind === 'forbidden' ? state.failure : undefined;
  const { onForbidden } = env;
  useEffect(() => {
    if (forbidden) onForbidden(forbidden);
  }, [forbidden, onForbidden]);

  if (state.status === 'loading') {
    return <LoadingSpinner testId={`${id}-loading`} label={`Loading ${label}`} showLabel layout="centered" />;
  }
  if (state.status === 'error') {
    return (
      <ErrorState testId={`${id}-error`} title={`The ${label} didn't load`} type="error">
        <Text testId={`${id}-error-message`}>{failureMessage(state.failure)}</Text>
        <Button testId={`${id}-retry`} variant="primary" onClick={onRetry}>
          Try again
        </Button>
      </ErrorState>
    );
  }
  return <>{children(state.data)}</>;
}

/** The outcome of the last save of a form. */
export type Outcome =
  | { kind: 'saved'; title: string; text: string; warnings: string[] }
  | { kind: 'failed'; title: string; failure: Failure };

/** The message of a 400 without its `field: ` prefix (the input already says which field). */
export function problemOf(failure: Failure | undefined, field: string): string | undefined {
  if (!failure || failure.kind !== 'invalid-input' || failure.field !== field) return undefined;
  const detail = failure.detail ?? 'is not valid';
  return detail.startsWith(`${field}: `) ? detail.slice(field.length + 2) : detail;
}

/** `error` and `validationMessage` of an input for the field a 400 names. */
export function fieldProps(failure: Failure | undefined, field: string) {
  const problem = problemOf(failure, field);
  return problem === undefined ? { error: false } : { error: true, validationMessage: problem };
}

export function OutcomeView({ id, outcome }: { id: string; outcome: Outcome | undefined }) {
  if (!outcome) return null;
  if (outcome.kind === 'failed') {
    const { failure } = outcome;
    return (
      <Alert testId={`${id}-failed`} title={outcome.title} variant="danger">
        <Flex direction="column" gap="xs">
          {failure.kind === 'invalid-input' && failure.field ? (
            <Text testId={`${id}-failed-field`} format={{ fontWeight: 'demibold' }}>
              {`Field: ${failure.field}`}
            </Text>
          ) : null}
          <Text testId={`${id}-failed-text`}>{failureMessage(failure)}</Text>
        </Flex>
      </Alert>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      <Alert testId={`${id}-saved`} title={outcome.title} variant="success">
        <Text testId={`${id}-saved-text`}>{outcome.text}</Text>
      </Alert>
      {outcome.warnings.length > 0 ? (
        <Alert testId={`${id}-warnings`} title="Saved, with warnings" variant="warning">
          <Flex direction="column" gap="xs">
            {outcome.warnings.map((warning, i) => (
              <Text key={i} testId={`${id}-warning-${i}`}>
                {warning}
              </Text>
            ))}
          </Flex>
        </Alert>
      ) : null}
    </Flex>
  );
}

/** A primary button that becomes a disabled loading button while its request is on its way. */
export function SendButton({
  id,
  sending,
  label,
  retry,
  onClick,
  variant = 'primary',
}: {
  id: string;
  sending: boolean;
  label: string;
  retry?: boolean;
  onClick: () => void;
  variant?: 'primary' | 'secondary' | 'destructive';
}) {
  return sending ? (
    // Still wired: a click while loading reaches the handler, whose guard drops it.
    <LoadingButton testId={id} variant={variant} loading disabled onClick={onClick}>
      {label}
    </LoadingButton>
  ) : (
    <Button testId={id} variant={variant} onClick={onClick}>
      {retry ? 'Try again' : label}
    </Button>
  );
}

/**
 * Splits free text into values: commas, semicolons and new lines separate them, and spaces too
 * unless `keepSpaces` (values such as "Closed won").
 */
export function splitValues(text: string, keepSpaces = false): string[] {
  return text
    .split(keepSpaces ? /[,;\n]+/ : /[\s,;]+/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/**
 * A text input holding a list of values (ids, tags), shown back as tags. It keeps what the user types
 * (a trailing comma included) and hands the parsed list up on every change.
 */
export function ListInput({
  id,
  label,
  name,
  values,
  description,
  onChange,
  error,
  keepSpaces = false,
}: {
  id: string;
  label: string;
  name: string;
  values: readonly string[];
  description?: string;
  onChange: (values: string[]) => void;
  error?: { error: boolean; validationMessage?: string };
  keepSpaces?: boolean;
}) {
  const [text, setText] = useState(values.join(', '));
  // A value changed from outside (a save answered, a reset): show it.
  const joined = values.join(', ');
  useEffect(() => {
    setText((current) => (splitValues(current, keepSpaces).join(', ') === joined ? current : joined));
  }, [joined, keepSpaces]);
  return (
    <Flex direction="column" gap="xs">
      <Input
        testId={id}
        label={label}
        name={name}
        value={text}
        {...(description !== undefined ? { description } : {})}
        {...(error ?? {})}
        onChange={(value) => {
          setText(value);
          onChange(splitValues(value, keepSpaces));
        }}
      />
      {values.length > 0 ? (
        <Flex direction="row" gap="xs" wrap="wrap">
          {values.map((value, i) => (
            <Tag key={`${value}-${i}`} testId={`${id}-tag-${i}`} variant="default">
              {value}
            </Tag>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}

/** The Tag saying where a value comes from. */
export function SourceTag({ id, saved }: { id: string; saved: boolean }) {
  return (
    <Tag testId={id} variant={saved ? 'success' : 'default'}>
      {saved ? 'Saved' : 'Default (not saved yet)'}
    </Tag>
  );
}

/** `value` without `key` (an optional field cleared). */
export function omitKey<T extends object, K extends keyof T & string>(value: T, key: K): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) as Omit<T, K>;
}

/** A record without one entry. */
export function dropKey<V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}
