/**
 * Startup recovery of each kind of interrupted run, for real: a first "server" runs a task with the fake
 * agent on a SQLite file and a git repository and dies mid-run (its database closed with the agent still
 * working, as after a kill); a second one opens the same files, recovers, and goes on. The fake agents
 * of both share their sessions, as Claude Code's session files outlive the server.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RESTART_PROMPT } from '../domain/restart-recovery.js';
import { createFakeAgent, hang, question, text, usage, write } from '../runner/testing/fake-agent.js';
import { raw } from '../runner/testing/git-fixtures.js';
import type { ConfigInput } from '../config.js';
import { createMergeQueuesRepo } from '../storage/merge-queues-repo.js';
import { buildMergeQueue } from '../storage/testing/factories.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from './testing/runs-bed.js';

const open: RunsBed[] = [];
afterEach(async () => {
  for (const bed of open.splice(0)) await bed.close();
});
afterAll(cleanupRunsBeds);

/**
 * The first server: starts a task whose agent does `steps`, and dies once `ready` says so; `before` runs
 * before the task is created (to hold a phase of its start).
 */
async function crashDuring(
  steps: Parameters<RunsBed['agent']['enqueue']>[0],
  ready: (bed: RunsBed, id: string) => Promise<unknown>,
  before: (bed: RunsBed) => void = () => {},
) {
  const first = await openRunsBed();
  first.agent.enqueue(steps);
  before(first);
  const task = await first.create('write the report');
  await ready(first, task.id);
  await first.crash();
  return { first, taskId: task.id };
}

/** The second server on the same files, its agent knowing the first one's sessions. */
async function restart(first: RunsBed, config: ConfigInput = {}) {
  const agent = createFakeAgent({ sessions: first.agent.sessions });
  const bed = await openRunsBed({ agent, config, reopen: { home: first.home, repo: first.repo } });
  open.push(bed);
  return bed;
}

/** A server whose one task ran to its end (in review). */
async function inReview() {
  const bed = await openRunsBed();
  open.push(bed);
  bed.agent.enqueue([text('Done.')]);
  const created = await bed.create('write the report');
  await bed.watch.ended(created.id);
  return { bed, created };
}

const streaming = (bed: RunsBed, id: string) => bed.watch.event(id, (e) => e.type === 'cost.updated');
const midRun = [write('report.md', 'half a report\n'), usage({ input: 20_000, output: 2_000 }), hang()];

describe('recovery after a server died mid-run', () => {
  it('closes the open run as interrupted (work committed, live cost kept), then resumes the session', async () => {
    const { first, taskId } = await crashDuring(midRun, streaming);
    const bed = await restart(first);
    const before = (await bed.storage.tasks.findById(taskId))!;
    const [open1] = await bed.storage.runs.listByTask(taskId);
    expect([before.status, open1!.status]).toEqual(['running', 'running']);
    expect(open1!.costUsd).toBeGreaterThan(0);

    expect(await bed.recover()).toEqual({ requeued: 1, failed: 0, reaped: 0 });
    const [run] = await bed.storage.runs.listByTask(taskId);
    expect(run).toMatchObject({
      status: 'ended',
      stopReason: 'interrupted',
      error: 'the server stopped during this run',
      costUsd: open1!.costUsd,
    });
    expect(raw(bed.repo, ['show', `gluon-task/${taskId}:report.md`])).toBe('half a report\n');
    const task = (await bed.storage.tasks.findById(taskId))!;
    expect(task).toMatchObject({ status: 'queued', nextPrompt: RESTART_PROMPT, costUsd: open1!.costUsd });
    expect(bed.watch.transitions(taskId)).toEqual(['running→queued']);
    expect(bed.watch.of(taskId).map((e) => e.type)).toEqual([
      'git.committed',
      'run.error',
      'run.ended',
      'status.changed',
    ]);

    bed.agent.enqueue([usage({ input: 1_000 }), text('Finished the report.')]);
    await bed.scheduler.kick();
    await bed.watch.ended(taskId);
    const req = bed.agent.runs[0]!.req;
    expect(req).toMatchObject({ resumeSessionId: task.sessionId, prompt: RESTART_PROMPT });
    const done = (await bed.storage.tasks.findById(taskId))!;
    const runs = await bed.storage.runs.listByTask(taskId);
    expect(done.status).toBe('review');
    expect(runs.map((r) => r.stopReason)).toEqual(['interrupted', 'completed']);
    expect(done.costUsd).toBeCloseTo(runs[0]!.costUsd + runs[1]!.costUsd, 12);
  });

  it('with resuming on restart off: the task fails, saying so', async () => {
    const { first, taskId } = await crashDuring(midRun, streaming);
    const bed = await restart(first, { resumeOnRestart: false });
    expect(await bed.recover()).toEqual({ requeued: 0, failed: 1, reaped: 0 });
    const task = (await bed.storage.tasks.findById(taskId))!;
    expect(task).toMatchObject({
      status: 'failed',
      stopReason: 'interrupted',
      error: 'the server restarted during the run (resuming on restart is off)',
    });
    expect((await bed.storage.runs.listByTask(taskId))[0]!.stopReason).toBe('interrupted');
  });

  it('before the agent started (no session): the task fails, and there is no run to close', async () => {
    let prepare: ReturnType<RunsBed['hold']> | null = null;
    const { first, taskId } = await crashDuring(
      [text('never')],
      () => prepare!.reached,
      (b) => (prepare = b.hold('prepare')),
    );
    const bed = await restart(first);
    expect(await bed.recover()).toEqual({ requeued: 0, failed: 1, reaped: 0 });
    const task = (await bed.storage.tasks.findById(taskId))!;
    expect(task).toMatchObject({
      status: 'failed',
      stopReason: 'interrupted',
      error: 'the server stopped before the agent started',
    });
    expect(await bed.storage.runs.listByTask(taskId)).toEqual([]);
    expect(first.agent.runs).toHaveLength(0);
  });

  it('while a question was open: the task waits in review with the question, and an answer resumes it', async () => {
    const asks = [question('Which format, Markdown or HTML?', ['Markdown', 'HTML']), text('Done.')];
    const { first, taskId } = await crashDuring(asks, (b, id) =>
      b.watch.event(id, (e) => e.type === 'input.requested'),
    );
    const bed = await restart(first);
    expect(await bed.recover()).toEqual({ requeued: 0, failed: 0, reaped: 0 });
    const task = (await bed.storage.tasks.findById(taskId))!;
    expect(task).toMatchObject({ status: 'review', stopReason: 'input_required', inputRequired: true });
    expect(task.pendingInput).toMatchObject({ kind: 'question', live: false });
    bed.agent.enqueue([text('Wrote it in Markdown.')]);
    await bed.tasks.answer(taskId, 'Markdown');
    await bed.watch.ended(taskId);
    expect(bed.agent.runs[0]!.req.prompt).toMatch(/Which format, Markdown or HTML\?[\s\S]*Markdown/);
    expect(bed.agent.runs[0]!.req.resumeSessionId).toBe(task.sessionId);
    expect((await bed.storage.tasks.findById(taskId))!.status).toBe('review');
  });

  it('after a clean shutdown: the run was closed already and is not closed twice; the task resumes', async () => {
    const first = await openRunsBed();
    first.agent.enqueue(midRun);
    const created = await first.create('write the report');
    await streaming(first, created.id);
    await first.close();
    const bed = await restart(first);
    expect(await bed.recover()).toEqual({ requeued: 1, failed: 0, reaped: 0 });
    const runs = await bed.storage.runs.listByTask(created.id);
    expect(runs.map((r) => r.stopReason)).toEqual(['interrupted']);
    expect(bed.watch.of(created.id).map((e) => e.type)).toEqual(['status.changed']);
    const ended = await bed.storage.events.listAfter(created.id, 0, 1000);
    expect(ended.filter((e) => e.type === 'run.ended')).toHaveLength(1);
  });

  it('leaves settled tasks alone', async () => {
    const { bed, created } = await inReview();
    expect(await bed.recover()).toEqual({ requeued: 0, failed: 0, reaped: 0 });
    expect((await bed.storage.tasks.findById(created.id))!.status).toBe('review');
  });

  it('closes a merge queue the dead server was running, at once (this process alone runs queues)', async () => {
    const { bed, created } = await inReview();
    const merges = createMergeQueuesRepo(bed.storage.db);
    const now = new Date().toISOString();
    const queue = buildMergeQueue({ id: 'mq1', projectId: bed.project.id, taskId: created.id, at: now });
    expect(await merges.start(queue, now)).toBe(true);
    expect(await bed.recover()).toEqual({ requeued: 0, failed: 0, reaped: 0 });
    expect(await merges.get('mq1')).toMatchObject({ status: 'interrupted', entries: queue.entries });
    expect(await merges.running(bed.project.id)).toBeUndefined();
  });
});
