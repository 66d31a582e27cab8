/**
 * One portal's data inside the sandbox: account details, owners, users, teams, pipelines, call
 * dispositions, CRM records per object type, associations and the portal's search cache.
 */
import { CRM_OBJECT_TYPES, type CrmObjectType } from '../core/crm.js';
import { AssociationStore } from './associations.js';
import {
  fixtureOwnerSchema,
  fixtureRecordSchema,
  type FixtureOwner,
  type FixturePipeline,
  type FixtureRecordInput,
  type FixtureUser,
  type PortalFixture,
} from './fixture.js';
import { ObjectTable, type StoredRecord } from './object-store.js';
import { SearchCache } from './search-engine.js';
import type { SandboxAssociation, SandboxPortalState, SandboxRecord } from './types.js';

/** HubSpot's default call outcomes (hubspot-platform.md §5.2), served when a fixture lists none. */
export const DEFAULT_CALL_DISPOSITIONS: readonly { id: string; label: string }[] = [
  { id: '9d9162e7-6cf3-4944-bf63-4dff82258764', label: 'Busy' },
  { id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
  { id: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', label: 'Left live message' },
  { id: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail' },
  { id: '73a0d17f-1163-4015-bdd5-ec830791da20', label: 'No answer' },
  { id: '17b47fee-58de-441e-a44c-c6300d46f273', label: 'Wrong number' },
];

const stage = (id: string, label: string, displayOrder: number, probability: string, isClosed: boolean) => ({
  id,
  label,
  displayOrder,
  archived: false,
  metadata: { probability, isClosed: String(isClosed) },
});

/** Every HubSpot portal has this pipeline; served when a fixture lists no deal pipeline. */
export const DEFAULT_DEAL_PIPELINE: FixturePipeline = {
  id: 'default',
  label: 'Sales Pipeline',
  displayOrder: 0,
  archived: false,
  stages: [
    stage('appointmentscheduled', 'Appointment Scheduled', 0, '0.2', false),
    stage('qualifiedtobuy', 'Qualified To Buy', 1, '0.4', false),
    stage('presentationscheduled', 'Presentation Scheduled', 2, '0.6', false),
    stage('decisionmakerboughtin', 'Decision Maker Bought-In', 3, '0.8', false),
    stage('contractsent', 'Contract Sent', 4, '0.9', false),
    stage('closedwon', 'Closed Won', 5, '1.0', true),
    stage('closedlost', 'Closed Lost', 6, '0.0', true),
  ],
};

/** A team as the settings API reports it. */
export interface TeamView {
  id: string;
  name: string;
  userIds: string[];
  secondaryUserIds: string[];
}

/** Everything the sandbox holds for one portal. */
export class PortalState {
  readonly portalId: number;
  readonly timeZone: string;
  readonly currency: string;
  readonly name: string | undefined;
  owners: FixtureOwner[];
  readonly users: FixtureUser[];
  readonly pipelines: FixturePipeline[];
  readonly dispositions: { id: string; label: string }[];
  readonly tables: Record<CrmObjectType, ObjectTable>;
  readonly associations = new AssociationStore();
  readonly searchCache = new SearchCache();
  private readonly fixtureTeams: { id: string; name: string }[];

  constructor(fixture: PortalFixture, loadTime: string) {
    this.portalId = fixture.portal.portalId;
    this.timeZone = fixture.portal.timeZone;
    this.currency = fixture.portal.currency;
    this.name = fixture.portal.name;
    this.owners = [...(fixture.owners ?? [])];
    this.users = [...(fixture.users ?? [])];
    this.fixtureTeams = [...(fixture.teams ?? [])];
    const deals = fixture.pipelines?.deals ?? [];
    this.pipelines = deals.length > 0 ? [...deals] : [DEFAULT_DEAL_PIPELINE];
    const dispositions = fixture.callDispositions ?? [];
    this.dispositions =
      dispositions.length > 0
        ? dispositions.map((d) => ({ id: d.id, label: d.label }))
        : [...DEFAULT_CALL_DISPOSITIONS];
    const tables = {} as Record<CrmObjectType, ObjectTable>;
    const objects = (fixture.objects ?? {}) as Partial<Record<CrmObjectType, FixtureRecordInput[]>>;
    for (const type of CRM_OBJECT_TYPES) {
      const table = new ObjectTable();
      table.load(objects[type] ?? [], loadTime);
      tables[type] = table;
    }
    this.tables = tables;
    // Associations to types the sandbox does not serve are kept but never read.
    this.associations.load(fixture.associations ?? []);
  }

  /** Teams from the fixture plus any named by owners or users, with their members. */
  teams(): TeamView[] {
    const byId = new Map<string, TeamView>();
    const ensure = (id: string, name: string | undefined): TeamView => {
      let t = byId.get(id);
      if (!t) {
        t = { id, name: name ?? `Team ${id}`, userIds: [], secondaryUserIds: [] };
        byId.set(id, t);
      }
      return t;
    };
    for (const t of this.fixtureTeams) ensure(t.id, t.name);
    const ownerTeamNames = new Map<string, string>();
    for (const o of this.owners) for (const t of o.teams) ownerTeamNames.set(t.id, t.name);
    if (this.users.length > 0) {
      for (const u of this.users) {
        if (u.primaryTeamId) ensure(u.primaryTeamId, ownerTeamNames.get(u.primaryTeamId)).userIds.push(u.id);
        for (const s of u.secondaryTeamIds) ensure(s, ownerTeamNames.get(s)).secondaryUserIds.push(u.id);
      }
    } else {
      // No users in the fixture: derive membership from the owners' teams.
      for (const o of this.owners) {
        if (o.archived || o.userId == null) continue;
        for (const t of o.teams) {
          const team = ensure(t.id, t.name);
          (t.primary ? team.userIds : team.secondaryUserIds).push(String(o.userId));
        }
      }
    }
    for (const [id, name] of ownerTeamNames) ensure(id, name);
    return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  }

  /** The read/write view tests get. */
  view(nowIso: () => string): SandboxPortalState {
    const archivedMatch = (r: StoredRecord, archived: boolean | 'all' | undefined): boolean =>
      archived === 'all' ? true : r.archived === (archived ?? false);
    return {
      portalId: this.portalId,
      timeZone: this.timeZone,
      records: (type, options) =>
        this.tables[type].records.filter((r) => archivedMatch(r, options?.archived)).map(toSandboxRecord),
      get: (type, id) => {
        const r = this.tables[type].byId.get(id);
        return r ? toSandboxRecord(r) : undefined;
      },
      count: (type, options) => {
        let n = 0;
        for (const r of this.tables[type].records) if (archivedMatch(r, options?.archived)) n++;
        return n;
      },
      associations: (fromType, fromId, toType): SandboxAssociation[] =>
        this.associations.list(fromType, fromId, toType).map((e) => ({ id: e.toId, typeIds: e.typeIds })),
      owners: () => this.owners.map((o) => structuredClone(o)),
      upsert: (type, record) => {
        const parsed = fixtureRecordSchema.parse(record);
        this.tables[type].upsert({ ...parsed, properties: { ...parsed.properties } }, nowIso());
      },
      setOwners: (owners) => {
        this.owners = owners.map((o) => fixtureOwnerSchema.parse(o));
      },
    };
  }
}

function toSandboxRecord(r: StoredRecord): SandboxRecord {
  return {
    id: r.id,
    properties: { ...r.properties },
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    archived: r.archived,
  };
}
