import { describe, expect, it } from 'vitest';
import { buildTask } from '../../testing/fixtures.js';
import { groupColumns, NO_FILTER } from './board-filter.js';
import { movesFrom, planMove } from '../../ui/board-moves.js';
import { BoardStore } from '../../stores/board-store.js';

describe('board moves', () => {
  it.each([
    ['queued', 'running', 'start now'],
    ['running', 'queued', 'pause'],
    ['review', 'done', 'accept'],
    ['review', 'queued', 'resume'],
    ['done', 'review', 'reopen'],
    ['failed', 'queued', 'run again'],
    ['running', 'cancelled', 'cancel'],
  ] as const)('%s → %s means %s', (from, to, verb) => {
    expect(planMove(from, to)).toEqual({ ok: true, verb });
  });

  it.each([
    ['queued', 'done'],
    ['running', 'review'],
    ['done', 'queued'],
    ['cancelled', 'done'],
    ['review', 'review'],
  ] as const)('refuses %s → %s with a reason', (from, to) => {
    const plan = planMove(from, to);
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.message.length).toBeGreaterThan(10);
  });

  it('names where a task can go instead', () => {
    expect(planMove('done', 'queued')).toEqual({
      ok: false,
      message: 'A task cannot move from Done to Queue. From Done it can go to Review.',
    });
    expect(movesFrom('review').map((m) => m.status)).toEqual(['done', 'queued', 'cancelled']);
  });
});

describe('board grouping', () => {
  const tasks = [
    buildTask({ id: 'q2', createdAt: '2024-05-01T10:02:00Z' }),
    buildTask({ id: 'q1', createdAt: '2024-05-01T10:01:00Z' }),
    buildTask({
      id: 'r1',
      status: 'review',
      updatedAt: '2024-05-01T11:00:00Z',
      project: 'api',
      workspace: 'team',
    }),
    buildTask({ id: 'r2', status: 'review', updatedAt: '2024-05-01T12:00:00Z', title: 'Write tests' }),
    buildTask({ id: 'f1', status: 'failed', project: 'api', workspace: 'team' }),
  ];

  it('orders the queue oldest first and others newest first; Failed shows only when not empty', () => {
    const cols = groupColumns(tasks, NO_FILTER);
    expect(cols.map((c) => c.status)).toEqual(['queued', 'running', 'review', 'done', 'failed']);
    expect(cols[0]!.tasks.map((t) => t.id)).toEqual(['q1', 'q2']);
    expect(cols[2]!.tasks.map((t) => t.id)).toEqual(['r2', 'r1']);
  });

  it('filters by workspace, project and title search', () => {
    const ids = (f: Partial<typeof NO_FILTER>) =>
      groupColumns(tasks, { ...NO_FILTER, ...f }).flatMap((c) => c.tasks.map((t) => t.id));
    expect(ids({ workspace: 'team' })).toEqual(['r1', 'f1']);
    expect(ids({ project: 'web', search: 'tests' })).toEqual(['r2']);
    expect(
      groupColumns(tasks, { ...NO_FILTER, workspace: 'team' }).some((c) => c.status === 'cancelled'),
    ).toBe(false);
  });
});

describe('BoardStore', () => {
  it('applies snapshots and updates, and shows a pending move until the server confirms it', () => {
    const store = new BoardStore((flush) => flush());
    let calls = 0;
    store.subscribe(() => (calls += 1));
    store.apply({ type: 'board.snapshot', tasks: [buildTask({ id: 'a' }), buildTask({ id: 'b' })] });
    expect(store.loaded).toBe(true);
    const first = store.list();
    expect(store.list()).toBe(first);
    store.expect('a', 'running');
    expect(store.list().find((t) => t.id === 'a')?.status).toBe('running');
    store.apply({ type: 'task.updated', task: buildTask({ id: 'a', status: 'running' }) });
    store.forget('a');
    expect(store.list().find((t) => t.id === 'a')?.status).toBe('running');
    store.expect('b', 'running');
    store.forget('b');
    expect(store.list().find((t) => t.id === 'b')?.status).toBe('queued');
    store.apply({ type: 'task.removed', taskId: 'b' });
    expect(store.list().map((t) => t.id)).toEqual(['a']);
    expect(calls).toBe(6);
  });
});
