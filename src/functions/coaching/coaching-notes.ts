/**
 * Coaching notes (issue 4 item 3): write, edit, mark done and delete notes, praise and commitments
 * about a rep, under the one access policy (src/core/access/policy.ts):
 *
 * - create: the rep is always the owner of the contact whose record is open (read fresh from HubSpot,
 *   never from the input); the caller needs can(access, 'writeNotes') on that rep (a coach). The
 *   author is the signed user.
 * - update body / dueDate: the author only (and only while they still see the rep);
 * - mark a commitment done or not: the rep or a coach (can(access, 'markCommitment'));
 * - delete: the author only.
 * A note the caller may not read (another rep's, another team's) answers NOT_FOUND, as an unknown
 * one does; FORBIDDEN messages never name the rep. Every check runs before the one store write, so a
 * refused request changes nothing.
 *
 * HubSpot requests: create reads the contact (1 batch read); owners, users and account details come
 * from the gateway's metadata cache. Update and delete read nothing from HubSpot but metadata.
 */
import { noteInputSchema, TRAINING_LIMITS } from '@pillars/contracts';
import type { CoachingNoteView, NoteInput } from '@pillars/contracts';
import { accessToRep, can } from '../../core/access/policy.js';
import type { RepAccess, Viewer } from '../../core/access/policy.js';
import { AppError, invalidInput } from '../../core/errors.js';
import type { CoachingNote, CoachingNotePatch, CoachingNoteStore } from '../../store/coaching-ports.js';
import type { FunctionContext, PillarsFunction } from '../context.js';
import { authorNameOf, toNoteView } from './coaching-panel.js';
import type { CoachingSettings } from './coaching-settings.js';
import { resolveContactAccess, resolveViewer } from './rep-access.js';
import { localDateOf } from './team-series.js';

export interface CoachingNotesDeps {
  settings: CoachingSettings;
  notes: Pick<CoachingNoteStore, 'create' | 'get' | 'update' | 'delete'>;
  /** Told after every change (e.g. the panel's invalidateRep); never given note text. */
  onChange?: (portalId: number, repOwnerId: string) => void;
}

/** What a caller may change on a note. */
export interface NotePatchInput {
  noteId: string;
  body?: string;
  dueDate?: string;
  done?: boolean;
}

export interface CoachingNotes {
  create: PillarsFunction<NoteInput, CoachingNoteView>;
  update: PillarsFunction<NotePatchInput, CoachingNoteView>;
  remove: PillarsFunction<{ noteId: string }, { deleted: true }>;
}

const NOTE_NOT_FOUND = 'This coaching note no longer exists, or you cannot see it. Reload the record.';
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function forbidden(logMessage: string, publicMessage: string): AppError {
  return new AppError('FORBIDDEN', logMessage, { publicMessage });
}

function noteNotFound(portalId: number): AppError {
  return new AppError('NOT_FOUND', `coaching note not found or not visible in portal ${portalId}`, {
    publicMessage: NOTE_NOT_FOUND,
  });
}

function checkBody(body: string): string {
  const text = body.trim();
  if (text.length === 0) throw invalidInput('body: write something first', { field: 'body' });
  if ([...text].length > TRAINING_LIMITS.noteChars)
    throw invalidInput(`body: at most ${TRAINING_LIMITS.noteChars} characters`, { field: 'body' });
  return text;
}

async function portalToday(ctx: FunctionContext): Promise<string> {
  const { timeZone } = await ctx.hubspot.getPortalDetails();
  return localDateOf(ctx.now().getTime(), timeZone);
}

function checkDueDate(dueDate: string, today: string): void {
  if (!LOCAL_DATE.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`)))
    throw invalidInput('dueDate: expected a date as YYYY-MM-DD', { field: 'dueDate' });
  if (dueDate < today)
    throw invalidInput(`dueDate: a commitment cannot be due in the past (today is ${today})`, {
      field: 'dueDate',
    });
}

async function viewOf(ctx: FunctionContext, note: CoachingNote, viewer: Viewer): Promise<CoachingNoteView> {
  const [owners, users] = await Promise.all([
    ctx.hubspot.listOwners({ archived: false }),
    ctx.hubspot.listUsers(),
  ]);
  return toNoteView(note, viewer.userId, authorNameOf(note.authorUserId, owners, users));
}

/** The caller and their access to the rep a stored note is about. */
async function accessToNote(
  ctx: FunctionContext,
  settings: CoachingSettings,
  note: CoachingNote,
): Promise<{ viewer: Viewer; access: RepAccess }> {
  const [viewer, active, coaches] = await Promise.all([
    resolveViewer(ctx),
    ctx.hubspot.listOwners({ archived: false }),
    settings.coaches(ctx.portalId),
  ]);
  let rep = active.find((o) => o.id === note.repOwnerId);
  if (rep === undefined) {
    const archived = await ctx.hubspot.listOwners({ archived: true });
    rep = archived.find((o) => o.id === note.repOwnerId);
  }
  const teamIds = rep?.teams.map((t) => t.id) ?? [];
  return { viewer, access: accessToRep(viewer, { ownerId: note.repOwnerId, teamIds }, coaches.teams) };
}

/** The note input, or a 400 naming the first bad field (the route checks it before claiming its key). */
export function parseNoteInput(raw: unknown): NoteInput {
  const parsed = noteInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
    throw invalidInput(
      `${field ? `${field}: ` : ''}${issue?.message ?? 'invalid note'}`,
      field ? { field } : undefined,
    );
  }
  return parsed.data;
}

/** Build the note functions over the note store. */
export function createCoachingNotes(deps: CoachingNotesDeps): CoachingNotes {
  const changed = (portalId: number, repOwnerId: string) => deps.onChange?.(portalId, repOwnerId);

  /** The stored note when the caller may read it; NOT_FOUND otherwise. */
  async function visibleNote(ctx: FunctionContext, noteId: string) {
    if (typeof noteId !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(noteId)) throw noteNotFound(ctx.portalId);
    const note = await deps.notes.get(ctx.portalId, noteId);
    if (note === null) throw noteNotFound(ctx.portalId);
    const { viewer, access } = await accessToNote(ctx, deps.settings, note);
    if (!can(access, 'readNotes')) throw noteNotFound(ctx.portalId);
    return { note, viewer, access };
  }

  const create = async (raw: NoteInput, ctx: FunctionContext): Promise<CoachingNoteView> => {
    const input = parseNoteInput(raw);
    const [resolved, today] = await Promise.all([
      resolveContactAccess(ctx, deps.settings, input.contactId),
      portalToday(ctx),
    ]);
    if (resolved.rep === null) {
      throw invalidInput(
        'contactId: this contact has no owner in HubSpot, so there is no rep to write a coaching note about',
        { field: 'contactId' },
      );
    }
    if (!can(resolved.access, 'writeNotes')) {
      throw forbidden(
        `caller may not write notes about the owner of contact ${input.contactId} (access ${resolved.access})`,
        "Only a coach of this contact's owner can write coaching notes here.",
      );
    }
    const commitment = input.kind === 'commitment';
    if (commitment) checkDueDate(input.dueDate as string, today);
    const note = await deps.notes.create({
      portalId: ctx.portalId,
      repOwnerId: resolved.rep.id,
      kind: input.kind,
      body: input.body,
      dueDate: commitment ? (input.dueDate as string) : null,
      done: commitment ? false : null,
      authorUserId: resolved.viewer.userId,
      contactId: input.contactId,
      createdAt: ctx.now(),
    });
    changed(ctx.portalId, note.repOwnerId);
    return viewOf(ctx, note, resolved.viewer);
  };

  const update = async (input: NotePatchInput, ctx: FunctionContext): Promise<CoachingNoteView> => {
    const { note, viewer, access } = await visibleNote(ctx, input.noteId);
    const editsText = input.body !== undefined || input.dueDate !== undefined;
    if (!editsText && input.done === undefined)
      throw invalidInput('nothing to change: give body, dueDate or done', { field: 'body' });
    if (editsText && note.authorUserId !== viewer.userId)
      throw forbidden('only the author may edit a note', 'Only the author of this note can edit it.');
    if ((input.dueDate !== undefined || input.done !== undefined) && note.kind !== 'commitment') {
      const field = input.dueDate !== undefined ? 'dueDate' : 'done';
      throw invalidInput(`${field}: only commitments have a due date and can be marked done`, { field });
    }
    if (input.done !== undefined && !can(access, 'markCommitment'))
      throw forbidden('caller may not mark this commitment', 'You cannot mark this commitment.');
    const patch: { body?: string; dueDate?: string; done?: boolean } = {};
    if (input.body !== undefined) patch.body = checkBody(input.body);
    if (input.dueDate !== undefined) {
      checkDueDate(input.dueDate, await portalToday(ctx));
      patch.dueDate = input.dueDate;
    }
    if (input.done !== undefined) patch.done = input.done;
    const updated = await deps.notes.update(
      ctx.portalId,
      note.id,
      patch satisfies CoachingNotePatch,
      ctx.now(),
    );
    if (updated === null) throw noteNotFound(ctx.portalId);
    changed(ctx.portalId, updated.repOwnerId);
    return viewOf(ctx, updated, viewer);
  };

  const remove = async (input: { noteId: string }, ctx: FunctionContext): Promise<{ deleted: true }> => {
    const { note, viewer } = await visibleNote(ctx, input.noteId);
    if (note.authorUserId !== viewer.userId)
      throw forbidden('only the author may delete a note', 'Only the author of this note can delete it.');
    if (!(await deps.notes.delete(ctx.portalId, note.id))) throw noteNotFound(ctx.portalId);
    changed(ctx.portalId, note.repOwnerId);
    return { deleted: true };
  };

  return { create, update, remove };
}
