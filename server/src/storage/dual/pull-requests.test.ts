import { describe, expect, it } from 'vitest';
import { createPullRequestsRepo, type PullRequestRecord } from '../pull-requests-repo.js';
import { buildProject, buildTask, DIALECTS, useStorage } from '../testing/suite.js';

const pr = (number: number, patch: Partial<PullRequestRecord> = {}): PullRequestRecord => ({
  repo: 'org/repo',
  number,
  url: `https://github.example/org/repo/pull/${number}`,
  state: 'open',
  checks: null,
  headSha: 'a'.repeat(40),
  ...patch,
});

describe.each(DIALECTS)('pull requests and git state on %s', (dialect) => {
  const db = useStorage(dialect, 'pull_requests');
  const repo = () => createPullRequestsRepo(db.storage.db);
  const newTask = async (status: 'review' | 'done' = 'review') =>
    buildTask(db.storage, await buildProject(db.storage), { status });

  it('has no row until something is recorded', async () => {
    const task = await newTask();
    expect(await repo().get(task.id)).toBeUndefined();
    expect(await repo().getMany([])).toEqual(new Map());
  });

  it('records a pull request and conflicts independently, upserting one row per task', async () => {
    const task = await newTask();
    await repo().setConflicts(task.id, ['src/a.ts', 'ünï/b.ts']);
    await repo().setPullRequest(task.id, pr(7));
    const both = await repo().get(task.id);
    expect(both).toMatchObject({ taskId: task.id, pr: pr(7), conflictFiles: ['src/a.ts', 'ünï/b.ts'] });
    expect(both!.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    await repo().setPullRequest(task.id, pr(7, { state: 'merged', checks: 'success', headSha: null }));
    await repo().setConflicts(task.id, []);
    expect(await repo().get(task.id)).toMatchObject({
      pr: pr(7, { state: 'merged', checks: 'success', headSha: null }),
      conflictFiles: null,
    });
    await repo().setConflicts(task.id, ['x']);
    await repo().setConflicts(task.id, null);
    expect((await repo().get(task.id))!.conflictFiles).toBeNull();
    const rows = await db.storage.db
      .withTables<{ task_git: { task_id: string } }>()
      .selectFrom('task_git')
      .select('task_id')
      .where('task_id', '=', task.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('reads several tasks at once, and lists the pull requests worth polling', async () => {
    const open = await newTask();
    const mergedInReview = await newTask('review');
    const mergedDone = await newTask('done');
    const closed = await newTask();
    const conflictsOnly = await newTask();
    await repo().setPullRequest(open.id, pr(1));
    await repo().setPullRequest(mergedInReview.id, pr(2, { state: 'merged' }));
    await repo().setPullRequest(mergedDone.id, pr(3, { state: 'merged' }));
    await repo().setPullRequest(closed.id, pr(4, { state: 'closed' }));
    await repo().setConflicts(conflictsOnly.id, ['f']);
    const many = await repo().getMany([open.id, closed.id, conflictsOnly.id, 'missing']);
    expect([...many.keys()].sort()).toEqual([open.id, closed.id, conflictsOnly.id].sort());
    expect(many.get(conflictsOnly.id)!.pr).toBeNull();
    const mine = new Set([open.id, mergedInReview.id, mergedDone.id, closed.id, conflictsOnly.id]);
    const pollable = (await repo().listPollable()).map((r) => r.taskId).filter((id) => mine.has(id));
    expect(pollable).toEqual([open.id, mergedInReview.id].sort());
  });
});
