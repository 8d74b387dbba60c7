/**
 * Stopping a task's work in each phase of a run, on a real SQLite file and a real git repository with the
 * fake agent: while its worktree is prepared, while the agent waits for a human, while the run's work is
 * committed or published, and between two runs of a loop. Each stop resolves once the task has settled.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { GluonEvent } from '../../../../shared/events.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { hang, question, text, usage, write } from '../../runner/testing/fake-agent.js';
import { raw } from '../../runner/testing/git-fixtures.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';

let bed: RunsBed;
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const find = async (id: string) => (await bed.storage.tasks.findById(id))!;
const branchHas = (taskId: string, file: string) =>
  raw(bed.repo, ['ls-tree', '--name-only', `gluon-task/${taskId}`])
    .split('\n')
    .includes(file);

/** A task whose start is held while its worktree is prepared; an agent it goes on to start hangs. */
async function heldWhilePrepared() {
  bed = await openRunsBed();
  bed.agent.enqueue([hang()]);
  const prepare = bed.hold('prepare');
  const created = await bed.create('add a changelog');
  await prepare.reached;
  return { created, prepare };
}

describe('a stop while the run starts', () => {
  it('while the worktree is prepared: no agent starts, no run is recorded, the task is cancelled, the pool refills', async () => {
    bed = await openRunsBed();
    const prepare = bed.hold('prepare');
    const created = await bed.create('add a changelog');
    await prepare.reached;
    const stopping = bed.runs.stop(created.id, 'cancelled');
    prepare.release();
    expect(await stopping).toBe(true);
    const task = await find(created.id);
    expect(task).toMatchObject({ status: 'cancelled', stopReason: 'cancelled' });
    expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running', 'running→cancelled']);
    expect(bed.agent.runs).toHaveLength(0);
    expect(await bed.storage.runs.listByTask(task.id)).toEqual([]);
    expect(bed.runs.isActive(task.id)).toBe(false);
    // What the start left for after the agent's start runs all the same.
    await bed.poolIdle();
    expect(readdirSync(path.join(bed.home, 'worktree-pool'))).toHaveLength(2);
  });

  it('a shutdown while the worktree is prepared stops the agent the start went on to start', async () => {
    const { created, prepare } = await heldWhilePrepared();
    const stopping = bed.runs.stop(created.id, 'shutdown');
    prepare.release();
    expect(await stopping).toBe(true);
    expect(bed.agent.runs[0]!.stops).toEqual(['shutdown']);
    const [run] = await bed.storage.runs.listByTask(created.id);
    expect(run).toMatchObject({ status: 'ended', stopReason: 'interrupted' });
    expect((await find(created.id)).status).toBe('running');
  });

  it('a shutdown (of the process) while the worktree is prepared waits for the start, which starts no agent', async () => {
    const { created, prepare } = await heldWhilePrepared();
    let stopped = false;
    const stopping = bed.runs.shutdown().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false); // the start is still preparing its worktree
    prepare.release();
    await stopping;
    // Nothing of the run is left to write: no agent was started, no run recorded; the task stays
    // `running` for the next start's recovery, as every run a shutdown stops.
    expect(bed.agent.runs).toHaveLength(0);
    expect(await bed.storage.runs.listByTask(created.id)).toEqual([]);
    expect(bed.runs.isActive(created.id)).toBe(false);
    expect((await find(created.id)).status).toBe('running');
    // A queued task the queue hands over afterwards is not started either.
    const later = await bed.storage.tasks.findById((await bed.create('later')).id);
    await bed.runs.start(later!);
    expect((await find(later!.id)).status).toBe('queued');
    expect(bed.agent.runs).toHaveLength(0);
  });

  it('a task with nothing running is not stopped', async () => {
    bed = await openRunsBed();
    const task = await bed.create('later');
    await bed.watch.ended(task.id);
    expect(await bed.runs.stop(task.id, 'cancelled')).toBe(false);
  });
});

describe('a stop while the agent waits for a human', () => {
  it('waiting for an approval: the call is refused, the task cancelled, nothing left pending', async () => {
    bed = await openRunsBed();
    bed.agent.enqueue([usage({ input: 100 }), write('secret-plan.md', 'x'), text('Done.')]);
    const created = await bed.create('write the plan', { approval: 'strict' });
    await bed.watch.event(created.id, (e) => e.type === 'input.requested');
    expect((await find(created.id)).inputRequired).toBe(true);
    const cancelled = await bed.tasks.cancel(created.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', inputRequired: false, pendingInput: null });
    const resolved = await bed.watch.event(created.id, (e) => e.type === 'input.resolved');
    expect(resolved.type === 'input.resolved' && resolved.data.decision).toBe('denied');
    expect(existsSync(path.join(cancelled.worktreePath!, 'secret-plan.md'))).toBe(false);
    const [run] = await bed.storage.runs.listByTask(created.id);
    expect(run).toMatchObject({ status: 'ended', stopReason: 'cancelled' });
  });

  it('waiting for an answer: the question is dropped with the run, the task cancelled', async () => {
    bed = await openRunsBed();
    bed.agent.enqueue([question('Tabs or spaces?', ['Tabs', 'Spaces']), text('Done.')]);
    const created = await bed.create('set up the formatter');
    await bed.watch.event(created.id, (e) => e.type === 'input.requested');
    expect((await find(created.id)).pendingInput).toMatchObject({ kind: 'question', live: true });
    const cancelled = await bed.tasks.cancel(created.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', inputRequired: false, pendingInput: null });
    expect(bed.watch.transitions(created.id)).toEqual(['new→queued', 'queued→running', 'running→cancelled']);
  });

  it('an answer lets the agent go on; the task stays running meanwhile and ends in review', async () => {
    bed = await openRunsBed();
    bed.agent.enqueue([question('Tabs or spaces?', ['Tabs', 'Spaces']), text('Used tabs.')]);
    const created = await bed.create('set up the formatter');
    await bed.watch.event(created.id, (e) => e.type === 'input.requested');
    expect((await find(created.id)).status).toBe('running');
    await bed.tasks.answer(created.id, 'Tabs');
    await bed.watch.ended(created.id);
    const task = await find(created.id);
    expect(task).toMatchObject({ status: 'review', stopReason: 'completed', inputRequired: false });
    expect(bed.agent.runs[0]!.toolRequests[0]!.decision).toMatchObject({ allow: true });
    expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running', 'running→review']);
  });

  it('an approval lets the write happen; a denial refuses it and the agent goes on', async () => {
    bed = await openRunsBed();
    bed.agent.enqueue([write('a.md', 'a\n'), write('b.md', 'b\n'), text('Done.')]);
    const created = await bed.create('write two files', { approval: 'strict' });
    await bed.watch.event(created.id, (e) => e.type === 'input.requested');
    await bed.tasks.approve(created.id);
    const second = (e: GluonEvent) =>
      e.type === 'input.requested' && JSON.stringify(e.data.toolInput).includes('b.md');
    await bed.watch.event(created.id, second);
    await bed.tasks.deny(created.id, 'not that one');
    await bed.watch.ended(created.id);
    const task = await find(created.id);
    expect(task).toMatchObject({ status: 'review', stopReason: 'completed' });
    expect([branchHas(task.id, 'a.md'), branchHas(task.id, 'b.md')]).toEqual([true, false]);
    expect(bed.agent.runs[0]!.outcome!.permissionDenials).toBe(1);
  });
});

describe('a stop while the run ends', () => {
  it('a plain run that finished on its own: its own end decides (review), the work committed', async () => {
    bed = await openRunsBed();
    bed.agent.enqueue([write('a.md', 'a\n'), text('Done.')]);
    const commit = bed.hold('commit');
    const created = await bed.create('write a file');
    await commit.reached;
    const stopping = bed.runs.stop(created.id, 'cancelled');
    commit.release();
    expect(await stopping).toBe(true);
    const task = await find(created.id);
    expect(task).toMatchObject({ status: 'review', stopReason: 'completed' });
    expect(branchHas(task.id, 'a.md')).toBe(true);
  });

  for (const phase of ['commit', 'publish'] as const) {
    it(`a loop whose iteration is being ${phase === 'commit' ? 'committed' : 'published'}: cancelled, no next iteration`, async () => {
      bed = await openRunsBed({ config: { loop: { pauseMs: 0 } } });
      bed.agent.enqueue([write('step1.md', '1\n'), text('Made step 1; more to do.')]);
      const held = bed.hold(phase);
      const created = await bed.create('build it step by step', { ralph: true, maxIterations: 5 });
      await held.reached;
      const stopping = bed.runs.stop(created.id, 'cancelled');
      held.release();
      expect(await stopping).toBe(true);
      const task = await find(created.id);
      expect(task).toMatchObject({ status: 'cancelled', stopReason: 'cancelled', iterations: 1 });
      expect(bed.agent.runs).toHaveLength(1);
      expect(branchHas(task.id, 'step1.md')).toBe(true);
      expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running', 'running→cancelled']);
    });
  }

  it('a loop pausing between iterations: the wait ends and the task is cancelled', async () => {
    bed = await openRunsBed({ config: { loop: { pauseMs: 3_600_000 } } });
    bed.agent.enqueue([write('step1.md', '1\n'), text('Made step 1; more to do.')]);
    const created = await bed.create('build it step by step', { ralph: true, maxIterations: 5 });
    await bed.watch.event(created.id, (e) => e.type === 'notice' && /waiting/.test(e.data.message));
    expect(bed.runs.isActive(created.id)).toBe(true);
    const cancelled = await bed.tasks.cancel(created.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', stopReason: 'cancelled' });
    expect(bed.runs.isActive(created.id)).toBe(false);
    expect(bed.agent.runs).toHaveLength(1);
  });
});

describe('a stop while the agent streams, through tasks', () => {
  it('cancel keeps the work and cancels; stopLoop ends a loop in review', async () => {
    bed = await openRunsBed({ config: { loop: { pauseMs: 0 } } });
    bed.agent.enqueue([write('draft.md', 'x\n'), hang()], [write('loop.md', 'y\n'), hang()]);
    const plain = await bed.create('write a draft');
    const loop = await bed.create('loop on it', { ralph: true, maxIterations: 5 });
    await bed.watch.event(plain.id, (e) => e.type === 'tool.result');
    await bed.watch.event(loop.id, (e) => e.type === 'tool.result');
    expect(await bed.tasks.cancel(plain.id)).toMatchObject({ status: 'cancelled' });
    expect(await bed.tasks.stopLoop(loop.id)).toMatchObject({ status: 'review', stopReason: 'stopped' });
    expect([branchHas(plain.id, 'draft.md'), branchHas(loop.id, 'loop.md')]).toEqual([true, true]);
  });
});
