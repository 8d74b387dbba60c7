/**
 * Starting a run, on a real SQLite file and a real git repository with the fake agent: what is checked
 * and recorded before the agent starts, and each way a start settles the task without an agent.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGate, text, usage, waitFor, write } from '../../runner/testing/fake-agent.js';
import { createDirs } from '../../runner/testing/git-fixtures.js';
import { insertProject, insertTask } from '../../storage/testing/factories.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';

let bed: RunsBed;
const dirs = createDirs();
beforeEach(async () => (bed = await openRunsBed()));
afterEach(() => bed.close());
afterAll(async () => {
  await cleanupRunsBeds();
  await dirs.cleanup();
});

const find = async (id: string) => (await bed.storage.tasks.findById(id))!;

describe('starting a run', () => {
  it('records the start, then the run, before the agent says anything', async () => {
    bed.agent.enqueue([text('Looking.'), usage({ input: 10 }), text('Done.')]);
    const created = await bed.create('add a changelog');
    await bed.watch.ended(created.id);
    const types = bed.watch.of(created.id).map((e) => e.type);
    expect(types.slice(0, 5)).toEqual([
      'task.created',
      'status.changed',
      'status.changed',
      'run.started',
      'run.session',
    ]);
    const [run] = await bed.storage.runs.listByTask(created.id);
    const started = bed.watch.of(created.id, 'run.started')[0]!;
    expect(started.runId).toBe(run!.id);
    expect(started.data).toMatchObject({ kind: 'initial', model: run!.model, resumeOf: null });
    expect(bed.watch.of(created.id, 'agent.text').every((e) => e.runId === run!.id)).toBe(true);
    expect(run).toMatchObject({ kind: 'initial', prompt: 'add a changelog', sessionId: 'fake-session-1' });
    expect((await find(created.id)).startedAt).not.toBeNull();
  });

  it('a spending cap already reached settles the task in review; no agent starts, no run is recorded', async () => {
    const task = await insertTask(bed.storage, {
      projectId: bed.project.id,
      costUsd: 0.75,
      maxCostUsd: 0.5,
    });
    await bed.scheduler.kick();
    expect(await find(task.id)).toMatchObject({ status: 'review', stopReason: 'cost_cap' });
    expect(bed.watch.transitions(task.id)).toEqual(['queued→running', 'running→review']);
    const note = bed.watch.of(task.id, 'notification')[0]!;
    expect(note.type === 'notification' && note.data.kind).toBe('cost_cap');
    expect(bed.agent.runs).toHaveLength(0);
    expect(await bed.storage.runs.listByTask(task.id)).toEqual([]);
    expect(bed.runs.isActive(task.id)).toBe(false);
  });

  it('a worktree that cannot be prepared fails the task with the reason; no agent starts', async () => {
    await insertProject(bed.storage, { name: 'not-git', path: await dirs.make('gluon-not-git-') });
    const created = await bed.create('add a changelog', { project: 'not-git' });
    // The queue's pass that started it resolves once the start is over.
    await bed.scheduler.kick();
    const task = await find(created.id);
    expect(task).toMatchObject({ status: 'failed', stopReason: 'error' });
    expect(task.error).toMatch(/^could not prepare the worktree: /);
    expect(bed.watch.of(task.id, 'run.error')).toHaveLength(1);
    expect(bed.agent.runs).toHaveLength(0);
    expect(bed.runs.isActive(task.id)).toBe(false);
  });

  it('holds its slot while the worktree is prepared', async () => {
    const prepare = bed.hold('prepare');
    bed.agent.enqueue([text('Done.')]);
    const created = await bed.create('add a changelog');
    await prepare.reached;
    expect([bed.runs.isActive(created.id), bed.runs.activeCount()]).toEqual([true, 1]);
    prepare.release();
    await bed.watch.ended(created.id);
    expect([bed.runs.isActive(created.id), bed.runs.activeCount()]).toEqual([false, 0]);
  });

  it('a task without a worktree works in the project’s checkout and commits nothing', async () => {
    bed.agent.enqueue([write('NOTES.md', 'n\n'), text('Done.')]);
    const created = await bed.create('take notes', { worktree: false });
    await bed.watch.ended(created.id);
    const task = await find(created.id);
    expect(bed.agent.runs[0]!.req.cwd).toBe(bed.repo);
    expect(task).toMatchObject({ status: 'review', worktreePath: null, branch: null });
    expect(bed.watch.of(task.id, 'git.committed')).toEqual([]);
  });

  it('refills the pool of ready worktrees only once the agent is up and its first event is out', async () => {
    const poolDir = join(bed.home, 'worktree-pool');
    const poolAt: Record<string, boolean[]> = { session: [], published: [] };
    const start = bed.agent.start.bind(bed.agent);
    bed.agent.start = (req, hooks) =>
      start(req, {
        ...hooks,
        onSession: (id) => {
          poolAt.session!.push(existsSync(poolDir));
          hooks.onSession(id);
        },
      });
    // A subscriber hears the event once it is durable; the refill (which makes the pool's folder at
    // once) must not have begun by then, nor in the same turn (the WebSocket hub writes at its end).
    // The agent holds its end until both looks were taken: a run that ends starts the refill too.
    const looked = createGate();
    const unsubscribe = bed.events.subscribe((e) => {
      if (e.type !== 'run.session') return;
      poolAt.published!.push(existsSync(poolDir));
      setImmediate(() => {
        poolAt.published!.push(existsSync(poolDir));
        looked.open();
      });
    });
    bed.agent.enqueue([waitFor(looked.wait), text('Done.')]);
    const created = await bed.create('add a changelog');
    await bed.watch.ended(created.id);
    await bed.poolIdle();
    unsubscribe();
    expect(poolAt).toEqual({ session: [false], published: [false, false] });
    expect(readdirSync(poolDir)).toHaveLength(2);
  });

  it('a start that lost its task to another start is refused, and nothing runs twice', async () => {
    bed.agent.enqueue([text('Done.')]);
    const created = await bed.create('add a changelog');
    await bed.watch.ended(created.id);
    const stale = { ...created, status: 'queued' as const };
    await expect(bed.runs.start(stale)).rejects.toMatchObject({ code: 'status_changed' });
    expect(bed.agent.runs).toHaveLength(1);
  });
});
