/**
 * Task changes presented for the board: every state of every task, in the order they happened, with the
 * changes that pile up while a batch is presented going together in the next one.
 */
import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../../../shared/api.js';
import { buildTask } from '../storage/testing/factories.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { createTaskViews } from './task-views.js';

function setup() {
  let changed: (t: TaskRecord) => void = () => {};
  const lookups: number[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | null = null;
  const views = createTaskViews({
    projects: { find: async () => undefined, list: async () => [] },
    pullRequests: {
      gitState: async () => ({ pr: null, conflictFiles: null }),
      gitStates: async (ids: string[]) => {
        lookups.push(ids.length);
        await gate;
        return new Map(ids.map((id) => [id, { pr: null, conflictFiles: null }]));
      },
    },
    state: {
      onChange: (l: (t: TaskRecord) => void) => {
        changed = l;
        return () => {};
      },
    },
    log: () => {},
  });
  const seen: TaskDto[] = [];
  views.onChange((v) => seen.push(v));
  return {
    change: (t: TaskRecord) => changed(t),
    seen,
    lookups,
    hold: () => {
      gate = new Promise((r) => (release = r));
    },
    release: () => release(),
    settled: () => new Promise((r) => setTimeout(r, 10)),
  };
}

describe('task views: changes for the board', () => {
  it('presents every state of every task in order, changes made meanwhile batched together', async () => {
    const v = setup();
    const a = buildTask({ projectId: 'p', id: 'a', costUsd: 0 });
    const b = buildTask({ projectId: 'p', id: 'b', costUsd: 0 });
    v.hold();
    v.change(a);
    while (v.lookups.length === 0) await new Promise((r) => setImmediate(r));
    for (let i = 1; i <= 5; i++) v.change({ ...(i % 2 ? b : a), costUsd: i });
    v.release();
    await v.settled();
    expect(v.seen.map((t) => [t.id, t.costUsd])).toEqual([
      ['a', 0],
      ['b', 1],
      ['a', 2],
      ['b', 3],
      ['a', 4],
      ['b', 5],
    ]);
    // The first change alone, the five made while it was being presented in one batch.
    expect(v.lookups).toEqual([1, 5]);
  });

  it('changes made in one turn are presented as one batch', async () => {
    const v = setup();
    for (const id of ['a', 'b', 'c']) v.change(buildTask({ projectId: 'p', id }));
    await v.settled();
    expect(v.seen.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(v.lookups).toEqual([3]);
  });

  it('a change after a quiet moment is presented at once, on its own', async () => {
    const v = setup();
    v.change(buildTask({ projectId: 'p', id: 'a' }));
    await v.settled();
    v.change(buildTask({ projectId: 'p', id: 'b' }));
    await v.settled();
    expect(v.seen.map((t) => t.id)).toEqual(['a', 'b']);
    expect(v.lookups).toEqual([1, 1]);
  });
});
