/**
 * The `task_git` table on a real SQLite file: a task's pull request and its conflicted files change on
 * their own, several tasks are read at once, and only pull requests worth polling are listed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPullRequestsRepo,
  type PullRequestRecord,
  type PullRequestsRepo,
} from './pull-requests-repo.js';
import { insertProject, insertTask, openTestStorage, type TestStorage } from './testing/factories.js';

let db: TestStorage;
let repo: PullRequestsRepo;
let projectId: string;
beforeEach(async () => {
  db = await openTestStorage();
  repo = createPullRequestsRepo(db.storage.db);
  projectId = (await insertProject(db.storage)).id;
});
afterEach(() => db.close());

const pr = (number: number, state: PullRequestRecord['state']): PullRequestRecord => ({
  repo: 'acme/web',
  number,
  url: `https://github.example/acme/web/pull/${number}`,
  state,
  checks: 'success',
  headSha: 'abc123',
});

describe('pull requests repository', () => {
  it('keeps the pull request and the conflicted files of a task apart', async () => {
    const task = await insertTask(db.storage, { projectId });
    expect(await repo.get(task.id)).toBeUndefined();
    await repo.setConflicts(task.id, ['a.ts', 'b.ts']);
    await repo.setPullRequest(task.id, pr(7, 'open'));
    expect(await repo.get(task.id)).toMatchObject({ pr: pr(7, 'open'), conflictFiles: ['a.ts', 'b.ts'] });
    await repo.setConflicts(task.id, []);
    expect(await repo.get(task.id)).toMatchObject({ pr: pr(7, 'open'), conflictFiles: null });
    await repo.setPullRequest(task.id, pr(7, 'merged'));
    expect((await repo.get(task.id))!.pr!.state).toBe('merged');
  });

  it('reads several tasks at once, and nothing for none', async () => {
    const a = await insertTask(db.storage, { projectId });
    const b = await insertTask(db.storage, { projectId });
    await repo.setPullRequest(a.id, pr(1, 'open'));
    const many = await repo.getMany([a.id, b.id]);
    expect([...many.keys()]).toEqual([a.id]);
    expect((await repo.getMany([])).size).toBe(0);
  });

  it('polls open pull requests, and merged ones only while their task waits in review', async () => {
    const open = await insertTask(db.storage, { projectId, id: 'aaaa00000001', status: 'review' });
    const mergedReview = await insertTask(db.storage, { projectId, id: 'aaaa00000002', status: 'review' });
    const mergedDone = await insertTask(db.storage, { projectId, id: 'aaaa00000003', status: 'done' });
    const closed = await insertTask(db.storage, { projectId, id: 'aaaa00000004', status: 'review' });
    await repo.setPullRequest(open.id, pr(1, 'open'));
    await repo.setPullRequest(mergedReview.id, pr(2, 'merged'));
    await repo.setPullRequest(mergedDone.id, pr(3, 'merged'));
    await repo.setPullRequest(closed.id, pr(4, 'closed'));
    expect((await repo.listPollable()).map((r) => r.taskId)).toEqual([open.id, mergedReview.id]);
  });
});
