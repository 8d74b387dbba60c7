/**
 * A merge queue whose server is gone never reads as running for ever: read after its heartbeat went
 * stale (six heartbeats), it is closed as interrupted; one that still beats reads as running, and its
 * project refuses a second queue. (The merges themselves: test/e2e/merge-queue.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { createMergeQueuesRepo } from '../storage/merge-queues-repo.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import {
  buildMergeQueue,
  buildTask,
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from '../storage/testing/factories.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { createMergeQueue } from './merge-queue.js';

const HEARTBEAT_MS = 1000;
let ts: TestStorage | null = null;
afterEach(async () => {
  await ts?.close();
  ts = null;
});

/** A running queue of `project` as a server left it, its last heartbeat `ageMs` ago. */
const leftRunning = (project: ProjectRecord, taskId: string, ageMs: number) =>
  buildMergeQueue({ projectId: project.id, taskId, at: new Date(Date.now() - ageMs).toISOString() });

async function setUp() {
  ts = await openTestStorage();
  const { storage } = ts;
  const project = await insertProject(storage, { name: 'app' });
  const task: TaskRecord = buildTask({ projectId: project.id, status: 'review', branch: 'gluon-task/x' });
  await insertTask(storage, task);
  const repo = createMergeQueuesRepo(storage.db);
  const queue = createMergeQueue({
    storage,
    repo,
    tasks: { get: async () => task },
    // Never reached here: the queues of these tests were left by another server.
    mergeOne: () => new Promise(() => {}),
    log: () => {},
    heartbeatMs: HEARTBEAT_MS,
  });
  return { project, task, repo, queue };
}

describe('a merge queue left by a server that is gone', () => {
  it('reads as interrupted once its heartbeat is stale, and frees its project for the next queue', async () => {
    const { project, task, repo, queue } = await setUp();
    const q = leftRunning(project, task.id, 7 * HEARTBEAT_MS);
    expect(await repo.start(q, '1970-01-01T00:00:00.000Z')).toBe(true);
    const read = await queue.get(q.id);
    expect(read).toMatchObject({ id: q.id, status: 'interrupted' });
    expect(read.finishedAt).not.toBeNull();
    // Its entries stay as the queue left them: which task was being merged is still to be seen.
    expect(read.entries[0]!.outcome).toBe('merging');
    expect(await repo.running(project.id)).toBeUndefined();
  });

  it('reads as running while it beats, and the project refuses a second queue meanwhile', async () => {
    const { project, task, repo, queue } = await setUp();
    const q = leftRunning(project, task.id, 2 * HEARTBEAT_MS);
    expect(await repo.start(q, '1970-01-01T00:00:00.000Z')).toBe(true);
    expect(await queue.get(q.id)).toMatchObject({ status: 'running' });
    const second = await queue.start([task.id]).catch((err: unknown) => err);
    expect(second).toBeInstanceOf(AppError);
    expect(second).toMatchObject({ code: 'merge_in_progress' });
  });
});
