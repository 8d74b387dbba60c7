/**
 * Test helper for the git lifecycle services: a real SQLite file with the migrations (ours included)
 * applied, the event log and task state over it, and small factories for projects and tasks. Not a
 * product module.
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createRedactor, redactDeep } from '../../domain/redact.js';
import { newId, nowIso } from '../../ids.js';
import { openStorage, type Storage } from '../../storage/index.js';
import { gitMigrations } from '../../storage/migrations-git.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { createPullRequestsRepo } from '../../storage/pull-requests-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { createEventLog } from '../event-log.js';
import { createTaskState } from '../task-state.js';

/** Opens storage in `dir` and builds what the git services depend on. */
export async function openGitTestbed(dir: string, secrets: string[] = []) {
  const storage: Storage = await openStorage(join(dir, 'gluon.db'));
  await gitMigrations['0002_git_lifecycle']!.up(storage.db as unknown as Kysely<unknown>);
  const redactText = createRedactor(secrets);
  const events = createEventLog(
    storage.events,
    (v) => redactDeep(v, redactText),
    () => {},
  );
  const state = createTaskState(storage, events, redactText);
  const repo = createPullRequestsRepo(storage.db);
  /** `tasks.get`: by id or unique prefix, like the real one. */
  const get = async (idOrPrefix: string): Promise<TaskRecord> => {
    const exact = await storage.tasks.findById(idOrPrefix);
    if (exact) return exact;
    const [id] = await storage.tasks.idsByPrefix(idOrPrefix);
    if (!id) throw Object.assign(new Error(`task ${idOrPrefix} not found`), { status: 404 });
    return (await storage.tasks.findById(id))!;
  };
  return { storage, events, state, repo, redactText, get };
}

export type GitTestbed = Awaited<ReturnType<typeof openGitTestbed>>;

export async function insertProject(
  storage: Storage,
  input: {
    path: string;
    name?: string;
    github?: string | null;
    remoteUrl?: string | null;
    settings?: Record<string, unknown>;
  },
): Promise<ProjectRecord> {
  let ws = await storage.projects.findWorkspaceByName('default');
  if (!ws) {
    await storage.projects.insertWorkspace({ id: newId(), name: 'default', createdAt: nowIso() });
    ws = await storage.projects.findWorkspaceByName('default');
  }
  const id = newId();
  await storage.projects.insert({
    id,
    workspaceId: ws!.id,
    name: input.name ?? `p${id.slice(0, 6)}`,
    path: input.path,
    defaultBranch: 'main',
    remoteUrl: input.remoteUrl ?? null,
    github: input.github ?? null,
    settings: input.settings ?? {},
    createdAt: nowIso(),
  });
  return (await storage.projects.findById(id))!;
}

export async function insertTask(
  storage: Storage,
  project: ProjectRecord,
  patch: Partial<TaskRecord> = {},
): Promise<TaskRecord> {
  const now = nowIso();
  // A cast rather than an annotation: columns added by other features get their defaults from the table.
  const task = {
    id: newId(),
    projectId: project.id,
    title: 'Add the feature',
    prompt: 'add the feature',
    status: 'review',
    profile: 'standard',
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
    stopReason: 'completed',
    error: null,
    iterations: 0,
    sessionId: null,
    health: null,
    healthReason: null,
    nextPrompt: null,
    options: {},
    lastSeq: 0,
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    finishedAt: now,
    ...patch,
  } as TaskRecord;
  await storage.tasks.insert(task);
  return (await storage.tasks.findById(task.id))!;
}
