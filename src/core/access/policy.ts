/**
 * The one access policy of the coaching and training pillars (issue 4 item 4). Every route, list and
 * job that shows or changes a rep's numbers, notes or training asks `accessToRep`; nothing else decides.
 *
 * - A rep sees their own numbers and the notes about them ('self').
 * - A coach sees the reps of the teams they coach ('coach'). Coaches are set per team by ops; a team
 *   ops has not set coaches for is coached by the portal's super admins.
 * - Anyone else ('none') sees only the contact's relationship summary, and learns nothing about the
 *   rep: not their numbers, their notes, nor their name.
 *
 * Super admins are not coaches of a team that has coaches: notes are private to the rep and the
 * people who coach them, and ops configuring the app does not need to read them. A super admin who
 * should coach a team is added to its coaches like anyone else.
 */

/** What the caller is to the rep. */
export type RepAccess = 'self' | 'coach' | 'none';

/** Who is asking: the signed user and what HubSpot says about them. */
export interface Viewer {
  userId: number;
  /** The caller's own owner id (a user may have none); never taken from input. */
  ownerId: string | null;
  superAdmin: boolean;
}

/** The rep being looked at. */
export interface RepRef {
  ownerId: string;
  /** Team ids of the rep (primary and secondary), from HubSpot's owners API. */
  teamIds: readonly string[];
}

/** Coaches per team as set by ops: team id → user ids. Absent team: coached by super admins. */
export type CoachAssignments = Readonly<Record<string, readonly string[]>>;

/** Whether the viewer coaches a team. */
export function coachesTeam(viewer: Viewer, teamId: string, coaches: CoachAssignments): boolean {
  const set = coaches[teamId];
  if (set === undefined) return viewer.superAdmin;
  return set.includes(String(viewer.userId));
}

/** The viewer's access to one rep. */
export function accessToRep(viewer: Viewer, rep: RepRef, coaches: CoachAssignments): RepAccess {
  if (viewer.ownerId !== null && viewer.ownerId === rep.ownerId) return 'self';
  if (rep.teamIds.some((t) => coachesTeam(viewer, t, coaches))) return 'coach';
  // A rep in no team is coached by super admins only, so that nobody is left without a coach.
  if (rep.teamIds.length === 0 && viewer.superAdmin) return 'coach';
  return 'none';
}

/** The teams the viewer coaches, among `teamIds` (the weekly pack and lists use it). */
export function coachedTeams(
  viewer: Viewer,
  teamIds: readonly string[],
  coaches: CoachAssignments,
): string[] {
  return teamIds.filter((t) => coachesTeam(viewer, t, coaches));
}

/** What each access allows. One table, so routes never re-derive it. */
export const PERMISSIONS = {
  /** Scorecard, funnel, diagnosis, trends. */
  readNumbers: { self: true, coach: true, none: false },
  /** The notes thread about the rep. */
  readNotes: { self: true, coach: true, none: false },
  /** Writing notes, praise and commitments about the rep. */
  writeNotes: { self: false, coach: true, none: false },
  /** Assigning training to the rep. */
  assignTraining: { self: false, coach: true, none: false },
  /** Marking an assignment completed from the card (the rep who took it, or their coach). */
  completeTraining: { self: true, coach: true, none: false },
  /** Marking a commitment kept (the rep or the coach); editing text stays with the author. */
  markCommitment: { self: true, coach: true, none: false },
} as const satisfies Record<string, Record<RepAccess, boolean>>;

/** Whether access allows the action. */
export function can(access: RepAccess, action: keyof typeof PERMISSIONS): boolean {
  return PERMISSIONS[action][access];
}
