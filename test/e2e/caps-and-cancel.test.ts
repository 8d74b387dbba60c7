import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../../server/src/runner/process-group.js';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

describe('stopping agents: cost cap and cancel', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon({ killAfterMs: { term: 7500, kill: 10000 } });
  });
  afterAll(async () => g?.close());

  it('stops a never-ending agent at its cost cap, keeps and commits its work, and says why', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=50]] loop',
      maxCostUsd: 0.25,
    });
    const task = await waitForTask(g.client, created.id, settled, 'the cap to stop the task');
    expect(task.status).toBe('review');
    expect(task.stopReason).toBe('cost_cap');
    // Each response costs $0.09 (20k in + 2k out on Sonnet): the cap is reached on the third; at most the
    // turn in flight may pass it.
    expect(task.costUsd).toBeGreaterThanOrEqual(0.25);
    expect(task.costUsd).toBeLessThan(0.25 + 0.09 * 2);
    const ticks = await git(g.repo, 'show', `${task.branch}:ticks.txt`);
    expect(ticks.split('\n').filter((l) => l === 'tick').length).toBeGreaterThanOrEqual(1);
    const { events } = await g.client.events(task.id);
    const status = events.filter((e) => e.type === 'status.changed').at(-1);
    expect(status?.type === 'status.changed' && status.data.reason).toMatch(/cost cap/);
  });

  it('refuses to start a resume once the cap is spent', async () => {
    const [capped] = await g.client.listTasks({ status: 'review' });
    const resumed = await g.client.resume(capped!.id, 'keep going');
    expect(resumed.status).toBe('queued');
    const after = await waitForTask(
      g.client,
      capped!.id,
      (t) => settled(t) && t.updatedAt !== capped!.updatedAt,
      'the resume to be refused',
    );
    expect(after.stopReason).toBe('cost_cap');
    expect(after.costUsd).toBeCloseTo(capped!.costUsd, 9);
  });

  it("stops a task at its project's daily cap, and refuses to start another once the day's budget is spent", async () => {
    const { makeRepo } = await import('./harness.js');
    const repo = await makeRepo();
    const project = await g.client.addProject({ path: repo, name: 'capped', maxCostPerDayUsd: 0.2 });
    expect(project.maxCostPerDayUsd).toBe(0.2);
    const first = await g.client.createTask({
      project: 'capped',
      prompt: '[[scenario:loop-forever delay=50]] spend',
    });
    const stopped = await waitForTask(g.client, first.id, settled, 'the daily cap');
    expect(stopped.stopReason).toBe('cost_cap');
    expect(stopped.costUsd).toBeGreaterThanOrEqual(0.2);
    const { events } = await g.client.events(first.id);
    expect(JSON.stringify(events)).toMatch(/project's daily cost cap of \$0.2/);
    const second = await g.client.createTask({
      project: 'capped',
      prompt: '[[scenario:write-file path=a content=a]] more',
    });
    const refused = await waitForTask(g.client, second.id, settled, 'the refusal');
    expect(refused).toMatchObject({ status: 'review', stopReason: 'cost_cap', costUsd: 0 });
  });

  it('cancels a running task within 10 s, leaves no process, and keeps its work', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=200]] loop until cancelled',
    });
    const running = await waitForTask(
      g.client,
      created.id,
      (t) => t.status === 'running' && !!t.worktreePath && existsSync(path.join(t.worktreePath, 'ticks.txt')),
      'the agent to be working',
    );
    const pids = g.server.services.runs
      .activeRuns()
      .filter((r) => r.taskId === running.id)
      .map((r) => r.pid!);
    expect(pids).toHaveLength(1);
    expect(isGroupAlive(pids[0]!)).toBe(true);
    const started = Date.now();
    const cancelled = await g.client.cancel(running.id);
    const elapsed = Date.now() - started;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.stopReason).toBe('cancelled');
    expect(elapsed).toBeLessThan(10_500);
    expect(isGroupAlive(pids[0]!)).toBe(false);
    expect(existsSync(path.join(running.worktreePath!, 'ticks.txt'))).toBe(true);
    expect(readFileSync(path.join(running.worktreePath!, 'ticks.txt'), 'utf8')).toContain('tick');
    expect(await git(running.worktreePath!, 'status', '--porcelain')).toBe('');
  });
});
