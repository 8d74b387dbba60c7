import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

describe('a task run by the real Claude Code', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
  });
  afterAll(async () => g?.close());

  it('writes a file, reaches review, commits on its branch, and leaves the user checkout alone', async () => {
    const headBefore = await git(g.repo, 'rev-parse', 'HEAD');
    const statusBefore = await git(g.repo, 'status', '--porcelain');
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=hello.txt content="Hello from the agent"]] Create hello.txt',
    });
    expect(created.status).toBe('queued');
    const task = await waitForTask(g.client, created.id, settled, 'the task to settle');
    expect(task.status).toBe('review');
    expect(task.stopReason).toBe('completed');
    expect(task.branch).toBe(`gluon-task/${task.id}`);
    expect(task.worktreePath).toBe(path.join(g.home, 'worktrees', `wt-${task.id}`));
    expect(task.sessionId).toBeTruthy();
    expect(readFileSync(path.join(task.worktreePath!, 'hello.txt'), 'utf8')).toContain(
      'Hello from the agent',
    );

    // Committed on the task branch, the worktree clean.
    expect(await git(g.repo, 'show', `${task.branch}:hello.txt`)).toContain('Hello from the agent');
    expect(await git(task.worktreePath!, 'status', '--porcelain')).toBe('');
    expect(await git(g.repo, 'log', '-1', '--format=%B', task.branch!)).toContain(`Gluon-Task: ${task.id}`);

    // The user's checkout and default branch are untouched.
    expect(await git(g.repo, 'rev-parse', 'HEAD')).toBe(headBefore);
    expect(await git(g.repo, 'rev-parse', 'main')).toBe(headBefore);
    expect(await git(g.repo, 'status', '--porcelain')).toBe(statusBefore);
    expect(await git(g.repo, 'branch', '--show-current')).toBe('main');
    expect(existsSync(path.join(g.repo, 'hello.txt'))).toBe(false);

    // Cost: positive and equal to what the SDK reported at the end of the run.
    const { events } = await g.client.events(task.id, { limit: 10_000 });
    const ended = events.filter((e) => e.type === 'run.ended');
    expect(ended).toHaveLength(1);
    expect(task.costUsd).toBeGreaterThan(0);
    const runs = await g.client.runs(task.id);
    expect(runs).toHaveLength(1);
    expect(task.costUsd).toBeCloseTo(runs[0]!.costUsd, 9);
    // The fake answers every request with 100 input + 50 output tokens: $0.00105 each on Sonnet.
    const requests = g.fake.requests.filter((r) => r.path.startsWith('/v1/messages')).length;
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(task.costUsd).toBeCloseTo(requests * 0.00105, 9);
    const finalCost = events.filter((e) => e.type === 'cost.updated').at(-1);
    expect(finalCost?.type === 'cost.updated' && finalCost.data.final).toBe(true);

    // The stream holds the tool call with its input and its result, in seq order without gaps.
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const call = events.find((e) => e.type === 'tool.called' && e.data.name === 'Write');
    expect(
      call && call.type === 'tool.called' && (call.data.input as { file_path: string }).file_path,
    ).toMatch(/hello\.txt$/);
    expect(events.some((e) => e.type === 'tool.result')).toBe(true);
    expect(events.some((e) => e.type === 'git.committed')).toBe(true);
  });
});
