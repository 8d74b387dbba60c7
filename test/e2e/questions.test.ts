import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

describe('questions, answers, approvals and resume', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
  });
  afterAll(async () => g?.close());

  it('AskUserQuestion → inputRequired with the question → answer → the agent goes on in the same session', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:question]] pick a colour',
    });
    const waiting = await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the question');
    expect(waiting.status).toBe('running');
    expect(waiting.pendingInput).toMatchObject({ kind: 'question', live: true });
    expect(waiting.pendingInput?.questions?.[0]?.question).toBe('Which color should I use?');
    const sessionId = waiting.sessionId;
    await g.client.answer(created.id, 'blue');
    const done = await waitForTask(g.client, created.id, settled, 'the task to finish');
    expect(done.status).toBe('review');
    expect(done.inputRequired).toBe(false);
    expect(done.sessionId).toBe(sessionId);
    expect(readFileSync(path.join(done.worktreePath!, 'answer.txt'), 'utf8')).toContain('blue');
    const runs = await g.client.runs(created.id);
    expect(runs).toHaveLength(1);
    const { events } = await g.client.events(created.id);
    expect(events.some((e) => e.type === 'input.requested' && e.data.kind === 'question')).toBe(true);
    expect(events.some((e) => e.type === 'input.resolved' && e.data.decision === 'answered')).toBe(true);
  });

  it('a turn that ends with a question waits in review; the answer resumes the same session and cost accumulates', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ask]] set up the formatter',
    });
    const waiting = await waitForTask(g.client, created.id, settled, 'the question');
    expect(waiting.status).toBe('review');
    expect(waiting.inputRequired).toBe(true);
    expect(waiting.stopReason).toBe('input_required');
    expect(waiting.pendingInput?.text).toMatch(/tabs or spaces\?$/);
    const firstCost = waiting.costUsd;
    const answered = await g.client.answer(created.id, 'spaces, two of them');
    expect(['queued', 'running']).toContain(answered.status);
    const done = await waitForTask(
      g.client,
      created.id,
      (t) => settled(t) && t.updatedAt !== answered.updatedAt && !t.inputRequired,
      'the resumed run',
    );
    expect(done.status).toBe('review');
    expect(done.stopReason).toBe('completed');
    expect(done.sessionId).toBe(waiting.sessionId);
    expect(done.worktreePath).toBe(waiting.worktreePath);
    expect(readFileSync(path.join(done.worktreePath!, 'reply.txt'), 'utf8')).toContain('spaces, two of them');
    expect(done.costUsd).toBeGreaterThan(firstCost);
    const runs = await g.client.runs(created.id);
    expect(runs.map((r) => r.kind)).toEqual(['initial', 'resume']);
    expect(done.costUsd).toBeCloseTo(runs[0]!.costUsd + runs[1]!.costUsd, 9);
    // One request asked the question; the resume made two (Write, then the summary). The resumed run's
    // cost is its own two requests, not the session's cumulative total that the SDK reports.
    expect(runs[0]!.costUsd).toBeCloseTo(0.00105, 9);
    expect(runs[1]!.costUsd).toBeCloseTo(0.00105 * 2, 9);
  });

  it('a turn closing on a request for an answer (no final "?") waits with the question; a summary does not', async () => {
    // The agent's closing words here are the output of its command, which its summary quotes last.
    const asking = await g.client.createTask({
      project: 'sample',
      prompt:
        '[[scenario:bash cmd="echo Question: formal or casual? Please answer before I continue."]] ask me',
    });
    const waiting = await waitForTask(g.client, asking.id, settled, 'the question');
    expect(waiting.status).toBe('review');
    expect(waiting.inputRequired).toBe(true);
    expect(waiting.stopReason).toBe('input_required');
    expect(waiting.pendingInput?.text).toMatch(/formal or casual\? Please answer before I continue\.$/);
    const summary = await g.client.createTask({
      project: 'sample',
      prompt:
        '[[scenario:bash cmd="echo Done. All tests pass. Let me know if you need anything else."]] report',
    });
    const done = await waitForTask(g.client, summary.id, settled, 'the summary');
    expect(done.status).toBe('review');
    expect(done.inputRequired).toBe(false);
    expect(done.stopReason).toBe('completed');
  });

  it('resume with feedback from review continues the session in the same worktree', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=a.txt content=one]] write a',
    });
    const first = await waitForTask(g.client, created.id, settled, 'the first run');
    await g.client.resume(created.id, '[[scenario:write-file path=b.txt content=two]] now write b');
    const second = await waitForTask(
      g.client,
      created.id,
      (t) => settled(t) && t.updatedAt !== first.updatedAt && t.status === 'review',
      'the resumed run',
    );
    expect(second.sessionId).toBe(first.sessionId);
    expect(await git(g.repo, 'show', `${second.branch}:a.txt`)).toBe('one');
    expect(await git(g.repo, 'show', `${second.branch}:b.txt`)).toBe('two');
  });

  it('careful policy: a destructive command waits for approval; approve lets it run', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:danger]] clean the build',
      approval: 'careful',
    });
    const waiting = await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the approval request');
    expect(waiting.pendingInput).toMatchObject({ kind: 'approval', toolName: 'Bash', live: true });
    expect(waiting.pendingInput?.reason).toMatch(/rm/);
    await g.client.approve(created.id);
    const done = await waitForTask(g.client, created.id, settled, 'the task to finish');
    expect(done.status).toBe('review');
    const { events } = await g.client.events(created.id);
    const result = events.find((e) => e.type === 'tool.result');
    expect(result?.type === 'tool.result' && result.data.isError).toBe(false);
  });

  it('careful policy: deny refuses the call and the agent is told why', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:danger]] clean the build',
      approval: 'careful',
    });
    await waitForTask(g.client, created.id, (t) => t.inputRequired, 'the approval request');
    await g.client.deny(created.id, 'not today');
    const done = await waitForTask(g.client, created.id, settled, 'the task to finish');
    const { events } = await g.client.events(created.id);
    const result = events.find((e) => e.type === 'tool.result');
    expect(result?.type === 'tool.result' && result.data.isError).toBe(true);
    expect(result?.type === 'tool.result' && result.data.output).toMatch(/not today/);
    expect(done.inputRequired).toBe(false);
  });

  it('approve with nothing pending is a clear 409', async () => {
    const [any] = await g.client.listTasks();
    await expect(g.client.approve(any!.id)).rejects.toMatchObject({ status: 409, code: 'no_approval' });
  });
});
