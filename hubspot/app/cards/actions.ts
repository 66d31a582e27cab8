/**
 * The deal card's two actions against the backend (issue 3 items 6 and 7): waive a criterion and
 * create a follow-up task. Both are signed POSTs through `hubspot.fetch` carrying an idempotency key
 * the card generates once per user intent and reuses when the same intent is retried, so a double
 * click or a retry after a timeout never acts twice.
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { HubSpotFetch } from '@pillars/ui-kit';
import { requestJson } from '@pillars/ui-kit';
import type { Guidance } from './api';
import { GUIDANCE_PATH, GUIDANCE_TIMEOUT_MS, InvalidGuidanceError, checkGuidance } from './api';

export const WAIVER_PATH = `${GUIDANCE_PATH}/waivers`;
export const FOLLOW_UP_PATH = `${GUIDANCE_PATH}/follow-up`;
/** The backend's limit on a waiver reason, in characters. */
export const MAX_WAIVER_REASON = 280;

/** The task the follow-up route created (or had created for this intent). */
export interface FollowUpTask {
  id: string;
  subject: string;
  dueAt: string;
  ownerId: string | null;
  status: string;
}

export interface FollowUpRequest {
  backendOrigin: string;
  dealId: string;
  idempotencyKey: string;
  subject?: string;
  dueInDays?: number;
}

export interface WaiverRequest {
  backendOrigin: string;
  dealId: string;
  criterionId: string;
  reason: string;
  idempotencyKey: string;
}

/** What the card can do to a deal; injectable so tests never touch the worker global. */
export interface DealActions {
  createFollowUp(request: FollowUpRequest): Promise<FollowUpTask>;
  /** Answers the fresh guidance, the waiver included. */
  waiveCriterion(request: WaiverRequest): Promise<Guidance>;
}

/** A fresh idempotency key: 8 to 128 of [A-Za-z0-9_-], as the backend requires. */
export function newIdempotencyKey(): string {
  const random = () => Math.random().toString(36).slice(2, 12).padEnd(10, '0');
  return `${Date.now().toString(36)}-${random()}${random()}`;
}

function postJson(fetchImpl: HubSpotFetch, url: string, body: Record<string, unknown>): Promise<unknown> {
  return requestJson(fetchImpl, url, { method: 'POST', body, timeout: GUIDANCE_TIMEOUT_MS });
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds the actions over a `hubspot.fetch`-shaped function. */
export function createDealActions(fetchImpl: HubSpotFetch): DealActions {
  return {
    async createFollowUp({ backendOrigin, ...body }) {
      const json = await postJson(fetchImpl, `${backendOrigin}${FOLLOW_UP_PATH}`, body);
      const task = isObject(json) ? json.task : undefined;
      if (!isObject(task) || typeof task.id !== 'string' || typeof task.subject !== 'string') {
        throw new InvalidGuidanceError('the follow-up answer has no task');
      }
      return task as unknown as FollowUpTask;
    },
    async waiveCriterion({ backendOrigin, ...body }) {
      const json = await postJson(fetchImpl, `${backendOrigin}${WAIVER_PATH}`, body);
      const problem = checkGuidance(json);
      if (problem !== undefined) throw new InvalidGuidanceError(problem);
      return json as Guidance;
    },
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time. */
export const dealActions: DealActions = createDealActions((url, options) => hubspot.fetch(url, options));
