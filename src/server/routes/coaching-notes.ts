/**
 * The coaching notes routes (issue 4 item 3), behind HubSpot's signature. The rep is always the owner
 * of the contact (read by the function), the author the signed user; the body never names either.
 *
 * POST   /api/v1/coaching/notes           {contactId, kind, body, dueDate?, idempotencyKey} → 201 {note}
 * PATCH  /api/v1/coaching/notes/:noteId   {body?, dueDate?, done?, idempotencyKey}          → 200 {note}
 * DELETE /api/v1/coaching/notes/:noteId                                                      → 200 {deleted: true}
 *
 * POST and PATCH run inside withIdempotency (keys `note:<key>` and `note-edit:<key>`), so a retried
 * write stores one note and replays the first answer. A note the caller cannot see answers 404 like an
 * unknown one. Note text is never logged (log-redaction.ts removes `body` keys).
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { NoteInput } from '@pillars/contracts';
import type { CoachingNotes } from '../../functions/coaching/coaching-notes.js';
import { parseNoteInput } from '../../functions/coaching/coaching-notes.js';
import type { FunctionContext, FunctionLogger } from '../../functions/context.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import { IDEMPOTENCY_KEY, withIdempotency } from '../idempotency.js';
import { identityOf } from '../request-context.js';
import type { SignedIdentity } from '../request-context.js';
import type { RouteEntry } from '../route-table.js';
import { invalidInputFromZod } from '../zod-errors.js';

/** Body limit of the note routes: a 2,000-character note in JSON, with room for escapes. */
export const NOTE_BODY_LIMIT = 16 * 1024;

export interface CoachingNotesRouteDeps {
  notes: CoachingNotes;
  idempotency: IdempotencyStore;
  contextFor: (identity: SignedIdentity, requestLogger: FunctionLogger) => Promise<FunctionContext>;
}

const idempotencyKey = z
  .string({ error: 'is required' })
  .regex(IDEMPOTENCY_KEY, { error: 'must be 8 to 128 letters, digits, "-" or "_"' });
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });

/** POST body: the note fields (checked by the function with noteInputSchema) and the key. */
const createEnvelope = z.looseObject({ idempotencyKey });

export const notePatchBodySchema = z.strictObject({
  body: z.string().optional(),
  dueDate: localDate.optional(),
  done: z.boolean().optional(),
  idempotencyKey,
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw invalidInputFromZod(parsed.error);
  return parsed.data;
}

/** The `:noteId` path parameter (the function answers 404 for anything it does not know). */
function noteIdOf(params: Record<string, unknown>): string {
  return typeof params.noteId === 'string' ? params.noteId : '';
}

/** POST /api/v1/coaching/notes. */
export function createNoteHandler(deps: CoachingNotesRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const { idempotencyKey: key, ...fields } = parse(createEnvelope, req.body);
    // Bad input fails before the idempotency key is claimed (nothing is written for it).
    parseNoteInput(fields);
    const result = await withIdempotency(deps.idempotency, identity.portalId, `note:${key}`, async () => {
      const ctx = await deps.contextFor(identity, res.locals.log);
      const note = await deps.notes.create(fields as NoteInput, ctx);
      return { status: 201, body: { note } };
    });
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

/** PATCH /api/v1/coaching/notes/:noteId. */
export function updateNoteHandler(deps: CoachingNotesRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const { idempotencyKey: key, ...patch } = parse(notePatchBodySchema, req.body);
    const noteId = noteIdOf(req.params);
    const result = await withIdempotency(
      deps.idempotency,
      identity.portalId,
      `note-edit:${key}`,
      async () => {
        const ctx = await deps.contextFor(identity, res.locals.log);
        const note = await deps.notes.update({ noteId, ...patch }, ctx);
        return { status: 200, body: { note } };
      },
    );
    res.status(result.status).set('cache-control', 'no-store').json(result.body);
  };
}

/** DELETE /api/v1/coaching/notes/:noteId. */
export function deleteNoteHandler(deps: CoachingNotesRouteDeps): RequestHandler {
  return async (req, res) => {
    const identity = identityOf(res);
    const ctx = await deps.contextFor(identity, res.locals.log);
    const answer = await deps.notes.remove({ noteId: noteIdOf(req.params) }, ctx);
    res.status(200).set('cache-control', 'no-store').json(answer);
  };
}

/** The route-table entries of this file. */
export function coachingNoteRoutes(deps: CoachingNotesRouteDeps): RouteEntry[] {
  return [
    {
      method: 'post',
      path: '/api/v1/coaching/notes',
      auth: 'hubspotSignature',
      handler: createNoteHandler(deps),
      bodyLimit: NOTE_BODY_LIMIT,
    },
    {
      method: 'patch',
      path: '/api/v1/coaching/notes/:noteId',
      auth: 'hubspotSignature',
      handler: updateNoteHandler(deps),
      bodyLimit: NOTE_BODY_LIMIT,
    },
    {
      method: 'delete',
      path: '/api/v1/coaching/notes/:noteId',
      auth: 'hubspotSignature',
      handler: deleteNoteHandler(deps),
    },
  ];
}
