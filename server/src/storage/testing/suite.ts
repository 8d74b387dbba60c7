/**
 * Test helper for the dual-dialect storage suite: `useStorage(dialect, label)` gives a test file one fresh,
 * migrated database of that dialect for its tests (opened before them, closed and dropped after), and
 * small factories for the rows most tests need. Not a product module.
 */
import { afterAll, beforeAll } from 'vitest';
import type { DialectName } from '../dialect.js';
import { openStorage, type Storage } from '../index.js';
import type { ProjectRecord } from '../projects-repo.js';
import type { TaskRecord } from '../tasks-repo.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { buildTask as buildTaskRecord, insertProject, insertTask } from './factories.js';

export { DIALECTS } from './databases.js';

export interface StorageFixture {
  readonly storage: Storage;
  readonly location: string;
}

/** Opens a fresh database of `dialect` for the tests of the enclosing `describe`. */
export function useStorage(dialect: DialectName, label: string): StorageFixture {
  let database: TestDatabase | undefined;
  let storage: Storage | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(dialect, label);
    storage = await openStorage(database.location);
  });
  afterAll(async () => {
    await storage?.close();
    await database?.drop();
  });
  return {
    get storage() {
      if (!storage) throw new Error('storage is open only inside tests');
      return storage;
    },
    get location() {
      return database!.location;
    },
  };
}

let counter = 0;
/** A short unique id (tests share one database per file). */
export function uid(prefix = 'x'): string {
  counter += 1;
  return `${prefix}${counter.toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** Inserts a project (and its workspace, when new) and returns it as stored: factories.ts's, by this suite's names. */
export function buildProject(
  storage: Storage,
  patch: Partial<Omit<ProjectRecord, 'workspace' | 'workspaceId'>> & { workspaceName?: string } = {},
): Promise<ProjectRecord> {
  const { workspaceName, ...rest } = patch;
  return insertProject(storage, { ...rest, workspace: workspaceName ?? 'default' });
}

/** A task record with every column set, queued, for `insert`. */
export function taskRecord(project: ProjectRecord, patch: Partial<TaskRecord> = {}): TaskRecord {
  return buildTaskRecord({ projectId: project.id, ...patch });
}

/** Inserts a task and returns it as stored. */
export function buildTask(
  storage: Storage,
  project: ProjectRecord,
  patch: Partial<TaskRecord> = {},
): Promise<TaskRecord> {
  return insertTask(storage, { projectId: project.id, ...patch });
}
