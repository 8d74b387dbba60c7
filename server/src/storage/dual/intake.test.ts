import { describe, expect, it } from 'vitest';
import { createIssueTasksRepo } from '../issue-tasks-repo.js';
import { createPushSubscriptionsRepo } from '../push-subscriptions-repo.js';
import { createSchedulesRepo, type ScheduleRecord } from '../schedules-repo.js';
import { buildProject, buildTask, DIALECTS, uid, useStorage } from '../testing/suite.js';

describe.each(DIALECTS)('intake tables on %s', (dialect) => {
  const db = useStorage(dialect, 'intake');
  const schedule = (projectId: string, patch: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
    id: uid('s'),
    projectId,
    cron: '0 7 * * 1-5',
    prompt: 'triage the inbox',
    options: { profile: 'quick' },
    status: 'active',
    failures: 0,
    pausedReason: null,
    nextRunAt: '2026-12-07T07:00:00.000Z',
    lastRunAt: null,
    createdAt: '2026-12-04T00:00:00.000Z',
    ...patch,
  });

  it('claims a due schedule run once, links its task and settles its outcome once', async () => {
    const repo = createSchedulesRepo(db.storage.db);
    const project = await buildProject(db.storage);
    const s = schedule(project.id);
    await repo.insert(s);
    expect(await repo.listDue('2026-12-07T06:59:59.000Z')).toEqual([]);
    expect((await repo.listDue('2026-12-07T07:00:00.000Z')).map((r) => r.id)).toContain(s.id);
    const next = '2026-12-08T07:00:00.000Z';
    expect(await repo.claimDue(s.id, s.nextRunAt!, next, '2026-12-07T07:00:01.000Z')).toBe(true);
    expect(await repo.claimDue(s.id, s.nextRunAt!, next, '2026-12-07T07:00:01.000Z')).toBe(false);
    const task = await buildTask(db.storage, project);
    await repo.insertRun({
      taskId: task.id,
      scheduleId: s.id,
      dueAt: s.nextRunAt!,
      outcome: null,
      createdAt: s.createdAt,
    });
    expect(await repo.settleRun(task.id, 'failed')).toBe(true);
    expect(await repo.settleRun(task.id, 'succeeded')).toBe(false);
    expect(await repo.runOfTask(task.id)).toMatchObject({ scheduleId: s.id, outcome: 'failed' });
    expect(await repo.runs(s.id)).toHaveLength(1);
    await repo.setState(s.id, { status: 'paused', failures: 3, pausedReason: 'three failures' });
    expect(await repo.findById(s.id)).toMatchObject({ status: 'paused', failures: 3, nextRunAt: next });
    await repo.remove(s.id);
    expect((await repo.list()).map((r) => r.id)).not.toContain(s.id);
    expect(await repo.findById(s.id)).toMatchObject({ status: 'removed' });
  });

  it('links one task per issue and claims each comment once', async () => {
    const repo = createIssueTasksRepo(db.storage.db);
    const project = await buildProject(db.storage);
    const [a, b] = [await buildTask(db.storage, project), await buildTask(db.storage, project)];
    const link = {
      issueId: uid('i'),
      taskId: a.id,
      projectId: project.id,
      repo: 'acme/app',
      number: 12,
      url: 'https://github.example/acme/app/issues/12',
      reviewCommented: false,
      prCommented: null,
      createdAt: '2026-12-04T00:00:00.000Z',
    };
    expect(await repo.insert(link)).toBe(true);
    expect(await repo.insert({ ...link, taskId: b.id })).toBe(false);
    expect(await repo.findByTask(a.id)).toMatchObject({ number: 12, repo: 'acme/app' });
    expect(await repo.claimReviewComment(a.id)).toBe(true);
    expect(await repo.claimReviewComment(a.id)).toBe(false);
    expect(await repo.claimPrComment(a.id, 3)).toBe(true);
    expect(await repo.claimPrComment(a.id, 3)).toBe(false);
    expect(await repo.claimPrComment(a.id, 4)).toBe(true);
    expect(await repo.findByIssue(link.issueId)).toMatchObject({ reviewCommented: true, prCommented: 4 });
  });

  it('keeps one push subscription per endpoint', async () => {
    const repo = createPushSubscriptionsRepo(db.storage.db);
    const endpoint = `http://127.0.0.1:1/push/${uid('e')}`;
    await repo.upsert({ endpoint, p256dh: 'k1', auth: 'a1', createdAt: '2026-12-04T00:00:00.000Z' });
    await repo.upsert({ endpoint, p256dh: 'k2', auth: 'a2', createdAt: '2026-12-04T00:00:01.000Z' });
    expect((await repo.list()).filter((s) => s.endpoint === endpoint)).toEqual([
      { endpoint, p256dh: 'k2', auth: 'a2', createdAt: '2026-12-04T00:00:00.000Z' },
    ]);
    expect(await repo.remove(endpoint)).toBe(true);
    expect(await repo.remove(endpoint)).toBe(false);
  });
});
