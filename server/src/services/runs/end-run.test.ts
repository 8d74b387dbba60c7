/**
 * How a run ends, through the whole lifecycle on a real SQLite file and a real git repository with the
 * fake agent: the status each ending leads to (on its own, or stopped from outside while the agent
 * streams), the run's record and events, and the work committed on the task's branch whatever happened.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StopCause } from '../../domain/run-ending.js';
import { raw } from '../../runner/testing/git-fixtures.js';
import { crash, error, hang, text, usage, write, type FakeStep } from '../../runner/testing/fake-agent.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';

let bed: RunsBed;
beforeEach(async () => (bed = await openRunsBed()));
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const fileOnBranch = (taskId: string, file: string) =>
  raw(bed.repo, ['show', `gluon-task/${taskId}:${file}`]);
const notifications = (taskId: string) =>
  bed.watch.of(taskId, 'notification').map((e) => (e.type === 'notification' ? e.data.kind : ''));

/** Creates a task whose first run plays `steps`; resolves once that run's end is applied. */
async function runToEnd(steps: FakeStep[], over: Record<string, unknown> = {}) {
  bed.agent.enqueue(steps);
  const created = await bed.create('add a changelog', over);
  await bed.watch.ended(created.id);
  const task = (await bed.storage.tasks.findById(created.id))!;
  const runs = await bed.storage.runs.listByTask(created.id);
  return { task, runs, run: runs[0]! };
}

describe('a run that ends on its own', () => {
  const work = [write('CHANGELOG.md', '# Changes\n'), usage({ input: 1000, output: 200 })];
  const cases: Array<{
    name: string;
    last: FakeStep;
    status: string;
    stopReason: string;
    notify: string[];
    error?: string;
  }> = [
    { name: 'finished', last: text('Done.'), status: 'review', stopReason: 'completed', notify: ['review'] },
    {
      name: 'an API error',
      last: error('API Error: 500 overloaded', { retryable: true }),
      status: 'failed',
      stopReason: 'error',
      notify: ['failed'],
      error: 'API Error: 500 overloaded',
    },
    {
      name: 'a crash',
      last: crash(),
      status: 'failed',
      stopReason: 'error',
      notify: ['failed'],
      error: 'the agent process exited unexpectedly (code 1)',
    },
    {
      name: 'a question at the end of the turn',
      last: text('Should I use tabs or spaces?'),
      status: 'review',
      stopReason: 'input_required',
      notify: ['input_required'],
    },
  ];

  it.each(cases)('$name: queued → running → $status, the work committed', async (c) => {
    const { task, runs, run } = await runToEnd([...work, c.last]);
    expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running', `running→${c.status}`]);
    expect(task).toMatchObject({ status: c.status, stopReason: c.stopReason, error: c.error ?? null });
    expect(runs).toHaveLength(1);
    expect(run).toMatchObject({ status: 'ended', kind: 'initial', error: c.error ?? null });
    expect(run.stopReason).toBe(c.stopReason === 'input_required' ? 'completed' : c.stopReason);
    expect(notifications(task.id)).toEqual(c.notify);
    expect(fileOnBranch(task.id, 'CHANGELOG.md')).toBe('# Changes\n');
    const ended = bed.watch.of(task.id, 'run.ended');
    expect(ended.map((e) => e.runId)).toEqual([run.id]);
    // The commit is announced (its id and files read beside the publish) before the run's end.
    const committed = bed.watch.of(task.id, 'git.committed');
    expect(committed).toMatchObject([{ runId: run.id, data: { files: ['CHANGELOG.md'] } }]);
    expect(committed[0]!.seq).toBeLessThan(ended[0]!.seq);
    expect(committed[0]!.type === 'git.committed' && committed[0]!.data.sha).toBe(
      raw(bed.repo, ['rev-parse', `gluon-task/${task.id}`]).trim(),
    );
    expect(bed.watch.of(task.id, 'run.error')).toHaveLength(c.error ? 1 : 0);
    expect(task.costUsd).toBeGreaterThan(0);
    expect(task.costUsd).toBeCloseTo(run.costUsd, 12);
    expect(task.pendingInput?.live ?? null).toBe(c.stopReason === 'input_required' ? false : null);
  });

  it('the agent ran in the task’s own worktree, on its branch, with the task’s prompt', async () => {
    const { task } = await runToEnd([text('Done.')]);
    const req = bed.agent.runs[0]!.req;
    expect(req).toMatchObject({ cwd: task.worktreePath, prompt: 'add a changelog', resumeSessionId: null });
    expect(task.branch).toBe(`gluon-task/${task.id}`);
    expect(raw(task.worktreePath!, ['branch', '--show-current']).trim()).toBe(task.branch);
    expect(task.sessionId).toBe(bed.agent.runs[0]!.outcome!.sessionId);
    expect(task.nextPrompt).toBeNull();
    expect(task.finishedAt).not.toBeNull();
  });
});

describe('a run stopped from outside while the agent streams', () => {
  const cases: Array<{ cause: StopCause; status: string; stopReason: string; notify: string[] }> = [
    { cause: 'cancelled', status: 'cancelled', stopReason: 'cancelled', notify: [] },
    { cause: 'stopped', status: 'review', stopReason: 'stopped', notify: [] },
    { cause: 'died', status: 'failed', stopReason: 'error', notify: ['failed'] },
    { cause: 'cost_cap', status: 'review', stopReason: 'cost_cap', notify: ['cost_cap'] },
    { cause: 'input_required', status: 'review', stopReason: 'input_required', notify: [] },
  ];

  it.each(cases)('$cause: running → $status, the work so far committed', async (c) => {
    bed.agent.enqueue([write('draft.md', 'half\n'), usage({ input: 5000, output: 500 }), hang()]);
    const created = await bed.create('write a draft');
    await bed.watch.event(created.id, (e) => e.type === 'cost.updated');
    expect(await bed.runs.stop(created.id, c.cause)).toBe(true);
    // The stop resolves once the end is applied: nothing to wait for.
    const task = (await bed.storage.tasks.findById(created.id))!;
    const [run] = await bed.storage.runs.listByTask(created.id);
    expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running', `running→${c.status}`]);
    expect(task).toMatchObject({ status: c.status, stopReason: c.stopReason });
    expect(run).toMatchObject({ status: 'ended', stopReason: c.stopReason });
    expect(bed.agent.runs[0]!.stops).toEqual([c.cause]);
    expect(notifications(task.id)).toEqual(c.notify);
    expect(fileOnBranch(task.id, 'draft.md')).toBe('half\n');
    expect(task.costUsd).toBeCloseTo(run!.costUsd, 12);
    expect(run!.costUsd).toBeGreaterThan(0);
    if (c.cause === 'died') expect(task.error).toBe('the agent process died');
    if (c.cause === 'input_required') expect(task.inputRequired).toBe(true);
    expect(bed.runs.isActive(task.id)).toBe(false);
  });

  it('a pause puts the task back in the queue, and the next run resumes the session where it was', async () => {
    bed.agent.enqueue([write('draft.md', 'half\n'), hang()], [text('Finished the draft.')]);
    const created = await bed.create('write a draft');
    await bed.watch.event(created.id, (e) => e.type === 'tool.result');
    const paused = await bed.tasks.move(created.id, 'queued');
    expect(paused.status === 'queued' || paused.status === 'running').toBe(true);
    await bed.watch.ended(created.id, 2);
    const task = (await bed.storage.tasks.findById(created.id))!;
    expect(bed.watch.transitions(task.id)).toEqual([
      'new→queued',
      'queued→running',
      'running→queued',
      'queued→running',
      'running→review',
    ]);
    const second = bed.agent.runs[1]!.req;
    expect(second.resumeSessionId).toBe(bed.agent.runs[0]!.outcome!.sessionId);
    expect(second.prompt).toBe('You were paused. Continue the task where you left off.');
    const runs = await bed.storage.runs.listByTask(task.id);
    expect(runs.map((r) => [r.kind, r.stopReason])).toEqual([
      ['initial', 'interrupted'],
      ['resume', 'completed'],
    ]);
  });

  it('a shutdown closes the run as interrupted and leaves the task running for the next start', async () => {
    bed.agent.enqueue([write('draft.md', 'half\n'), hang()]);
    const created = await bed.create('write a draft');
    await bed.watch.event(created.id, (e) => e.type === 'tool.result');
    expect(await bed.runs.stop(created.id, 'shutdown')).toBe(true);
    const task = (await bed.storage.tasks.findById(created.id))!;
    const [run] = await bed.storage.runs.listByTask(created.id);
    expect(task.status).toBe('running');
    expect(run).toMatchObject({ status: 'ended', stopReason: 'interrupted' });
    expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running']);
    expect(fileOnBranch(task.id, 'draft.md')).toBe('half\n');
    expect(notifications(task.id)).toEqual([]);
  });

  it('a spending cap reached mid-run stops the agent and says which cap', async () => {
    bed.agent.enqueue([usage({ input: 1000 }), usage({ input: 400_000 }), hang()]);
    const created = await bed.create('expensive work', { maxCostUsd: 0.5 });
    await bed.watch.ended(created.id);
    const task = (await bed.storage.tasks.findById(created.id))!;
    expect(task).toMatchObject({ status: 'review', stopReason: 'cost_cap' });
    expect(bed.agent.runs[0]!.stops).toEqual(['cost_cap']);
    const changed = bed.watch.of(task.id, 'status.changed').at(-1)!;
    expect(changed.type === 'status.changed' && changed.data.reason).toMatch(/cap/);
  });
});
