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

/** Inserts a project (and its workspace, when new) and returns it as stored. */
export async function buildProject(
  storage: Storage,
  patch: Partial<Omit<ProjectRecord, 'workspace'>> & { workspaceName?: string } = {},
): Promise<ProjectRecord> {
  const workspaceName = patch.workspaceName ?? 'default';
  let ws = await storage.projects.findWorkspaceByName(workspaceName);
  if (!ws) {
    await storage.projects.insertWorkspace({
      id: uid('w'),
      name: workspaceName,
      createdAt: '2026-01-01T00:00:00.000Z',
    });
    ws = await storage.projects.findWorkspaceByName(workspaceName);
  }
  const id = patch.id ?? uid('p');
  await storage.projects.insert({
    id,
    workspaceId: ws!.id,
    name: patch.name ?? `project-${id}`,
    path: patch.path ?? `/repos/${id}`,
    defaultBranch: patch.defaultBranch ?? 'main',
    remoteUrl: patch.remoteUrl ?? null,
    github: patch.github ?? null,
    settings: patch.settings ?? {},
    createdAt: patch.createdAt ?? '2026-01-01T00:00:00.000Z',
  });
  return (await storage.projects.findById(id))!;
}

/** A task record with every column set, queued, for `insert`. */
export function taskRecord(project: ProjectRecord, patch: Partial<TaskRecord> = {}): TaskRecord {
  const now = '2026-01-02T03:04:05.678Z';
  return {
    id: uid('t'),
    projectId: project.id,
    title: 'Add the feature',
    prompt: 'add the feature',
    status: 'queued',
    profile: 'standard',
    agent: 'claude',
    model: 'claude-sonnet-4-5',
    approval: 'auto',
    useWorktree: true,
    branch: null,
    baseBranch: 'main',
    baseSha: null,
    worktreePath: null,
    costUsd: 0,
    maxCostUsd: null,
    inputRequired: false,
    pendingInput: null,
    stopReason: null,
    error: null,
    iterations: 0,
    sessionId: null,
    health: null,
    healthReason: null,
    nextPrompt: null,
    options: {},
    lastSeq: 0,
    modeState: null,
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    worker: null,
    dispatchJob: null,
    ...patch,
  };
}

/** Inserts a task and returns it as stored. */
export async function buildTask(
  storage: Storage,
  project: ProjectRecord,
  patch: Partial<TaskRecord> = {},
): Promise<TaskRecord> {
  const task = taskRecord(project, patch);
  await storage.tasks.insert(task);
  return (await storage.tasks.findById(task.id))!;
}
