/**
 * Who gets a row and which teams exist (METRICS.md §1, §3, §4), shared by the report and the weekly series.
 */
import type { Owner } from '../crm.js';

/** One owner row's identity. */
export interface RosterRep {
  ownerId: string;
  /** "First Last" trimmed; null when both are missing (and always for an unknown owner). */
  name: string | null;
  email: string | null;
  /** False for an owner id not in the owners list (a deleted user): it is not known to be archived. */
  archived: boolean;
  /** Team ids from the owner's teams list, sorted as strings; [] for an unknown owner. */
  teamIds: string[];
}

/** One team: its listed members (sorted as strings) and the active ones the median is taken over. */
export interface RosterTeam {
  teamId: string;
  name: string;
  ownerIds: string[];
  activeOwnerIds: string[];
}

export interface Roster {
  /** Sorted by ownerId as a plain string comparison ("1000" < "999"). */
  reps: RosterRep[];
  /** Sorted by teamId as a plain string comparison. */
  teams: RosterTeam[];
}

/** Plain UTF-16 string order, the order METRICS.md §4 asks for (not locale order, not numeric). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function blankToNull(v: string | null | undefined): string | null {
  const t = v?.trim() ?? '';
  return t === '' ? null : t;
}

/** "First Last", trimmed; null when both parts are missing or blank. */
export function ownerName(owner: Pick<Owner, 'firstName' | 'lastName'>): string | null {
  const parts = [blankToNull(owner.firstName), blankToNull(owner.lastName)].filter(
    (p): p is string => p !== null,
  );
  return parts.length === 0 ? null : parts.join(' ');
}

/**
 * The rows: every active owner, plus every archived or unknown owner id in `countedOwnerIds` (ids with at
 * least one counted item). Teams: every team in a listed owner's teams list; a team's members are its
 * listed owners, so every member id has a row, and archived members without items (who would add only
 * zeros to the totals) are left out. When the same owner id appears twice, an active entry wins.
 */
export function buildRoster(owners: readonly Owner[], countedOwnerIds: Iterable<string>): Roster {
  const byId = new Map<string, Owner>();
  for (const owner of owners) {
    const seen = byId.get(owner.id);
    if (seen === undefined || (seen.archived && !owner.archived)) byId.set(owner.id, owner);
  }

  const listed = new Set<string>();
  for (const owner of byId.values()) if (!owner.archived) listed.add(owner.id);
  for (const id of countedOwnerIds) if (id !== '') listed.add(id);

  const reps: RosterRep[] = [];
  const teams = new Map<string, RosterTeam>();
  for (const ownerId of [...listed].sort(compareStrings)) {
    const owner = byId.get(ownerId);
    if (owner === undefined) {
      reps.push({ ownerId, name: null, email: null, archived: false, teamIds: [] });
      continue;
    }
    const teamIds = [...new Set(owner.teams.map((t) => t.id))].sort(compareStrings);
    reps.push({
      ownerId,
      name: ownerName(owner),
      email: blankToNull(owner.email),
      archived: owner.archived,
      teamIds,
    });
    for (const team of owner.teams) {
      let entry = teams.get(team.id);
      if (entry === undefined) {
        entry = { teamId: team.id, name: team.name, ownerIds: [], activeOwnerIds: [] };
        teams.set(team.id, entry);
      }
      if (entry.ownerIds.includes(ownerId)) continue; // a team listed twice on one owner
      if (entry.name.trim() === '' && team.name.trim() !== '') entry.name = team.name;
      entry.ownerIds.push(ownerId); // ownerIds stay sorted: owners are visited in sorted order
      if (!owner.archived) entry.activeOwnerIds.push(ownerId);
    }
  }
  return { reps, teams: [...teams.values()].sort((a, b) => compareStrings(a.teamId, b.teamId)) };
}
