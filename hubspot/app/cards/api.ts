/**
 * The only place the deal card talks to the Pillars backend. One request: the stage guidance of
 * one deal. It goes through `hubspot.fetch` (HubSpot signs it and checks the origin against
 * `permittedUrls.fetch`), with an explicit timeout, and throws a typed error for anything that is
 * not usable guidance. The request and its errors are @pillars/ui-kit's, shared with the other UI
 * folders; this module holds the route and the check of what the card renders.
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { HubSpotFetch } from '@pillars/ui-kit';
import { BACKEND_TIMEOUT_MS, requestJson } from '@pillars/ui-kit';
// Types only: the contracts package pulls in zod at runtime, which the card does not need (see
// docs/hubspot-project.md, "Validation in the card").
import type { DealGuidance } from '@pillars/contracts';

export const GUIDANCE_PATH = '/api/v1/deal-guidance';

/** HubSpot's documented default and the limit we design for (reference §3.2). */
export const GUIDANCE_TIMEOUT_MS = BACKEND_TIMEOUT_MS;

// The shared client's pieces the card's modules and tests reach through this module.
export type { HubSpotFetch } from '@pillars/ui-kit';
export { BackendError, BackendUnreachableError } from '@pillars/ui-kit';

export interface GuidanceRequest {
  /** An https origin from the profile variable BACKEND_ORIGIN, without a trailing slash. */
  backendOrigin: string;
  /** The HubSpot deal id (`context.crm.objectId`). */
  dealId: string;
}

/** A pipeline stage, in display order, for the stage stepper. */
export interface PipelineStage {
  id: string;
  label: string;
}

/**
 * The guidance as the card reads it. `pipeline.stages` may be missing when an older backend answers
 * (cards already installed in portals outlive backend deploys): the card then falls back to
 * "stage n of m" instead of the stepper.
 */
export type Guidance = Omit<DealGuidance, 'pipeline'> & {
  pipeline: Omit<DealGuidance['pipeline'], 'stages'> & { stages?: PipelineStage[] };
};

export type FetchGuidance = (request: GuidanceRequest) => Promise<Guidance>;

/** An answer that is not deal guidance (deploy skew, a proxy page, truncated JSON). */
export class InvalidGuidanceError extends Error {
  constructor(reason: string) {
    super(`the backend sent something that is not deal guidance: ${reason}`);
    this.name = 'InvalidGuidanceError';
  }
}

/** `https://host/api/v1/deal-guidance?dealId=...`. */
export function guidanceUrl({ backendOrigin, dealId }: GuidanceRequest): string {
  const query = new URLSearchParams({ dealId });
  return `${backendOrigin}${GUIDANCE_PATH}?${query.toString()}`;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNullableString = (v: unknown): boolean => v === null || isString(v);
const isNullableNumber = (v: unknown): boolean => v === null || isNumber(v);
const oneOf =
  (...values: readonly string[]) =>
  (v: unknown): boolean =>
    isString(v) && values.includes(v);

const isOutcome = oneOf('open', 'won', 'lost');
const isAge = (v: unknown): boolean => v === null || oneOf('ok', 'slow', 'stalled')(v);
const isStatus = oneOf('met', 'unmet', 'waived');
const isLevel = oneOf('required', 'recommended');
const isNextStepKind = oneOf('criterion', 'advance', 'closed');
const isSeverity = oneOf('warning', 'critical');

function checkTiming(value: unknown): boolean {
  return (
    value === null ||
    (isObject(value) &&
      isNumber(value.sampleSize) &&
      isNumber(value.p50) &&
      isNumber(value.p75) &&
      isNumber(value.p90) &&
      isString(value.source))
  );
}

function checkStage(value: unknown): string | undefined {
  if (!isObject(value)) return 'stage is missing';
  if (!isString(value.id) || !isString(value.label)) return 'stage has no id or label';
  if (!isNumber(value.index) || !isNumber(value.count)) return 'stage has no position';
  if (!isOutcome(value.outcome)) return 'stage outcome is unknown';
  if (!isNullableNumber(value.daysInStage) || !isAge(value.age) || !checkTiming(value.timing)) {
    return 'stage timing is malformed';
  }
  return undefined;
}

function checkCriterion(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { evidence, waiver } = value;
  return (
    isString(value.id) &&
    isString(value.label) &&
    isLevel(value.level) &&
    isStatus(value.status) &&
    isString(value.hint) &&
    isObject(evidence) &&
    isString(evidence.summary) &&
    (waiver === null || (isObject(waiver) && isString(waiver.reason)))
  );
}

/** https only, as the contract requires: a card never opens plain-http or script URLs. */
function isResource(value: unknown): boolean {
  return isObject(value) && isString(value.title) && isString(value.url) && value.url.startsWith('https://');
}

function checkStages(value: unknown): boolean {
  return (
    value === undefined ||
    (Array.isArray(value) && value.every((s) => isObject(s) && isString(s.id) && isString(s.label)))
  );
}

/**
 * A structural check of the fields the card renders. Deliberately not the contract's zod schema:
 * that schema is strict (unknown keys fail), so every additive backend change would break cards
 * already deployed in customer portals until the next upload; and it would put zod in the bundle.
 */
export function checkGuidance(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  if (!isString(value.dealId)) return 'dealId is missing';
  const { pipeline } = value;
  if (!isObject(pipeline) || !isString(pipeline.id) || !isString(pipeline.label)) {
    return 'pipeline is missing';
  }
  if (!checkStages(pipeline.stages)) return 'pipeline stages are malformed';
  const stageProblem = checkStage(value.stage);
  if (stageProblem !== undefined) return stageProblem;
  if (!isNullableString(value.goal) || !isString(value.guidance)) return 'goal or guidance is malformed';
  if (!Array.isArray(value.resources) || !value.resources.every(isResource)) return 'resources are malformed';
  if (!Array.isArray(value.criteria)) return 'criteria is not a list';
  if (!value.criteria.every(checkCriterion)) return 'a criterion is malformed';
  const { nextStep } = value;
  if (!isObject(nextStep) || !isNextStepKind(nextStep.kind) || !isString(nextStep.text)) {
    return 'nextStep is malformed';
  }
  if (!Array.isArray(value.risks)) return 'risks is not a list';
  for (const risk of value.risks) {
    if (!isObject(risk) || !isString(risk.code) || !isSeverity(risk.severity) || !isString(risk.message)) {
      return 'a risk is malformed';
    }
  }
  return undefined;
}

/** Builds the guidance fetcher over a `hubspot.fetch`-shaped function. */
export function createGuidanceFetcher(fetchImpl: HubSpotFetch): FetchGuidance {
  return async (request) => {
    const body = await requestJson(fetchImpl, guidanceUrl(request), { timeout: GUIDANCE_TIMEOUT_MS });
    const problem = checkGuidance(body);
    if (problem !== undefined) throw new InvalidGuidanceError(problem);
    // checkGuidance covered every field the card reads; the rest is the contract's word.
    return body as Guidance;
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time (it only exists inside HubSpot's worker). */
export const fetchDealGuidance: FetchGuidance = createGuidanceFetcher((url, options) =>
  hubspot.fetch(url, options),
);
