/**
 * The deal card's actions: "Create follow-up task" and the waiver form of an unmet criterion. Each
 * user intent gets one idempotency key, made on its first send and reused when the same intent is
 * retried after a failure, so a double click or a retry never acts twice (the backend replays the
 * first answer). A new intent (another task after a success, a waiver form opened again) gets a new key.
 */
import { useRef, useState } from 'react';
import { Alert, Button, Flex, Form, LoadingButton, Text, TextArea } from '@hubspot/ui-extensions';
import type { CriterionResult } from '@pillars/contracts';
import type { Guidance } from './api';
import type { DealActions, FollowUpTask } from './actions';
import { MAX_WAIVER_REASON } from './actions';
import { toFailure } from './useDealGuidance';

/** What the actions need from the card. */
export interface ActionEnv {
  actions: DealActions;
  backendOrigin: string;
  dealId: string;
  locale: string;
  /** A fresh idempotency key. */
  newKey: () => string;
  /** Show the guidance an action answered with. */
  onGuidance: (guidance: Guidance) => void;
}

/** A short, user-safe sentence for a failed action. */
export function actionErrorMessage(error: unknown): string {
  const failure = toFailure(error);
  const reference = failure.requestId ? ` (request ${failure.requestId})` : '';
  switch (failure.kind) {
    case 'unreachable':
      return "Pillars' server didn't answer. Check your connection and try again.";
    case 'invalid-response':
      return "Pillars' server sent an answer this card doesn't understand. Try again in a minute.";
    case 'not-authorised':
      return `${failure.detail ?? "You don't have access to do this."}${reference}`;
    default:
      return `${failure.detail ?? 'Something went wrong.'} Try again${reference}.`;
  }
}

function formatDue(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
  } catch {
    return date.toISOString().slice(0, 10);
  }
}

type FollowUpState =
  | { status: 'idle' }
  | { status: 'posting' }
  | { status: 'done'; task: FollowUpTask }
  | { status: 'error'; message: string };

/** "Create follow-up task": one HubSpot task for the deal owner, due in two days. */
export function FollowUpAction({ env }: { env: ActionEnv }) {
  const [state, setState] = useState<FollowUpState>({ status: 'idle' });
  const pending = useRef(false);
  const key = useRef<string | undefined>(undefined);

  const create = () => {
    if (pending.current) return; // a second click while the first is on its way does nothing
    pending.current = true;
    key.current ??= env.newKey();
    setState({ status: 'posting' });
    env.actions
      .createFollowUp({ backendOrigin: env.backendOrigin, dealId: env.dealId, idempotencyKey: key.current })
      .then(
        (task) => {
          key.current = undefined; // done: the next click is a new intent
          setState({ status: 'done', task });
        },
        (error: unknown) => {
          // The key is kept: "Try again" is the same intent, and the backend replays or resumes it.
          setState({ status: 'error', message: actionErrorMessage(error) });
        },
      )
      .finally(() => {
        pending.current = false;
      });
  };

  return (
    <Flex direction="column" gap="sm" testId="follow-up">
      {state.status === 'posting' ? (
        <LoadingButton testId="follow-up-pending" size="sm" variant="secondary" loading onClick={create}>
          Create follow-up task
        </LoadingButton>
      ) : (
        <Button testId="follow-up-create" size="sm" variant="secondary" onClick={create}>
          {state.status === 'error' ? 'Try again' : 'Create follow-up task'}
        </Button>
      )}
      {state.status === 'done' ? (
        <Alert testId="follow-up-created" title="Follow-up task created" variant="success">
          <Text testId="follow-up-created-text">
            {`"${state.task.subject}" is due ${formatDue(state.task.dueAt, env.locale)} in the deal owner's tasks.`}
          </Text>
        </Alert>
      ) : null}
      {state.status === 'error' ? (
        <Alert testId="follow-up-error" title="The follow-up task wasn't created" variant="danger">
          <Text testId="follow-up-error-text">{state.message}</Text>
        </Alert>
      ) : null}
    </Flex>
  );
}

type WaiverState =
  | { status: 'closed' }
  | {
      status: 'open';
      reason: string;
      invalid: string | undefined;
      posting: boolean;
      failure: string | undefined;
    };

/** Why a reason cannot be sent, or undefined when it can. */
export function reasonProblem(reason: string): string | undefined {
  const length = [...reason.trim()].length;
  if (length === 0) return 'Say why this criterion does not apply to this deal.';
  if (length > MAX_WAIVER_REASON) return `Keep the reason to ${MAX_WAIVER_REASON} characters or fewer.`;
  return undefined;
}

/** The "Waive" button of an unmet criterion and its reason form. */
export function WaiverControl({ criterion, env }: { criterion: CriterionResult; env: ActionEnv }) {
  const [state, setState] = useState<WaiverState>({ status: 'closed' });
  const key = useRef<string | undefined>(undefined);
  const pending = useRef(false);
  const id = `criterion-${criterion.id}-waiver-form`;

  if (state.status === 'closed') {
    return (
      <Button
        testId={`criterion-${criterion.id}-waive`}
        size="xs"
        variant="secondary"
        onClick={() => {
          key.current = undefined; // a new intent
          setState({ status: 'open', reason: '', invalid: undefined, posting: false, failure: undefined });
        }}
      >
        Waive
      </Button>
    );
  }

  const submit = () => {
    if (pending.current) return;
    const invalid = reasonProblem(state.reason);
    if (invalid !== undefined) {
      setState({ ...state, invalid });
      return;
    }
    pending.current = true;
    key.current ??= env.newKey();
    setState({ ...state, invalid: undefined, posting: true, failure: undefined });
    env.actions
      .waiveCriterion({
        backendOrigin: env.backendOrigin,
        dealId: env.dealId,
        criterionId: criterion.id,
        reason: state.reason.trim(),
        idempotencyKey: key.current,
      })
      .then(
        (guidance) => {
          key.current = undefined;
          setState({ status: 'closed' });
          env.onGuidance(guidance);
        },
        (error: unknown) => {
          setState((s) =>
            s.status === 'open' ? { ...s, posting: false, failure: actionErrorMessage(error) } : s,
          );
        },
      )
      .finally(() => {
        pending.current = false;
      });
  };

  const count = [...state.reason].length;
  return (
    <Form testId={id} onSubmit={submit} preventDefault>
      <Flex direction="column" gap="xs" testId={`${id}-body`}>
        <TextArea
          testId={`${id}-reason`}
          name="reason"
          label="Why doesn't this criterion apply to this deal?"
          required
          value={state.reason}
          description={`${count} / ${MAX_WAIVER_REASON} characters`}
          error={state.invalid !== undefined}
          {...(state.invalid !== undefined ? { validationMessage: state.invalid } : {})}
          onChange={(reason) =>
            setState((s) => (s.status === 'open' ? { ...s, reason, invalid: undefined } : s))
          }
        />
        {state.failure !== undefined ? (
          <Alert testId={`${id}-error`} title="The waiver wasn't saved" variant="danger">
            <Text testId={`${id}-error-text`}>{state.failure}</Text>
          </Alert>
        ) : null}
        <Flex direction="row" gap="sm" testId={`${id}-buttons`}>
          {state.posting ? (
            <LoadingButton testId={`${id}-submit`} size="xs" variant="primary" type="submit" loading>
              Waive criterion
            </LoadingButton>
          ) : (
            <Button testId={`${id}-submit`} size="xs" variant="primary" type="submit">
              Waive criterion
            </Button>
          )}
          <Button
            testId={`${id}-cancel`}
            size="xs"
            variant="secondary"
            disabled={state.posting}
            onClick={() => {
              key.current = undefined;
              setState({ status: 'closed' });
            }}
          >
            Cancel
          </Button>
        </Flex>
      </Flex>
    </Form>
  );
}
