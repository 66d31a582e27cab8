/**
 * The Pillars settings page (Marketplace › Connected apps › Pillars › Settings), for the account's
 * super admins: playbooks, activity targets, the training catalogue and rules, coaches per team, and
 * the connection with data retention. One tab per section; a section loads when its tab is first
 * opened and keeps its unsaved edits while another tab is shown. A 403 from any section replaces the
 * page with the "only super admins" state. Data comes only from the backend through `api.ts`; `api`
 * and `newKey` are seams that default to the real things, so tests need no module mocks.
 */
import { useCallback, useState } from 'react';
import type { ReactElement } from 'react';
import { ErrorState, Flex, Heading, Tab, Tabs, Text } from '@hubspot/ui-extensions';
import type { SettingsContext } from '@hubspot/ui-extensions';
import { backendOriginFrom, resolveLocale } from '@pillars/ui-kit';
import type { SettingsApi } from './api';
import { settingsApi } from './api';
import { CatalogueSection } from './CatalogueSection';
import { CoachesSection } from './CoachesSection';
import { ConnectionSection } from './ConnectionSection';
import { createLookups } from './lookups';
import { PlaybooksSection } from './PlaybooksSection';
import { RulesSection } from './RulesSection';
import type { Failure } from './state';
import { ADMIN_ONLY, newIdempotencyKey, reference } from './state';
import { TargetsSection } from './TargetsSection';
import type { SectionEnv } from './ui';

/** What the page reads from HubSpot's context (the whole SettingsContext satisfies it). */
export type SettingsPageContext = Pick<SettingsContext, 'user' | 'variables'> & {
  portal?: { timezone?: string | undefined } | undefined;
};

export interface SettingsPageProps {
  context: SettingsPageContext;
  /** The backend client; defaults to the backend through `hubspot.fetch`. */
  api?: SettingsApi;
  /** Makes an idempotency key per user intent (tests pass a predictable one). */
  newKey?: () => string;
}

export const TABS = [
  { id: 'playbooks', title: 'Playbooks' },
  { id: 'targets', title: 'Activity targets' },
  { id: 'catalogue', title: 'Training catalogue' },
  { id: 'rules', title: 'Training rules' },
  { id: 'coaches', title: 'Coaches' },
  { id: 'connection', title: 'Connection & data' },
] as const;
export type TabId = (typeof TABS)[number]['id'];

const SECTIONS: Record<TabId, (props: { env: SectionEnv }) => ReactElement> = {
  playbooks: PlaybooksSection,
  targets: TargetsSection,
  catalogue: CatalogueSection,
  rules: RulesSection,
  coaches: CoachesSection,
  connection: ConnectionSection,
};

export function SettingsPage({ context, api = settingsApi, newKey = newIdempotencyKey }: SettingsPageProps) {
  const [backend] = useState(() => backendOriginFrom(context.variables));
  const [forbidden, setForbidden] = useState<Failure | undefined>(undefined);
  const [selected, setSelected] = useState<TabId>('playbooks');
  const [opened, setOpened] = useState<readonly TabId[]>(['playbooks']);
  const onForbidden = useCallback((failure: Failure) => setForbidden(failure), []);
  const [env] = useState<SectionEnv | undefined>(() =>
    backend.ok
      ? {
          api,
          origin: backend.origin,
          lookups: createLookups(api, backend.origin),
          newKey,
          locale: resolveLocale(context.user.locale),
          timeZone: context.portal?.timezone,
          onForbidden,
        }
      : undefined,
  );

  if (!backend.ok || env === undefined) {
    return (
      <ErrorState testId="settings-misconfigured" title="Pillars isn't set up correctly" type="support">
        <Text testId="settings-misconfigured-message">
          {`This build of the app has no usable backend address (${backend.ok ? 'BACKEND_ORIGIN' : backend.problem}). The app's developer needs to upload it again with a profile that sets BACKEND_ORIGIN.`}
        </Text>
      </ErrorState>
    );
  }
  if (forbidden) {
    return (
      <ErrorState
        testId="settings-not-authorised"
        title="Only super admins can change Pillars settings"
        type="lock"
      >
        <Text testId="settings-not-authorised-message">{`${forbidden.detail ?? ADMIN_ONLY}${reference(forbidden)}`}</Text>
      </ErrorState>
    );
  }

  const select = (id: string | number) => {
    const tab = TABS.find((t) => t.id === id);
    if (!tab) return;
    setSelected(tab.id);
    setOpened((list) => (list.includes(tab.id) ? list : [...list, tab.id]));
  };

  return (
    <Flex direction="column" gap="md" testId="settings">
      <Heading testId="settings-heading">Pillars settings</Heading>
      <Text testId="settings-intro">
        How Pillars guides deals and coaches reps in this HubSpot account. Only super admins see this page;
        changes apply to everyone in the account.
      </Text>
      <Tabs testId="settings-tabs" selected={selected} onSelectedChange={select}>
        {TABS.map((tab) => {
          const Section = SECTIONS[tab.id];
          return (
            <Tab key={tab.id} tabId={tab.id} title={tab.title} testId={`tab-${tab.id}`}>
              {opened.includes(tab.id) ? (
                <Flex direction="column" gap="md">
                  <Heading testId={`tab-${tab.id}-heading`}>{tab.title}</Heading>
                  <Section env={env} />
                </Flex>
              ) : null}
            </Tab>
          );
        })}
      </Tabs>
    </Flex>
  );
}
