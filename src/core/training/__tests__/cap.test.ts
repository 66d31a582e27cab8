import fc from 'fast-check';
import { applyAssignmentCap } from '../cap.js';

describe('applyAssignmentCap', () => {
  it('keeps rule order within the cap and never repeats a module this month', () => {
    const r = applyAssignmentCap(
      [
        { ownerId: 'a', moduleTag: 'cold-calling' },
        { ownerId: 'a', moduleTag: 'discovery' },
        { ownerId: 'a', moduleTag: 'closing' },
        { ownerId: 'b', moduleTag: 'closing' },
        { ownerId: 'b', moduleTag: 'closing' },
      ],
      [{ ownerId: 'a', moduleTag: 'discovery' }],
      2,
    );
    expect(r.assign).toEqual([
      { ownerId: 'a', moduleTag: 'cold-calling' },
      { ownerId: 'b', moduleTag: 'closing' },
    ]);
    expect(r.held.map((h) => [h.candidate.moduleTag, h.why])).toEqual([
      ['discovery', 'already-assigned'],
      ['closing', 'cap-reached'],
      ['closing', 'already-assigned'],
    ]);
  });

  it('never exceeds the cap per rep, and accounts for every candidate', () => {
    const key = fc.record({
      ownerId: fc.constantFrom('a', 'b', 'c'),
      moduleTag: fc.constantFrom('x', 'y', 'z', 'w'),
    });
    fc.assert(
      fc.property(
        fc.array(key, { maxLength: 30 }),
        fc.array(key, { maxLength: 6 }),
        fc.integer({ min: 0, max: 4 }),
        (cands, existing, cap) => {
          const r = applyAssignmentCap(cands, existing, cap);
          expect(r.assign.length + r.held.length).toBe(cands.length);
          for (const owner of ['a', 'b', 'c']) {
            const before = existing.filter((e) => e.ownerId === owner).length;
            const added = r.assign.filter((c) => c.ownerId === owner).length;
            expect(added === 0 || before + added <= cap).toBe(true);
          }
          const pairs = r.assign.map((c) => `${c.ownerId}/${c.moduleTag}`);
          expect(new Set(pairs).size).toBe(pairs.length);
        },
      ),
    );
  });
});
