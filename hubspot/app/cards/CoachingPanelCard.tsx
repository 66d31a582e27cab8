/**
 * The coaching panel contact card: the contact owner's (the rep's) numbers against the team, the
 * diagnosis, private coaching notes, praise and training, for the rep and their coaches. Anyone else
 * sees only the contact's relationship summary, with nothing about the rep. Data comes only from the
 * backend through `coaching-api.ts`; `api` is a seam that defaults to the real thing, so tests need
 * no module mocks.
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
  LoadingSpinner,
  Statistics,
  StatisticsItem,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { CrmContext } from '@hubspot/ui-extensions';
import type { CoachingPanel, FullPanel, PraiseSuggestion, RelationshipSummary } from '@pillars/contracts';
import { newIdempotencyKey } from './actions';
import type { CoachingEnv } from './coaching-actions';
import type { CoachingApi } from './coaching-api';
import { COACHING_TIMEOUT_MS, coachingApi } from './coaching-api';
import { formatLocalDate, formatTimestamp, todayIn } from './coaching-format';
import { FunnelView, PraiseView, ScorecardView, TrendView } from './CoachingInsights';
import type { NoteSeed } from './CoachingNotes';
import { NotesSection } from './CoachingNotes';
import { TrainingSection } from './CoachingTraining';
import { backendOriginFrom, resolveLocale } from '@pillars/ui-kit';
import type { CoachingFailure, PanelState } from './useCoachingPanel';
import { useCoachingPanel } from './useCoachingPanel';

/** What the card reads from HubSpot's context (the whole CrmContext satisfies it). */
export type CoachingCardContext = Pick<CrmContext, 'user' | 'variables' | 'crm'> & {
  /** The portal's time zone decides "today" for due dates, as on the backend. */
  portal?: { timezone?: string | undefined } | undefined;
};

export interface CoachingPanelCardProps {
  context: CoachingCardContext;
  /** The backend client; defaults to the backend through `hubspot.fetch`. */
  api?: CoachingApi;
  /** Makes an idempotency key per user intent (tests pass a predictable one). */
  newKey?: () => string;
  /** Today as YYYY-MM-DD (tests pass a fixed day); defaults to today in the portal's time zone. */
  today?: string;
}

/** HubSpot record ids are positive integers; anything else means the card is misplaced. */
function contactIdFrom(crm: CoachingCardContext['crm'] | undefined): string | undefined {
  const id = crm?.objectId;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? String(id) : undefined;
}

export function CoachingPanelCard({
  context,
  api = coachingApi,
  newKey = newIdempotencyKey,
  today: fixedToday,
}: CoachingPanelCardProps) {
  const locale = resolveLocale(context.user.locale);
  const [backend] = useState(() => backendOriginFrom(context.variables));
  const [today] = useState(() => fixedToday ?? todayIn(context.portal?.timezone));
  const contactId = contactIdFrom(context.crm);
  const { state, reload, update } = useCoachingPanel(api.fetchPanel, backend, contactId);
  const env = useMemo<CoachingEnv | undefined>(
    () =>
      backend.ok && contactId !== undefined
        ? { api, backendOrigin: backend.origin, contactId, locale, today, newKey, update }
        : undefined,
    [api, backend, contactId, locale, today, newKey, update],
  );

  return (
    <Flex direction="column" gap="md" testId="coaching-panel">
      <PanelBody state={state} locale={locale} onRetry={reload} env={env} />
      {state.status === 'ready' ? (
        <Flex direction="row" justify="end" testId="coaching-footer">
          <Button testId="coaching-refresh" size="sm" variant="secondary" onClick={reload}>
            Refresh
          </Button>
        </Flex>
      ) : null}
    </Flex>
  );
}

function PanelBody({
  state,
  locale,
  onRetry,
  env,
}: {
  state: PanelState;
  locale: string;
  onRetry: () => void;
  env: CoachingEnv | undefined;
}) {
  switch (state.status) {
    case 'loading':
      return (
        <LoadingSpinner
          testId="coaching-loading"
          label="Loading the coaching panel"
          showLabel
          layout="centered"
        />
      );
    case 'error':
      return <FailureView failure={state.failure} onRetry={onRetry} />;
    case 'ready':
      return <PanelView panel={state.panel} locale={locale} env={env} />;
  }
}

function PanelView({
  panel,
  locale,
  env,
}: {
  panel: CoachingPanel;
  locale: string;
  env: CoachingEnv | undefined;
}) {
  switch (panel.view) {
    case 'no-owner':
      return (
        <Flex direction="column" gap="md" testId="coaching-no-owner">
          <Alert testId="coaching-no-owner-alert" title="No contact owner" variant="info">
            <Text testId="coaching-no-owner-text">
              Coaching needs an owner: this contact has none, so there are no numbers, notes or training to
              show. Assign a contact owner to see their coaching panel here.
            </Text>
          </Alert>
          <RelationshipView relationship={panel.relationship} locale={locale} />
        </Flex>
      );
    case 'summary-only':
      return (
        <Flex direction="column" gap="md" testId="coaching-summary-only">
          <RelationshipView relationship={panel.relationship} locale={locale} />
          <Text variant="microcopy" testId="coaching-summary-only-text">
            Only the relationship summary is available to you on this record.
          </Text>
        </Flex>
      );
    case 'full':
      return env ? (
        <FullView panel={panel} locale={locale} env={env} />
      ) : (
        <RelationshipView relationship={panel.relationship} locale={locale} />
      );
    default:
      // A view a newer backend added: show what every view carries.
      return <RelationshipView relationship={(panel as CoachingPanel).relationship} locale={locale} />;
  }
}

function FullView({ panel, locale, env }: { panel: FullPanel; locale: string; env: CoachingEnv }) {
  const [seed, setSeed] = useState<NoteSeed | undefined>(undefined);
  const self = panel.access === 'self';
  const usePraise = panel.permissions.writeNotes
    ? (suggestion: PraiseSuggestion) =>
        setSeed((s) => ({
          kind: 'praise',
          body: `${suggestion.headline}. ${suggestion.evidence}`,
          n: (s?.n ?? 0) + 1,
        }))
    : undefined;
  const teams = panel.rep.teams.map((t) => t.name).join(', ');
  return (
    <Flex direction="column" gap="md" testId="coaching-full">
      <Flex direction="column" gap="xs" testId="coaching-header">
        <Flex direction="row" gap="sm" align="center" wrap="wrap" testId="coaching-title">
          <Heading testId="coaching-heading">
            {self ? 'Your coaching' : `Coaching: ${panel.rep.name}`}
          </Heading>
          <Tag variant={self ? 'info' : 'default'} testId="coaching-access">
            {self ? 'Your own view' : 'Coach view'}
          </Tag>
        </Flex>
        <Text variant="microcopy" testId="coaching-subtitle">
          {`${self ? 'You own' : `${panel.rep.name} owns`} this contact${teams ? ` · ${teams}` : ''} · week of ${formatLocalDate(panel.weekStart, locale)}`}
        </Text>
      </Flex>
      {panel.hasData ? (
        <>
          <ScorecardView panel={panel} locale={locale} />
          <FunnelView diagnosis={panel.diagnosis} locale={locale} />
          <TrendView trend={panel.trend} locale={locale} />
          <PraiseView praise={panel.praise} onUse={usePraise} />
        </>
      ) : (
        <EmptyState
          testId="coaching-no-data"
          title="No activity to coach on yet"
          layout="vertical"
          imageName="emptyStateCharts"
        >
          <Text testId="coaching-no-data-text">
            {`${self ? 'You have' : `${panel.rep.name} has`} no calls, emails, meetings or deals logged in the last ${panel.trend.weeks.length || 8} weeks, so there is no scorecard, funnel or trend to show yet. Notes and training still work.`}
          </Text>
        </EmptyState>
      )}
      <Divider testId="coaching-notes-divider" />
      <NotesSection panel={panel} env={env} seed={seed} />
      <Divider testId="coaching-training-divider" />
      <TrainingSection panel={panel} env={env} />
      <Divider testId="coaching-relationship-divider" />
      <RelationshipView relationship={panel.relationship} locale={locale} />
    </Flex>
  );
}

const CHANNEL_LABELS = {
  calls: 'Calls',
  emails: 'Emails',
  meetings: 'Meetings',
  notes: 'Notes',
  tasks: 'Tasks',
} as const satisfies Record<keyof RelationshipSummary['touches'], string>;

const CHANNEL_WORDS: Record<string, string> = {
  calls: 'call',
  emails: 'email',
  meetings: 'meeting',
  notes: 'note',
  tasks: 'task',
};

export function RelationshipView({
  relationship,
  locale,
}: {
  relationship: RelationshipSummary;
  locale: string;
}) {
  const { lastTouch, nextActivity } = relationship;
  return (
    <Flex direction="column" gap="xs" testId="coaching-relationship">
      <Heading testId="coaching-relationship-heading">{`Relationship, last ${relationship.days} days`}</Heading>
      <Statistics testId="coaching-relationship-touches">
        {(Object.keys(CHANNEL_LABELS) as (keyof typeof CHANNEL_LABELS)[]).map((channel) => (
          <StatisticsItem
            key={channel}
            testId={`touches-${channel}`}
            label={CHANNEL_LABELS[channel]}
            number={relationship.touches[channel]}
          />
        ))}
      </Statistics>
      <Text testId="coaching-relationship-last">
        {lastTouch
          ? `Last touch: ${CHANNEL_WORDS[lastTouch.channel] ?? lastTouch.channel} on ${formatTimestamp(lastTouch.at, locale)}`
          : `No touches in the last ${relationship.days} days.`}
      </Text>
      <Text testId="coaching-relationship-next">
        {nextActivity
          ? `Next: ${CHANNEL_WORDS[nextActivity.channel] ?? nextActivity.channel}${nextActivity.title ? ` "${nextActivity.title}"` : ''} on ${formatTimestamp(nextActivity.at, locale)}`
          : 'Nothing scheduled next.'}
      </Text>
    </Flex>
  );
}

/** Title, explanation and whether retrying can help, for each failure. Messages say what to do. */
export function describeCoachingFailure(failure: CoachingFailure): FailureCopy {
  const shared = sharedFailureCopy(failure, { what: 'The coaching panel', timeoutMs: COACHING_TIMEOUT_MS });
  if (shared) return shared;
  const quote = supportReference(failure);
  switch (failure.kind) {
    case 'not-authorised':
      return failure.status === 403
        ? {
            type: 'lock',
            title: "You don't have access to this contact's coaching panel",
            message: `${failure.detail ?? 'You do not have access to this.'} Pillars shows this tab to users who can see the contact in HubSpot. Ask your HubSpot admin for access to this contact${quote}.`,
            retry: false,
          }
        : { ...UNCONFIRMED_ACCESS, message: `${UNCONFIRMED_ACCESS.message}${quote}.` };
    case 'not-found':
      return {
        type: 'error',
        title: "Pillars couldn't find this contact",
        message: `${failure.detail ?? 'The contact may have just been created, merged or deleted. Try again in a minute.'} If it keeps happening, contact Pillars support${quote}.`,
        retry: true,
      };
    case 'no-contact':
      return {
        type: 'support',
        title: 'The coaching panel needs a contact',
        message:
          'HubSpot opened this card without a contact id. It only works on contact records: remove it from this view and add it to the contact record view instead.',
        retry: false,
      };
    default:
      // 'server' (the other kinds have shared copy).
      return {
        type: 'error',
        title: "The coaching panel didn't load",
        message: `${failure.detail ?? "Pillars' server could not build this panel."} Try again in a minute; if it keeps failing, contact Pillars support${quote}.`,
        retry: true,
      };
  }
}

const FAILURE_TEST_IDS: Partial<Record<CoachingFailure['kind'], string>> = {
  'not-authorised': 'coaching-not-authorised',
  misconfigured: 'coaching-misconfigured',
};

function FailureView({ failure, onRetry }: { failure: CoachingFailure; onRetry: () => void }) {
  const { title, message, retry, type } = describeCoachingFailure(failure);
  const testId = FAILURE_TEST_IDS[failure.kind] ?? 'coaching-error';
  return (
    <ErrorState testId={testId} title={title} type={type}>
      <Text testId={`${testId}-message`}>{message}</Text>
      {retry ? (
        <Button testId="coaching-retry" variant="primary" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </ErrorState>
  );
}
