/**
 * The only place the coaching panel card talks to the Pillars backend: the panel of one contact and
 * the note and training actions on it. Same rules as the deal card's api.ts: `hubspot.fetch` (HubSpot
 * signs each request), an explicit timeout, typed errors (BackendError with the backend's public
 * message and request id), an idempotency key on every write the card may retry, and a structural
 * check of the fields the card renders instead of the contract's strict zod schema.
 */
import { hubspot } from '@hubspot/ui-extensions';
import type { FetchHttpMethod } from '@hubspot/ui-extensions';
import type { HubSpotFetch } from '@pillars/ui-kit';
import { requestJson } from '@pillars/ui-kit';
// Types only: the contracts package pulls in zod at runtime, which the card does not need.
import type {
  CoachingNoteView,
  CoachingPanel,
  NoteKind,
  TRAINING_LIMITS,
  TrainingAssignmentView,
} from '@pillars/contracts';
import { GUIDANCE_TIMEOUT_MS } from './api';

/** The backend routes of the coaching card; the backend mounts exactly these paths. */
export const COACHING_PANEL_PATH = '/api/v1/coaching-panel';
export const COACHING_NOTES_PATH = '/api/v1/coaching/notes';
export const TRAINING_ASSIGNMENTS_PATH = '/api/v1/training/assignments';

/** `PATCH` and `DELETE` target: `/api/v1/coaching/notes/<noteId>`. */
export function coachingNotePath(noteId: string): string {
  return `${COACHING_NOTES_PATH}/${encodeURIComponent(noteId)}`;
}

/** `POST` target: `/api/v1/training/assignments/<assignmentId>/complete`. */
export function completeAssignmentPath(assignmentId: string): string {
  return `${TRAINING_ASSIGNMENTS_PATH}/${encodeURIComponent(assignmentId)}/complete`;
}

/** Same budget as the deal card: HubSpot's documented default. */
export const COACHING_TIMEOUT_MS = GUIDANCE_TIMEOUT_MS;

/**
 * The backend's limit on a note body (TRAINING_LIMITS.noteChars). Repeated as a literal because the
 * card imports only types from the contracts; the annotation fails the typecheck if they drift.
 */
export const NOTE_MAX_CHARS: (typeof TRAINING_LIMITS)['noteChars'] = 2000;

/** The note kinds in the order the form offers them; the Record type makes the list complete. */
export const NOTE_KIND_LABELS: Record<NoteKind, string> = {
  note: 'Note',
  praise: 'Praise',
  commitment: 'Commitment',
};
export const NOTE_KIND_ORDER = Object.keys(NOTE_KIND_LABELS) as NoteKind[];

export interface PanelRequest {
  /** An https origin from the profile variable BACKEND_ORIGIN, without a trailing slash. */
  backendOrigin: string;
  /** The HubSpot contact id (`context.crm.objectId`). */
  contactId: string;
}

export interface CreateNoteRequest {
  backendOrigin: string;
  contactId: string;
  kind: NoteKind;
  body: string;
  /** Commitments only, YYYY-MM-DD. */
  dueDate?: string;
  idempotencyKey: string;
}

export interface UpdateNoteRequest {
  backendOrigin: string;
  noteId: string;
  body?: string;
  dueDate?: string;
  done?: boolean;
  idempotencyKey: string;
}

export interface DeleteNoteRequest {
  backendOrigin: string;
  noteId: string;
}

export interface AssignTrainingRequest {
  backendOrigin: string;
  contactId: string;
  moduleId: string;
  /** YYYY-MM-DD; the backend defaults to 14 days from today. */
  dueDate?: string;
  idempotencyKey: string;
}

export interface CompleteTrainingRequest {
  backendOrigin: string;
  assignmentId: string;
  idempotencyKey: string;
}

export interface AssignTrainingResult {
  assignment: TrainingAssignmentView;
  /** False: the module was already assigned and open; `assignment` is that open assignment. */
  created: boolean;
}

/** What the card can load and do; injectable so tests never touch the worker global. */
export interface CoachingApi {
  fetchPanel(request: PanelRequest): Promise<CoachingPanel>;
  createNote(request: CreateNoteRequest): Promise<CoachingNoteView>;
  updateNote(request: UpdateNoteRequest): Promise<CoachingNoteView>;
  deleteNote(request: DeleteNoteRequest): Promise<void>;
  assignTraining(request: AssignTrainingRequest): Promise<AssignTrainingResult>;
  completeTraining(request: CompleteTrainingRequest): Promise<TrainingAssignmentView>;
}

/** An answer that is not what the route promises (deploy skew, a proxy page, truncated JSON). */
export class InvalidCoachingAnswerError extends Error {
  constructor(reason: string) {
    super(`the backend sent an answer the coaching card cannot use: ${reason}`);
    this.name = 'InvalidCoachingAnswerError';
  }
}

/** `https://host/api/v1/coaching-panel?contactId=...`. */
export function coachingPanelUrl({ backendOrigin, contactId }: PanelRequest): string {
  const query = new URLSearchParams({ contactId });
  return `${backendOrigin}${COACHING_PANEL_PATH}?${query.toString()}`;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isNullableString = (v: unknown): boolean => v === null || isString(v);
const isNullableNumber = (v: unknown): boolean => v === null || isNumber(v);
const isNullableBoolean = (v: unknown): boolean => v === null || isBoolean(v);
const isList = (v: unknown, each: (item: unknown) => boolean): boolean => Array.isArray(v) && v.every(each);

function isRelationship(value: unknown): boolean {
  if (!isObject(value) || !isNumber(value.days) || !isObject(value.touches)) return false;
  const { touches, lastTouch, nextActivity } = value;
  return (
    ['calls', 'emails', 'meetings', 'notes', 'tasks'].every((channel) => isNumber(touches[channel])) &&
    (lastTouch === null || (isObject(lastTouch) && isString(lastTouch.channel) && isString(lastTouch.at))) &&
    (nextActivity === null ||
      (isObject(nextActivity) &&
        isString(nextActivity.channel) &&
        isString(nextActivity.at) &&
        isNullableString(nextActivity.title)))
  );
}

export function isNote(value: unknown): value is CoachingNoteView {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.kind) &&
    isString(value.body) &&
    isNullableString(value.dueDate) &&
    isNullableBoolean(value.done) &&
    isNullableString(value.authorName) &&
    isString(value.createdAt) &&
    isString(value.updatedAt) &&
    isBoolean(value.editable)
  );
}

export function isAssignment(value: unknown): value is TrainingAssignmentView {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.moduleId) &&
    isString(value.moduleTitle) &&
    isString(value.moduleUrl) &&
    isString(value.reason) &&
    isNullableString(value.metric) &&
    isString(value.dueDate) &&
    isString(value.status) &&
    isBoolean(value.overdue) &&
    isNullableString(value.completedAt)
  );
}

function isEffect(value: unknown): boolean {
  return (
    value === null ||
    (isObject(value) &&
      isString(value.metric) &&
      isBoolean(value.supported) &&
      isString(value.reason) &&
      isNullableNumber(value.effect) &&
      (value.interval === null ||
        (isObject(value.interval) && isNumber(value.interval.low) && isNumber(value.interval.high))))
  );
}

const isScorecardRow = (row: unknown): boolean =>
  isObject(row) &&
  isString(row.metric) &&
  isNullableNumber(row.value) &&
  isNullableNumber(row.target) &&
  isNullableNumber(row.teamMedian) &&
  isString(row.direction);

const isRateSample = (v: unknown): boolean =>
  isObject(v) && isNumber(v.numerator) && isNumber(v.denominator) && isNullableNumber(v.rate);

const isStep = (step: unknown): boolean =>
  isObject(step) &&
  isString(step.step) &&
  isRateSample(step.rep) &&
  isNullableNumber(step.teamMedian) &&
  isBoolean(step.realGap) &&
  isNumber(step.weeksBelow) &&
  isNumber(step.weeksJudged) &&
  isNullableNumber(step.relativeGap);

const isSeries = (s: unknown): boolean =>
  isObject(s) && isString(s.metric) && isList(s.values, isNullableNumber);

const isPraise = (p: unknown): boolean =>
  isObject(p) && isString(p.kind) && isString(p.headline) && isString(p.evidence);

const isSuggested = (m: unknown): boolean =>
  isObject(m) &&
  isString(m.moduleId) &&
  isString(m.title) &&
  isString(m.url) &&
  isString(m.format) &&
  isNumber(m.minutes) &&
  isString(m.reason);

function checkFull(value: Json): string | undefined {
  if (value.access !== 'self' && value.access !== 'coach') return 'access is unknown';
  const { rep, diagnosis, trend, training, permissions } = value;
  if (!isObject(rep) || !isString(rep.ownerId) || !isString(rep.name)) return 'rep is missing';
  if (!isList(rep.teams, (t) => isObject(t) && isString(t.name))) return 'rep teams are malformed';
  if (!isString(value.weekStart) || !isBoolean(value.hasData)) return 'weekStart or hasData is missing';
  if (!isList(value.scorecard, isScorecardRow)) return 'scorecard is malformed';
  if (
    !isObject(diagnosis) ||
    !isString(diagnosis.status) ||
    !isString(diagnosis.summary) ||
    !isNullableString(diagnosis.weakestStep) ||
    !isList(diagnosis.steps, isStep)
  ) {
    return 'diagnosis is malformed';
  }
  if (!isObject(trend) || !isList(trend.weeks, isString) || !isList(trend.series, isSeries)) {
    return 'trend is malformed';
  }
  if (!isList(value.praise, isPraise)) return 'praise is malformed';
  if (!isList(value.notes, isNote)) return 'a note is malformed';
  if (
    !isObject(training) ||
    !isList(training.assigned, (a) => isAssignment(a) && isEffect((a as Json).effect ?? null)) ||
    !isList(training.suggested, isSuggested)
  ) {
    return 'training is malformed';
  }
  if (
    !isObject(permissions) ||
    !isBoolean(permissions.writeNotes) ||
    !isBoolean(permissions.assignTraining) ||
    !isBoolean(permissions.completeTraining)
  ) {
    return 'permissions are missing';
  }
  return undefined;
}

/**
 * A structural check of the fields the card renders. Not the contract's zod schema: that schema is
 * strict, so an additive backend change would break deployed cards, and zod would bloat the bundle.
 */
export function checkPanel(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON object';
  const { view, contact } = value;
  if (view !== 'full' && view !== 'summary-only' && view !== 'no-owner') return 'view is unknown';
  if (!isObject(contact) || !isString(contact.id) || !isNullableString(contact.name)) {
    return 'contact is missing';
  }
  if (!isRelationship(value.relationship)) return 'relationship summary is malformed';
  return view === 'full' ? checkFull(value) : undefined;
}

function send(
  fetchImpl: HubSpotFetch,
  method: FetchHttpMethod,
  url: string,
  body?: Record<string, unknown>,
): Promise<unknown> {
  return requestJson(fetchImpl, url, { method, body, timeout: COACHING_TIMEOUT_MS });
}

function noteOf(json: unknown): CoachingNoteView {
  const note = isObject(json) ? json.note : undefined;
  if (!isNote(note)) throw new InvalidCoachingAnswerError('the answer has no note');
  return note;
}

function assignmentOf(json: unknown): TrainingAssignmentView {
  const assignment = isObject(json) ? json.assignment : undefined;
  if (!isAssignment(assignment)) throw new InvalidCoachingAnswerError('the answer has no assignment');
  return assignment;
}

/** Builds the client over a `hubspot.fetch`-shaped function. */
export function createCoachingApi(fetchImpl: HubSpotFetch): CoachingApi {
  return {
    async fetchPanel(request) {
      const json = await send(fetchImpl, 'GET', coachingPanelUrl(request));
      const problem = checkPanel(json);
      if (problem !== undefined) throw new InvalidCoachingAnswerError(problem);
      // checkPanel covered every field the card reads; the rest is the contract's word.
      return json as CoachingPanel;
    },
    async createNote({ backendOrigin, ...body }) {
      return noteOf(await send(fetchImpl, 'POST', `${backendOrigin}${COACHING_NOTES_PATH}`, body));
    },
    async updateNote({ backendOrigin, noteId, ...body }) {
      return noteOf(await send(fetchImpl, 'PATCH', `${backendOrigin}${coachingNotePath(noteId)}`, body));
    },
    async deleteNote({ backendOrigin, noteId }) {
      const json = await send(fetchImpl, 'DELETE', `${backendOrigin}${coachingNotePath(noteId)}`);
      if (!isObject(json) || json.deleted !== true) {
        throw new InvalidCoachingAnswerError('the answer does not confirm the deletion');
      }
    },
    async assignTraining({ backendOrigin, ...body }) {
      const json = await send(fetchImpl, 'POST', `${backendOrigin}${TRAINING_ASSIGNMENTS_PATH}`, body);
      const assignment = assignmentOf(json);
      const created = isObject(json) ? json.created : undefined;
      if (!isBoolean(created))
        throw new InvalidCoachingAnswerError('the answer does not say whether it assigned');
      return { assignment, created };
    },
    async completeTraining({ backendOrigin, assignmentId, idempotencyKey }) {
      const url = `${backendOrigin}${completeAssignmentPath(assignmentId)}`;
      return assignmentOf(await send(fetchImpl, 'POST', url, { idempotencyKey }));
    },
  };
}

/** The real thing: `hubspot.fetch`, looked up at call time (it only exists inside HubSpot's worker). */
export const coachingApi: CoachingApi = createCoachingApi((url, options) => hubspot.fetch(url, options));
