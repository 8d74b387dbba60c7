import { describe, expect, it } from 'vitest';
import type { AutofixItem } from '../../domain/pr-autofix.js';
import { createPrAutofixRepo, type AutofixBatchRecord } from '../pr-autofix-repo.js';
import { createPullRequestsRepo } from '../pull-requests-repo.js';
import { buildRun } from '../testing/factories.js';
import { buildProject, buildTask, DIALECTS, uid, useStorage } from '../testing/suite.js';

const item = (id: string, patch: Partial<AutofixItem> = {}): AutofixItem => ({
  kind: 'review_comment',
  id,
  author: 'alice',
  path: 'a.ts',
  line: 3,
  name: null,
  body: `comment ${id}`,
  at: null,
  ...patch,
});

describe.each(DIALECTS)('pull request autofix tables on %s', (dialect) => {
  const db = useStorage(dialect, 'pr_autofix');
  const batch = (taskId: string, patch: Partial<AutofixBatchRecord> = {}): AutofixBatchRecord => ({
    id: uid('b'),
    taskId,
    prNumber: 7,
    trigger: '',
    outcome: 'resumed',
    reason: null,
    runId: null,
    createdAt: new Date().toISOString(),
    ...patch,
  });
  const setup = async () => {
    const project = await buildProject(db.storage);
    const task = await buildTask(db.storage, project);
    return { repo: createPrAutofixRepo(db.storage.db), project, task };
  };

  it('remembers each item once, and a batch claims every pending item once', async () => {
    const { repo, task } = await setup();
    const at = '2026-12-05T10:00:00.000Z';
    expect(await repo.record(task.id, 7, [item('1'), item('2', { kind: 'issue_comment' })], at)).toHaveLength(
      2,
    );
    expect(
      await repo.record(task.id, 7, [item('1'), item('3', { kind: 'check_run', name: 'ci' })], at),
    ).toEqual([item('3', { kind: 'check_run', name: 'ci' })]);
    expect(await repo.seenKeys(task.id)).toEqual(
      new Set(['review_comment:1', 'issue_comment:2', 'check_run:3']),
    );
    expect(await repo.hasPending(task.id)).toBe(true);
    expect(await repo.tasksWithPending()).toContain(task.id);

    const first = batch(task.id);
    const taken = await repo.claim(first, 'sent');
    expect(taken.map((i) => `${i.kind}:${i.id}`).sort()).toEqual([
      'check_run:3',
      'issue_comment:2',
      'review_comment:1',
    ]);
    expect(taken.find((i) => i.id === '1')).toMatchObject({
      author: 'alice',
      path: 'a.ts',
      line: 3,
      prNumber: 7,
    });
    expect(await repo.claim(batch(task.id), 'sent')).toEqual([]);
    expect(await repo.hasPending(task.id)).toBe(false);

    // Given back (the task started meanwhile): pending again, the batch gone.
    await repo.release(first.id);
    expect(await repo.hasPending(task.id)).toBe(true);
    expect(await repo.batches(task.id)).toHaveLength(0);
  });

  it('links the next run to the resumed batch once, sums its cost, and finds open pull requests', async () => {
    const { repo, task } = await setup();
    await repo.record(task.id, 7, [item(uid('c'))], new Date().toISOString());
    const refused = batch(task.id, { outcome: 'refused', reason: 'cap' });
    await repo.claim(refused, 'refused');
    await repo.record(task.id, 7, [item(uid('c'))], new Date().toISOString());
    const resumed = batch(task.id);
    await repo.claim(resumed, 'sent');
    await repo.describe(resumed.id, 'PR review comment by alice', 7);

    const run = buildRun({ taskId: task.id, costUsd: 0.25 });
    await db.storage.runs.insert(run);
    expect(await repo.attachRun(task.id, run.id)).toBe(true);
    expect(await repo.attachRun(task.id, uid('r'))).toBe(false);
    expect(await repo.spent(task.id, 7)).toBeCloseTo(0.25);
    expect(await repo.spent(task.id, 8)).toBe(0);
    expect((await repo.batches(task.id)).map((b) => [b.outcome, b.trigger, b.runId])).toEqual([
      ['refused', '', null],
      ['resumed', 'PR review comment by alice', run.id],
    ]);

    await createPullRequestsRepo(db.storage.db).setPullRequest(task.id, {
      repo: 'acme/app',
      number: 7,
      url: 'https://github.com/acme/app/pull/7',
      state: 'open',
      checks: null,
      headSha: 'abc',
    });
    expect((await repo.openPullRequests()).find((p) => p.taskId === task.id)).toEqual({
      taskId: task.id,
      projectId: task.projectId,
      repo: 'acme/app',
      number: 7,
      headSha: 'abc',
    });
  });
});
