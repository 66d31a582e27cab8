// The public face of the store: ports, factories and the migration entry point.
export type {
  ConsumeStateResult,
  Installation,
  InstallationStatus,
  InstallationStore,
  InstallInput,
  ListWeeksQuery,
  LockedInstallation,
  RefreshedTokens,
  SettingsStore,
  SnapshotRowInput,
  SnapshotRun,
  SnapshotStore,
  Store,
  StoreDialect,
  WeeklySnapshot,
} from './ports.js';
export type {
  AssignmentSource,
  CoachingNote,
  CoachingNotePatch,
  CoachingNoteStore,
  JobClaim,
  JobRunStore,
  NewCoachingNote,
  NewTrainingAssignment,
  TrainingAssignment,
  TrainingAssignmentStore,
} from './coaching-ports.js';
export { openStore } from './open-store.js';
export type { StoreConfig } from './open-store.js';
export { openSqliteStore } from './sqlite-store.js';
export type { SqlitePragmas, SqliteStore, SqliteStoreConfig } from './sqlite-store.js';
export { openPostgresStore } from './postgres-store.js';
export type { PostgresStoreConfig } from './postgres-store.js';
export { createKyselyStore, openKyselyStore } from './kysely-store.js';
export type { KyselyStoreOptions, OpenKyselyStoreOptions } from './kysely-store.js';
export { POSTGRES_CAPABILITIES, SQLITE_CAPABILITIES } from './capabilities.js';
export type { StoreCapabilities } from './capabilities.js';
export { MIGRATIONS, migrateToLatest } from './migrations/index.js';
export type { MigrateOptions, MigrateOutcome } from './migrations/index.js';
export type { Database } from './schema.js';
