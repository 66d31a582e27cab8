/**
 * The monthly cap on automatic training assignments: a rep drowned in modules learns none of them.
 */

/** Anything assignable: a rep and a module. */
export interface AssignmentKey {
  ownerId: string;
  moduleTag: string;
}

/** Result of applying the cap: what to assign, and what was held back and why. */
export interface CapResult<T extends AssignmentKey> {
  assign: T[];
  held: { candidate: T; why: 'cap-reached' | 'already-assigned' }[];
}

/**
 * Keep candidates in the given order (rule priority) while the rep's assignments this month stay within
 * `cap`; a module already assigned to the rep this month (or earlier in the list) is never assigned twice.
 */
export function applyAssignmentCap<T extends AssignmentKey>(
  candidates: readonly T[],
  existingThisMonth: readonly AssignmentKey[],
  cap: number,
): CapResult<T> {
  const count = new Map<string, number>();
  const taken = new Set<string>();
  for (const e of existingThisMonth) {
    count.set(e.ownerId, (count.get(e.ownerId) ?? 0) + 1);
    taken.add(`${e.ownerId}\u0000${e.moduleTag}`);
  }
  const result: CapResult<T> = { assign: [], held: [] };
  for (const c of candidates) {
    const key = `${c.ownerId}\u0000${c.moduleTag}`;
    if (taken.has(key)) {
      result.held.push({ candidate: c, why: 'already-assigned' });
      continue;
    }
    const n = count.get(c.ownerId) ?? 0;
    if (n >= cap) {
      result.held.push({ candidate: c, why: 'cap-reached' });
      continue;
    }
    count.set(c.ownerId, n + 1);
    taken.add(key);
    result.assign.push(c);
  }
  return result;
}
