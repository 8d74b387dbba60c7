/**
 * A worker of a fleet that could not record a run (cut off from the database) repairs it once the
 * database answers again, unless it was declared lost meanwhile: then the task has moved on, and the
 * runs open on it belong to the worker that continues it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { buildRun } from '../storage/testing/factories.js';
import { repairUnrecordedRun } from './recovery.js';
import type { Settle } from './runs/settle.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';
import type { Workspaces } from './workspaces.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function openRun(storage: Storage, task: TaskRecord): Promise<string> {
  const run = buildRun({ taskId: task.id, model: 'sonnet', prompt: 'work', startedAt: nowIso() });
  await storage.runs.insert(run);
  return run.id;
}

describe('repairing a run a worker could not record', () => {
  it('leaves a task that moved to another worker alone, and repairs one still on this worker', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gluon-repair-'));
    dirs.push(dir);
    const bed = await openGitTestbed(dir);
    const project = await insertProject(bed.storage, { path: dir });
    const settled: string[] = [];
    const deps = {
      storage: bed.storage,
      events: bed.events,
      workspaces: {} as Workspaces,
      settle: (async (t) => {
        settled.push(t.id);
        return t;
      }) as Settle,
      resumeOnRestart: false,
      log: () => {},
    };
    // Continued on `mainland` after `islander` was declared lost: mainland's run is open.
    const moved = await insertTask(bed.storage, project, {
      status: 'running',
      worker: 'mainland',
      useWorktree: false,
    });
    const theirs = await openRun(bed.storage, moved);
    await repairUnrecordedRun(deps, moved.id, 'connect EHOSTUNREACH', 'islander');
    expect((await bed.storage.runs.listByTask(moved.id)).map((r) => [r.id, r.status])).toEqual([
      [theirs, 'running'],
    ]);
    expect(settled).toEqual([]);

    // Still this worker's: its open run is closed and the task settles.
    const mine = await insertTask(bed.storage, project, {
      status: 'running',
      worker: 'islander',
      useWorktree: false,
    });
    const run = await openRun(bed.storage, mine);
    await repairUnrecordedRun(deps, mine.id, 'connect EHOSTUNREACH', 'islander');
    expect((await bed.storage.runs.listByTask(mine.id)).map((r) => [r.id, r.status])).toEqual([
      [run, 'ended'],
    ]);
    expect(settled).toEqual([mine.id]);
    await bed.storage.close();
  });
});
