/**
 * The queue on a real SQLite file, with an in-memory stand-in for the run lifecycle (same shape as `Runs`:
 * start, activeCount, onFinished): first in first out, never past the limit, startNow past it on purpose,
 * and never the same task twice however the kicks interleave.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { at } from '../storage/testing/factories.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { Runs } from './runs/index.js';
import { createScheduler } from './scheduler.js';
import { openCoreTestbed, type CoreTestbed } from './testing/core-testbed.js';

let bed: CoreTestbed;
beforeEach(async () => (bed = await openCoreTestbed()));
afterEach(() => bed.close());

/** Starts move the task to running (a moment later, as real starts do); `finish` ends a run. */
function standInRuns(opts: { failFor?: string } = {}) {
  const active = new Set<string>();
  const listeners = new Set<(taskId: string) => void>();
  const log = { starts: [] as string[], maxActive: 0 };
  const runs = {
    async start(task: TaskRecord): Promise<void> {
      log.starts.push(task.id);
      await new Promise((r) => setImmediate(r));
      if (task.id === opts.failFor) throw new Error('no worktree');
      await bed.state.transition(task, 'running', 'start');
      active.add(task.id);
      log.maxActive = Math.max(log.maxActive, active.size);
    },
    activeCount: () => active.size,
    onFinished(listener: (taskId: string) => void) {
      listeners.add(listener);
    },
  } satisfies Pick<Runs, 'start' | 'activeCount' | 'onFinished'>;
  async function finish(taskId: string): Promise<void> {
    active.delete(taskId);
    await bed.state.transition((await bed.storage.tasks.findById(taskId))!, 'review', 'run_ended');
    for (const l of listeners) l(taskId);
  }
  return { runs: runs as unknown as Runs, log, finish };
}

async function queued(n: number): Promise<string[]> {
  const ids: string[] = [];
  // Inserted newest first: the queue must go by queuedAt, not by insertion.
  for (let i = n; i >= 1; i -= 1) ids.unshift((await bed.task({ queuedAt: at(i) })).id);
  return ids;
}

function scheduler(maxConcurrent: number, runs: Runs) {
  const logged: string[] = [];
  const s = createScheduler({ storage: bed.storage, runs, maxConcurrent, log: (msg) => logged.push(msg) });
  return { s, logged };
}

describe('scheduler', () => {
  it('starts queued tasks first in, first out, never more than the limit at once', async () => {
    const ids = await queued(5);
    const r = standInRuns();
    const { s } = scheduler(2, r.runs);
    await s.kick();
    expect(r.log.starts).toEqual(ids.slice(0, 2));
    for (const id of ids) {
      await r.finish(id);
      await s.kick();
    }
    expect(r.log.starts).toEqual(ids);
    expect(r.log.maxActive).toBe(2);
  });

  it('starts one task now past the limit when asked, and fills no more slots until it is under again', async () => {
    const [first, second, third] = await queued(3);
    const r = standInRuns();
    const { s } = scheduler(1, r.runs);
    await s.kick();
    await s.startNow(third!);
    expect(r.log.starts).toEqual([first, third]);
    expect(r.runs.activeCount()).toBe(2);
    await r.finish(first!);
    await s.kick();
    expect(r.log.starts).toEqual([first, third]);
    await r.finish(third!);
    await s.kick();
    expect(r.log.starts).toEqual([first, third, second]);
  });

  it('startNow leaves a task that is not queued alone', async () => {
    const [id] = await queued(1);
    const r = standInRuns();
    const { s } = scheduler(5, r.runs);
    await s.kick();
    await s.startNow(id!);
    await s.startNow('missing00000');
    expect(r.log.starts).toEqual([id]);
  });

  it('never starts a task twice, however many kicks and startNows interleave', async () => {
    const ids = await queued(8);
    const r = standInRuns();
    const { s, logged } = scheduler(3, r.runs);
    await Promise.all([
      ...Array.from({ length: 10 }, () => s.kick()),
      s.startNow(ids[7]!),
      s.startNow(ids[0]!),
      ...Array.from({ length: 10 }, () => s.kick()),
    ]);
    expect(new Set(r.log.starts).size).toBe(r.log.starts.length);
    expect(r.log.starts).toHaveLength(4);
    for (let round = 0; round < 10 && r.runs.activeCount() > 0; round += 1) {
      for (const t of await bed.storage.tasks.list({ status: 'running' })) await r.finish(t.id);
      await Promise.all([s.kick(), s.kick()]);
    }
    expect([...r.log.starts].sort()).toEqual([...ids].sort());
    expect(logged).toEqual([]);
  });

  it('a start that fails is logged and ends the pass; the task stays queued, and the queue tries again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const [bad, good] = await queued(2);
      const r = standInRuns({ failFor: bad! });
      const { s, logged } = scheduler(2, r.runs);
      await s.kick();
      expect(logged).toEqual([`could not start task ${bad}; trying again in 2 s`]);
      expect(r.log.starts).toEqual([bad]);
      expect((await bed.storage.tasks.findById(good!))!.status).toBe('queued');
      await vi.runOnlyPendingTimersAsync();
      await s.kick();
      expect(r.log.starts.slice(0, 2)).toEqual([bad, bad]);
      s.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts nothing once stopped', async () => {
    await queued(2);
    const r = standInRuns();
    const { s } = scheduler(2, r.runs);
    s.stop();
    await s.kick();
    expect(r.log.starts).toEqual([]);
  });
});
