/**
 * Test helper for storage and the services over it: a real SQLite file in a temporary directory with
 * every migration applied, and small factories (`buildTask({...})`) whose defaults are a plain queued
 * task of a project in the `default` workspace. Not a product module.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GluonEvent } from '../../../../shared/events.js';
import { newId } from '../../ids.js';
import { openStorage, type Storage } from '../index.js';
import type { MergeQueueRecord } from '../merge-queues-repo.js';
import type { ProjectRecord } from '../projects-repo.js';
import type { RunRecord } from '../runs-repo.js';
import type { TaskRecord } from '../tasks-repo.js';

/** A fixed clock for records, so ordering by time is under the test's control. */
export const T0 = '2024-05-01T10:00:00.000Z';

/** `T0` plus `seconds`. */
export const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

export interface TestStorage {
  storage: Storage;
  dir: string;
  /** Closes the database and removes the directory. */
  close(): Promise<void>;
}

/** Opens a fresh database file (migrations applied) in a new temporary directory. */
export async function openTestStorage(): Promise<TestStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'gluon-storage-'));
  const storage = await openStorage(join(dir, 'gluon.db'));
  return {
    storage,
    dir,
    async close() {
      await storage.close();
      // A start still preparing its worktree may write here a moment longer: retry as rm -rf would.
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** Adds a project (and the `default` workspace, or the one named, on first use). */
export async function insertProject(
  storage: Storage,
  over: Partial<Omit<ProjectRecord, 'workspaceId'>> = {},
): Promise<ProjectRecord> {
  const workspaceName = over.workspace ?? 'default';
  let ws = await storage.projects.findWorkspaceByName(workspaceName);
  if (!ws) {
    await storage.projects.insertWorkspace({ id: newId(), name: workspaceName, createdAt: T0 });
    ws = await storage.projects.findWorkspaceByName(workspaceName);
  }
  const id = over.id ?? newId();
  await storage.projects.insert({
    id,
    workspaceId: ws!.id,
    name: over.name ?? `p${id.slice(0, 6)}`,
    path: over.path ?? `/repos/${id}`,
    defaultBranch: over.defaultBranch ?? 'main',
    remoteUrl: over.remoteUrl ?? null,
    github: over.github ?? null,
    settings: over.settings ?? {},
    createdAt: over.createdAt ?? T0,
  });
  return (await storage.projects.findById(id))!;
}

/** A complete task record: queued, standard profile, no worktree yet, nothing spent. */
export function buildTask(over: Partial<TaskRecord> & { projectId: string }): TaskRecord {
  return {
    id: newId(),
    title: 'Fix the login bug',
    prompt: 'fix the login bug',
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
    queuedAt: T0,
    createdAt: T0,
    updatedAt: T0,
    startedAt: null,
    finishedAt: null,
    worker: null,
    dispatchJob: null,
    ...over,
  };
}

/** Inserts `buildTask(over)` and reads it back. */
export async function insertTask(
  storage: Storage,
  over: Partial<TaskRecord> & { projectId: string },
): Promise<TaskRecord> {
  const task = buildTask(over);
  await storage.tasks.insert(task);
  return (await storage.tasks.findById(task.id))!;
}

/** A run that has just started. */
export function buildRun(over: Partial<RunRecord> & { taskId: string }): RunRecord {
  return {
    id: newId(),
    kind: 'initial',
    model: 'claude-sonnet-4-5',
    prompt: 'fix the login bug',
    sessionId: null,
    status: 'running',
    stopReason: null,
    costUsd: 0,
    sdkTotalUsd: null,
    error: null,
    pid: null,
    label: null,
    startedAt: T0,
    endedAt: null,
    ...over,
  };
}

/** A stored event (`notice` unless said otherwise). */
export function buildEvent(taskId: string, seq: number, over: Partial<GluonEvent> = {}): GluonEvent {
  return {
    seq,
    taskId,
    runId: null,
    ts: at(seq),
    type: 'notice',
    data: { message: `event ${seq}` },
    ...over,
  } as GluonEvent;
}

/** A running merge queue of one task, as a server left it with that task being merged, beating at `at`. */
export function buildMergeQueue(
  over: Partial<MergeQueueRecord> & { projectId: string; taskId: string; at: string },
): MergeQueueRecord {
  const { taskId, at: beat, ...rest } = over;
  return {
    id: newId(),
    status: 'running',
    baseBranch: 'main',
    method: 'merge-commit',
    entries: [{ taskId, title: 't', outcome: 'merging', reason: null, sha: null, conflictFiles: null }],
    startedAt: beat,
    heartbeatAt: beat,
    finishedAt: null,
    ...rest,
  };
}
