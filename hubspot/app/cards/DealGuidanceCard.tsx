/**
 * The deal card: where the deal stands in the team's process and what to do next. Stage stepper,
 * time in stage against the team's won deals, the stage goal and guidance, the criteria checklist
 * with its evidence, the next step and the risks. Data comes only from the backend through
 * `api.ts`; `fetchGuidance` is a seam that defaults to the real thing, so tests need no module mocks.
 */
import { sharedFailureCopy, supportReference, UNCONFIRMED_ACCESS } from './failure-copy';
import type { FailureCopy } from './failure-copy';
import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Divider,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  Link,
  List,
  LoadingSpinner,
  StepIndicator,
  Tag,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { CrmContext } from '@hubspot/ui-extensions';
import type { CriterionResult, Risk, RiskCode } from '@pillars/contracts';
import type { FetchGuidance, Guidance } from './api';
import { GUIDANCE_TIMEOUT_MS, fetchDealGuidance } from './api';
import type { DealActions } from './actions';
import { dealActions, newIdempotencyKey } from './actions';
import { backendOriginFrom, resolveLocale } from '@pillars/ui-kit';
import type { ActionEnv } from './DealActions';
import { FollowUpAction, WaiverControl } from './DealActions';
import { formatProbability, formatStageTiming } from './format';
import type { Failure, GuidanceState } from './useDealGuidance';
import { useDealGuidance } from './useDealGuidance';

/** What the card reads from HubSpot's context (the whole CrmContext satisfies it). */
export type DealCardContext = Pick<CrmContext, 'user' | 'variables' | 'crm'>;

export interface DealGuidanceCardProps {
  context: DealCardContext;
  /** Loads a deal's guidance; defaults to the backend through `hubspot.fetch`. */
  fetchGuidance?: FetchGuidance;
  /** The follow-up and waiver actions; default to the backend through `hubspot.fetch`. */
  actions?: DealActions;
  /** Makes an idempotency key per user intent (tests pass a predictable one). */
  newKey?: () => string;
}

/** HubSpot record ids are positive integers; anything else means the card is misplaced. */
function dealIdFrom(crm: DealCardContext['crm'] | undefined): string | undefined {
  const id = crm?.objectId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? String(id) : undefined;
}

export function DealGuidanceCard({
  context,
  fetchGuidance = fetchDealGuidance,
  actions = dealActions,
  newKey = newIdempotencyKey,
}: DealGuidanceCardProps) {
  const locale = resolveLocale(context.user.locale);
  const [backend] = useState(() => backendOriginFrom(context.variables));
  const dealId = dealIdFrom(context.crm);
  const { state, reload, replace } = useDealGuidance(fetchGuidance, backend, dealId);
  const env = useMemo<ActionEnv | undefined>(
    () =>
      backend.ok && dealId !== undefined
        ? { actions, backendOrigin: backend.origin, dealId, locale, newKey, onGuidance: replace }
        : undefined,
    [actions, backend, dealId, locale, newKey, replace],
  );

  return (
    <Flex direction="column" gap="md" testId="deal-guidance">
      <GuidanceBody state={state} locale={locale} onRetry={reload} env={env} />
      {state.status === 'ready' ? (
        <Flex direction="row" justify="end" testId="deal-guidance-footer">
          <Button testId="deal-guidance-refresh" size="sm" variant="secondary" onClick={reload}>
            Refresh
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}

interface BodyProps {
  state: GuidanceState;
  locale: string;
  onRetry: () => void;
  env?: ActionEnv | undefined;
}

function GuidanceBody({ state, locale, onRetry, env }: BodyProps) {
  switch (state.status) {
    case 'loading':
      return (
        <LoadingSpinner
          testId="deal-guidance-loading"
          label="Checking this deal against your playbook"
          showLabel
          layout="centered"
        />
      );
    case 'error':
      return <FailureView failure={state.failure} onRetry={onRetry} />;
    case 'ready':
      return <GuidanceView guidance={state.guidance} locale={locale} env={env} />;
  }
}

/** Why there is nothing to guide, or undefined when the card has something to show. */
function emptyReason(guidance: Guidance): 'closed' | 'no-playbook' | undefined {
  if (guidance.criteria.length > 0) return undefined;
  if (guidance.stage.outcome !== 'open') return 'closed';
  return guidance.goal === null && guidance.guidance.trim() === '' ? 'no-playbook' : undefined;
}

function GuidanceView({
  guidance,
  locale,
  env,
}: {
  guidance: Guidance;
  locale: string;
  env?: ActionEnv | undefined;
}) {
  const empty = emptyReason(guidance);
  if (empty === 'closed') {
    return (
      <EmptyState
        testId="deal-guidance-closed"
        title="This deal is closed"
        layout="vertical"
        imageName="deals"
      >
        <Text testId="deal-guidance-closed-text">{guidance.nextStep.text}</Text>
      </EmptyState>
    );
  }
  if (empty === 'no-playbook') {
    return (
      <EmptyState
        testId="deal-guidance-no-playbook"
        title="No playbook for this stage"
        layout="vertical"
        imageName="target"
      >
        <Text testId="deal-guidance-no-playbook-text">
          {`Your team has no playbook for the ${guidance.stage.label} stage of ${guidance.pipeline.label}, so there is nothing to check yet. A Pillars admin can add one on the Pillars settings page.`}
        </Text>
      </EmptyState>
    );
  }

  return (
    <Flex direction="column" gap="md" testId="deal-guidance-ready">
      <StageHeader guidance={guidance} locale={locale} />
      <NextStepView guidance={guidance} />
      {env && guidance.stage.outcome === 'open' ? <FollowUpAction env={env} /> : null}
      <RisksView risks={guidance.risks} />
      <GoalView guidance={guidance} />
      <CriteriaView criteria={guidance.criteria} env={env} />
      <ResourcesView resources={guidance.resources} />
    </Flex>
  );
}

const AGE_TAG = {
  ok: { variant: 'success', label: 'On pace' },
  slow: { variant: 'warning', label: 'Slow' },
  stalled: { variant: 'error', label: 'Stalled' },
} as const;

function StageHeader({ guidance, locale }: { guidance: Guidance; locale: string }) {
  const { stage, pipeline } = guidance;
  const stages = pipeline.stages;
  // The stepper needs every stage name; the contract does not carry them yet (see api.ts Guidance).
  const showStepper =
    stages !== undefined && stages.length > 0 && stage.index >= 0 && stage.index < stages.length;
  const timing = formatStageTiming(stage, locale);
  const age = stage.age === null ? undefined : AGE_TAG[stage.age];
  const position =
    stage.index >= 0 && stage.count > 0
      ? `Stage ${stage.index + 1} of ${stage.count}`
      : 'Stage not in pipeline';
  const probability =
    stage.probability === null ? '' : ` · ${formatProbability(stage.probability, locale)} to close`;

  return (
    <Flex direction="column" gap="sm" testId="deal-guidance-stage">
      <Flex direction="column" gap="xs" testId="deal-guidance-stage-title">
        <Heading testId="deal-guidance-stage-label">{stage.label}</Heading>
        <Text variant="microcopy" testId="deal-guidance-stage-position">
          {`${pipeline.label} · ${position}${probability}`}
        </Text>
      </Flex>
      {showStepper ? (
        <StepIndicator
          testId="deal-guidance-stepper"
          stepNames={stages.map((s) => s.label)}
          currentStep={stage.index}
          variant="compact"
        />
      ) : null}
      {timing !== undefined || age !== undefined ? (
        <Flex direction="row" gap="sm" align="center" wrap="wrap" testId="deal-guidance-timing">
          {age ? (
            <Tag variant={age.variant} testId="deal-guidance-age">
              {age.label}
            </Tag>
          ) : null}
          {timing !== undefined ? <Text testId="deal-guidance-timing-text">{timing}</Text> : null}
        </Flex>
      ) : null}
    </Flex>
  );
}

const NEXT_STEP_VARIANT = { criterion: 'tip', advance: 'success', closed: 'info' } as const;

function NextStepView({ guidance }: { guidance: Guidance }) {
  const { nextStep } = guidance;
  return (
    <Alert testId="deal-guidance-next-step" title="Next step" variant={NEXT_STEP_VARIANT[nextStep.kind]}>
      <Text testId="deal-guidance-next-step-text" format={{ fontWeight: 'demibold' }}>
        {nextStep.text}
      </Text>
    </Alert>
  );
}

// Keyed by every known code; a code a newer backend adds falls back to a generic title.
const RISK_TITLE: Partial<Record<string, string>> = {
  noNextActivity: 'No next activity',
  singleThreaded: 'Single-threaded',
  closeDatePast: 'Close date has passed',
  slowInStage: 'Slow in stage',
  stalledInStage: 'Stalled in stage',
} satisfies Record<RiskCode, string>;

function RisksView({ risks }: { risks: Risk[] }) {
  if (risks.length === 0) return null;
  return (
    <Flex direction="column" gap="sm" testId="deal-guidance-risks">
      {risks.map((risk) => (
        <Alert
          key={risk.code}
          testId={`risk-${risk.code}`}
          title={RISK_TITLE[risk.code] ?? 'Risk'}
          variant={risk.severity === 'critical' ? 'danger' : 'warning'}
        >
          <Text testId={`risk-${risk.code}-message`}>{risk.message}</Text>
        </Alert>
      ))}
    </Flex>
  );
}

function GoalView({ guidance }: { guidance: Guidance }) {
  const text = guidance.guidance.trim();
  if (guidance.goal === null && text === '') return null;
  return (
    <Flex direction="column" gap="xs" testId="deal-guidance-goal">
      <Heading testId="deal-guidance-goal-heading">Stage goal</Heading>
      {guidance.goal !== null ? (
        <Text testId="deal-guidance-goal-text" format={{ fontWeight: 'demibold' }}>
          {guidance.goal}
        </Text>
      ) : null}
      {text !== '' ? <Text testId="deal-guidance-guidance-text">{text}</Text> : null}
    </Flex>
  );
}

const STATUS_TAG = {
  met: { variant: 'success', label: '✓ Met' },
  unmet: { variant: 'warning', label: 'Not yet' },
  waived: { variant: 'info', label: 'Waived' },
} as const;

function CriteriaView({ criteria, env }: { criteria: CriterionResult[]; env?: ActionEnv | undefined }) {
  if (criteria.length === 0) return null;
  const met = criteria.filter((c) => c.status !== 'unmet').length;
  return (
    <Flex direction="column" gap="sm" testId="deal-guidance-criteria">
      <Divider testId="deal-guidance-criteria-divider" />
      <Heading testId="deal-guidance-criteria-heading">{`Exit criteria (${met} of ${criteria.length} done)`}</Heading>
      {criteria.map((criterion) => (
        <CriterionView key={criterion.id} criterion={criterion} env={env} />
      ))}
    </Flex>
  );
}

function CriterionView({ criterion, env }: { criterion: CriterionResult; env?: ActionEnv | undefined }) {
  const id = `criterion-${criterion.id}`;
  const tag = STATUS_TAG[criterion.status];
  return (
    <Tile compact testId={id}>
      <Flex direction="column" gap="xs" testId={`${id}-body`}>
        <Flex direction="row" gap="sm" align="center" wrap="wrap" testId={`${id}-header`}>
          <Tag variant={tag.variant} testId={`${id}-status`}>
            {tag.label}
          </Tag>
          <Text testId={`${id}-label`} format={{ fontWeight: 'demibold' }}>
            {criterion.label}
          </Text>
          <Text variant="microcopy" testId={`${id}-level`}>
            {criterion.level === 'required' ? 'Required' : 'Recommended'}
          </Text>
        </Flex>
        {criterion.evidence.summary !== '' ? (
          <Text variant="microcopy" testId={`${id}-evidence`}>
            {criterion.evidence.summary}
          </Text>
        ) : null}
        {criterion.status === 'unmet' && criterion.hint !== '' ? (
          <Text testId={`${id}-hint`}>{`To do: ${criterion.hint}`}</Text>
        ) : null}
        {criterion.status === 'unmet' && env ? <WaiverControl criterion={criterion} env={env} /> : null}
        {criterion.status === 'waived' ? (
          <Text testId={`${id}-waiver`}>{`Waived: ${criterion.waiver?.reason ?? 'no reason recorded'}`}</Text>
        ) : null}
      </Flex>
    </Tile>
  );
}

function ResourcesView({ resources }: { resources: Guidance['resources'] }) {
  if (resources.length === 0) return null;
  return (
    <Flex direction="column" gap="xs" testId="deal-guidance-resources">
      <Heading testId="deal-guidance-resources-heading">Resources</Heading>
      <List testId="deal-guidance-resources-list">
        {resources.map((resource, i) => (
          <Link key={resource.url} testId={`resource-${i}`} href={{ url: resource.url, external: true }}>
            {resource.title}
          </Link>
        ))}
      </List>
    </Flex>
  );
}

/** Title, explanation and whether retrying can help, for each failure. Messages say what to do. */
export function describeFailure(failure: Failure): FailureCopy {
  const shared = sharedFailureCopy(failure, { what: 'Stage guidance', timeoutMs: GUIDANCE_TIMEOUT_MS });
  if (shared) return shared;
  const quote = supportReference(failure);
  switch (failure.kind) {
    case 'not-authorised':
      return failure.status === 403
        ? {
            type: 'lock',
            title: "You don't have access to this deal's guidance",
            message: `${failure.detail ?? 'You do not have access to this.'} Pillars shows guidance to users who can see the deal in HubSpot. Ask your HubSpot admin for access to this deal, or to its team's pipeline.`,
            retry: false,
          }
        : { ...UNCONFIRMED_ACCESS, message: `${UNCONFIRMED_ACCESS.message}.` };
    case 'not-found':
      return {
        type: 'error',
        title: "Pillars couldn't find this deal",
        // The backend's message already says why (deleted or merged deal, unknown pipeline).
        message: `${failure.detail ?? 'The deal may have just been created, merged or deleted. Try again in a minute.'} If it keeps happening, contact Pillars support${quote}.`,
        retry: true,
      };
    case 'no-deal':
      return {
        type: 'support',
        title: 'Stage guidance needs a deal',
        message:
          'HubSpot opened this card without a deal id. It only works on deal records: remove it from this view and add it to the deal record view instead.',
        retry: false,
      };
    default:
      // 'server' (the other kinds have shared copy).
      return {
        type: 'error',
        title: "Stage guidance didn't load",
        message: `${failure.detail ?? "Pillars' server could not check this deal."} Try again in a minute${quote}.`,
        retry: true,
      };
  }
}

function FailureView({ failure, onRetry }: { failure: Failure; onRetry: () => void }) {
  const { title, message, retry, type } = describeFailure(failure);
  const testId = failure.kind === 'not-authorised' ? 'deal-guidance-not-authorised' : 'deal-guidance-error';
  return (
    <ErrorState testId={testId} title={title} type={type}>
      <Text testId={`${testId}-message`}>{message}</Text>
      {retry ? (
        <Button testId="deal-guidance-retry" variant="primary" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </ErrorState>
  );
}
