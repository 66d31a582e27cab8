/**
 * The task-completion webhook handler: only a task's hs_task_status becoming COMPLETED completes a
 * training assignment, and only for a portal the process serves.
 */
import type { HubSpotGateway } from '../../hubspot/gateway.js';
import type { WebhookEvent } from '../../store/webhook-ports.js';
import { createWebhookHandlers, isTaskCompleted } from '../handlers.js';
import type { WebhookHandlerDeps } from '../handlers.js';

function event(overrides: Partial<WebhookEvent>): WebhookEvent {
  return {
    portalId: 1,
    eventId: 'e1',
    subscriptionType: 'object.propertyChange',
    objectTypeId: '0-27',
    objectId: '555',
    propertyName: 'hs_task_status',
    propertyValue: 'COMPLETED',
    occurredAt: new Date('2026-11-28T12:00:00Z'),
    ...overrides,
  } as WebhookEvent;
}

test('isTaskCompleted matches a task status change to COMPLETED only', () => {
  expect(isTaskCompleted(event({}))).toBe(true);
  expect(isTaskCompleted(event({ propertyValue: 'IN_PROGRESS' }))).toBe(false);
  expect(isTaskCompleted(event({ objectTypeId: '0-3' }))).toBe(false);
  expect(isTaskCompleted(event({ propertyName: 'hs_task_subject' }))).toBe(false);
  expect(isTaskCompleted(event({ subscriptionType: 'object.creation' }))).toBe(false);
});

test('the handler completes by task id via task-webhook, and ignores unserved portals', async () => {
  const calls: unknown[][] = [];
  const quiet = () => undefined;
  const deps = {
    gatewayFor: (p: number) => (p === 1 ? ({} as HubSpotGateway) : null),
    invalidateDeal: quiet,
    webhooks: { stageChanges: () => Promise.resolve([]) },
    exceptions: { record: () => Promise.resolve(true) },
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    trainingTasks: {
      byTask: (...args: unknown[]) => {
        calls.push(args);
        return Promise.resolve({ id: 'a1' });
      },
    },
  } as unknown as WebhookHandlerDeps;
  const handler = createWebhookHandlers(deps).find((h) => h.matches(event({})));
  expect(handler?.name).toBe('trainingTaskCompleted');
  await handler?.handle(event({}));
  await handler?.handle(event({ portalId: 2 }));
  expect(calls).toEqual([[1, '555', new Date('2026-11-28T12:00:00Z'), 'task-webhook']]);
});
