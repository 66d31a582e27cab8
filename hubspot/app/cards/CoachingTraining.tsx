/**
 * Training on the full coaching panel: what is assigned (status, due date, overdue, and the measured
 * effect, claimed only when the backend says the samples support it, otherwise its reason), "Mark
 * complete" when the viewer may complete training, and the modules suggested for the diagnosed gap
 * with a one-click Assign (one idempotency key per module intent; "already assigned" when the
 * backend found an open assignment).
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Flex,
  Heading,
  Link,
  LoadingButton,
  StatusTag,
  Tag,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { FullPanel, PanelAssignment, SuggestedModule, TrainingEffect } from '@pillars/contracts';
import type { CoachingEnv } from './coaching-actions';
import { upsertAssignment, useIntent } from './coaching-actions';
import { formatEffect, formatEffectNumber, formatLocalDate, metricLabel } from './coaching-format';

interface Notice {
  variant: 'success' | 'info';
  title: string;
  text: string;
}

export function TrainingSection({ panel, env }: { panel: FullPanel; env: CoachingEnv }) {
  const [notice, setNotice] = useState<Notice | undefined>(undefined);
  const { assigned, suggested } = panel.training;
  return (
    <Flex direction="column" gap="sm" testId="coaching-training">
      <Heading testId="coaching-training-heading">Training</Heading>
      {notice ? (
        <Alert testId="coaching-training-notice" title={notice.title} variant={notice.variant}>
          <Text testId="coaching-training-notice-text">{notice.text}</Text>
        </Alert>
      ) : null}
      {assigned.length === 0 ? (
        <Text testId="coaching-training-none">No training assigned.</Text>
      ) : (
        assigned.map((assignment) => (
          <AssignmentItem
            key={assignment.id}
            assignment={assignment}
            env={env}
            canComplete={panel.permissions.completeTraining}
            onNotice={setNotice}
          />
        ))
      )}
      {suggested.length > 0 ? (
        <Flex direction="column" gap="xs" testId="coaching-suggested">
          <Text format={{ fontWeight: 'demibold' }} testId="coaching-suggested-heading">
            Suggested for the gap
          </Text>
          {suggested.map((module) => (
            <SuggestedItem
              key={module.moduleId}
              module={module}
              env={env}
              canAssign={panel.permissions.assignTraining}
              onNotice={setNotice}
            />
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}

const STATUS = {
  open: { variant: 'info', label: 'Open' },
  completed: { variant: 'success', label: 'Completed' },
  cancelled: { variant: 'default', label: 'Cancelled' },
} as const;

/** What the measured effect says: a claim only when supported, else the backend's reason. */
export function effectText(
  effect: TrainingEffect | null,
  status: string,
  locale: string,
): string | undefined {
  if (effect === null) {
    return status === 'completed'
      ? 'Effect not measured yet: it needs some weeks of activity after completion.'
      : undefined;
  }
  const metric = metricLabel(effect.metric);
  if (effect.supported && effect.effect !== null) {
    const interval = effect.interval
      ? ` (95% interval ${formatEffectNumber(effect.metric, effect.interval.low, locale)} to ${formatEffectNumber(effect.metric, effect.interval.high, locale)})`
      : '';
    return `Measured effect on ${metric}: ${formatEffect(effect.metric, effect.effect, locale)} against the team${interval}. ${effect.reason}`;
  }
  return `No effect claimed on ${metric}: ${effect.reason}`;
}

function AssignmentItem({
  assignment,
  env,
  canComplete,
  onNotice,
}: {
  assignment: PanelAssignment;
  env: CoachingEnv;
  canComplete: boolean;
  onNotice: (notice: Notice) => void;
}) {
  const intent = useIntent(env.newKey);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const id = `assignment-${assignment.id}`;
  const status = STATUS[assignment.status] ?? STATUS.open;
  const effect = effectText(assignment.effect, assignment.status, env.locale);

  const complete = () => {
    setFailure(undefined);
    intent.run(
      (idempotencyKey) =>
        env.api.completeTraining({
          backendOrigin: env.backendOrigin,
          assignmentId: assignment.id,
          idempotencyKey,
        }),
      (updated) => {
        env.update(upsertAssignment(updated));
        onNotice({
          variant: 'success',
          title: 'Training completed',
          text: `Marked "${updated.moduleTitle}" as completed.`,
        });
      },
      setFailure,
    );
  };

  return (
    <Tile compact testId={id}>
      <Flex direction="column" gap="xs" testId={`${id}-content`}>
        <Flex direction="row" gap="sm" align="center" wrap="wrap" testId={`${id}-header`}>
          <Link testId={`${id}-title`} href={{ url: assignment.moduleUrl, external: true }}>
            {assignment.moduleTitle}
          </Link>
          <StatusTag variant={status.variant} testId={`${id}-status`}>
            {status.label}
          </StatusTag>
          {assignment.overdue && assignment.status === 'open' ? (
            <StatusTag variant="danger" testId={`${id}-overdue`}>
              Overdue
            </StatusTag>
          ) : null}
        </Flex>
        <Text variant="microcopy" testId={`${id}-due`}>
          {assignment.status === 'completed' && assignment.completedAt !== null
            ? `Due ${formatLocalDate(assignment.dueDate, env.locale)} · completed ${formatLocalDate(assignment.completedAt.slice(0, 10), env.locale)}`
            : `Due ${formatLocalDate(assignment.dueDate, env.locale)}`}
        </Text>
        <Text testId={`${id}-reason`}>{assignment.reason}</Text>
        {effect !== undefined ? (
          <Text
            testId={`${id}-effect`}
            {...(assignment.effect?.supported ? { format: { fontWeight: 'demibold' as const } } : {})}
          >
            {effect}
          </Text>
        ) : null}
        {failure !== undefined ? (
          <Alert testId={`${id}-error`} title="It wasn't marked complete" variant="danger">
            <Text testId={`${id}-error-text`}>{failure}</Text>
          </Alert>
        ) : null}
        {canComplete && assignment.status === 'open' ? (
          <Flex direction="row" testId={`${id}-actions`}>
            {intent.sending ? (
              <LoadingButton testId={`${id}-complete`} size="xs" variant="secondary" loading>
                Mark complete
              </LoadingButton>
            ) : (
              <Button testId={`${id}-complete`} size="xs" variant="secondary" onClick={complete}>
                {failure !== undefined ? 'Try again' : 'Mark complete'}
              </Button>
            )}
          </Flex>
        ) : null}
      </Flex>
    </Tile>
  );
}

type AssignOutcome = 'assigned' | 'already';

function SuggestedItem({
  module,
  env,
  canAssign,
  onNotice,
}: {
  module: SuggestedModule;
  env: CoachingEnv;
  canAssign: boolean;
  onNotice: (notice: Notice) => void;
}) {
  const intent = useIntent(env.newKey);
  const [outcome, setOutcome] = useState<AssignOutcome | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const id = `suggested-${module.moduleId}`;

  const assign = () => {
    setFailure(undefined);
    intent.run(
      (idempotencyKey) =>
        env.api.assignTraining({
          backendOrigin: env.backendOrigin,
          contactId: env.contactId,
          moduleId: module.moduleId,
          idempotencyKey,
        }),
      ({ assignment, created }) => {
        env.update(upsertAssignment(assignment));
        setOutcome(created ? 'assigned' : 'already');
        const due = formatLocalDate(assignment.dueDate, env.locale);
        onNotice(
          created
            ? {
                variant: 'success',
                title: 'Training assigned',
                text: `Assigned "${module.title}", due ${due}.`,
              }
            : {
                variant: 'info',
                title: 'Already assigned',
                text: `"${module.title}" was already assigned and is still open (due ${due}). Nothing was added.`,
              },
        );
      },
      setFailure,
    );
  };

  return (
    <Tile compact testId={id}>
      <Flex direction="column" gap="xs" testId={`${id}-content`}>
        <Flex direction="row" gap="sm" align="center" wrap="wrap" testId={`${id}-header`}>
          <Link testId={`${id}-title`} href={{ url: module.url, external: true }}>
            {module.title}
          </Link>
          <Text
            variant="microcopy"
            testId={`${id}-format`}
          >{`${module.format} · ${module.minutes} min`}</Text>
          {outcome !== undefined ? (
            <Tag variant={outcome === 'assigned' ? 'success' : 'info'} testId={`${id}-outcome`}>
              {outcome === 'assigned' ? 'Assigned' : 'Already assigned'}
            </Tag>
          ) : null}
        </Flex>
        <Text testId={`${id}-reason`}>{module.reason}</Text>
        {failure !== undefined ? (
          <Alert testId={`${id}-error`} title="It wasn't assigned" variant="danger">
            <Text testId={`${id}-error-text`}>{failure}</Text>
          </Alert>
        ) : null}
        {canAssign && outcome === undefined ? (
          <Flex direction="row" testId={`${id}-actions`}>
            {intent.sending ? (
              <LoadingButton testId={`${id}-assign`} size="xs" variant="primary" loading disabled>
                Assign
              </LoadingButton>
            ) : (
              <Button testId={`${id}-assign`} size="xs" variant="primary" onClick={assign}>
                {failure !== undefined ? 'Try again' : 'Assign'}
              </Button>
            )}
          </Flex>
        ) : null}
      </Flex>
    </Tile>
  );
}
