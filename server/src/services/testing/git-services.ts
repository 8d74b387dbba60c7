/**
 * Test helper for the git lifecycle services: a real SQLite file with the migrations (ours included)
 * applied, the event log and task state over it, and small factories for projects and tasks. Not a
 * product module.
 */
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createRedactor, redactDeep } from '../../domain/redact.js';
import { nowIso } from '../../ids.js';
import { openStorage, type Storage } from '../../storage/index.js';
import { gitMigrations } from '../../storage/migrations-git.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { createPullRequestsRepo } from '../../storage/pull-requests-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import {
  insertProject as insertProjectRecord,
  insertTask as insertTaskRecord,
} from '../../storage/testing/factories.js';
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
  const state = createTaskState(storage, events, { redact: redactText });
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

/** A project over `path`, created now. */
export function insertProject(
  storage: Storage,
  input: {
    path: string;
    name?: string;
    github?: string | null;
    remoteUrl?: string | null;
    settings?: Record<string, unknown>;
  },
): Promise<ProjectRecord> {
  return insertProjectRecord(storage, { ...input, createdAt: nowIso() });
}

/** A task of `project` that finished just now and waits in review. */
export function insertTask(
  storage: Storage,
  project: ProjectRecord,
  patch: Partial<TaskRecord> = {},
): Promise<TaskRecord> {
  const now = nowIso();
  return insertTaskRecord(storage, {
    projectId: project.id,
    title: 'Add the feature',
    prompt: 'add the feature',
    status: 'review',
    stopReason: 'completed',
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
    startedAt: now,
    finishedAt: now,
    ...patch,
  });
}
