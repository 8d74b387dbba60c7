import { describe, expect, it } from 'vitest';
import { createMergeQueuesRepo, type MergeQueueRecord } from '../merge-queues-repo.js';
import { buildProject, buildTask, DIALECTS, useStorage } from '../testing/suite.js';

const queue = (id: string, projectId: string, at: string): MergeQueueRecord => ({
  id,
  projectId,
  status: 'running',
  baseBranch: 'main',
  method: 'fast-forward',
  entries: [{ taskId: 't1', title: 'T', outcome: 'pending', reason: null, sha: null, conflictFiles: null }],
  startedAt: at,
  heartbeatAt: at,
  finishedAt: null,
});

describe.each(DIALECTS)('merge queues and forks on %s', (dialect) => {
  const db = useStorage(dialect, 'merge_queues');
  const repo = () => createMergeQueuesRepo(db.storage.db);

  it('lets a project run one queue at a time; a silent one is closed as interrupted', async () => {
    const p = await buildProject(db.storage);
    const other = await buildProject(db.storage);
    const t0 = '2026-01-01T00:00:00.000Z';
    expect(await repo().start(queue('q1', p.id, t0), '2025-12-31T00:00:00.000Z')).toBe(true);
    // Two at once for the same project: the unique index lets exactly one through.
    const racing = await Promise.all([
      repo().start(queue('q2', p.id, t0), '2025-12-31T00:00:00.000Z'),
      repo().start(queue('q3', p.id, t0), '2025-12-31T00:00:00.000Z'),
    ]);
    expect(racing).toEqual([false, false]);
    expect(await repo().start(queue('q4', other.id, t0), '2025-12-31T00:00:00.000Z')).toBe(true);
    expect((await repo().running(p.id))?.id).toBe('q1');

    const entries = [{ ...queue('x', p.id, t0).entries[0]!, outcome: 'merged' as const, sha: 'abc' }];
    expect(await repo().progress('q1', entries, '2026-01-01T00:01:00.000Z')).toBe(true);
    // Its heartbeat is older than the limit: a new queue closes it and starts.
    expect(
      await repo().start(queue('q5', p.id, '2026-01-01T01:00:00.000Z'), '2026-01-01T00:30:00.000Z'),
    ).toBe(true);
    expect(await repo().get('q1')).toMatchObject({ status: 'interrupted', entries });
    expect(await repo().progress('q1', entries, '2026-01-01T01:00:00.000Z')).toBe(false);
    await repo().finish('q5', entries, '2026-01-01T01:02:00.000Z');
    expect(await repo().get('q5')).toMatchObject({
      status: 'finished',
      finishedAt: '2026-01-01T01:02:00.000Z',
    });
    expect(await repo().running(p.id)).toBeUndefined();
    expect(
      await repo().start(queue('q6', p.id, '2026-01-01T02:00:00.000Z'), '2026-01-01T01:00:00.000Z'),
    ).toBe(true);
  });

  it('lists the forks of tasks, oldest first', async () => {
    const p = await buildProject(db.storage);
    const src = await buildTask(db.storage, p);
    const [f1, f2] = [await buildTask(db.storage, p), await buildTask(db.storage, p)];
    await repo().addFork(f2.id, src.id, '2026-01-02T00:00:00.000Z');
    await repo().addFork(f1.id, src.id, '2026-01-01T00:00:00.000Z');
    const forks = await repo().forksOf([src.id, f1.id]);
    expect(forks.get(src.id)).toEqual([f1.id, f2.id]);
    expect(forks.has(f1.id)).toBe(false);
  });
});
