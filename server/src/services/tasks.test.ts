/**
 * What a user does to tasks (create, move, cancel, resume, answer, approve), on a real SQLite file and a
 * real git repository with the fake agent: every move the board allows, the status it leads to and the
 * run it starts, and each refusal with its code.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../shared/api.js';
import { USER_MOVES } from '../../../shared/task-moves.js';
import { hang, text } from '../runner/testing/fake-agent.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { insertTask } from '../storage/testing/factories.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from './testing/runs-bed.js';

let bed: RunsBed;
beforeEach(async () => {
  bed = await openRunsBed({ worktrees: false });
  // The session the settled tasks below had: the agent knows it, as Claude Code keeps its sessions.
  bed.agent.sessions.set('fake-session-9', { id: 'fake-session-9', prompts: ['earlier'], totalUsd: 0 });
});
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const find = async (id: string) => (await bed.storage.tasks.findById(id))!;
/** A task already in `status`, with a session when it has run, while the queue starts nothing. */
const settledTask = (status: TaskStatus, over: Partial<TaskRecord> = {}) =>
  insertTask(bed.storage, {
    projectId: bed.project.id,
    status,
    sessionId: status === 'queued' ? null : 'fake-session-9',
    useWorktree: false,
    ...over,
  });

describe('creating a task', () => {
  it('queues it with its title, prompt and mode, and announces it', async () => {
    bed.scheduler.stop();
    const task = await bed.create('[[ctx]] Add a changelog\nwith every release since 1.0');
    expect(task).toMatchObject({
      status: 'queued',
      title: 'Add a changelog',
      nextPrompt: '[[ctx]] Add a changelog\nwith every release since 1.0',
      costUsd: 0,
      modeState: null,
    });
    await bed.events.flush();
    const events = bed.watch.of(task.id);
    expect(events.map((e) => e.type)).toEqual(['task.created', 'status.changed']);
    expect(events[1]!.data).toEqual({ from: null, to: 'queued', reason: 'created' });
    expect((await bed.create('loop', { ralph: true, maxIterations: 3 })).modeState).toMatchObject({
      mode: 'loop',
      limits: { maxIterations: 3 },
    });
    expect((await bed.create('plan first', { profile: 'planning' })).modeState).toMatchObject({
      mode: 'planning',
      phase: 'planning',
    });
  });

  it('refuses what does not go together, and an unknown project', async () => {
    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ ralph: true, formula: 'x' }, 'invalid_input'],
      [{ maxIterations: 3 }, 'invalid_input'],
      [{ verify: 'npm test' }, 'invalid_input'],
      [{ vars: { a: 'b' } }, 'invalid_input'],
      [{ ralph: true, verify: 'npm test && rm -rf /' }, 'invalid_input'],
      [{ project: 'nope' }, 'not_found'],
    ];
    for (const [over, code] of refusals)
      await expect(bed.create('work', over), JSON.stringify(over)).rejects.toMatchObject({ code });
    expect(await bed.storage.tasks.list({})).toEqual([]);
  });

  it('the queue starts it, and it runs to review', async () => {
    bed.agent.enqueue([text('Done.')]);
    const task = await bed.create('add a changelog');
    await bed.watch.ended(task.id);
    expect(await find(task.id)).toMatchObject({ status: 'review', stopReason: 'completed' });
  });
});

describe('moving a task on the board', () => {
  const settledMoves = USER_MOVES.filter((m) => m.from !== 'running' && m.from !== 'queued');

  it.each(settledMoves)('$from → $to ($verb)', async (m) => {
    bed.agent.enqueue([hang()]);
    const task = await settledTask(m.from);
    const moved = await bed.tasks.move(task.id, m.to);
    await bed.events.flush();
    expect(bed.watch.transitions(task.id)[0]).toBe(`${m.from}→${m.to}`);
    if (m.to !== 'queued') expect(moved.status).toBe(m.to);
    else {
      // Back in the queue, which starts it again: resuming the session it had.
      await bed.agent.started(1);
      expect(bed.agent.runs[0]!.req).toMatchObject({ resumeSessionId: 'fake-session-9' });
      expect(bed.agent.runs[0]!.req.prompt).toBe('Continue the task.');
    }
  });

  it('queued → running (start now) and queued → cancelled', async () => {
    bed.scheduler.stop();
    bed.agent.enqueue([text('Done.')]);
    const [first, second] = [await bed.create('first'), await bed.create('second')];
    await bed.tasks.move(first.id, 'running');
    await bed.watch.ended(first.id);
    expect((await find(first.id)).status).toBe('review');
    expect(await bed.tasks.move(second.id, 'cancelled')).toMatchObject({
      status: 'cancelled',
      stopReason: 'cancelled',
    });
    expect(bed.agent.runs).toHaveLength(1);
  });

  it('refuses moves that mean nothing, or that only a run makes', async () => {
    const cases: Array<[TaskStatus, TaskStatus]> = [
      ['queued', 'review'],
      ['review', 'failed'],
      ['review', 'running'],
      ['done', 'queued'],
      ['failed', 'review'],
      ['cancelled', 'done'],
      ['review', 'review'],
    ];
    for (const [from, to] of cases) {
      const task = await settledTask(from);
      await expect(bed.tasks.move(task.id, to), `${from} → ${to}`).rejects.toMatchObject({
        code: 'invalid_transition',
      });
      expect((await find(task.id)).status).toBe(from);
    }
  });
});

describe('cancel, resume, answer, approve', () => {
  it('cancel: a queued task is cancelled; a done one cannot be', async () => {
    expect(await bed.tasks.cancel((await settledTask('queued')).id)).toMatchObject({
      status: 'cancelled',
      stopReason: 'cancelled',
    });
    await expect(bed.tasks.cancel((await settledTask('done')).id)).rejects.toMatchObject({
      code: 'invalid_transition',
    });
  });

  it('resume: a settled task resumes its session with the feedback; an active one refuses', async () => {
    bed.agent.enqueue([text('Used tabs.')]);
    const task = await settledTask('review', { stopReason: 'completed', error: 'old' });
    const queued = await bed.tasks.resume(task.id, 'use tabs');
    expect(queued).toMatchObject({ status: 'queued', nextPrompt: 'use tabs', stopReason: null, error: null });
    await bed.watch.ended(task.id);
    expect(bed.agent.runs[0]!.req).toMatchObject({ prompt: 'use tabs', resumeSessionId: 'fake-session-9' });
    expect((await find(task.id)).status).toBe('review');
    for (const status of ['queued', 'running'] as const)
      await expect(bed.tasks.resume((await settledTask(status)).id, 'x')).rejects.toMatchObject({
        code: 'task_active',
      });
    await expect(bed.tasks.resume((await settledTask('done')).id, 'x')).rejects.toMatchObject({
      code: 'invalid_transition',
    });
  });

  it('answer: a question left open resumes the session with the answer; no question is a 409', async () => {
    bed.agent.enqueue([text('Tabs it is.')]);
    const pendingInput = {
      requestId: 'r1',
      kind: 'question' as const,
      live: false,
      text: 'Tabs or spaces?',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const task = await settledTask('review', { inputRequired: true, pendingInput });
    expect(await bed.tasks.answer(task.id, 'tabs')).toMatchObject({
      status: 'queued',
      inputRequired: false,
      pendingInput: null,
    });
    await bed.watch.ended(task.id);
    expect(bed.agent.runs[0]!.req.prompt).toBe(
      'The user answered your question ("Tabs or spaces?"):\n\ntabs',
    );
    expect(bed.agent.runs[0]!.req.resumeSessionId).toBe('fake-session-9');
    expect((await find(task.id)).status).toBe('review');
    await expect(bed.tasks.answer((await settledTask('review')).id, 'x')).rejects.toMatchObject({
      code: 'no_question',
    });
  });

  it('approve, deny and stopLoop refuse when there is nothing to act on', async () => {
    const task = await settledTask('review');
    await expect(bed.tasks.approve(task.id)).rejects.toMatchObject({ code: 'no_approval' });
    await expect(bed.tasks.deny(task.id, 'no')).rejects.toMatchObject({ code: 'no_approval' });
    await expect(bed.tasks.stopLoop(task.id)).rejects.toMatchObject({ code: 'not_a_loop' });
  });

  it('finds a task by a unique prefix; an unknown or ambiguous one is refused', async () => {
    const task = await settledTask('review');
    expect((await bed.tasks.get(task.id.slice(0, 8))).id).toBe(task.id);
    await expect(bed.tasks.get('zzzzzzzz')).rejects.toMatchObject({ code: 'not_found' });
  });
});
