/**
 * The tasks repository on a real SQLite file: records survive the round trip field by field, the status
 * write is guarded, the queue is first in first out, and the last seq only moves forward.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectRecord } from './projects-repo.js';
import {
  at,
  buildTask,
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from './testing/factories.js';
import type { TaskRecord } from './tasks-repo.js';

let db: TestStorage;
let project: ProjectRecord;
beforeEach(async () => {
  db = await openTestStorage();
  project = await insertProject(db.storage);
});
afterEach(() => db.close());

describe('tasks repository', () => {
  it('stores and reads back every field, JSON and booleans included', async () => {
    const task = buildTask({
      projectId: project.id,
      status: 'review',
      useWorktree: false,
      inputRequired: true,
      pendingInput: { requestId: 'r1', kind: 'question', live: false, text: 'Tabs?', createdAt: at(1) },
      options: { ralph: true, maxIterations: 5, vars: { a: '1' } },
      modeState: { mode: 'planning', phase: 'planning', plan: 'the plan' },
      maxCostUsd: 2.5,
      costUsd: 0.125,
      health: 'yellow',
      healthReason: 'quiet',
      stopReason: 'input_required',
      lastSeq: 7,
    });
    await db.storage.tasks.insert(task);
    expect(await db.storage.tasks.findById(task.id)).toEqual(task);
    expect(await db.storage.tasks.findById('missing')).toBeUndefined();
  });

  it('updates only the fields given; null clears, undefined leaves alone, an empty patch writes nothing', async () => {
    const task = await insertTask(db.storage, { projectId: project.id, error: 'old', sessionId: 's1' });
    await db.storage.tasks.update(task.id, {
      error: null,
      sessionId: undefined,
      costUsd: 1.5,
      inputRequired: true,
    });
    await db.storage.tasks.update(task.id, {});
    expect(await db.storage.tasks.findById(task.id)).toEqual({
      ...task,
      error: null,
      costUsd: 1.5,
      inputRequired: true,
    });
  });

  it('writes a status only from the status the caller saw; a stale caller changes nothing', async () => {
    const task = await insertTask(db.storage, { projectId: project.id, status: 'queued' });
    expect(await db.storage.tasks.transition(task.id, 'queued', 'running', { startedAt: at(5) })).toBe(true);
    expect(await db.storage.tasks.transition(task.id, 'queued', 'cancelled', { error: 'late' })).toBe(false);
    expect(await db.storage.tasks.findById(task.id)).toMatchObject({
      status: 'running',
      startedAt: at(5),
      error: null,
    });
    expect(await db.storage.tasks.transition('missing', 'queued', 'running', {})).toBe(false);
  });

  it('lists the queue first in first out (ties by id), skipping other statuses, up to the limit', async () => {
    const make = (over: Partial<TaskRecord>) => insertTask(db.storage, { projectId: project.id, ...over });
    const late = await make({ queuedAt: at(30) });
    const early = await make({ queuedAt: at(10) });
    const tieA = await make({ id: 'aaaa00000000', queuedAt: at(20) });
    const tieB = await make({ id: 'bbbb00000000', queuedAt: at(20) });
    await make({ status: 'running', queuedAt: at(0) });
    const ids = (await db.storage.tasks.listQueued(10)).map((t) => t.id);
    expect(ids).toEqual([early.id, tieA.id, tieB.id, late.id]);
    expect((await db.storage.tasks.listQueued(1)).map((t) => t.id)).toEqual([early.id]);
  });

  it('lists newest first, by status and by project', async () => {
    const other = await insertProject(db.storage, { name: 'other' });
    const a = await insertTask(db.storage, { projectId: project.id, createdAt: at(1) });
    const b = await insertTask(db.storage, { projectId: other.id, createdAt: at(2), status: 'review' });
    const ids = async (f: Parameters<typeof db.storage.tasks.list>[0]) =>
      (await db.storage.tasks.list(f)).map((t) => t.id);
    expect(await ids({})).toEqual([b.id, a.id]);
    expect(await ids({ status: 'review' })).toEqual([b.id]);
    expect(await ids({ projectId: project.id })).toEqual([a.id]);
  });

  it('finds ids by prefix, at most two (enough to tell unique from ambiguous)', async () => {
    for (const id of ['abc100000000', 'abc200000000', 'abc300000000', 'abd000000000'])
      await insertTask(db.storage, { projectId: project.id, id });
    expect(await db.storage.tasks.idsByPrefix('abd')).toEqual(['abd000000000']);
    expect(await db.storage.tasks.idsByPrefix('abc')).toHaveLength(2);
    expect(await db.storage.tasks.idsByPrefix('zzz')).toEqual([]);
  });

  it('moves the last seq forward only', async () => {
    const task = await insertTask(db.storage, { projectId: project.id });
    await db.storage.tasks.setLastSeq(task.id, 5);
    await db.storage.tasks.setLastSeq(task.id, 3);
    expect((await db.storage.tasks.findById(task.id))!.lastSeq).toBe(5);
  });

  it('refuses a task of a project that does not exist', async () => {
    await expect(db.storage.tasks.insert(buildTask({ projectId: 'nope' }))).rejects.toThrow(/FOREIGN KEY/);
  });
});
