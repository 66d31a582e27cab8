/**
 * Connection and data retention: which HubSpot account Pillars is connected to, since when and with
 * which scopes, how long an uninstalled account's data is kept, and Disconnect. Disconnecting takes a
 * confirmation step that says what happens (HubSpot uninstalls the app, and every Pillars record of
 * the account is deleted at once, not after the retention period); the POST carries an idempotency
 * key reused on a retry and is sent once however often the button is clicked.
 */
import { useCallback, useState } from 'react';
import {
  Alert,
  Button,
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  StatusTag,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { Connection, DisconnectAnswer } from './api';
import type { Failure } from './state';
import { failureMessage, useIntent, useLoad } from './state';
import type { SectionEnv } from './ui';
import { Loaded, SendButton } from './ui';

/** The operator's default (PILLARS_RETENTION_DAYS, src/server/config.ts). */
export const DEFAULT_RETENTION_DAYS = 30;

export function formatTimestamp(iso: string, locale: string, timeZone: string | undefined): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat(locale, timeZone ? { ...options, timeZone } : options).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(date);
  }
}

export function retentionText(connection: Connection): string {
  return connection.retentionDays !== undefined
    ? `When Pillars is uninstalled from HubSpot, this account's data is kept ${connection.retentionDays} days, then deleted.`
    : `When Pillars is uninstalled from HubSpot, this account's data is kept ${DEFAULT_RETENTION_DAYS} days by default (the period is set by whoever operates Pillars), then deleted.`;
}

export function ConnectionSection({ env }: { env: SectionEnv }) {
  const { api, origin } = env;
  const load = useCallback(() => api.getConnection(origin), [api, origin]);
  const { state, reload } = useLoad(load, [load]);
  const [done, setDone] = useState<DisconnectAnswer | undefined>(undefined);

  if (done) {
    return (
      <Alert testId="connection-disconnected" title="Pillars is disconnected" variant="success">
        <Text testId="connection-disconnected-text">
          {done.dataDeleted
            ? 'HubSpot uninstalled Pillars and every Pillars record of this account is deleted. Install Pillars again from the HubSpot Marketplace to start over.'
            : 'HubSpot uninstalled Pillars. Deleting the data did not finish right away; it is completed automatically within a day.'}
        </Text>
      </Alert>
    );
  }
  if (state.status === 'error' && state.failure.kind === 'not-found') {
    // The route is served in OAuth (Marketplace) mode only; a private-app deployment has no connection.
    return (
      <Alert testId="connection-not-oauth" title="No Marketplace connection to manage" variant="info">
        <Text testId="connection-not-oauth-text">
          {`This Pillars server does not manage a Marketplace install for this account (${failureMessage(state.failure)}). Whoever operates Pillars removes its data on request.`}
        </Text>
      </Alert>
    );
  }
  return (
    <Flex direction="column" gap="md" testId="connection">
      <Loaded id="connection" label="connection" state={state} env={env} onRetry={reload}>
        {(connection) => <ConnectionView env={env} connection={connection} onDisconnected={setDone} />}
      </Loaded>
    </Flex>
  );
}

function ConnectionView({
  env,
  connection,
  onDisconnected,
}: {
  env: SectionEnv;
  connection: Connection;
  onDisconnected: (answer: DisconnectAnswer) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [failure, setFailure] = useState<Failure | undefined>(undefined);
  const intent = useIntent(env.newKey);
  const active = connection.status === 'active';

  const disconnect = () => {
    if (intent.sending) return;
    setFailure(undefined);
    intent.run('disconnect', (key) => env.api.disconnect(env.origin, key), onDisconnected, setFailure);
  };

  return (
    <Flex direction="column" gap="md">
      <Flex direction="row" gap="sm" align="center">
        <Heading testId="connection-heading">Connected HubSpot account</Heading>
        <StatusTag testId="connection-status" variant={active ? 'success' : 'warning'}>
          {active ? 'Connected' : connection.status}
        </StatusTag>
      </Flex>
      <DescriptionList direction="row" testId="connection-details">
        <DescriptionListItem label="Account (portal) id">
          <Text testId="connection-portal">{String(connection.portalId)}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Hub domain">
          <Text testId="connection-domain">{connection.hubDomain ?? 'Unknown'}</Text>
        </DescriptionListItem>
        <DescriptionListItem label="Installed">
          <Text testId="connection-installed">
            {formatTimestamp(connection.installedAt, env.locale, env.timeZone)}
          </Text>
        </DescriptionListItem>
      </DescriptionList>
      <Flex direction="column" gap="xs">
        <Text format={{ fontWeight: 'demibold' }}>{`Scopes granted (${connection.scopes.length})`}</Text>
        <Flex direction="row" gap="xs" wrap="wrap" testId="connection-scopes">
          {connection.scopes.map((scope) => (
            <Tag key={scope} variant="default">
              {scope}
            </Tag>
          ))}
        </Flex>
      </Flex>
      <Heading testId="connection-retention-heading">Data retention</Heading>
      <Text testId="connection-retention">{retentionText(connection)}</Text>
      <Heading testId="connection-disconnect-heading">Disconnect</Heading>
      {failure ? (
        <Alert testId="connection-disconnect-failed" title="Pillars wasn't disconnected" variant="danger">
          <Text testId="connection-disconnect-failed-text">{failureMessage(failure)}</Text>
        </Alert>
      ) : null}
      {confirming ? (
        <Alert testId="connection-confirm" title="Disconnect Pillars and delete its data?" variant="danger">
          <Flex direction="column" gap="sm">
            <Text testId="connection-confirm-text">
              HubSpot uninstalls Pillars from this account, and every Pillars record of the account
              (playbooks, settings, coaching notes, training assignments, stored metrics) is deleted at once,
              not after the retention period. This cannot be undone. Your HubSpot records are not touched.
            </Text>
            <Flex direction="row" gap="sm">
              <SendButton
                id="connection-confirm-yes"
                variant="destructive"
                sending={intent.sending}
                label="Disconnect and delete data"
                retry={failure !== undefined}
                onClick={disconnect}
              />
              <Button
                testId="connection-confirm-cancel"
                variant="secondary"
                disabled={intent.sending}
                onClick={() => {
                  setConfirming(false);
                  setFailure(undefined);
                }}
              >
                Cancel
              </Button>
            </Flex>
          </Flex>
        </Alert>
      ) : (
        <Flex direction="column" gap="xs">
          <Text testId="connection-disconnect-help">
            Disconnecting uninstalls Pillars from this HubSpot account and deletes its data right away.
          </Text>
          <Flex direction="row">
            <Button testId="connection-disconnect" variant="destructive" onClick={() => setConfirming(true)}>
              Disconnect Pillars
            </Button>
          </Flex>
        </Flex>
      )}
    </Flex>
  );
}
