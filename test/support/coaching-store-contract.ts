/**
 * The coaching notes, training assignments and job-run leases part of the store contract (issue 4),
 * called from describeStoreContract so every adapter (SQLite, PGlite, PostgreSQL) runs it: lifecycle,
 * portal isolation, input checks, and the create-once / claim-once guarantees under concurrency.
 */
import fc from 'fast-check';
import { TRAINING_LIMITS } from '@pillars/contracts';
import type {
  NewCoachingNote,
  NewTrainingAssignment,
  TrainingAssignment,
} from '../../src/store/coaching-ports.js';
import type { Store } from '../../src/store/ports.js';
import { expectAppError } from './store-contract.js';

const T0 = new Date('2025-03-03T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const CONCURRENT = 20;

/** Register the tests; `store` is read when they run, `newPortal` gives each test fresh portal ids. */
export function describeCoachingStoreContract(store: () => Store, newPortal: () => number): void {
  const note = (portalId: number, overrides: Partial<NewCoachingNote> = {}): NewCoachingNote => ({
    portalId,
    repOwnerId: '501',
    kind: 'note',
    body: 'Good discovery call; ask about budget earlier.',
    dueDate: null,
    done: null,
    authorUserId: 77,
    contactId: '9001',
    createdAt: T0,
    ...overrides,
  });

  const assignment = (
    portalId: number,
    overrides: Partial<NewTrainingAssignment> = {},
  ): NewTrainingAssignment => ({
    portalId,
    repOwnerId: '501',
    moduleId: 'discovery-101',
    moduleVersion: '3',
    source: 'rule',
    ruleId: 'low-connect',
    assignedByUserId: null,
    reason: 'Connect rate below the team median in 3 of the last 4 weeks',
    metric: 'connectRate',
    dueDate: '2025-03-17',
    createdAt: T0,
    ...overrides,
  });

  describe('coaching notes', () => {
    it('creates, reads, lists newest first with a limit, updates and deletes', async () => {
      const p = newPortal();
      const s = store();
      await expect(s.coachingNotes.listForRep(p, '501')).resolves.toEqual([]);
      const first = await s.coachingNotes.create(note(p, { body: '  first  ' }));
      expect(first).toEqual({ ...note(p, { body: 'first' }), id: expect.any(String), updatedAt: T0 });
      const second = await s.coachingNotes.create(
        note(p, {
          kind: 'commitment',
          body: 'Book 5 meetings',
          dueDate: '2025-03-10',
          done: false,
          createdAt: at(MINUTE),
        }),
      );
      const third = await s.coachingNotes.create(
        note(p, { kind: 'praise', body: 'Great close', createdAt: at(2 * MINUTE) }),
      );
      await s.coachingNotes.create(note(p, { repOwnerId: '502' }));

      await expect(s.coachingNotes.get(p, second.id)).resolves.toEqual(second);
      await expect(s.coachingNotes.get(p, 'not-a-uuid')).resolves.toBeNull();
      expect((await s.coachingNotes.listForRep(p, '501')).map((n) => n.id)).toEqual([
        third.id,
        second.id,
        first.id,
      ]);
      expect((await s.coachingNotes.listForRep(p, '501', 2)).map((n) => n.id)).toEqual([third.id, second.id]);

      const updated = await s.coachingNotes.update(
        p,
        second.id,
        { done: true, dueDate: '2025-03-12' },
        at(3 * MINUTE),
      );
      expect(updated).toEqual({ ...second, done: true, dueDate: '2025-03-12', updatedAt: at(3 * MINUTE) });
      await expect(s.coachingNotes.get(p, second.id)).resolves.toEqual(updated);
      const edited = await s.coachingNotes.update(p, first.id, { body: ' edited ' }, at(4 * MINUTE));
      expect(edited).toMatchObject({ body: 'edited', updatedAt: at(4 * MINUTE), createdAt: T0 });
      await expect(
        s.coachingNotes.update(p, '00000000-0000-4000-8000-000000000000', { body: 'x' }, T0),
      ).resolves.toBeNull();

      await expect(s.coachingNotes.delete(p, first.id)).resolves.toBe(true);
      await expect(s.coachingNotes.delete(p, first.id)).resolves.toBe(false);
      await expect(s.coachingNotes.get(p, first.id)).resolves.toBeNull();
      expect(await s.coachingNotes.listForRep(p, '501')).toHaveLength(2);
    });

    it('another portal never sees, changes or deletes the notes', async () => {
      const [a, b] = [newPortal(), newPortal()];
      const s = store();
      const n = await s.coachingNotes.create(note(a));
      await expect(s.coachingNotes.get(b, n.id)).resolves.toBeNull();
      await expect(s.coachingNotes.listForRep(b, '501')).resolves.toEqual([]);
      await expect(s.coachingNotes.update(b, n.id, { body: 'hijack' }, T0)).resolves.toBeNull();
      await expect(s.coachingNotes.delete(b, n.id)).resolves.toBe(false);
      await expect(s.coachingNotes.deleteForContact(b, '9001')).resolves.toBe(0);
      await s.coachingNotes.deletePortal(b);
      await expect(s.coachingNotes.get(a, n.id)).resolves.toEqual(n);
    });

    it('deleteForContact removes only that contact’s notes; deletePortal removes the portal’s', async () => {
      const [a, b] = [newPortal(), newPortal()];
      const s = store();
      await s.coachingNotes.create(note(a, { contactId: '9001' }));
      await s.coachingNotes.create(note(a, { contactId: '9001', repOwnerId: '502' }));
      const kept = await s.coachingNotes.create(note(a, { contactId: '9002' }));
      const elsewhere = await s.coachingNotes.create(note(a, { contactId: null }));
      const other = await s.coachingNotes.create(note(b, { contactId: '9001' }));
      await expect(s.coachingNotes.deleteForContact(a, '9001')).resolves.toBe(2);
      expect((await s.coachingNotes.listForRep(a, '501')).map((n) => n.id).sort()).toEqual(
        [kept.id, elsewhere.id].sort(),
      );
      await expect(s.coachingNotes.listForRep(a, '502')).resolves.toEqual([]);
      await s.coachingNotes.deletePortal(a);
      await expect(s.coachingNotes.listForRep(a, '501')).resolves.toEqual([]);
      await expect(s.coachingNotes.get(b, other.id)).resolves.toEqual(other);
    });

    it('refuses bad notes and patches with INVALID_INPUT naming the field, writing nothing', async () => {
      const p = newPortal();
      const s = store();
      const bad: [Partial<NewCoachingNote>, string][] = [
        [{ portalId: 0 }, 'portalId'],
        [{ repOwnerId: 'abc' }, 'repOwnerId'],
        [{ repOwnerId: '' }, 'repOwnerId'],
        [{ kind: 'rant' as NewCoachingNote['kind'] }, 'kind'],
        [{ body: '' }, 'body'],
        [{ body: ' \n\t ' }, 'body'],
        [{ body: 'x'.repeat(TRAINING_LIMITS.noteChars + 1) }, 'body'],
        [{ kind: 'commitment', dueDate: null, done: false }, 'dueDate'],
        [{ kind: 'commitment', dueDate: '2025-02-30', done: false }, 'dueDate'],
        [{ kind: 'commitment', dueDate: '2025-03-10', done: true }, 'done'],
        [{ kind: 'commitment', dueDate: '2025-03-10', done: null }, 'done'],
        [{ kind: 'note', dueDate: '2025-03-10' }, 'dueDate'],
        [{ kind: 'praise', done: false }, 'done'],
        [{ authorUserId: 0 }, 'authorUserId'],
        [{ contactId: 'x1' }, 'contactId'],
        [{ createdAt: new Date(Number.NaN) }, 'createdAt'],
      ];
      for (const [overrides, field] of bad) {
        const error = await expectAppError(s.coachingNotes.create(note(p, overrides)), 'INVALID_INPUT');
        expect(error.details).toMatchObject({ field });
      }
      await expect(s.coachingNotes.listForRep(p, '501')).resolves.toEqual([]);

      const plain = await s.coachingNotes.create(note(p));
      const commitment = await s.coachingNotes.create(
        note(p, { kind: 'commitment', dueDate: '2025-03-10', done: false, createdAt: at(1) }),
      );
      const badPatches: [string, Parameters<Store['coachingNotes']['update']>[2], string][] = [
        [plain.id, { body: '   ' }, 'body'],
        [plain.id, { dueDate: '2025-03-10' }, 'dueDate'],
        [plain.id, { done: true }, 'done'],
        [commitment.id, { dueDate: '10/03/2025' }, 'dueDate'],
        [commitment.id, { body: 'y'.repeat(TRAINING_LIMITS.noteChars + 1) }, 'body'],
      ];
      for (const [id, patch, field] of badPatches) {
        const error = await expectAppError(s.coachingNotes.update(p, id, patch, at(MINUTE)), 'INVALID_INPUT');
        expect(error.details).toMatchObject({ field });
      }
      await expectAppError(s.coachingNotes.update(p, plain.id, {}, new Date(Number.NaN)), 'INVALID_INPUT');
      await expectAppError(s.coachingNotes.listForRep(p, '501', 0), 'INVALID_INPUT');
      await expectAppError(s.coachingNotes.deleteForContact(p, ''), 'INVALID_INPUT');
      expect(await s.coachingNotes.listForRep(p, '501')).toEqual([commitment, plain]);
    });

    it('stores any body of 1 to the limit characters as its trimmed text (property)', async () => {
      const p = newPortal();
      const s = store();
      const body = fc
        .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
        .map((t) => t.slice(0, TRAINING_LIMITS.noteChars));
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('', ' ', '\n  '), async (text, pad) => {
          const trimmed = text.trim();
          const input = note(p, { body: `${pad}${text}${pad}` });
          if (trimmed.length === 0 || [...trimmed].length > TRAINING_LIMITS.noteChars) {
            await expectAppError(s.coachingNotes.create(input), 'INVALID_INPUT');
            return;
          }
          const created = await s.coachingNotes.create(input);
          expect(created.body).toBe(trimmed);
          await expect(s.coachingNotes.get(p, created.id)).resolves.toEqual(created);
        }),
        { numRuns: 40 },
      );
      const longest = 'é'.repeat(TRAINING_LIMITS.noteChars);
      expect((await s.coachingNotes.create(note(p, { body: longest }))).body).toBe(longest);
    });
  });

  describe('training assignments', () => {
    it(`openOnce creates exactly one open assignment under ${CONCURRENT} concurrent calls`, async () => {
      const p = newPortal();
      const s = store();
      const results = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) =>
          s.trainingAssignments.openOnce(assignment(p, { createdAt: at(i) })),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const ids = new Set(results.map((r) => r.assignment.id));
      expect(ids.size).toBe(1);
      const [only] = await s.trainingAssignments.listForRep(p, '501');
      expect(only).toEqual(results.find((r) => r.created)?.assignment);
      expect(only).toMatchObject({
        status: 'open',
        taskId: null,
        taskClaimedAt: null,
        completedAt: null,
        completedVia: null,
      });
      // Other modules and reps are independent.
      expect((await s.trainingAssignments.openOnce(assignment(p, { moduleId: 'closing-201' }))).created).toBe(
        true,
      );
      expect((await s.trainingAssignments.openOnce(assignment(p, { repOwnerId: '502' }))).created).toBe(true);
      expect((await s.trainingAssignments.openOnce(assignment(newPortal()))).created).toBe(true);
    });

    it('allows a new open assignment after complete or cancel; closing happens once', async () => {
      const p = newPortal();
      const s = store();
      const { assignment: a1 } = await s.trainingAssignments.openOnce(assignment(p));
      const completed = await s.trainingAssignments.complete(p, a1.id, at(MINUTE), 'card');
      expect(completed).toEqual({
        ...a1,
        status: 'completed',
        completedAt: at(MINUTE),
        completedVia: 'card',
      });
      await expect(s.trainingAssignments.complete(p, a1.id, at(2 * MINUTE), 'task-sync')).resolves.toBeNull();
      await expect(s.trainingAssignments.cancel(p, a1.id)).resolves.toBeNull();

      const second = await s.trainingAssignments.openOnce(assignment(p, { createdAt: at(2 * MINUTE) }));
      expect(second.created).toBe(true);
      expect(second.assignment.id).not.toBe(a1.id);
      const cancelled = await s.trainingAssignments.cancel(p, second.assignment.id);
      expect(cancelled).toEqual({ ...second.assignment, status: 'cancelled' });

      const third = await s.trainingAssignments.openOnce(
        assignment(p, { source: 'coach', ruleId: null, assignedByUserId: 42, createdAt: at(3 * MINUTE) }),
      );
      expect(third.created).toBe(true);
      expect((await s.trainingAssignments.listForRep(p, '501')).map((a) => a.status)).toEqual([
        'open',
        'cancelled',
        'completed',
      ]);
      await expect(s.trainingAssignments.get(p, third.assignment.id)).resolves.toEqual(third.assignment);
      await expect(s.trainingAssignments.get(newPortal(), third.assignment.id)).resolves.toBeNull();
      await expect(
        s.trainingAssignments.complete(newPortal(), third.assignment.id, T0, 'card'),
      ).resolves.toBeNull();
    });

    it(`claimTask lets exactly one of ${CONCURRENT} claimers win, then takes over a stale claim`, async () => {
      const p = newPortal();
      const s = store();
      const { assignment: a } = await s.trainingAssignments.openOnce(assignment(p));
      const claims = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          s.trainingAssignments.claimTask(p, a.id, at(MINUTE), at(MINUTE - 10 * MINUTE)),
        ),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await s.trainingAssignments.get(p, a.id))?.taskClaimedAt).toEqual(at(MINUTE));
      // A fresh claim holds; one older than staleBefore is taken over (by one caller).
      await expect(s.trainingAssignments.claimTask(p, a.id, at(5 * MINUTE), at(0))).resolves.toBe(false);
      const takeovers = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          s.trainingAssignments.claimTask(p, a.id, at(20 * MINUTE), at(10 * MINUTE)),
        ),
      );
      expect(takeovers.filter(Boolean)).toHaveLength(1);
      // Release after a failed create: the next run claims at once.
      await s.trainingAssignments.releaseTaskClaim(p, a.id);
      expect((await s.trainingAssignments.get(p, a.id))?.taskClaimedAt).toBeNull();
      await expect(s.trainingAssignments.claimTask(p, a.id, at(21 * MINUTE), at(11 * MINUTE))).resolves.toBe(
        true,
      );
      // Once the task is recorded, nobody claims again, and release keeps the claim.
      await s.trainingAssignments.recordTask(p, a.id, '880001');
      await s.trainingAssignments.releaseTaskClaim(p, a.id);
      const stored = await s.trainingAssignments.get(p, a.id);
      expect(stored).toMatchObject({ taskId: '880001', taskClaimedAt: at(21 * MINUTE) });
      await expect(s.trainingAssignments.claimTask(p, a.id, at(99 * MINUTE), at(98 * MINUTE))).resolves.toBe(
        false,
      );
      // Another portal cannot claim it.
      const { assignment: b } = await s.trainingAssignments.openOnce(assignment(p, { moduleId: 'other' }));
      await expect(s.trainingAssignments.claimTask(newPortal(), b.id, T0, T0)).resolves.toBe(false);
    });

    it('findByTask finds the assignment of a task in the portal only', async () => {
      const p = newPortal();
      const s = store();
      const { assignment: a } = await s.trainingAssignments.openOnce(assignment(p));
      await expect(s.trainingAssignments.findByTask(p, '770001')).resolves.toBeNull();
      await s.trainingAssignments.recordTask(p, a.id, '770001');
      await expect(s.trainingAssignments.findByTask(p, '770001')).resolves.toEqual({
        ...a,
        taskId: '770001',
      });
      await expect(s.trainingAssignments.findByTask(newPortal(), '770001')).resolves.toBeNull();
    });

    it('listForPortal filters by since and status, oldest first; deletePortal removes only that portal', async () => {
      const [p, q] = [newPortal(), newPortal()];
      const s = store();
      const open = async (overrides: Partial<NewTrainingAssignment>): Promise<TrainingAssignment> =>
        (await s.trainingAssignments.openOnce(assignment(p, overrides))).assignment;
      const a1 = await open({ moduleId: 'm1', createdAt: at(0) });
      const a2 = await open({ moduleId: 'm2', createdAt: at(MINUTE) });
      const a3 = await open({ moduleId: 'm3', createdAt: at(2 * MINUTE), repOwnerId: '502' });
      await s.trainingAssignments.openOnce(assignment(q));
      const c2 = await s.trainingAssignments.complete(p, a2.id, at(3 * MINUTE), 'task-webhook');

      await expect(s.trainingAssignments.listForPortal(p)).resolves.toEqual([a1, c2, a3]);
      await expect(s.trainingAssignments.listForPortal(p, { since: at(MINUTE) })).resolves.toEqual([c2, a3]);
      await expect(s.trainingAssignments.listForPortal(p, { status: 'open' })).resolves.toEqual([a1, a3]);
      await expect(
        s.trainingAssignments.listForPortal(p, { since: at(MINUTE), status: 'open' }),
      ).resolves.toEqual([a3]);
      await expect(s.trainingAssignments.listForPortal(p, { status: 'cancelled' })).resolves.toEqual([]);

      await s.trainingAssignments.deletePortal(p);
      await expect(s.trainingAssignments.listForPortal(p)).resolves.toEqual([]);
      expect(await s.trainingAssignments.listForPortal(q)).toHaveLength(1);
    });

    it('refuses bad assignments with INVALID_INPUT naming the field, writing nothing', async () => {
      const p = newPortal();
      const s = store();
      const bad: [Partial<NewTrainingAssignment>, string][] = [
        [{ portalId: -1 }, 'portalId'],
        [{ repOwnerId: 'rep' }, 'repOwnerId'],
        [{ moduleId: '' }, 'moduleId'],
        [{ moduleId: 'has space' }, 'moduleId'],
        [{ moduleVersion: ' ' }, 'moduleVersion'],
        [{ source: 'robot' as NewTrainingAssignment['source'] }, 'source'],
        [{ source: 'coach', ruleId: 'r1', assignedByUserId: 5 }, 'ruleId'],
        [{ source: 'coach', ruleId: null, assignedByUserId: null }, 'assignedByUserId'],
        [{ source: 'release', ruleId: null, assignedByUserId: 5 }, 'assignedByUserId'],
        [{ reason: '  ' }, 'reason'],
        [{ reason: 'r'.repeat(TRAINING_LIMITS.reasonChars + 1) }, 'reason'],
        [{ metric: 'vibes' as NewTrainingAssignment['metric'] }, 'metric'],
        [{ dueDate: '2025-3-17' }, 'dueDate'],
        [{ createdAt: new Date(Number.NaN) }, 'createdAt'],
      ];
      for (const [overrides, field] of bad) {
        const error = await expectAppError(
          s.trainingAssignments.openOnce(assignment(p, overrides)),
          'INVALID_INPUT',
        );
        expect(error.details).toMatchObject({ field });
      }
      await expect(s.trainingAssignments.listForPortal(p)).resolves.toEqual([]);
      const { assignment: a } = await s.trainingAssignments.openOnce(
        assignment(p, { ruleId: null, metric: null }),
      );
      await expectAppError(s.trainingAssignments.recordTask(p, a.id, 'task'), 'INVALID_INPUT');
      await expectAppError(s.trainingAssignments.complete(p, a.id, T0, 'email' as 'card'), 'INVALID_INPUT');
      await expectAppError(
        s.trainingAssignments.claimTask(p, a.id, new Date(Number.NaN), T0),
        'INVALID_INPUT',
      );
      await expect(s.trainingAssignments.get(p, a.id)).resolves.toEqual(a);
    });
  });

  describe('job runs', () => {
    const LEASE = 5 * MINUTE;

    it(`exactly one of ${CONCURRENT} concurrent claimers gets the lease; it holds until it expires`, async () => {
      const p = newPortal();
      const s = store();
      const claims = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          s.jobRuns.claim(p, 'weekly-digest', '2025-03-03', T0, LEASE),
        ),
      );
      expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c === 'running')).toHaveLength(CONCURRENT - 1);
      await expect(s.jobRuns.claim(p, 'weekly-digest', '2025-03-03', at(LEASE - 1), LEASE)).resolves.toBe(
        'running',
      );
      // Other periods, jobs and portals are independent.
      await expect(s.jobRuns.claim(p, 'weekly-digest', '2025-03-10', T0, LEASE)).resolves.toBe('claimed');
      await expect(s.jobRuns.claim(p, 'training-rules', '2025-03-03', T0, LEASE)).resolves.toBe('claimed');
      await expect(s.jobRuns.claim(newPortal(), 'weekly-digest', '2025-03-03', T0, LEASE)).resolves.toBe(
        'claimed',
      );

      // The holder died: after its lease, exactly one caller takes over.
      const takeovers = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          s.jobRuns.claim(p, 'weekly-digest', '2025-03-03', at(LEASE + 1), LEASE),
        ),
      );
      expect(takeovers.filter((c) => c === 'claimed')).toHaveLength(1);
      await s.jobRuns.finish(p, 'weekly-digest', '2025-03-03', at(LEASE + 2), { sent: 3 });
      const after = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          s.jobRuns.claim(p, 'weekly-digest', '2025-03-03', at(100 * LEASE), LEASE),
        ),
      );
      expect(new Set(after)).toEqual(new Set(['done']));
    });

    it('a failed run is claimed again (once); a late failure does not undo a finished run', async () => {
      const p = newPortal();
      const s = store();
      await expect(s.jobRuns.claim(p, 'task-sync', '2025-03-03T10', T0, LEASE)).resolves.toBe('claimed');
      await s.jobRuns.fail(p, 'task-sync', '2025-03-03T10', at(1), 'HubSpot said 503');
      const retries = await Promise.all(
        Array.from({ length: CONCURRENT }, () =>
          s.jobRuns.claim(p, 'task-sync', '2025-03-03T10', at(2), LEASE),
        ),
      );
      expect(retries.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(retries.filter((c) => c === 'running')).toHaveLength(CONCURRENT - 1);
      await s.jobRuns.finish(p, 'task-sync', '2025-03-03T10', at(3), null);
      await s.jobRuns.fail(p, 'task-sync', '2025-03-03T10', at(4), 'late');
      await expect(s.jobRuns.claim(p, 'task-sync', '2025-03-03T10', at(5), LEASE)).resolves.toBe('done');
    });

    it('lastFinished returns the latest finished run by finish time, with its summary', async () => {
      const p = newPortal();
      const s = store();
      await expect(s.jobRuns.lastFinished(p, 'weekly-digest')).resolves.toBeNull();
      await s.jobRuns.claim(p, 'weekly-digest', '2025-03-10', T0, LEASE);
      await s.jobRuns.finish(p, 'weekly-digest', '2025-03-10', at(MINUTE), { sent: 1, reps: ['501'] });
      await s.jobRuns.claim(p, 'weekly-digest', '2025-03-03', T0, LEASE);
      await s.jobRuns.finish(p, 'weekly-digest', '2025-03-03', at(2 * MINUTE), { sent: 2 });
      // Still running or failed runs do not count.
      await s.jobRuns.claim(p, 'weekly-digest', '2025-03-17', at(3 * MINUTE), LEASE);
      await s.jobRuns.claim(p, 'weekly-digest', '2025-03-24', at(3 * MINUTE), LEASE);
      await s.jobRuns.fail(p, 'weekly-digest', '2025-03-24', at(4 * MINUTE), 'boom');
      await expect(s.jobRuns.lastFinished(p, 'weekly-digest')).resolves.toEqual({
        period: '2025-03-03',
        finishedAt: at(2 * MINUTE),
        summary: { sent: 2 },
      });
      await expect(s.jobRuns.lastFinished(p, 'training-rules')).resolves.toBeNull();
      await expect(s.jobRuns.lastFinished(newPortal(), 'weekly-digest')).resolves.toBeNull();

      await s.jobRuns.deletePortal(p);
      await expect(s.jobRuns.lastFinished(p, 'weekly-digest')).resolves.toBeNull();
      await expect(s.jobRuns.claim(p, 'weekly-digest', '2025-03-03', at(5 * MINUTE), LEASE)).resolves.toBe(
        'claimed',
      );
    });

    it('refuses bad keys, leases and summaries with INVALID_INPUT', async () => {
      const p = newPortal();
      const s = store();
      await expectAppError(s.jobRuns.claim(0, 'job', '2025-03-03', T0, LEASE), 'INVALID_INPUT');
      await expectAppError(s.jobRuns.claim(p, '', '2025-03-03', T0, LEASE), 'INVALID_INPUT');
      await expectAppError(s.jobRuns.claim(p, 'job', 'a b', T0, LEASE), 'INVALID_INPUT');
      await expectAppError(s.jobRuns.claim(p, 'job', '2025-03-03', T0, 0), 'INVALID_INPUT');
      await expectAppError(s.jobRuns.claim(p, 'job', '2025-03-03', T0, 1.5), 'INVALID_INPUT');
      await expectAppError(
        s.jobRuns.claim(p, 'job', '2025-03-03', new Date(Number.NaN), LEASE),
        'INVALID_INPUT',
      );
      await expectAppError(s.jobRuns.finish(p, 'job', '2025-03-03', T0, undefined), 'INVALID_INPUT');
      await expectAppError(s.jobRuns.finish(p, 'job', '2025-03-03', T0, 1n), 'INVALID_INPUT');
      await expectAppError(s.jobRuns.lastFinished(p, 'x'.repeat(101)), 'INVALID_INPUT');
      await expect(s.jobRuns.lastFinished(p, 'job')).resolves.toBeNull();
      await expect(s.jobRuns.claim(p, 'job', '2025-03-03', T0, LEASE)).resolves.toBe('claimed');
    });
  });
}
