import fc from 'fast-check';
import { accessToRep, can, coachedTeams, PERMISSIONS } from '../policy.js';
import type { CoachAssignments, RepAccess, Viewer } from '../policy.js';

// Team East (7) has coach Cora (user 500); team West (8) has no coaches configured.
const coaches: CoachAssignments = { '7': ['500'] };
const rep = { ownerId: '11', teamIds: ['7'] };
const westRep = { ownerId: '12', teamIds: ['8'] };

const viewer = (userId: number, ownerId: string | null, superAdmin = false): Viewer => ({
  userId,
  ownerId,
  superAdmin,
});

describe('accessToRep: the whole matrix', () => {
  const cases: [string, Viewer, typeof rep, RepAccess][] = [
    ['the rep themselves', viewer(9011, '11'), rep, 'self'],
    ['another rep of the same team', viewer(9013, '13'), rep, 'none'],
    ['the coach of the team', viewer(500, '50'), rep, 'coach'],
    ['a coach of another team', viewer(501, '51'), rep, 'none'],
    ['a super admin, when the team has coaches', viewer(900, null, true), rep, 'none'],
    ['a super admin, when the team has none', viewer(900, null, true), westRep, 'coach'],
    ['a user with no owner record', viewer(777, null), rep, 'none'],
    ['the East coach, for a West rep', viewer(500, '50'), westRep, 'none'],
  ];
  test.each(cases)('%s', (_name, v, r, expected) => {
    expect(accessToRep(v, r, coaches)).toBe(expected);
  });

  test('a rep in several teams is coached by the coaches of each', () => {
    const both = { ownerId: '14', teamIds: ['8', '7'] };
    expect(accessToRep(viewer(500, '50'), both, coaches)).toBe('coach');
    expect(accessToRep(viewer(900, null, true), both, coaches)).toBe('coach'); // West has no coaches
  });

  test('a rep in no team is coached by super admins only', () => {
    const loner = { ownerId: '15', teamIds: [] };
    expect(accessToRep(viewer(900, null, true), loner, coaches)).toBe('coach');
    expect(accessToRep(viewer(500, '50'), loner, coaches)).toBe('none');
  });

  test('being the rep wins over any coaching role, so a coach sees their own numbers as themselves', () => {
    expect(accessToRep(viewer(500, '11', true), rep, { '7': ['500'] })).toBe('self');
  });
});

test('coachedTeams lists the teams the viewer coaches', () => {
  expect(coachedTeams(viewer(500, '50'), ['7', '8'], coaches)).toEqual(['7']);
  expect(coachedTeams(viewer(900, null, true), ['7', '8'], coaches)).toEqual(['8']);
});

test('permissions: nobody without access can do anything; only coaches write notes or assign', () => {
  for (const action of Object.keys(PERMISSIONS) as (keyof typeof PERMISSIONS)[]) {
    expect(can('none', action)).toBe(false);
    expect(can('coach', action)).toBe(true);
  }
  expect(can('self', 'readNumbers')).toBe(true);
  expect(can('self', 'readNotes')).toBe(true);
  expect(can('self', 'writeNotes')).toBe(false);
  expect(can('self', 'assignTraining')).toBe(false);
  expect(can('self', 'completeTraining')).toBe(true);
});

test('property: access is none unless the viewer is the rep, a listed coach, or a super admin of an uncoached team', () => {
  const id = fc.integer({ min: 1, max: 6 }).map(String);
  fc.assert(
    fc.property(
      fc.record({
        userId: fc.integer({ min: 1, max: 6 }),
        ownerId: fc.option(id, { nil: null }),
        superAdmin: fc.boolean(),
      }),
      fc.record({ ownerId: id, teamIds: fc.uniqueArray(id, { maxLength: 3 }) }),
      fc.dictionary(id, fc.uniqueArray(id, { maxLength: 3 })),
      (v, r, c) => {
        const access = accessToRep(v, r, c);
        const listed = r.teamIds.some((t) => c[t]?.includes(String(v.userId)));
        const uncoached = r.teamIds.some((t) => c[t] === undefined) || r.teamIds.length === 0;
        const expected: RepAccess =
          v.ownerId === r.ownerId ? 'self' : listed || (v.superAdmin && uncoached) ? 'coach' : 'none';
        expect(access).toBe(expected);
      },
    ),
  );
});
