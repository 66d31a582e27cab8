/**
 * Shared helpers of the sandbox integration tests: small fixtures, a started sandbox, and the real
 * HubSpot client pointed at it.
 */
import { Client } from '@hubspot/api-client';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.js';
import {
  parsePortalFixture,
  type PortalFixture,
  type PortalFixtureInput,
} from '../../../src/sandbox/fixture.js';

export const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

/** A small portal: owners (one archived), users, teams, a pipeline, calls, deals, contacts, associations. */
export function basicFixture(portalId = 101, extra: Partial<PortalFixtureInput> = {}): PortalFixture {
  const input: PortalFixtureInput = {
    portal: { portalId, timeZone: 'America/New_York', currency: 'USD', name: `Portal ${portalId}` },
    owners: [
      {
        id: '11',
        userId: 9011,
        email: 'ana@example.com',
        firstName: 'Ana',
        lastName: 'Diaz',
        teams: [{ id: '7', name: 'East', primary: true }],
      },
      {
        id: '12',
        userId: 9012,
        email: 'bo@example.com',
        firstName: 'Bo',
        lastName: 'Lee',
        teams: [
          { id: '7', name: 'East', primary: false },
          { id: '8', name: 'West', primary: true },
        ],
      },
      { id: '13', userId: 9013, email: 'cy@example.com', firstName: 'Cy', lastName: 'Old', archived: true },
    ],
    users: [
      { id: '9011', email: 'ana@example.com', superAdmin: true, primaryTeamId: '7' },
      { id: '9012', email: 'bo@example.com', primaryTeamId: '8', secondaryTeamIds: ['7'] },
    ],
    pipelines: {
      deals: [
        {
          id: 'default',
          label: 'Sales Pipeline',
          displayOrder: 0,
          stages: [
            {
              id: 'appointmentscheduled',
              label: 'Appointment scheduled',
              displayOrder: 0,
              metadata: { probability: '0.2', isClosed: 'false' },
            },
            {
              id: 'closedwon',
              label: 'Closed won',
              displayOrder: 1,
              metadata: { probability: '1.0', isClosed: 'true' },
            },
          ],
        },
      ],
    },
    objects: {
      calls: [
        call('5001', '2026-11-03T14:00:00.000Z', '11', {
          hs_call_direction: 'OUTBOUND',
          hs_call_disposition: CONNECTED,
          hs_call_duration: '184000',
        }),
        call('5002', '1793800800000', '11', { hs_call_direction: 'INBOUND', hs_call_duration: '60000' }), // 2026-11-04T14:00Z as epoch ms
        call('5003', '2026-11-05T09:30:00Z', '12', {
          hs_call_direction: 'OUTBOUND',
          hs_call_title: 'Intro call with ACME Corp',
        }),
        call('5004', 'not a date', '12', { hs_call_direction: 'OUTBOUND' }),
        call('5005', '2026-11-06T16:00:00.000-05:00', '', { hs_call_title: 'Follow-up' }),
        { ...call('5006', '2026-11-03T15:00:00.000Z', '11', {}), archived: true },
      ],
      deals: [
        {
          id: '301',
          createdAt: '2026-10-01T10:00:00.000Z',
          properties: {
            dealname: 'ACME renewal',
            amount: '1500.50',
            dealstage: 'closedwon',
            hubspot_owner_id: '11',
            closedate: '2026-11-04T12:00:00.000Z',
          },
        },
        {
          id: '302',
          createdAt: '2026-10-02T10:00:00.000Z',
          properties: {
            dealname: 'Globex',
            amount: '900',
            dealstage: 'appointmentscheduled',
            hubspot_owner_id: '12',
          },
        },
      ],
      contacts: [
        { id: '1', properties: { email: 'jane@acme.test', firstname: 'Jane', lastname: 'Doe' } },
        { id: '2', properties: { email: 'john@globex.test', firstname: 'John', lastname: 'Roe' } },
      ],
    },
    associations: [
      { from: { type: 'calls', id: '5001' }, to: { type: 'contacts', id: '1' } },
      { from: { type: 'calls', id: '5001' }, to: { type: 'deals', id: '301' }, typeId: 206 },
      { from: { type: 'calls', id: '5003' }, to: { type: 'deals', id: '301' } },
      { from: { type: 'deals', id: '302' }, to: { type: 'contacts', id: '2' } },
    ],
    ...extra,
  };
  return parsePortalFixture(input, `fixture ${portalId}`);
}

/** A call record for fixtures. */
export function call(
  id: string,
  timestamp: string,
  ownerId: string,
  props: Record<string, string>,
): { id: string; createdAt: string; updatedAt: string; properties: Record<string, string> } {
  return {
    id,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    properties: { hs_timestamp: timestamp, hubspot_owner_id: ownerId, ...props },
  };
}

/** Create and start a sandbox; the caller stops it. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const sandbox = createSandbox(options);
  await sandbox.start();
  return sandbox;
}

/** The real HubSpot client, pointed at the sandbox. */
export function clientFor(
  sandbox: Sandbox,
  accessToken: string,
  extra: Record<string, unknown> = {},
): Client {
  return new Client({ accessToken, basePath: sandbox.baseUrl, ...extra });
}

/** Status and body of an ApiException (or anything thrown). */
export function errorOf(e: unknown): { code: number; body: Record<string, unknown> } {
  const err = e as { code?: number; body?: unknown };
  return { code: err.code ?? -1, body: (err.body ?? {}) as Record<string, unknown> };
}

/** Await a promise that must reject; returns the HubSpot status and body. */
export async function rejection(
  p: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return errorOf(e);
  }
  throw new Error('expected the call to fail');
}

/** Raw fetch against the sandbox (for endpoints the client has no method for). */
export async function raw(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const res = await fetch(`${sandbox.baseUrl}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
}
